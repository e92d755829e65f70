// Public API of the LLM configuration system. Everything not exported here is internal.
export { createLlmSystem } from './llm-system.js'
export type { CreateLlmSystemOptions, LlmSystem, LlmSystemStats } from './llm-system.js'

export { ConfigurationService } from './configuration-service.js'
export type { ConfigurationServiceOptions, ResolutionTrace } from './configuration-service.js'
export { TemplateService } from './template-service.js'
export type {
  CompiledCacheCounters,
  RenderOptions,
  RenderTrace,
  Template,
  TemplateFetchTrace,
  TemplateServiceOptions,
} from './template-service.js'

export { configurationSchema, templateMetadataSchema } from './entities.js'
export type { Configuration, TemplateMetadata } from './entities.js'
export { findInteraction, interactionCodes, interactions } from './interactions.js'
export type { InteractionDefinition } from './interactions.js'
export { findModel, modelCodes, models } from './models.js'
export type { ModelDefinition } from './models.js'
export { isTier, tiers } from './tiers.js'
export type { Tier } from './tiers.js'
export {
  ConfigurationNotFoundError,
  InvalidConfigurationError,
  LlmError,
  TemplateNotFoundError,
  TemplateRenderingError,
  TemplateStorageUnavailableError,
  TemplateSyntaxError,
} from './errors.js'

export { openLlmDatabase } from './database.js'
export type { OpenLlmDatabaseOptions } from './database.js'
export { llmMigrationSource, llmMigrationTableName, migrateLlmDatabase } from './migrations.js'
export { ConfigurationRepository } from './configuration-repository.js'
export type { ConfigurationStore } from './configuration-repository.js'
export { TemplateRepository } from './template-repository.js'
export type { TemplateMetadataStore } from './template-repository.js'
export { QueryStats } from './query-stats.js'

export { buildSeedData, seedTemplateKey, seedTiersWithOwnConfiguration } from './seed-data.js'
export type { SeedDataSet } from './seed-data.js'
export { seedLlmData, seedVolume, uploadTemplateObjects } from './seeding.js'
export type { SeedTarget } from './seeding.js'
export { generateVolume } from './volume-generator.js'
export type { VolumeDataSet, VolumeOptions } from './volume-generator.js'
export { mulberry32 } from './prng.js'
export { sampleParameters, seedTemplateIds, seedTemplateSources } from './seed-templates.js'

export { cacheDefaults, resolveCacheOptions } from './defaults.js'
export type { CacheBounds, LlmCacheOptions, LlmCacheOptionsInput } from './defaults.js'
export { LayeredCache } from './layered-cache.js'
export type { CacheCounters, CacheLayer, CacheResult, CacheSnapshot, Codec, LayeredCacheOptions, Loaded } from './layered-cache.js'
export type { L2Cache } from './l2-cache.js'
export { RedisL2Cache } from './redis-l2-cache.js'
export type { RedisL2CacheOptions } from './redis-l2-cache.js'

export { createS3Client, S3RequestStats, S3TemplateContentStore } from './s3-client.js'
export type { CountedS3Client, S3Config, TemplateContentStore } from './s3-client.js'
export { startLocalS3 } from './local-s3.js'
export type { LocalS3, LocalS3Options } from './local-s3.js'
export { applyLatencyProfile, latencyProfiles } from './latency-profiles.js'
export type { LatencyProfile, LatencyProfileName } from './latency-profiles.js'
export { withLatency } from './latency.js'
export { canonicalJson, sha256 } from './canonical-json.js'
export { createTemplateEngine, templateHelpers } from './template-engine.js'
export type { CompiledTemplate, TemplateEngine } from './template-engine.js'
export { frozenClock, systemClock } from './clock.js'
export type { Clock } from './clock.js'
