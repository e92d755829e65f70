import { metricKey } from '../core/metric-key.js'
import type { MetricSeries } from '../core/series.js'
import type { TrendAnalysis, TrendChangePoint, TrendMetric } from '../core/trend.js'
import type { SummaryStat } from '../core/vocabulary.js'
import { type Acknowledgement, latestByMetric, listAcknowledgements } from '../history/acknowledgements.js'
import { loadBranchSeries, type SeriesQuery } from '../history/series.js'
import type { HistoryStore } from '../history/store.js'
import { type ChangePointOptions, changePointDefaults, detectChangePoints } from '../stats/index.js'

export interface TrendOptions extends Omit<SeriesQuery, 'since'> {
  /** Only runs started at or after this instant form the series (the report's `--since`). */
  from?: string
  /** Change points that were already detectable before this instant are not new (trend's `--new-since`). */
  newSince?: string
  detection?: ChangePointOptions
}

/** Same sign and within this many points: the same step seen with more or fewer runs. */
const sameStep = (a: { index: number; change: number }, b: { index: number; change: number }, tolerance: number) =>
  Math.sign(a.change) === Math.sign(b.change) && Math.abs(a.index - b.index) <= tolerance

export function analyseSeries(
  series: MetricSeries,
  stat: SummaryStat,
  o: { newSince?: string; detection?: ChangePointOptions; ack?: Acknowledgement },
): TrendMetric {
  const values = series.points.map((p) => p.value)
  const detection = { ...o.detection }
  const tolerance = detection.minSize ?? changePointDefaults.minSize
  const found = detectChangePoints(values, detection)
  // What the job would have seen before `newSince`: a step found there too is not news.
  const earlierCount = o.newSince ? series.points.filter((p) => p.date < (o.newSince as string)).length : 0
  const earlier = o.newSince && earlierCount > 0 ? detectChangePoints(values.slice(0, earlierCount), detection) : []
  const ackIndex = o.ack?.runId ? series.points.findIndex((p) => p.runId === o.ack?.runId) : -1
  const changePoints = found.map((cp): TrendChangePoint => {
    const point = series.points[cp.index]
    const acknowledged =
      o.ack !== undefined &&
      ((o.ack.changePointDate !== null && point.date <= o.ack.changePointDate) || (ackIndex >= 0 && Math.abs(ackIndex - cp.index) <= tolerance))
    return {
      index: cp.index,
      runId: point.runId,
      sha: point.sha,
      date: point.date,
      before: cp.before,
      after: cp.after,
      change: cp.change,
      pValue: cp.pValue,
      regression: series.direction === 'lower' ? cp.change > 0 : cp.change < 0,
      acknowledged,
      new: !earlier.some((e) => sameStep(e, cp, tolerance)),
    }
  })
  const last = series.points.at(-1)
  const latest = last
    ? {
        value: last.value,
        runId: last.runId,
        sha: last.sha,
        date: last.date,
        pass: last.targets.length > 0 ? last.targets.every((t) => t.pass) : null,
        failed: last.targets.filter((t) => !t.pass),
      }
    : null
  return {
    plugin: series.plugin,
    benchmark: series.benchmark,
    kind: series.kind,
    unit: series.unit,
    direction: series.direction,
    stat,
    points: series.points,
    latest,
    changePoints,
  }
}

/**
 * The trend job: each metric's series over a branch's complete runs (in the latest run's
 * environment), its change points, and which regressions are news.
 */
export async function analyseTrend(store: HistoryStore, o: TrendOptions): Promise<TrendAnalysis> {
  const detection: ChangePointOptions = { seed: changePointDefaults.seed, ...o.detection }
  const loaded = await loadBranchSeries(store, {
    branch: o.branch,
    stat: o.stat,
    since: o.from,
    plugins: o.plugins,
    metric: o.metric,
    sameEnvironment: o.sameEnvironment,
  })
  const acks = latestByMetric(await listAcknowledgements(store, o.branch))
  const metrics = loaded.metrics.map((series) => analyseSeries(series, o.stat, { newSince: o.newSince, detection, ack: acks.get(metricKey(series)) }))
  const regressions = metrics.flatMap((m) =>
    m.changePoints.filter((cp) => cp.regression && !cp.acknowledged && cp.new).map((cp) => ({ plugin: m.plugin, benchmark: m.benchmark, ...cp })),
  )
  return {
    branch: o.branch,
    stat: o.stat,
    newSince: o.newSince ?? null,
    environmentHash: loaded.environmentHash,
    runs: loaded.runs,
    otherEnvironmentRuns: loaded.otherEnvironmentRuns,
    metrics,
    regressions,
  }
}
