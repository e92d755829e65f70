import {
  applyLatencyProfile,
  ConfigurationRepository,
  ConfigurationService,
  type CountedS3Client,
  createS3Client,
  type L2Cache,
  type LlmSystem,
  RedisL2Cache,
  S3TemplateContentStore,
  TemplateRepository,
  TemplateService,
} from '@perftrack/llm-config'
import { type Benchmark, type PluginContext, skip } from 'perftrack'
import { openSystem } from '../support/system.js'
import { activeTemplateIds, cycle, type ResolutionKey, resolutionKeys } from '../support/workload.js'
import { acquireRedis, type RedisHandle } from './redis-server.js'
import type { CacheState } from './state.js'

/** A service instance of its own: repositories, S3 client and L1 caches, over the shared database and S3. */
export interface Instance {
  configService: ConfigurationService
  templateService: TemplateService
  configurations: ConfigurationRepository
  templates: TemplateRepository
  s3: CountedS3Client
}

export interface DistributedState {
  redis: RedisHandle
  /** Instance A is `system` itself (its L2 is `l2A`); B shares Redis with it; C has no L2 (the baseline). */
  system: LlmSystem
  l2A: RedisL2Cache
  l2B: RedisL2Cache
  b: Instance
  c: Instance
  nextKey: () => ResolutionKey
}

/** Requests of one cross-instance workload: every resolution key and every active template. */
export const workloadLookups = resolutionKeys.length + 2 * activeTemplateIds.length

function openInstance(system: LlmSystem, l2?: L2Cache): Instance {
  const configurations = new ConfigurationRepository(system.db)
  const templates = new TemplateRepository(system.db)
  const s3 = createS3Client(system.s3.config)
  // Same latency profile as instance A: delays wrap the real repositories and S3 client.
  const stores = applyLatencyProfile(system.profile, { configurations, templates, content: new S3TemplateContentStore(s3.client) })
  return {
    configService: new ConfigurationService({ repository: stores.configurations, l2 }),
    templateService: new TemplateService({ repository: stores.templates, contentStore: stores.content, l2 }),
    configurations,
    templates,
    s3,
  }
}

/** Source calls an instance made: SQL queries on its repositories plus S3 GETs of its client. */
export function instanceSourceCalls(i: Instance): number {
  return i.configurations.stats.queries + i.templates.stats.queries + i.s3.stats.gets
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)))])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Redis (PERFTRACK_REDIS_URL or a redis-server started here), instance A (a full system with
 * Redis as L2), instance B (same Redis) and instance C (no L2). Returns why not, instead of
 * throwing, when there is no Redis: the other scenarios of the plugin still run.
 */
export async function openDistributed(ctx: PluginContext, cleanups: Array<() => Promise<unknown>>): Promise<DistributedState | { unavailable: string }> {
  let redis: RedisHandle
  try {
    redis = await acquireRedis()
  } catch (error) {
    const unavailable = error instanceof Error ? error.message : String(error)
    ctx.logger.warn(`cache: distributed-cache benchmarks skipped: ${unavailable}`)
    return { unavailable }
  }
  cleanups.push(() => redis.stop())
  // A per-run prefix keeps a shared Redis clean of other runs' entries; clear() deletes only these.
  const keyPrefix = `perftrack-cache-${process.pid}-${Date.now()}:`
  const l2A = new RedisL2Cache({ url: redis.url, keyPrefix })
  const l2B = new RedisL2Cache({ url: redis.url, keyPrefix })
  cleanups.push(async () => {
    await l2A.clear().catch(() => {})
    await Promise.all([l2A.close(), l2B.close()])
  })
  try {
    await withTimeout(Promise.all([l2A.ready(), l2B.ready()]), 5_000, `connecting to Redis at ${redis.url}`)
  } catch (error) {
    const unavailable = `Redis from ${redis.origin} is not reachable: ${error instanceof Error ? error.message : String(error)}`
    ctx.logger.warn(`cache: distributed-cache benchmarks skipped: ${unavailable}`)
    return { unavailable }
  }
  const system = await openSystem(ctx, 'distributed', { l2: l2A })
  cleanups.push(() => system.close())
  const b = openInstance(system, l2B)
  const c = openInstance(system)
  cleanups.push(async () => {
    b.s3.client.destroy()
    c.s3.client.destroy()
  })
  ctx.logger.info(`cache: Redis L2 at ${redis.url} (${redis.origin}), instances A and B share it, C has none`)
  const state: DistributedState = { redis, system, l2A, l2B, b, c, nextKey: cycle(resolutionKeys) }
  await loadOnA(state)
  return state
}

function available(s: CacheState): DistributedState {
  return 'unavailable' in s.distributed ? skip(s.distributed.unavailable) : s.distributed
}

/** Instance A loads every key from the source (so Redis holds them all). */
async function loadOnA(d: DistributedState): Promise<void> {
  await d.system.clearCaches({ l2: true })
  await Promise.all([
    ...resolutionKeys.map((k) => d.system.configService.resolve(k.interactionCode, k.tier)),
    ...activeTemplateIds.map((id) => d.system.templateService.getTemplate(id)),
  ])
}

async function workload(i: Instance): Promise<void> {
  await Promise.all([
    ...resolutionKeys.map((k) => i.configService.resolve(k.interactionCode, k.tier)),
    ...activeTemplateIds.map((id) => i.templateService.getTemplate(id)),
  ])
}

/**
 * One cross-instance round: Redis emptied, A loads every key, then B (L1 empty) and C (L1
 * empty, no L2) run the same workload. Returns the source calls each made.
 */
export async function crossInstanceRound(d: DistributedState): Promise<{ sourceCallsB: number; sourceCallsC: number; l2HitsB: number }> {
  await loadOnA(d)
  for (const i of [d.b, d.c]) {
    await Promise.all([i.configService.clear(), i.templateService.clear()])
    i.configurations.stats.reset()
    i.templates.stats.reset()
    i.s3.stats.reset()
    for (const cache of [i.configService.cache, i.templateService.metadataCache, i.templateService.contentCache]) cache.resetCounters()
  }
  await workload(d.b)
  await workload(d.c)
  const { configService, templateService } = d.b
  const l2HitsB = configService.cache.counters.l2Hits + templateService.metadataCache.counters.l2Hits + templateService.contentCache.counters.l2Hits
  return { sourceCallsB: instanceSourceCalls(d.b), sourceCallsC: instanceSourceCalls(d.c), l2HitsB }
}

export const distributedBenchmarks: Benchmark<CacheState>[] = [
  {
    name: 'l2-hit-latency',
    kind: 'latency',
    bound: 'io',
    // A Redis round trip: measured alone in a compare (A/A spread 2.9%, 5.6% side by side).
    alone: true,
    description:
      'resolve() on instance B with its L1 emptied before each sample, answered from Redis with the entry instance A loaded (a Redis GET, decode, L1 fill), over all 56 keys',
    beforeEach: (s) => available(s).b.configService.clear(),
    async fn(s) {
      const d = available(s)
      const key = d.nextKey()
      const { trace } = await d.b.configService.resolveWithTrace(key.interactionCode, key.tier)
      if (trace.layer !== 'L2') throw new Error(`${trace.key} on instance B came from ${trace.layer}, expected L2 (loaded there by instance A)`)
    },
    targets: [{ stat: 'p95', op: '<', value: 5 }],
  },
  {
    name: 'cross-instance-hit-rate',
    kind: 'value',
    unit: '%',
    direction: 'higher',
    description: `Instance A loads 56 resolutions and 14 templates (metadata + content); instance B, L1 empty, asks for the same ${workloadLookups} entries: share answered without a source call on B (SQL queries and S3 GETs counted at B's own repositories and S3 client)`,
    async measure(s) {
      const { sourceCallsB } = await crossInstanceRound(available(s))
      return ((workloadLookups - sourceCallsB) / workloadLookups) * 100
    },
    targets: [{ stat: 'median', op: '>', value: 95 }],
  },
  {
    name: 'source-queries-saved',
    kind: 'value',
    unit: 'calls',
    direction: 'higher',
    description: `Source calls (SQL queries + S3 GETs) instance B avoided thanks to the shared Redis, per workload of ${workloadLookups} entries: calls of instance C (same workload, no L2) minus calls of B, both counted`,
    async measure(s) {
      const { sourceCallsB, sourceCallsC } = await crossInstanceRound(available(s))
      return sourceCallsC - sourceCallsB
    },
  },
]
