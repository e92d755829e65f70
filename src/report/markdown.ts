import { countVerdicts, type ComparisonEntry } from '../core/comparison.js'
import { escapeMarkdownCell } from './escape.js'
import { formatNumber, formatPercent } from './format.js'
import type { MetricRow } from './metric-rows.js'

const marks: Record<ComparisonEntry['verdict'], string> = { regressed: '🔴', improved: '🟢', unchanged: '⚪', inconclusive: '🟡' }

function ciText(ci: [number, number] | null): string {
  return ci ? `[${formatPercent(ci[0])}, ${formatPercent(ci[1])}]` : '—'
}

/** A table fit for a pull-request comment or `$GITHUB_STEP_SUMMARY`. */
export function renderMarkdown(title: string, rows: MetricRow[]): string {
  const comparisons = rows.flatMap((r) => (r.comparison ? [r.comparison] : []))
  const counts = countVerdicts(comparisons)
  const failedTargets = rows.flatMap((r) => r.targets.filter((t) => !t.pass).map((t) => ({ r, t })))
  const summary = comparisons.length
    ? `${counts.regressed} regressed, ${counts.improved} improved, ${counts.unchanged} unchanged, ${counts.inconclusive} inconclusive`
    : `${rows.length} metrics`
  const lines = [`### ${escapeMarkdownCell(title)} — ${summary}${failedTargets.length ? `; ${failedTargets.length} target(s) failed` : ''}`, '']
  lines.push('| | metric | base | head | change | 95% CI | q | verdict | targets |', '|---|---|---:|---:|---:|---|---:|---|---|')
  const order = { regressed: 0, inconclusive: 1, improved: 2, unchanged: 3 }
  const sorted = [...rows].sort((a, b) => order[a.comparison?.verdict ?? 'inconclusive'] - order[b.comparison?.verdict ?? 'inconclusive'])
  for (const r of sorted) {
    const c = r.comparison
    const u = r.unit ? ` ${escapeMarkdownCell(r.unit)}` : ''
    const targets = r.targets.map((t) => `${t.pass ? '✓' : '✗'} ${t.stat} ${t.op} ${formatNumber(t.value)}`).join(', ') || (r.status === 'completed' ? '—' : escapeMarkdownCell(`${r.status}: ${r.error ?? ''}`))
    lines.push(
      `| ${c ? marks[c.verdict] : ''} | ${escapeMarkdownCell(`${r.plugin}/${r.benchmark}`)} | ${c?.baseline != null ? formatNumber(c.baseline) + u : '—'} | ${c?.current != null ? formatNumber(c.current) + u : '—'} | ${formatPercent(c?.change)} | ${ciText(c?.ci ?? null)} | ${c?.qValue != null ? formatNumber(c.qValue) : '—'} | ${c ? c.verdict : '—'} | ${targets} |`,
    )
  }
  if (comparisons.length) {
    lines.push('', `<sub>Verdicts: regressed only when the Benjamini–Hochberg-corrected Mann–Whitney test rejects and the bootstrap 95% CI lies wholly beyond the metric's noise threshold; unchanged when the CI lies within ±threshold.</sub>`)
  }
  return `${lines.join('\n')}\n`
}
