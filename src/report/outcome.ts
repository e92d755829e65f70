import type { CiReport, Counts, Outcome } from './ci-report.js'
import { formatNumber, formatPercent, formatValue, noValue, targetText } from './format.js'
import type { MetricRow } from './metric-rows.js'

/** `median 1.20 ms, p95 2.31 ms (20 rounds)`, or '—' when nothing was measured. */
export function measuredText(r: MetricRow): string {
  if (!r.stats) return noValue
  return `median ${formatValue(r.stats.median, r.unit)}, p95 ${formatValue(r.stats.p95, r.unit)} (${r.stats.n} round${r.stats.n === 1 ? '' : 's'})`
}

/** `+12.3% (95% CI +8.10% to +16.2%), 1.10 ms → 1.24 ms, threshold 5.00%`. */
export function changeText(r: MetricRow): string {
  const c = r.comparison
  if (!c) return ''
  const ci = c.ci ? ` (95% CI ${formatPercent(c.ci[0])} to ${formatPercent(c.ci[1])})` : ''
  return `${formatPercent(c.change)}${ci}, ${formatValue(c.baseline, r.unit)} → ${formatValue(c.current, r.unit)}, q ${formatNumber(c.qValue)}, threshold ${formatPercent(c.threshold, false)}`
}

/** Measured now, never in the baseline runs (a benchmark added since). */
export function isNewMetric(r: MetricRow): boolean {
  return r.status === 'completed' && r.comparison !== undefined && r.comparison.nBaseline === 0
}

/** How one metric counts in every format; see {@link Outcome}. Errors first, then failures. */
export function outcomeOf(r: MetricRow): Outcome {
  const c = r.comparison
  if (r.status === 'errored') return { state: 'error', type: 'errored', messages: [`errored: ${r.error ?? 'unknown error'}`] }
  const failures: string[] = r.targets.filter((t) => !t.pass).map((t) => `target failed: ${targetText(t, r.unit)}`)
  if (c?.verdict === 'regressed') failures.push(`regressed: ${changeText(r)}`)
  if (failures.length) return { state: 'failure', type: c?.verdict === 'regressed' ? 'regression' : 'target', messages: failures }
  if (r.status === 'missing') return { state: 'error', type: 'missing', messages: [`not measured on the head side; ${c?.reason ?? ''}`.trim()] }
  if (r.status === 'skipped') return { state: 'skipped', message: r.error ?? 'skipped' }
  // A metric new since the baseline has nothing to be compared with: that is no undecided verdict.
  if (c?.verdict === 'inconclusive' && isNewMetric(r)) return { state: 'pass' }
  if (c?.verdict === 'inconclusive') return { state: 'error', type: 'inconclusive', messages: [`inconclusive: ${c.reason}; ${changeText(r)}`] }
  return { state: 'pass' }
}

export function countReport(report: CiReport): Counts {
  const counts: Counts = {
    tests: 0,
    passed: 0,
    failures: 0,
    errors: 0,
    skipped: 0,
    regressed: 0,
    improved: 0,
    unchanged: 0,
    inconclusive: 0,
    targetsFailed: 0,
    errored: 0,
    loadErrors: report.loadFailures.length,
  }
  for (const r of report.rows) {
    const o = outcomeOf(r)
    counts.tests++
    if (o.state === 'pass') counts.passed++
    else if (o.state === 'failure') counts.failures++
    else if (o.state === 'error') counts.errors++
    else counts.skipped++
    if (r.comparison && !isNewMetric(r)) counts[r.comparison.verdict]++
    counts.targetsFailed += r.targets.filter((t) => !t.pass).length
    if (r.status === 'errored') counts.errored++
  }
  // A plugin that failed to load is one errored test of its own in every format.
  counts.tests += counts.loadErrors
  counts.errors += counts.loadErrors
  return counts
}
