/**
 * The plugin contract (public API; docs/architecture.md, "The plugin contract"; README,
 * "Writing a plugin"). Keep it stable: add optional fields only.
 */

import type { BenchmarkKind, Direction, SummaryStat, TargetOp } from './vocabulary.js'

export type { BenchmarkKind, Direction, TargetOp } from './vocabulary.js'
/** The statistic a target bounds. */
export type TargetStat = SummaryStat
/**
 * What limits a benchmark: the CPU, or I/O and waiting (a database query, an S3 GET, an
 * injected latency). `--measure instructions` counts only CPU-bound benchmarks.
 */
export type Bound = 'cpu' | 'io'

export interface Target {
  stat: TargetStat
  op: TargetOp
  value: number
}

export interface PluginLogger {
  info(message: string): void
  warn(message: string): void
  debug(message: string): void
}

export interface PluginContext {
  /** Latency profile the run uses, e.g. `local` or `seed`. */
  profile: string
  /** Options for this plugin from `perftrack.config.ts` (`pluginOptions[name]`). */
  options: Record<string, unknown>
  logger: PluginLogger
  /** A fresh directory for this plugin's files; removed after teardown. */
  tmpDir: string
  /** True for `--quick` runs: plugins may shrink expensive set-up (data volumes). */
  quick: boolean
  /**
   * Time budget of one round, ms (`--time`). A value benchmark that runs a workload for a
   * fixed time should scale it from this, so `--quick` and `compare` budgets shorten it too.
   */
  roundTime: number
  /**
   * What the run measures (`--measure`). Under `instructions` the process runs under Valgrind,
   * tens of times slower than natively: code under test whose behaviour follows the wall clock
   * (cache TTLs) should be given a clock that stands still, so the counts do not depend on how
   * slow or loaded the machine is. Absent: `time`.
   */
  measure?: 'time' | 'instructions'
}

export interface Benchmark<S = unknown> {
  name: string
  kind: BenchmarkKind
  description?: string
  /** latency, throughput: one operation. */
  fn?: (state: S) => unknown | Promise<unknown>
  /** Runs before every `fn` call, outside the timed window (e.g. empty a cache for a cold sample). */
  beforeEach?: (state: S) => unknown | Promise<unknown>
  /**
   * Runs once before the benchmark's first round and warm-up, outside any timed window: brings
   * state the plugin's benchmarks share to what this one assumes (e.g. warm caches another
   * benchmark emptied), so it measures the same whether it runs alone or after others.
   */
  prepare?: (state: S) => unknown | Promise<unknown>
  /** throughput: operations in flight. @default 1 */
  concurrency?: number
  /** value: one observation per round. */
  measure?: (state: S) => number | Promise<number>
  /**
   * value, instead of `measure`: computed, not measured. Each round is round i of `numerator`
   * over round i of `denominator`, two latency or throughput benchmarks listed before this one
   * in the same plugin (e.g. a cache's speed-up: cold latency over cached latency). In a paired
   * compare those rounds alternate with the other revision's, so the ratio inherits their
   * pairing; a `measure()` of its own would be one observation a side, taken moments apart
   * (README, "Paired in one process").
   */
  ratioOf?: { numerator: string; denominator: string }
  /** latency: ms; throughput: ops/s; value: required. */
  unit?: string
  /** latency: lower; throughput: higher; value: required. */
  direction?: Direction
  targets?: Target[]
  /**
   * `'io'`: the operation's time is I/O or waiting, which instruction counts do not see, so
   * `--measure instructions` skips it with that reason instead of counting it wrongly.
   * @default 'cpu'
   */
  bound?: Bound
  /**
   * Measure with no other measuring process running: in a compare's two processes side by side,
   * this benchmark's rounds wait until the other process's benchmark is done, and the other
   * waits while they run (src/runner/machine-claims.ts). For a benchmark whose I/O needs a core
   * of its own — another server process, a thread pool, many operations in flight — and whose
   * A/A spread drops when it has one (`paired-noise.ts` with and without `--no-claims`); each
   * such benchmark adds its own measuring time to every pair of processes.
   * @default false
   */
  alone?: boolean
}

export interface Plugin<S = unknown> {
  name: string
  description?: string
  setup?: (ctx: PluginContext) => S | Promise<S>
  teardown?: (state: S) => unknown | Promise<unknown>
  benchmarks: Benchmark<S>[]
}

/** Identity helper that gives a plugin object its types. */
export function definePlugin<S>(plugin: Plugin<S>): Plugin<S> {
  return plugin
}

/** Thrown (via {@link skip}) by a plugin's setup or benchmark when it cannot run here; recorded as skipped, never as passed. */
export class BenchmarkSkipped extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'BenchmarkSkipped'
  }
}

/**
 * Recognises a skip by shape, not `instanceof`: a plugin may load its own copy of this module
 * (from source through tsx) while the runner uses the built one.
 */
export function isSkip(error: unknown): error is BenchmarkSkipped {
  return error instanceof Error && error.name === 'BenchmarkSkipped' && typeof (error as BenchmarkSkipped).reason === 'string'
}

/** Marks the current benchmark (or, from setup, the whole plugin) as skipped with a reason. */
export function skip(reason: string): never {
  throw new BenchmarkSkipped(reason)
}
