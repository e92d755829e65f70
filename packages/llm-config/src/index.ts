// Public API of the LLM configuration system. Everything not exported here is internal.

export { canonicalJson, sha256 } from './canonical-json.js'
export type { Clock } from './clock.js'
export { frozenClock, systemClock } from './clock.js'
export type { ConfigurationStore } from './configuration-repository.js'
export { ConfigurationRepository } from './configuration-repository.js'
export type { ConfigurationServiceOptions, ResolutionTrace } from './configuration-service.js'
export { ConfigurationService } from './configuration-service.js'
export type { OpenLlmDatabaseOptions } from './database.js'
export { openLlmDatabase } from './database.js'
export type { CacheBounds, LlmCacheOptions, LlmCacheOptionsInput } from './defaults.js'
export { cacheDefaults, resolveCacheOptions } from './defaults.js'
export type { Configuration, TemplateMetadata } from './entities.js'
export { configurationSchema, templateMetadataSchema } from './entities.js'
export {
  ConfigurationNotFoundError,
  InvalidConfigurationError,
  LlmError,
  TemplateNotFoundError,
  TemplateRenderingError,
  TemplateStorageUnavailableError,
  TemplateSyntaxError,
} from './errors.js'
export type { InteractionDefinition } from './interactions.js'
export { findInteraction, interactionCodes, interactions } from './interactions.js'
export type { L2Cache } from './l2-cache.js'
export { withLatency } from './latency.js'
export type { LatencyProfile, LatencyProfileName } from './latency-profiles.js'
export { applyLatencyProfile, latencyProfiles } from './latency-profiles.js'
export type { CacheCounters, CacheLayer, CacheResult, CacheSnapshot, Codec, LayeredCacheOptions, Loaded } from './layered-cache.js'
export { LayeredCache } from './layered-cache.js'
export type { CreateLlmSystemOptions, LlmSystem, LlmSystemStats } from './llm-system.js'
export { createLlmSystem } from './llm-system.js'
export type { LocalS3, LocalS3Options } from './local-s3.js'
export { startLocalS3 } from './local-s3.js'
export { llmMigrationSource, llmMigrationTableName, migrateLlmDatabase } from './migrations.js'
export type { ModelDefinition } from './models.js'
export { findModel, modelCodes, models } from './models.js'
export { mulberry32 } from './prng.js'
export { QueryStats } from './query-stats.js'
export type { RedisL2CacheOptions } from './redis-l2-cache.js'
export { RedisL2Cache } from './redis-l2-cache.js'
export type { CountedS3Client, S3Config, TemplateContentStore } from './s3-client.js'
export { createS3Client, S3RequestStats, S3TemplateContentStore } from './s3-client.js'
export type { SeedDataSet } from './seed-data.js'
export { buildSeedData, seedTemplateKey, seedTiersWithOwnConfiguration } from './seed-data.js'
export { sampleParameters, seedTemplateIds, seedTemplateSources } from './seed-templates.js'
export type { SeedTarget } from './seeding.js'
export { seedLlmData, seedVolume, uploadTemplateObjects } from './seeding.js'
export type { CompiledTemplate, TemplateEngine } from './template-engine.js'
export { createTemplateEngine, templateHelpers } from './template-engine.js'
export type { TemplateMetadataStore } from './template-repository.js'
export { TemplateRepository } from './template-repository.js'
export type {
  CompiledCacheCounters,
  RenderOptions,
  RenderTrace,
  Template,
  TemplateFetchTrace,
  TemplateServiceOptions,
} from './template-service.js'
export { TemplateService } from './template-service.js'
export type { Tier } from './tiers.js'
export { isTier, tiers } from './tiers.js'
export type { VolumeDataSet, VolumeOptions } from './volume-generator.js'
export { generateVolume } from './volume-generator.js'
