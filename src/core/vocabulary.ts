/**
 * Every closed set of words perftrack uses, written once: each type is derived from its list,
 * and the validators (core/plugin-schema.ts, history/transfer.ts) and CLI options take the same
 * lists, so a word added here is accepted everywhere at once.
 */

/** How a benchmark is measured (README, "Writing a plugin"). */
export const benchmarkKindValues = ['latency', 'throughput', 'value'] as const
export type BenchmarkKind = (typeof benchmarkKindValues)[number]

/** Which way is better. */
export const directionValues = ['lower', 'higher'] as const
export type Direction = (typeof directionValues)[number]

/** The summary statistics of a result that are stored as columns, can carry a target and form a trend series. */
export const summaryStatValues = ['median', 'mean', 'p95', 'p99', 'min', 'max'] as const
export type SummaryStat = (typeof summaryStatValues)[number]

/** A target's comparison. */
export const targetOpValues = ['<', '<=', '>', '>='] as const
export type TargetOp = (typeof targetOpValues)[number]

/** What a comparison decides for a metric (docs/architecture.md, "Where a verdict is decided"). */
export const verdictValues = ['regressed', 'improved', 'unchanged', 'inconclusive'] as const
export type Verdict = (typeof verdictValues)[number]

/** A benchmark's outcome: an errored or skipped benchmark is data, not a crash of the run. */
export const resultStatusValues = ['completed', 'errored', 'skipped'] as const
export type ResultStatus = (typeof resultStatusValues)[number]

/** A stored run's state: inserted as `running`, finished as one of the others. */
export const runStatusValues = ['running', 'complete', 'failed', 'aborted'] as const
export type RunStatus = (typeof runStatusValues)[number]

/** What made a stored run: `perftrack run`, a side of `compare`, or a side of `calibrate`. */
export const runKindValues = ['run', 'compare', 'calibrate'] as const
export type RunKind = (typeof runKindValues)[number]

/** What makes `run` and `compare` exit 1 (`--fail-on`). */
export const failOnValues = ['any', 'target', 'regression', 'none'] as const
export type FailOn = (typeof failOnValues)[number]

/** What a run measures: wall time, or CPU instructions counted under Valgrind (`--measure`). Never compared with each other. */
export const measureValues = ['time', 'instructions'] as const
export type Measure = (typeof measureValues)[number]
