import { metricKey } from '../core/metric-key.js'
import type { CiReport, LoadFailure, Outcome } from './ci-report.js'
import { escapeXml } from './escape.js'
import { targetText } from './format.js'
import type { MetricRow } from './metric-rows.js'
import { changeText, measuredText, outcomeOf } from './outcome.js'

interface Case {
  classname: string
  name: string
  seconds: number
  outcome: Outcome
  out: string
}

/** Seconds as JUnit's `time` (Jenkins' SUREFIRE_TIME: digits and a decimal point, no exponent). */
const time = (seconds: number) => (Number.isFinite(seconds) && seconds > 0 ? seconds.toFixed(3) : '0')

function caseOf(r: MetricRow): Case {
  const out = [`${metricKey(r)}: ${measuredText(r)}`]
  if (r.targets.length) out.push(`targets: ${r.targets.map((t) => `${t.pass ? 'met' : 'FAILED'} ${targetText(t, r.unit)}`).join('; ')}`)
  if (r.comparison) out.push(`${r.comparison.verdict}: ${changeText(r)}`)
  return { classname: `perftrack.${r.plugin}`, name: r.benchmark, seconds: r.seconds ?? 0, outcome: outcomeOf(r), out: out.join('\n') }
}

function loadCase(f: LoadFailure): Case {
  return {
    classname: 'perftrack.load',
    name: 'load plugin',
    seconds: 0,
    outcome: { state: 'error', type: 'errored', messages: [`plugin failed to load: ${f.message}`] },
    out: f.file,
  }
}

function counts(cases: Case[]) {
  const n = (state: Outcome['state']) => cases.filter((c) => c.outcome.state === state).length
  return { tests: cases.length, failures: n('failure'), errors: n('error'), skipped: n('skipped'), seconds: cases.reduce((s, c) => s + c.seconds, 0) }
}

function renderCase(c: Case): string[] {
  const lines = [`    <testcase classname="${escapeXml(c.classname)}" name="${escapeXml(c.name)}" time="${time(c.seconds)}">`]
  const o = c.outcome
  if (o.state === 'failure' || o.state === 'error') {
    const message = o.messages.join('; ')
    lines.push(`      <${o.state} type="${o.type}" message="${escapeXml(message)}">${escapeXml(o.messages.join('\n'))}</${o.state}>`)
  } else if (o.state === 'skipped') lines.push(`      <skipped message="${escapeXml(o.message)}"/>`)
  lines.push(`      <system-out>${escapeXml(c.out)}</system-out>`, '    </testcase>')
  return lines
}

/**
 * JUnit XML valid against Jenkins' junit-10.xsd: a testsuite per plugin (with its file), a
 * testcase per metric carrying its measured values in system-out; `<failure>` for a failed
 * target or a regression, `<error>` for an errored benchmark, an inconclusive verdict or a
 * plugin that failed to load (a suite of its own), `<skipped>` only for a benchmark its plugin skipped.
 */
export function renderJunit(report: CiReport): string {
  const suites = new Map<string, { file?: string; cases: Case[] }>()
  for (const r of report.rows) {
    const suite = suites.get(r.plugin) ?? { file: r.file, cases: [] }
    suite.cases.push(caseOf(r))
    suites.set(r.plugin, suite)
  }
  for (const f of report.loadFailures) suites.set(f.file, { file: f.file, cases: [loadCase(f)] })
  const all = counts([...suites.values()].flatMap((s) => s.cases))
  const name = report.subtitle ? `${report.title} (${report.subtitle})` : report.title
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(name)}" tests="${all.tests}" failures="${all.failures}" errors="${all.errors}" time="${time(all.seconds)}">`,
  ]
  for (const [suiteName, suite] of suites) {
    const c = counts(suite.cases)
    const file = suite.file ? ` file="${escapeXml(suite.file)}"` : ''
    out.push(
      `  <testsuite name="${escapeXml(suiteName)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${time(c.seconds)}"${file}>`,
    )
    for (const tc of suite.cases) out.push(...renderCase(tc))
    out.push('  </testsuite>')
  }
  out.push('</testsuites>')
  return `${out.join('\n')}\n`
}
