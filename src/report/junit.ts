import { escapeXml } from './escape.js'
import { formatNumber, formatPercent } from './format.js'
import type { MetricRow } from './metric-rows.js'

interface Case {
  name: string
  failure?: { type: string; message: string }
  skipped?: string
}

function caseOf(r: MetricRow): Case {
  const c = r.comparison
  const failed = r.targets.filter((t) => !t.pass)
  const problems: string[] = []
  if (r.status === 'errored') problems.push(`errored: ${r.error ?? ''}`)
  for (const t of failed) problems.push(`target failed: ${t.stat} ${formatNumber(t.actual)} ${r.unit} ${t.op} ${formatNumber(t.value)} ${r.unit}`)
  if (c?.verdict === 'regressed') problems.push(`regressed: ${formatPercent(c.change)} (95% CI ${formatPercent(c.ci![0])} to ${formatPercent(c.ci![1])}, q ${formatNumber(c.qValue)}, threshold ${formatPercent(c.threshold, false)})`)
  if (problems.length) return { name: r.benchmark, failure: { type: c?.verdict === 'regressed' ? 'regression' : r.status === 'errored' ? 'error' : 'target', message: problems.join('; ') } }
  // An inconclusive comparison or a skipped benchmark is shown as skipped: visible, never a silent pass.
  if (r.status === 'skipped') return { name: r.benchmark, skipped: r.error ?? 'skipped' }
  if (c?.verdict === 'inconclusive') return { name: r.benchmark, skipped: `inconclusive: ${c.reason}` }
  return { name: r.benchmark }
}

/** One testcase per metric, a testsuite per plugin; failure on a regression, an error or a failed target. */
export function renderJunit(name: string, rows: MetricRow[]): string {
  const suites = new Map<string, Case[]>()
  for (const r of rows) suites.set(r.plugin, [...(suites.get(r.plugin) ?? []), caseOf(r)])
  const all = [...suites.values()].flat()
  const count = (cases: Case[]) => `tests="${cases.length}" failures="${cases.filter((c) => c.failure).length}" skipped="${cases.filter((c) => c.skipped).length}"`
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="${escapeXml(name)}" ${count(all)}>`]
  for (const [plugin, cases] of suites) {
    out.push(`  <testsuite name="${escapeXml(plugin)}" ${count(cases)}>`)
    for (const c of cases) {
      const open = `    <testcase classname="perftrack.${escapeXml(plugin)}" name="${escapeXml(c.name)}"`
      if (c.failure) out.push(`${open}>`, `      <failure type="${c.failure.type}" message="${escapeXml(c.failure.message)}">${escapeXml(c.failure.message)}</failure>`, '    </testcase>')
      else if (c.skipped) out.push(`${open}>`, `      <skipped message="${escapeXml(c.skipped)}"/>`, '    </testcase>')
      else out.push(`${open}/>`)
    }
    out.push('  </testsuite>')
  }
  out.push('</testsuites>')
  return `${out.join('\n')}\n`
}
