import { escapeHtml } from '../escape.js'
import { limitText } from '../format.js'
import type { ReportMetric } from './types.js'

export type TargetStatus = 'pass' | 'fail' | 'none'

/** `none` when the metric has no target or no latest value to judge. */
export function targetStatus(metric: ReportMetric): TargetStatus {
  if (!metric.latest || metric.latest.pass === null) return 'none'
  return metric.latest.pass ? 'pass' : 'fail'
}

/** A pass/fail/none badge whose tooltip lists the targets. */
export function renderTargetBadge(metric: ReportMetric): string {
  const status = targetStatus(metric)
  const title = metric.targets.length > 0 ? metric.targets.map((t) => limitText(t, metric.unit)).join('; ') : 'no target'
  return `<span class="badge ${status}" title="${escapeHtml(title)}">${status}</span>`
}
