import { escapeHtml } from '../escape.js'
import { firstLine, formatDate, formatPercent, formatValue, noValue, shortSha } from '../format.js'
import { renderPage } from './layout.js'
import { renderSparkline } from './sparkline.js'
import { renderTargetBadge } from './target-status.js'
import type { ReportChangePoint, ReportData, ReportMetric } from './types.js'

/** A metric with the file its page is written to, relative to the report's root. */
export interface MetricEntry {
  metric: ReportMetric
  href: string
}

interface RegressionRow {
  entry: MetricEntry
  changePoint: ReportChangePoint
  order: number
}

function metricLink(entry: MetricEntry, text: string): string {
  return `<a href="${escapeHtml(entry.href)}">${escapeHtml(text)}</a>`
}

function changePointSummary(metric: ReportMetric): string {
  const total = metric.changePoints.length
  const regressions = metric.changePoints.filter((cp) => cp.regression).length
  if (total === 0) return '<span class="empty">0</span>'
  return regressions > 0 ? `${total} <span class="badge regression">${regressions} regression${regressions > 1 ? 's' : ''}</span>` : `${total}`
}

/** Regressions across all metrics, newest first; undated ones last, ties in metric order. */
export function collectRegressions(entries: readonly MetricEntry[]): RegressionRow[] {
  const rows: RegressionRow[] = []
  entries.forEach((entry) =>
    entry.metric.changePoints.forEach((changePoint) => {
      if (changePoint.regression) rows.push({ entry, changePoint, order: rows.length })
    }),
  )
  const time = (row: RegressionRow) => {
    const t = Date.parse(row.changePoint.date)
    return Number.isNaN(t) ? -Infinity : t
  }
  return rows.sort((a, b) => time(b) - time(a) || a.order - b.order)
}

function renderRegressions(entries: readonly MetricEntry[]): string {
  const rows = collectRegressions(entries)
  if (rows.length === 0) {
    return `<section class="card" id="regressions"><h2>Regressions</h2><p class="empty">No regressions detected.</p></section>`
  }
  const body = rows
    .map(({ entry, changePoint: cp }) => {
      const { metric } = entry
      const message = firstLine(metric.points[cp.index]?.message, 200)
      return `<tr>
<td class="metric-name">${metricLink(entry, metric.benchmark)}<span class="sub">${escapeHtml(metric.plugin)}</span></td>
<td><code${message ? ` title="${escapeHtml(message)}"` : ''}>${escapeHtml(shortSha(cp.sha))}</code></td>
<td class="nowrap">${escapeHtml(formatDate(cp.date))}</td>
<td class="num change-up">${escapeHtml(formatPercent(cp.change))}</td>
<td class="num hide-narrow">${escapeHtml(formatValue(cp.before, metric.unit))} → ${escapeHtml(formatValue(cp.after, metric.unit))}</td>
</tr>`
    })
    .join('\n')
  return `<section class="card" id="regressions">
<h2>Regressions <span class="badge regression">${rows.length}</span></h2>
<div class="table-wrap"><table>
<thead><tr><th>Metric</th><th>Commit</th><th>Date</th><th class="num">Change</th><th class="num hide-narrow">Before → after</th></tr></thead>
<tbody>
${body}
</tbody>
</table></div>
</section>`
}

function renderPlugin(plugin: string, entries: readonly MetricEntry[]): string {
  const rows = entries
    .map(({ metric, href }) => {
      const latest = metric.latest ? formatValue(metric.latest.value, metric.unit) : noValue
      const better = metric.direction === 'lower' ? 'lower is better' : 'higher is better'
      return `<tr>
<td class="metric-name">${metricLink({ metric, href }, metric.benchmark)}<span class="sub">${escapeHtml(metric.kind)} · ${escapeHtml(metric.stat)} · ${better}</span></td>
<td class="num">${escapeHtml(latest)}</td>
<td>${renderTargetBadge(metric)}</td>
<td class="hide-narrow"><a href="${escapeHtml(href)}" tabindex="-1" aria-hidden="true">${renderSparkline(metric)}</a></td>
<td class="num">${changePointSummary(metric)}</td>
<td><a href="${escapeHtml(href)}">Details →</a></td>
</tr>`
    })
    .join('\n')
  return `<section class="card plugin">
<h2>${escapeHtml(plugin)}</h2>
<div class="table-wrap"><table class="metrics">
<thead><tr><th class="col-metric">Metric</th><th class="num col-latest">Latest</th><th class="col-target">Target</th><th class="hide-narrow col-trend">Trend</th><th class="num col-changes">Change points</th><th class="col-link"></th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>
</section>`
}

/** Metrics grouped by plugin, plugins in the order they first appear. */
function groupByPlugin(entries: readonly MetricEntry[]): Map<string, MetricEntry[]> {
  const groups = new Map<string, MetricEntry[]>()
  for (const entry of entries) {
    const group = groups.get(entry.metric.plugin)
    if (group) group.push(entry)
    else groups.set(entry.metric.plugin, [entry])
  }
  return groups
}

/** The overview: regressions first, then every plugin's metrics with a sparkline each. */
export function renderIndexPage(report: ReportData, entries: readonly MetricEntry[]): string {
  const groups = groupByPlugin(entries)
  const regressionCount = entries.reduce((n, e) => n + e.metric.changePoints.filter((cp) => cp.regression).length, 0)
  const failing = entries.filter((e) => e.metric.latest?.pass === false).length
  const header = `<header class="page">
<h1>${escapeHtml(report.title)}</h1>
<p class="meta"><span>branch <code>${escapeHtml(report.branch)}</code></span><span>generated <b>${escapeHtml(formatDate(report.generatedAt))} UTC</b></span><span><b>${entries.length}</b> metrics in <b>${groups.size}</b> plugins</span><span><b>${regressionCount}</b> regressions</span><span><b>${failing}</b> failing targets</span></p>
</header>`
  const plugins = [...groups].map(([plugin, group]) => renderPlugin(plugin, group))
  const body =
    entries.length === 0
      ? [header, '<section class="card"><p class="empty">No metrics recorded yet.</p></section>']
      : [header, renderRegressions(entries), ...plugins]
  return renderPage({
    title: report.title,
    body: [...body, '<footer>Generated by perftrack</footer>'].join('\n'),
  })
}
