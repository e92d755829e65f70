import type { TrendChangePoint } from '../../core/trend.js'
import type { Direction, TargetOp } from '../../core/vocabulary.js'

/** One stored run's value of the plotted statistic, in history order (oldest first). */
export interface ReportPoint {
  runId: string
  sha: string | null
  /** ISO 8601 timestamp of the run. */
  date: string
  message?: string | null
  value: number
}

/** A step in a series found by change-point detection (the trend job's, without what only `trend` prints). */
export type ReportChangePoint = Pick<TrendChangePoint, 'index' | 'sha' | 'date' | 'before' | 'after' | 'change' | 'pValue' | 'regression'>

export interface ReportTarget {
  stat: string
  op: TargetOp
  value: number
}

export interface ReportMetric {
  plugin: string
  benchmark: string
  kind: string
  unit: string
  direction: Direction
  /** Which statistic is plotted, e.g. 'median'. */
  stat: string
  targets: ReportTarget[]
  latest: { value: number; pass: boolean | null } | null
  points: ReportPoint[]
  /** The same runs' p95, aligned with `points`, when another statistic is plotted: drawn as a band above it, and p95 targets against it. */
  p95?: Array<number | null>
  changePoints: ReportChangePoint[]
}

export interface ReportData {
  title: string
  /** `https://github.com/owner/repo`: commits link to `<repoUrl>/commit/<sha>`. */
  repoUrl?: string
  branch: string
  generatedAt: string
  metrics: ReportMetric[]
}

/** What `renderHtmlReport` wrote. */
export interface HtmlReportResult {
  /** Absolute paths of the written files, `index.html` first. */
  files: string[]
  /** Total size of the written files in bytes. */
  bytes: number
}
