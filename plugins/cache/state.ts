import type { CountedS3Client, LlmSystem } from '@perftrack/llm-config'
import type { PluginContext } from 'perftrack'
import type { DistributedState } from './distributed.js'
import type { LoadState } from './load.js'
import type { VolumeState } from './production-volume.js'
import type { TtlState } from './ttl-expiry.js'

/** Everything the cache plugin's scenarios share; built by setup, closed by teardown. */
export interface CacheState {
  ctx: PluginContext
  /** The system under the production volume: load, volume, eviction and memory scenarios run on it. */
  main: LlmSystem
  volume: VolumeState
  load: LoadState
  ttl: TtlState
  /** A separate S3 client for the eviction and memory scenarios' own services, so the main system's S3 counters stay theirs. */
  evictionContent: CountedS3Client
  /** Two instances over one Redis, or why Redis is not available here. */
  distributed: DistributedState | { unavailable: string }
  /** Rounds measured so far, per benchmark: seeds each round's workload differently yet the same on every run. */
  rounds: Map<string, number>
  /** Closers in opening order; teardown runs them in reverse. */
  cleanups: Array<() => Promise<unknown>>
}

/** The 0-based round of `benchmark`, counting this call. */
export function nextRound(s: CacheState, benchmark: string): number {
  const round = s.rounds.get(benchmark) ?? 0
  s.rounds.set(benchmark, round + 1)
  return round
}
