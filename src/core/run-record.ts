import type { Fingerprint } from './fingerprint.js'
import type { MachineLoad } from './machine-load.js'
import type { ResultFields } from './result-json.js'
import type { Measure, RunKind, RunStatus } from './vocabulary.js'

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

/** A result as read back from the history: its fields (core/result-json.ts) and where it is stored. */
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
