import { metricKey } from '../core/metric-key.js'
import type { BranchSeries } from '../core/series.js'
import type { TrendAnalysis } from '../core/trend.js'
import type { ReportData, ReportMetric, ReportTarget } from './html/types.js'

/** The HTML report's input from a trend analysis: series, change points, latest targets. */
export function reportData(a: TrendAnalysis, o: { title: string; generatedAt?: string; p95?: BranchSeries }): ReportData {
  // The p95 of the same runs, by metric and run, for the band above the plotted statistic.
  const upper = new Map((o.p95?.metrics ?? []).map((m) => [metricKey(m), new Map(m.points.map((p) => [p.runId, p.value]))]))
  return {
    title: o.title,
    branch: a.branch,
    generatedAt: o.generatedAt ?? new Date().toISOString(),
    metrics: a.metrics.map(
      (m): ReportMetric => ({
        plugin: m.plugin,
        benchmark: m.benchmark,
        kind: m.kind,
        unit: m.unit,
        direction: m.direction,
        stat: m.stat,
        targets: (m.points.at(-1)?.targets ?? []).map((t): ReportTarget => ({ stat: t.stat, op: t.op, value: t.value })),
        latest: m.latest && { value: m.latest.value, pass: m.latest.pass },
        points: m.points.map((p) => ({ runId: p.runId, sha: p.sha, date: p.date, message: p.message, value: p.value })),
        ...(o.p95 && m.stat !== 'p95' && m.kind === 'latency' ? { p95: m.points.map((p) => upper.get(metricKey(m))?.get(p.runId) ?? null) } : {}),
        changePoints: m.changePoints.map((cp) => ({
          index: cp.index,
          sha: cp.sha,
          date: cp.date,
          before: cp.before,
          after: cp.after,
          change: cp.change,
          pValue: cp.pValue,
          regression: cp.regression,
        })),
      }),
    ),
  }
}
