import type { MetricRow } from './metric-rows.js'

/** A plugin module that could not be loaded: the run goes on without it and exits 2. */
export interface LoadFailure {
  file: string
  message: string
}

/** Everything the CI formats (JUnit, Markdown, PR comment, GitHub annotations and outputs) are rendered from. */
export interface CiReport {
  /** Names the commits: `perftrack run 1a2b3c4d` or `perftrack 1a2b3c4d..5e6f7a8b`. */
  title: string
  /** A second line: refs, run id, mode. */
  subtitle?: string
  rows: MetricRow[]
  loadFailures: LoadFailure[]
  /** Why there is no comparison (no baseline, --no-baseline, another environment). */
  baselineNote?: string
  /** The machine was busy while measuring: the figure and what it means for the verdicts (core/machine-load.ts's busyMachineNote). */
  busyNote?: string
}

/**
 * The outcome of one metric, as every format counts it (README, "CI reports"):
 * - `error`: the benchmark errored, or its comparison is inconclusive (no verdict could be reached);
 * - `failure`: a target failed or the metric regressed;
 * - `skipped`: the plugin skipped the benchmark (e.g. a service it needs is absent);
 * - `pass`: measured, every target met, and the comparison (if any) unchanged or improved.
 * An inconclusive verdict is never counted as skipped or passed: a report must not show green what was not decided.
 */
export type Outcome =
  | { state: 'pass' }
  | { state: 'skipped'; message: string }
  | { state: 'failure'; type: 'target' | 'regression'; messages: string[] }
  | { state: 'error'; type: 'errored' | 'inconclusive' | 'missing'; messages: string[] }

export interface Counts {
  tests: number
  passed: number
  failures: number
  errors: number
  skipped: number
  regressed: number
  improved: number
  unchanged: number
  inconclusive: number
  targetsFailed: number
  errored: number
  loadErrors: number
}
