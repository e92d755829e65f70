import type { RunRecord } from './run-record.js'
import type { TargetResult } from './targets.js'
import type { Direction, SummaryStat } from './vocabulary.js'

// A metric's history over a branch's runs: what history/series.ts loads, the trend job
// analyses and the HTML report draws.

export interface SeriesPoint {
  runId: string
  sha: string | null
  /** The run's start, ISO 8601 UTC. */
  date: string
  message: string | null
  value: number
  /** Targets as evaluated when the run was stored. */
  targets: TargetResult[]
}

export interface MetricSeries {
  plugin: string
  benchmark: string
  kind: string
  unit: string
  direction: Direction
  /** Oldest first. */
  points: SeriesPoint[]
}

export interface BranchSeries {
  branch: string
  stat: SummaryStat
  /** The latest complete run of the branch, whose environment the series share. */
  latest: RunRecord | null
  environmentHash: string | null
  /** Complete runs of the branch in the series. */
  runs: number
  /** Complete runs of the branch left out because they were measured in another environment. */
  otherEnvironmentRuns: number
  metrics: MetricSeries[]
}
