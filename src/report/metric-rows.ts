import { metricKey } from '../core/metric-key.js'
import type { ResultJson } from '../core/result-json.js'
import type { Stats } from '../core/summary.js'
import type { TargetResult } from '../core/targets.js'
import type { ComparisonEntry } from '../stats/comparison.js'

/** What the CI renderers (markdown, junit, annotations) report per metric: its measurement, targets and comparison. */
export interface MetricRow {
  plugin: string
  benchmark: string
  unit: string
  status: ResultJson['status'] | 'missing'
  error?: string
  /** The head side's summary statistics: shown even when there is nothing to compare with. */
  stats?: Stats | null
  targets: TargetResult[]
  comparison?: ComparisonEntry
  /** The plugin's module file, relative to the project root when inside it. */
  file?: string
  /** Wall time spent measuring this benchmark, seconds (JUnit `time`); unknown for interleaved A/B processes. */
  seconds?: number
}

export interface RowExtras {
  /** Plugin name → its module file. */
  files?: ReadonlyMap<string, string>
  /** `plugin/benchmark` → seconds spent measuring it. */
  seconds?: ReadonlyMap<string, number>
}

export function metricRows(results: ResultJson[], comparisons: ComparisonEntry[] = [], extras: RowExtras = {}): MetricRow[] {
  const byKey = new Map(comparisons.map((c) => [metricKey(c), c]))
  const rows: MetricRow[] = results.map((r) => ({
    plugin: r.plugin,
    benchmark: r.benchmark,
    unit: r.unit,
    status: r.status,
    error: r.error ?? r.skipped,
    stats: r.stats,
    targets: r.targets,
    comparison: byKey.get(metricKey(r)),
    file: extras.files?.get(r.plugin),
    seconds: extras.seconds?.get(metricKey(r)),
  }))
  const seen = new Set(rows.map((r) => metricKey(r)))
  for (const c of comparisons) {
    if (!seen.has(metricKey(c)))
      rows.push({ plugin: c.plugin, benchmark: c.benchmark, unit: c.unit, status: 'missing', targets: [], comparison: c, file: extras.files?.get(c.plugin) })
  }
  return rows
}
