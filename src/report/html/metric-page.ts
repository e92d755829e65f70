import { escapeHtml, jsonForScript } from '../escape.js'
import { firstLine, formatDate, formatPercent, formatPValue, formatValue, limitText, noValue, shortSha } from '../format.js'
import type { ChartAssets } from './assets.js'
import { type ChartData, chartDataId } from './chart-script.js'
import { renderPage } from './layout.js'
import { renderTargetBadge } from './target-status.js'
import type { ReportData, ReportMetric } from './types.js'

export interface MetricPageContext {
  report: ReportData
  metric: ReportMetric
  assets: ChartAssets
  /** runId → index in the shared `assets/runs.js`. */
  runIndex: ReadonlyMap<string, number>
  /** Files of the shared scripts, relative to the page, in load order. */
  scripts: string[]
}

/**
 * Targets on another statistic than the plotted one (a p99 bound under a median line)
 * would be drawn at a level the line never means, so only matching ones become series.
 */
function plottedTargets(metric: ReportMetric) {
  return metric.targets.filter((t) => t.stat === metric.stat || (t.stat === 'p95' && metric.p95 !== undefined))
}

export function chartData(metric: ReportMetric, runIndex: ReadonlyMap<string, number>, repoUrl = ''): ChartData {
  return {
    unit: metric.unit,
    stat: metric.stat,
    repoUrl,
    points: metric.points.map((p, i) => {
      const point: ChartData['points'][number] = [runIndex.get(p.runId) ?? -1, Number.isFinite(p.value) ? p.value : null, formatValue(p.value, metric.unit)]
      const upper = metric.p95?.[i]
      if (metric.p95)
        point.push(upper != null && Number.isFinite(upper) ? upper : null, upper != null && Number.isFinite(upper) ? formatValue(upper, metric.unit) : noValue)
      return point
    }),
    upper: metric.p95 ? 'p95' : '',
    targets: plottedTargets(metric).map((t) => ({ label: `target ${limitText(t, metric.unit)}`, value: t.value, onUpper: t.stat !== metric.stat })),
    changePoints: metric.changePoints.map((cp) => ({ index: cp.index, regression: cp.regression, label: formatPercent(cp.change) })),
  }
}

function renderHeader({ report, metric }: MetricPageContext): string {
  const latest = metric.latest ? formatValue(metric.latest.value, metric.unit) : noValue
  const better = metric.direction === 'lower' ? 'lower is better' : 'higher is better'
  const targets =
    metric.targets.length > 0
      ? `${metric.targets.map((t) => `<code>${escapeHtml(limitText(t, metric.unit))}</code>`).join(', ')} ${renderTargetBadge(metric)}`
      : 'none'
  return `<a class="back" href="../index.html">← All metrics</a>
<header class="page">
<h1>${escapeHtml(metric.plugin)} / ${escapeHtml(metric.benchmark)}</h1>
<p class="meta"><span>Latest <b>${escapeHtml(latest)}</b></span><span>Target ${targets}</span></p>
<p class="meta"><span>${escapeHtml(metric.kind)}</span><span>plotted: <b>${escapeHtml(metric.stat)}</b></span><span>${better}</span><span>branch <code>${escapeHtml(report.branch)}</code></span><span>${metric.points.length} runs</span></p>
</header>`
}

function renderChart(metric: ReportMetric): string {
  if (metric.points.length === 0) return `<section class="card"><h2>Trend</h2><p class="empty">No runs recorded yet.</p></section>`
  const legend = [
    `<li><span class="swatch value"></span>${escapeHtml(metric.stat)}</li>`,
    metric.p95 ? `<li><span class="swatch band"></span>${escapeHtml(metric.stat)}–p95</li>` : '',
    ...plottedTargets(metric).map((t) => `<li><span class="swatch target"></span>target ${escapeHtml(limitText(t, metric.unit))}</li>`),
    metric.changePoints.some((cp) => !cp.regression) ? '<li><span class="swatch change"></span>change point</li>' : '',
    metric.changePoints.some((cp) => cp.regression) ? '<li><span class="swatch regression"></span>regression</li>' : '',
  ].join('')
  return `<section class="card">
<h2>Trend over commits</h2>
<div id="chart" class="chart-wrap"></div>
<div id="chart-tooltip" class="tooltip" role="status"></div>
<ul class="chart-legend">${legend}</ul>
</section>`
}

function commitCell(sha: string | null, message: string | null | undefined, repoUrl?: string): string {
  const title = firstLine(message, 200)
  const code = `<code${title ? ` title="${escapeHtml(title)}"` : ''}>${escapeHtml(shortSha(sha))}</code>`
  return repoUrl && sha ? `<a href="${escapeHtml(`${repoUrl}/commit/${sha}`)}">${code}</a>` : code
}

function renderChangePoints(metric: ReportMetric, repoUrl?: string): string {
  if (metric.changePoints.length === 0) {
    return `<section class="card"><h2>Change points</h2><p class="empty">No change points detected.</p></section>`
  }
  const rows = metric.changePoints
    .map((cp) => {
      const cls = cp.regression ? 'change-up' : 'change-good'
      return `<tr>
<td>${commitCell(cp.sha, metric.points[cp.index]?.message, repoUrl)}</td>
<td class="nowrap">${escapeHtml(formatDate(cp.date))}</td>
<td class="num">${escapeHtml(formatValue(cp.before, metric.unit))}</td>
<td class="num">${escapeHtml(formatValue(cp.after, metric.unit))}</td>
<td class="num ${cls}">${escapeHtml(formatPercent(cp.change))}</td>
<td class="num">${escapeHtml(formatPValue(cp.pValue))}</td>
<td>${cp.regression ? '<span class="badge regression">yes</span>' : 'no'}</td>
</tr>`
    })
    .join('\n')
  return `<section class="card">
<h2>Change points</h2>
<div class="table-wrap"><table>
<thead><tr><th>Commit</th><th>Date</th><th class="num">Before</th><th class="num">After</th><th class="num">Change</th><th class="num">p-value</th><th>Regression</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>
</section>`
}

/** The table's rows are filled by assets/chart.js from the shared runs: 365 rows × 40 pages would otherwise dominate the report's size. */
function renderRuns(metric: ReportMetric): string {
  if (metric.points.length === 0) return ''
  return `<section class="card">
<details>
<summary>All runs (${metric.points.length}, newest first)</summary>
<div class="table-wrap"><table class="runs">
<thead><tr><th class="num">#</th><th>Commit</th><th>Date</th><th class="num">${escapeHtml(metric.stat)}</th><th class="hide-narrow">Run</th><th>Message</th></tr></thead>
<tbody id="runs-body"></tbody>
</table></div>
</details>
</section>`
}

/** One metric's page: the uPlot chart, its change points and every run. */
export function renderMetricPage(context: MetricPageContext): string {
  const { report, metric, assets } = context
  const hasChart = metric.points.length > 0
  return renderPage({
    title: `${metric.plugin} / ${metric.benchmark} — ${report.title}`,
    body: [
      renderHeader(context),
      renderChart(metric),
      renderChangePoints(metric, report.repoUrl),
      renderRuns(metric),
      `<footer>Generated ${escapeHtml(formatDate(report.generatedAt))} UTC by perftrack</footer>`,
    ].join('\n'),
    style: hasChart ? assets.style : undefined,
    data: hasChart
      ? `<script type="application/json" id="${chartDataId}">${jsonForScript(chartData(metric, context.runIndex, report.repoUrl))}</script>`
      : undefined,
    scriptFiles: hasChart ? context.scripts : [],
  })
}
