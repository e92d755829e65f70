import { cacheDefaults, type LlmSystem } from '@perftrack/llm-config'
import type { Benchmark, PluginContext } from 'perftrack'
import { openSystem } from '../support/system.js'
import { activeTemplateIds, resolutionKeys } from '../support/workload.js'
import type { CacheState } from './state.js'

/** Concurrent callers per hot key once it has expired. */
export const callersPerKey = 20

export interface TtlState {
  system: LlmSystem
  clock: { now: () => number; advance(ms: number): void }
}

/** A clock only the benchmark moves, starting at a fixed instant. */
function manualClock(start = Date.UTC(2026, 0, 15, 12)) {
  let t = start
  return { now: () => t, advance: (ms: number) => void (t += ms) }
}

export async function openTtlSystem(ctx: PluginContext): Promise<TtlState> {
  const clock = manualClock()
  const system = await openSystem(ctx, 'ttl-expiry', { now: clock.now })
  return { system, clock }
}

/** Every source call: SQL queries on both repositories plus S3 GETs. */
function sourceCalls(system: LlmSystem): number {
  const stats = system.stats()
  return stats.queries.total + stats.s3.gets
}

/**
 * All hot keys (56 resolutions, 14 templates' metadata and content) are loaded, then the
 * clock jumps past the longest TTL so every one expires at the same instant, and
 * `callersPerKey` callers ask for each at once. Returns source calls per expired key:
 * 1 when concurrent misses share one load (single-flight), more when they stampede.
 */
export async function ttlStampede(ttl: TtlState): Promise<number> {
  const { system, clock } = ttl
  const everyKey = () =>
    Promise.all([
      ...resolutionKeys.map((k) => system.configService.resolve(k.interactionCode, k.tier)),
      ...activeTemplateIds.map((id) => system.templateService.getTemplate(id)),
    ])
  await everyKey()
  const longestTtl = Math.max(cacheDefaults.configurations.ttlMs, cacheDefaults.templateMetadata.ttlMs, cacheDefaults.templateContent.ttlMs)
  clock.advance(longestTtl + 1)
  const expiredKeys = resolutionKeys.length + 2 * activeTemplateIds.length
  const before = sourceCalls(system)
  await Promise.all(Array.from({ length: callersPerKey }, everyKey))
  return (sourceCalls(system) - before) / expiredKeys
}

export const ttlBenchmarks: Benchmark<CacheState>[] = [
  {
    name: 'ttl-expiry',
    kind: 'value',
    unit: 'loads/key',
    direction: 'lower',
    description: `56 configuration keys and 14 templates (metadata + content) expire together on an injected clock; ${callersPerKey} callers per key arrive at once: source calls (SQL queries + S3 GETs, counted at the repositories and the S3 client) per expired key`,
    measure: (s) => ttlStampede(s.ttl),
    targets: [{ stat: 'max', op: '<=', value: 1 }],
  },
]
