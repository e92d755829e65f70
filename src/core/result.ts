import type { z } from 'zod'

import type { ResultFields, warmupJsonSchema } from './result-json.js'
import type { Stats } from './summary.js'

// A benchmark's result as the runner makes it, and the events of a run: the model shared by the
// runner, the measuring child's messages (runner/child-protocol.ts), the store and the renderers.
// What is stored and printed of it is core/result-json.ts's ResultFields (`resultFields()` below);
// it is read back as core/run-record.ts's StoredResult (history/rows.ts).

/** How a benchmark's warm-up went: the batch size it chose and whether it reached a steady state. */
export type WarmupOutcome = z.output<typeof warmupJsonSchema>

/** What every result says, whatever its state: the fields it shares with the stored and printed result. */
export type ResultBase = Pick<ResultFields, 'plugin' | 'benchmark' | 'kind' | 'unit' | 'direction' | 'targets'>

/** One benchmark's outcome, keyed on its state: an errored benchmark is data. */
export type BenchmarkResult =
  | (ResultBase & {
      status: 'completed'
      stats: Stats
      /** Each round's primary value (latency: the 0.1 quantile of its per-call times, ms; throughput: ops/s; value: the observation). */
      rounds: number[]
      /** Latency only: each round's raw samples, sketched to `storedSamplesPerRound` order statistics. */
      samples: Array<{ count: number; values: number[] }>
      /** How the warm-up went in this process (batch size, duration, steady or not); not stored in the history. */
      warmup?: WarmupOutcome
    })
  | (ResultBase & { status: 'errored'; error: string })
  | (ResultBase & { status: 'skipped'; reason: string })

export type RunnerEvent =
  | { type: 'plugin-start'; plugin: string; benchmarks: number }
  | { type: 'benchmark-start'; plugin: string; benchmark: string; index: number; total: number }
  | { type: 'round'; plugin: string; benchmark: string; round: number; rounds: number }
  | { type: 'benchmark-end'; result: BenchmarkResult }
  | { type: 'plugin-warning'; plugin: string; message: string }

/** A fresh result from the runner as it is stored and printed: an errored result's error, a skipped one's reason, in `error`. */
export function resultFields(result: BenchmarkResult): ResultFields {
  return {
    plugin: result.plugin,
    benchmark: result.benchmark,
    kind: result.kind,
    unit: result.unit,
    direction: result.direction,
    status: result.status,
    error: result.status === 'errored' ? result.error : result.status === 'skipped' ? result.reason : null,
    stats: result.status === 'completed' ? result.stats : null,
    targets: result.targets,
    rounds: result.status === 'completed' ? result.rounds : [],
  }
}
