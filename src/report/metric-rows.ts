import type { ComparisonEntry } from '../core/comparison.js'
import type { TargetResult } from '../core/targets.js'
import type { ResultJson } from './json.js'

/** What the CI renderers (markdown, junit) report per metric: its targets and its comparison. */
export interface MetricRow {
  plugin: string
  benchmark: string
  unit: string
  status: ResultJson['status'] | 'missing'
  error?: string
  targets: TargetResult[]
  comparison?: ComparisonEntry
}

export function metricRows(results: ResultJson[], comparisons: ComparisonEntry[] = []): MetricRow[] {
  const byKey = new Map(comparisons.map((c) => [`${c.plugin}/${c.benchmark}`, c]))
  const rows: MetricRow[] = results.map((r) => ({
    plugin: r.plugin,
    benchmark: r.benchmark,
    unit: r.unit,
    status: r.status,
    error: r.error ?? r.skipped,
    targets: r.targets,
    comparison: byKey.get(`${r.plugin}/${r.benchmark}`),
  }))
  const seen = new Set(rows.map((r) => `${r.plugin}/${r.benchmark}`))
  for (const c of comparisons) {
    if (!seen.has(`${c.plugin}/${c.benchmark}`)) rows.push({ plugin: c.plugin, benchmark: c.benchmark, unit: c.unit, status: 'missing', targets: [], comparison: c })
  }
  return rows
}
