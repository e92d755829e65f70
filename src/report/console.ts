import { metricKey } from '../core/metric-key.js'
import type { ResultJson } from '../core/result-json.js'
import { margin, type TargetResult } from '../core/targets.js'
import { type ComparisonEntry, countVerdicts } from '../stats/comparison.js'
import { formatFactor, formatNumber, formatPercent, noValue, table, targetText } from './format.js'

/** `✓ p95 0.004 ms < 5 ms, 1,250x` — the measured value against its limit, and the margin. */
export function targetCell(t: TargetResult, unit: string): string {
  return `${t.pass ? '✓' : '✗'} ${targetText(t, unit)}, ${formatFactor(margin(t))}`
}

function groupByPlugin<T extends { plugin: string }>(items: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) groups.set(item.plugin, [...(groups.get(item.plugin) ?? []), item])
  return groups
}

/** The run's results as a table per plugin: statistics, unit, targets. */
export function renderResultsTable(results: ResultJson[]): string {
  const out: string[] = []
  for (const [plugin, items] of groupByPlugin(results)) {
    const rows = items.map((r) => {
      if (r.status !== 'completed' || !r.stats) {
        const why = r.status === 'skipped' ? `skipped: ${r.skipped}` : `errored: ${r.error}`
        return [r.benchmark, '', '', '', '', r.unit, why]
      }
      const s = r.stats
      const targets = r.targets.map((t) => targetCell(t, r.unit)).join('; ')
      return [r.benchmark, String(s.n), formatNumber(s.median), formatNumber(s.p95), formatNumber(s.p99), r.unit, targets || noValue]
    })
    out.push(`${plugin}\n${table(['benchmark', 'n', 'median', 'p95', 'p99', 'unit', 'targets'], rows, [false, true, true, true, true, false, false])}`)
  }
  return out.join('\n\n')
}

export interface RunTotals {
  completed: number
  errored: number
  skipped: number
  targetsPassed: number
  targetsFailed: number
}

export function totals(results: ResultJson[]): RunTotals {
  const t: RunTotals = { completed: 0, errored: 0, skipped: 0, targetsPassed: 0, targetsFailed: 0 }
  for (const r of results) {
    t[r.status]++
    for (const target of r.targets) target.pass ? t.targetsPassed++ : t.targetsFailed++
  }
  return t
}

export function renderTotals(t: RunTotals): string {
  return `${t.completed} completed, ${t.errored} errored, ${t.skipped} skipped; targets: ${t.targetsPassed} passed, ${t.targetsFailed} failed`
}

const verdictMarks: Record<ComparisonEntry['verdict'], string> = {
  regressed: '✗ regressed',
  improved: '✓ improved',
  unchanged: '= unchanged',
  inconclusive: '? inconclusive',
}

/** The comparison table: each metric's baseline and current statistic, change with CI, q-value, verdict. */
export function renderComparisonTable(entries: ComparisonEntry[]): string {
  const rows = entries.map((e) => [
    metricKey(e),
    formatNumber(e.baseline),
    formatNumber(e.current),
    e.unit,
    formatPercent(e.change),
    e.ci ? `[${formatPercent(e.ci[0])}, ${formatPercent(e.ci[1])}]` : noValue,
    formatNumber(e.qValue),
    `±${formatPercent(e.threshold, false)}`,
    verdictMarks[e.verdict],
  ])
  const counts = countVerdicts(entries)
  return `${table(['metric', 'base', 'head', 'unit', 'change', '95% CI', 'q', 'noise', 'verdict'], rows, [false, true, true, false, true, false, true, true, false])}\n${counts.regressed} regressed, ${counts.improved} improved, ${counts.unchanged} unchanged, ${counts.inconclusive} inconclusive`
}
