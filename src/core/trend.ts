import type { SeriesPoint } from './series.js'
import type { TargetResult } from './targets.js'
import type { Direction, SummaryStat } from './vocabulary.js'

// The trend job's analysis (jobs/trend-job.ts): each metric's series, its change points and
// the regressions that fail the job. What `trend` prints and the HTML report draws.

export interface TrendChangePoint {
  /** Index in the metric's series of the first point after the step. */
  index: number
  runId: string
  sha: string | null
  date: string
  before: number
  after: number
  change: number
  pValue: number
  /** The step goes the metric's bad way (up for lower-is-better). */
  regression: boolean
  /** At or before the metric's newest acknowledged change point. */
  acknowledged: boolean
  /** Not yet detectable from the runs before `newSince` (always true without it). */
  new: boolean
}

export interface TrendMetric {
  plugin: string
  benchmark: string
  kind: string
  unit: string
  direction: Direction
  stat: SummaryStat
  points: SeriesPoint[]
  latest: { value: number; runId: string; sha: string | null; date: string; pass: boolean | null; failed: TargetResult[] } | null
  changePoints: TrendChangePoint[]
}

export interface TrendRegression extends TrendChangePoint {
  plugin: string
  benchmark: string
}

export interface TrendAnalysis {
  branch: string
  stat: SummaryStat
  /** trend's `--new-since`: change points already detectable before it are not new. */
  newSince: string | null
  environmentHash: string | null
  runs: number
  otherEnvironmentRuns: number
  metrics: TrendMetric[]
  /** Regression change points neither acknowledged nor older than `newSince`: they fail the job. */
  regressions: TrendRegression[]
}
