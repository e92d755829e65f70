import type { Fingerprint } from './fingerprint.js'
import type { MachineLoad } from './machine-load.js'
import type { BenchmarkKind, Direction } from './plugin-api.js'
import type { Stats } from './summary.js'
import type { TargetResult } from './targets.js'
import type { Measure, ResultStatus, RunKind, RunStatus } from './vocabulary.js'

export type { RunKind, RunStatus } from './vocabulary.js'

export interface RunRecord {
  id: string
  status: RunStatus
  kind: RunKind
  gitSha: string | null
  branch: string | null
  dirty: boolean | null
  commitTime: string | null
  commitMessage: string | null
  startedAt: string
  finishedAt: string | null
  profile: string
  environmentHash: string
  fingerprint: Fingerprint
  /** Runs made together (both sides of one compare) share a group. */
  groupId: string | null
  /** The run's role in its group, e.g. `base` or `head`. */
  label: string | null
  note: string | null
  /** How busy the machine was while the run measured (`unavailable` before it finished, or where it could not be measured). */
  load: MachineLoad
}

/**
 * A result as it is stored and printed, whatever made it: the runner's BenchmarkResult through
 * `resultFields()` (core/result.ts), a stored row through history/rows.ts, a history file's
 * entry. An errored result's error and a skipped one's reason are both in `error`.
 */
export interface ResultFields {
  plugin: string
  benchmark: string
  kind: BenchmarkKind
  unit: string
  direction: Direction
  status: ResultStatus
  /** Error message, or the reason of a skip. */
  error: string | null
  stats: Stats | null
  targets: TargetResult[]
  /** Each round's primary value: the sample unit of comparisons. */
  rounds: number[]
}

/** A result as read back from the history. */
export interface StoredResult extends ResultFields {
  id: number
  runId: string
}

export interface RunWithResults extends RunRecord {
  results: StoredResult[]
}

export interface NewRun {
  id?: string
  kind?: RunKind
  startedAt?: string
  fingerprint: Fingerprint
  groupId?: string | null
  label?: string | null
}

export interface RunFilter {
  branch?: string
  status?: RunStatus
  kind?: RunKind
  sha?: string
  environmentHash?: string
  /** Only runs of this measure. */
  measure?: Measure
  limit?: number
}
