import { metricKey } from '../core/metric-key.js'
import { shortRunId, shortSha } from '../core/short-id.js'
import type { TrendAnalysis, TrendChangePoint, TrendMetric, TrendRegression } from '../core/trend.js'
import { formatDate, formatNumber, formatPercent, formatPValue, formatValue, limitText, table } from './format.js'

/** `perftrack trend --json`: the analysis without the raw series. */
export interface TrendJson {
  branch: string
  stat: string
  /** The instant of `--new-since` (named `since` before the flag was renamed; kept, as the --json shapes only gain fields). */
  since: string | null
  environmentHash: string | null
  runs: number
  otherEnvironmentRuns: number
  metrics: Array<{
    plugin: string
    benchmark: string
    unit: string
    direction: string
    stat: string
    points: number
    latest: { value: number; runId: string; sha: string | null; pass: boolean | null } | null
    changePoints: TrendChangePoint[]
  }>
  regressions: TrendRegression[]
}

export function trendJson(a: TrendAnalysis): TrendJson {
  return {
    branch: a.branch,
    stat: a.stat,
    since: a.newSince,
    environmentHash: a.environmentHash,
    runs: a.runs,
    otherEnvironmentRuns: a.otherEnvironmentRuns,
    metrics: a.metrics.map((m) => ({
      plugin: m.plugin,
      benchmark: m.benchmark,
      unit: m.unit,
      direction: m.direction,
      stat: m.stat,
      points: m.points.length,
      latest: m.latest && { value: m.latest.value, runId: m.latest.runId, sha: m.latest.sha, pass: m.latest.pass },
      changePoints: m.changePoints,
    })),
    regressions: a.regressions,
  }
}

function verdict(cp: TrendChangePoint): string {
  if (!cp.regression) return 'improvement'
  if (cp.acknowledged) return 'regression (acknowledged)'
  if (!cp.new) return 'regression (before --new-since)'
  return 'REGRESSION'
}

function metricLine(m: TrendMetric): string {
  const target =
    !m.latest || m.latest.pass === null
      ? ''
      : m.latest.pass
        ? ', targets pass'
        : `, TARGET FAILED: ${m.latest.failed.map((t) => `${limitText(t, m.unit)} (was ${formatValue(t.actual, m.unit)})`).join('; ')}`
  const latest = m.latest ? `latest ${formatNumber(m.latest.value)} ${m.unit} (${shortSha(m.latest.sha)})` : 'no points'
  return `${metricKey(m)} — ${m.stat} ${m.unit}, ${m.direction} is better, ${m.points.length} points; ${latest}${target}`
}

/** Human output of `perftrack trend`. */
export function renderTrend(a: TrendAnalysis): string {
  if (a.runs === 0)
    return `No complete runs of branch ${a.branch} in the history: nothing to analyse yet. Store runs with \`perftrack run\` on that branch (or pass --branch).`
  const lines: string[] = [
    `branch ${a.branch}: ${a.runs} complete run(s) measured in environment ${a.environmentHash} (the latest run's)` +
      (a.otherEnvironmentRuns > 0 ? `; ${a.otherEnvironmentRuns} run(s) from other environments left out` : ''),
    '',
  ]
  for (const m of a.metrics) {
    lines.push(metricLine(m))
    if (m.changePoints.length === 0) lines.push('  no change points', '')
    else {
      const rows = m.changePoints.map((cp) => [
        `  ${shortSha(cp.sha)}`,
        shortRunId(cp.runId),
        formatDate(cp.date, 'day'),
        formatNumber(cp.before),
        formatNumber(cp.after),
        formatPercent(cp.change),
        formatPValue(cp.pValue),
        verdict(cp),
      ])
      lines.push(table(['  commit', 'run', 'date', 'before', 'after', 'change', 'p', ''], rows, [false, false, false, true, true, true, true, false]), '')
    }
  }
  const failedTargets = a.metrics.filter((m) => m.latest?.pass === false).length
  const summary =
    a.regressions.length === 0
      ? 'No unacknowledged regression.'
      : `${a.regressions.length} unacknowledged regression(s): ${a.regressions.map((r) => `${metricKey(r)} ${formatPercent(r.change)} at ${shortSha(r.sha)} (run ${shortRunId(r.runId)})`).join('; ')}.\nAcknowledge one with \`perftrack trend ack <run> --metric plugin/benchmark --note "…"\`.`
  lines.push(summary)
  if (failedTargets > 0) lines.push(`${failedTargets} metric(s) fail a target in the latest run.`)
  return lines.join('\n')
}
