import { metricKey } from '../core/metric-key.js'
import type { Verdict } from '../stats/index.js'
import type { CiReport, Outcome } from './ci-report.js'
import { escapeMarkdownCell } from './escape.js'
import { formatPercent, formatValue, noValue, targetText } from './format.js'
import type { MetricRow } from './metric-rows.js'
import { countReport, isNewMetric, outcomeOf } from './outcome.js'

const verdictMarks: Record<Verdict, string> = { regressed: '🔴 regressed', improved: '🟢 improved', unchanged: '⚪ unchanged', inconclusive: '🟡 inconclusive' }

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/** The first column: the comparison's verdict, else what happened to the benchmark. */
function stateCell(r: MetricRow, o: Outcome): string {
  if (r.status === 'errored') return '❗ errored'
  if (r.status === 'missing') return '🟡 not measured'
  if (r.status === 'skipped') return '⏭ skipped'
  if (isNewMetric(r)) return '🆕 new'
  if (r.comparison) return verdictMarks[r.comparison.verdict]
  return o.state === 'failure' ? '❌ target' : '✅ measured'
}

/** The head side's value: the comparison's (the same statistic the change is computed on), else the median. */
function valueCell(r: MetricRow): string {
  if (r.status === 'errored' || r.status === 'skipped') return escapeMarkdownCell(r.error ?? r.status)
  const value = r.comparison?.current ?? r.stats?.median
  return escapeMarkdownCell(formatValue(value, r.unit))
}

function changeCell(r: MetricRow): string {
  const c = r.comparison
  if (!c || c.change === null) return c ? escapeMarkdownCell(c.reason) : noValue
  const ci = c.ci ? ` [${formatPercent(c.ci[0])}, ${formatPercent(c.ci[1])}]` : ''
  return escapeMarkdownCell(`${formatPercent(c.change)}${ci} from ${formatValue(c.baseline, r.unit)}`)
}

function targetsCell(r: MetricRow): string {
  return r.targets.map((t) => `${t.pass ? '✓' : '✗'} ${escapeMarkdownCell(targetText(t, r.unit))}`).join('<br>') || noValue
}

const order: Record<Outcome['state'], number> = { error: 0, failure: 0, skipped: 2, pass: 3 }

function summaryLine(report: CiReport): string {
  const n = countReport(report)
  const parts: string[] = []
  if (report.rows.some((r) => r.comparison))
    parts.push(`${n.regressed} regressed, ${n.improved} improved, ${n.unchanged} unchanged, ${n.inconclusive} inconclusive`)
  else parts.push(`${report.rows.filter((r) => r.status === 'completed').length} measured`)
  if (n.targetsFailed) parts.push(`${n.targetsFailed} target${n.targetsFailed === 1 ? '' : 's'} failed`)
  if (n.errored) parts.push(`${n.errored} errored`)
  if (n.loadErrors) parts.push(`${n.loadErrors} plugin${n.loadErrors === 1 ? '' : 's'} failed to load`)
  return parts.join(' · ')
}

/** Five columns, fit for a pull-request comment or `$GITHUB_STEP_SUMMARY`; numbers always carry their unit. */
export function renderMarkdown(report: CiReport): string {
  const lines = [`### ${escapeMarkdownCell(report.title)} — ${summaryLine(report)}`, '']
  if (report.subtitle) lines.push(escapeMarkdownCell(report.subtitle), '')
  for (const f of report.loadFailures) lines.push(`> ❌ **plugin failed to load** \`${f.file}\`: ${escapeMarkdownCell(f.message)}`, '')
  if (report.baselineNote) lines.push(`_${escapeMarkdownCell(report.baselineNote)}_`, '')
  if (report.busyNote) lines.push(`> ⚠️ ${escapeMarkdownCell(capitalize(report.busyNote))}`, '')
  const rows = report.rows.map((r) => ({ r, o: outcomeOf(r) })).sort((a, b) => order[a.o.state] - order[b.o.state])
  if (rows.length) {
    lines.push('| | metric | value | change [95% CI] | targets |', '|---|---|---:|---|---|')
    for (const { r, o } of rows)
      lines.push(`| ${stateCell(r, o)} | ${escapeMarkdownCell(metricKey(r))} | ${valueCell(r)} | ${changeCell(r)} | ${targetsCell(r)} |`)
  }
  if (rows.some(({ r }) => r.comparison)) {
    lines.push(
      '',
      `<sub>Regressed only when the Benjamini–Hochberg-corrected Mann–Whitney test rejects and the bootstrap 95% CI lies wholly beyond the metric's noise threshold; unchanged when the CI lies within ±threshold; inconclusive otherwise (counted as an error in JUnit, never as passed or skipped).</sub>`,
    )
  }
  return `${lines.join('\n')}\n`
}

/** The hidden marker a workflow finds its own earlier comment by, to update it in place. */
export const prCommentMarker = '<!-- perftrack-pr-comment -->'

/** A pull-request comment body: the marker, then the Markdown report. */
export function renderPrComment(report: CiReport): string {
  return `${prCommentMarker}\n${renderMarkdown(report)}`
}
