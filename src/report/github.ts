import { appendFileSync } from 'node:fs'
import { metricKey } from '../core/metric-key.js'
import type { CiReport } from './ci-report.js'
import { countReport, outcomeOf } from './outcome.js'

/** Workflow-command escaping: the message may hold any text; properties also lose `:` and `,`. */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')

function command(level: 'error' | 'warning', title: string, message: string, file?: string): string {
  const props = [file ? `file=${escapeProperty(file)}` : '', `title=${escapeProperty(title)}`].filter(Boolean).join(',')
  return `::${level} ${props}::${escapeData(message)}`
}

/**
 * GitHub Actions annotations: `::error` for a regression, a failed target, an errored benchmark
 * or a plugin that failed to load, `::warning` for an inconclusive verdict; each names the
 * plugin's file so the pull request shows it there.
 */
export function githubAnnotations(report: CiReport): string[] {
  const out: string[] = []
  for (const f of report.loadFailures) out.push(command('error', 'perftrack: plugin failed to load', f.message, f.file))
  for (const r of report.rows) {
    const o = outcomeOf(r)
    const name = metricKey(r)
    if (o.state === 'failure')
      out.push(command('error', `perftrack: ${name} ${o.type === 'regression' ? 'regressed' : 'missed a target'}`, o.messages.join('\n'), r.file))
    else if (o.state === 'error' && o.type === 'errored') out.push(command('error', `perftrack: ${name} errored`, o.messages.join('\n'), r.file))
    else if (o.state === 'error') out.push(command('warning', `perftrack: ${name} ${o.type}`, o.messages.join('\n'), r.file))
  }
  return out
}

/** Step outputs (`steps.<id>.outputs.<name>`): counts a later step can branch on. */
export function githubOutputs(report: CiReport, extra: Record<string, string> = {}): Record<string, string> {
  const n = countReport(report)
  return {
    regressed: String(n.regressed),
    improved: String(n.improved),
    unchanged: String(n.unchanged),
    inconclusive: String(n.inconclusive),
    'targets-failed': String(n.targetsFailed),
    errored: String(n.errored),
    'load-errors': String(n.loadErrors),
    failures: String(n.failures),
    errors: String(n.errors),
    ...extra,
  }
}

/** Appends `name=value` lines to `$GITHUB_OUTPUT` (values are single-line by construction). */
export function writeGithubOutputs(file: string, outputs: Record<string, string>): void {
  appendFileSync(
    file,
    Object.entries(outputs)
      .map(([k, v]) => `${k}=${v.replace(/[\r\n]+/g, ' ')}\n`)
      .join(''),
  )
}
