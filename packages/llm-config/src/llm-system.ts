import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Knex } from 'knex'
import type { Clock } from './clock.js'
import { ConfigurationRepository } from './configuration-repository.js'
import { ConfigurationService } from './configuration-service.js'
import { openLlmDatabase } from './database.js'
import type { LlmCacheOptionsInput } from './defaults.js'
import type { L2Cache } from './l2-cache.js'
import { applyLatencyProfile, type LatencyProfile, type LatencyProfileName, latencyProfiles } from './latency-profiles.js'
import type { CacheSnapshot } from './layered-cache.js'
import { type LocalS3, startLocalS3 } from './local-s3.js'
import { createS3Client, type S3Config, type S3RequestStats, S3TemplateContentStore } from './s3-client.js'
import type { SeedDataSet } from './seed-data.js'
import { seedLlmData, seedVolume } from './seeding.js'
import { TemplateRepository } from './template-repository.js'
import { TemplateService } from './template-service.js'
import type { VolumeDataSet, VolumeOptions } from './volume-generator.js'

export interface CreateLlmSystemOptions {
  /** SQLite file path. Default: `llm.sqlite` in a new temp directory, removed by `close()`. */
  dbPath?: string
  /** A `postgres://` URL (or SQLite path); wins over `dbPath`. */
  connection?: string
  /** An S3 (or S3-compatible) store holding the templates. Omit to start a local s3rver. */
  s3?: S3Config
  /** Start a local s3rver with the seed templates. @default true when `s3` is absent */
  local?: boolean
  /** Latency profile, by name or as an object. @default 'local' */
  profile?: LatencyProfileName | LatencyProfile
  /** Cache TTLs and bounds; defaults in `cacheDefaults`. */
  cache?: LlmCacheOptionsInput
  /** Shared L2 cache for configurations and template metadata/content. The caller closes it. */
  l2?: L2Cache
  /** Replace the database content with the seed data set (and upload templates to a non-local S3). @default true */
  seed?: boolean
  /** @default Date.now */
  now?: Clock
}

/** Every counter of the system at one moment. */
export interface LlmSystemStats {
  /** SQL statements sent by the real repositories (delays of the profile do not change them). */
  queries: { configurations: number; templates: number; total: number }
  /** S3 commands sent; `gets` counts GetObjectCommand. */
  s3: { requests: number; gets: number; errors: number; byCommand: Record<string, number> }
  caches: {
    configurations: CacheSnapshot
    templateMetadata: CacheSnapshot
    templateContent: CacheSnapshot
    renderedOutput: CacheSnapshot
    compiledTemplates: { hits: number; misses: number; size: number }
  }
}

/** A wired system: services over real repositories and a real S3 client. */
export interface LlmSystem {
  configService: ConfigurationService
  templateService: TemplateService
  /** The real (undelayed) repositories. `repos.configurations.stats.queries` counts SQL statements. */
  repos: { configurations: ConfigurationRepository; templates: TemplateRepository }
  db: Knex
  /** The S3 client, its bucket, and the local server when one was started. */
  s3: { client: import('@aws-sdk/client-s3').S3Client; bucket: string; config: S3Config; local?: LocalS3 }
  /** S3 request counters: `s3Stats.gets`, `s3Stats.byCommand`, `s3Stats.requests`. */
  s3Stats: S3RequestStats
  profile: LatencyProfile
  /** The seed data loaded at start (undefined with `seed: false`). */
  seedData?: SeedDataSet
  /** Adds production-like volume rows (default 10,000 configurations, 1,000 templates). Its inserts count as queries: call `resetCounters()` after. */
  seedVolume(options?: Partial<VolumeOptions>): Promise<VolumeDataSet>
  /** Empties every cache of both services so the next call is truly cold (`l2: true` also empties L2). Counters are kept. */
  clearCaches(options?: { l2?: boolean }): Promise<void>
  /** Zeroes query, S3 and cache counters. */
  resetCounters(): void
  stats(): LlmSystemStats
  /** Destroys the knex pool, the S3 client, the local s3rver and the temp directory. */
  close(): Promise<void>
}

/**
 * Wires the LLM configuration system for a latency profile: database (migrated, seeded),
 * S3 (local s3rver unless configured), both services and their caches.
 */
export async function createLlmSystem(options: CreateLlmSystemOptions = {}): Promise<LlmSystem> {
  const cleanups: (() => Promise<void>)[] = []
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  }
  try {
    let connection = options.connection ?? options.dbPath
    if (!connection) {
      const dir = await mkdtemp(join(tmpdir(), 'llm-db-'))
      cleanups.push(() => rm(dir, { recursive: true, force: true }))
      connection = join(dir, 'llm.sqlite')
    }
    const db = await openLlmDatabase({ connection })
    cleanups.push(() => db.destroy())

    let local: LocalS3 | undefined
    let s3Config = options.s3
    if (!s3Config || options.local) {
      local = await startLocalS3()
      cleanups.push(() => local!.stop())
      s3Config = local.config
    }
    const s3 = createS3Client(s3Config)
    cleanups.push(async () => s3.client.destroy())

    const repos = { configurations: new ConfigurationRepository(db), templates: new TemplateRepository(db) }
    const seedData =
      (options.seed ?? true) ? await seedLlmData({ ...repos, s3: local ? undefined : s3.client }, { bucket: s3.bucket, now: options.now?.() }) : undefined

    const profile = typeof options.profile === 'object' ? options.profile : latencyProfiles[options.profile ?? 'local']
    if (!profile) throw new Error(`Unknown latency profile "${String(options.profile)}"; use one of ${Object.keys(latencyProfiles).join(', ')}.`)
    const stores = applyLatencyProfile(profile, {
      configurations: repos.configurations,
      templates: repos.templates,
      content: new S3TemplateContentStore(s3.client),
    })
    // Seeding is setup, not workload: counters start at zero for the caller.
    repos.configurations.stats.reset()
    repos.templates.stats.reset()
    s3.stats.reset()
    const common = { cache: options.cache, l2: options.l2, now: options.now }
    const configService = new ConfigurationService({ repository: stores.configurations, ...common })
    const templateService = new TemplateService({ repository: stores.templates, contentStore: stores.content, ...common })

    return {
      configService,
      templateService,
      repos,
      db,
      s3: { client: s3.client, bucket: s3.bucket, config: s3Config, local },
      s3Stats: s3.stats,
      profile,
      seedData,
      seedVolume: (volume = {}) => seedVolume(repos, { bucket: s3.bucket, now: options.now?.(), ...volume }),
      async clearCaches(clearOptions = {}) {
        await Promise.all([configService.clear(clearOptions), templateService.clear(clearOptions)])
      },
      resetCounters() {
        repos.configurations.stats.reset()
        repos.templates.stats.reset()
        s3.stats.reset()
        configService.cache.resetCounters()
        templateService.metadataCache.resetCounters()
        templateService.contentCache.resetCounters()
        templateService.renderedCache.resetCounters()
        templateService.compiledCounters.hits = 0
        templateService.compiledCounters.misses = 0
      },
      stats() {
        const configurations = repos.configurations.stats.queries
        const templates = repos.templates.stats.queries
        return {
          queries: { configurations, templates, total: configurations + templates },
          s3: { requests: s3.stats.requests, gets: s3.stats.gets, errors: s3.stats.errors, byCommand: { ...s3.stats.byCommand } },
          caches: {
            configurations: configService.cache.snapshot(),
            templateMetadata: templateService.metadataCache.snapshot(),
            templateContent: templateService.contentCache.snapshot(),
            renderedOutput: templateService.renderedCache.snapshot(),
            compiledTemplates: { ...templateService.compiledCounters, size: templateService.compiledSize },
          },
        }
      },
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}
