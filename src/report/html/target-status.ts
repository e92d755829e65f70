import { escapeHtml } from './escape.js'
import { formatValue } from './format.js'
import type { ReportMetric, ReportTarget } from './types.js'

export type TargetStatus = 'pass' | 'fail' | 'none'

/** `none` when the metric has no target or no latest value to judge. */
export function targetStatus(metric: ReportMetric): TargetStatus {
  if (!metric.latest || metric.latest.pass === null) return 'none'
  return metric.latest.pass ? 'pass' : 'fail'
}

/** E.g. `median < 150 ms`. */
export function describeTarget(target: ReportTarget, unit: string): string {
  return `${target.stat} ${target.op} ${formatValue(target.value, unit)}`
}

/** A pass/fail/none badge whose tooltip lists the targets. */
export function renderTargetBadge(metric: ReportMetric): string {
  const status = targetStatus(metric)
  const title = metric.targets.length > 0 ? metric.targets.map((t) => describeTarget(t, metric.unit)).join('; ') : 'no target'
  return `<span class="badge ${status}" title="${escapeHtml(title)}">${status}</span>`
}
