import { metricKey } from '../core/metric-key.js'
import type { Direction } from '../core/plugin-api.js'
import type { BranchSeries, MetricSeries } from '../core/series.js'
import type { TargetResult } from '../core/targets.js'
import type { Measure, SummaryStat } from '../core/vocabulary.js'
import type { HistoryStore } from './store.js'

export interface SeriesQuery {
  branch: string
  stat: SummaryStat
  /** Only runs started at or after this ISO instant. */
  since?: string
  plugins?: string[]
  /** Keeps a metric when this returns true. */
  metric?: (plugin: string, benchmark: string) => boolean
  /** Only runs measured in the latest run's environment. @default true */
  sameEnvironment?: boolean
  /** Runs of this measure only: a series never mixes wall time with instruction counts. @default 'time' */
  measure?: Measure
}

/**
 * Per metric, the chosen statistic of every complete `run` of a branch, oldest first. One
 * query for all metrics: a nightly history of 365 runs × 40 metrics is 14,600 rows.
 */
export async function loadBranchSeries(store: HistoryStore, q: SeriesQuery): Promise<BranchSeries> {
  const knex = store.knex
  const runFilter = (builder: ReturnType<typeof knex>) => {
    builder.where({ 'runs.branch': q.branch, 'runs.status': 'complete', 'runs.kind': 'run', 'runs.measure': q.measure ?? 'time' })
    if (q.since) builder.where('runs.started_at', '>=', q.since)
    return builder
  }
  const [latest] = await store.listRuns({ branch: q.branch, status: 'complete', kind: 'run', measure: q.measure ?? 'time', limit: 1 })
  const empty: BranchSeries = {
    branch: q.branch,
    stat: q.stat,
    latest: latest ?? null,
    environmentHash: latest?.environmentHash ?? null,
    runs: 0,
    otherEnvironmentRuns: 0,
    metrics: [],
  }
  if (!latest) return empty
  const sameEnvironment = q.sameEnvironment ?? true
  const counts = await runFilter(knex('runs')).select('environment_hash').count({ n: '*' }).groupBy('environment_hash')
  let runs = 0
  let other = 0
  for (const row of counts) {
    const n = Number(row.n)
    if (!sameEnvironment || row.environment_hash === latest.environmentHash) runs += n
    else other += n
  }

  const rows = await runFilter(knex('results').join('runs', 'runs.id', 'results.run_id'))
    .modify((builder) => {
      if (sameEnvironment) builder.where('runs.environment_hash', latest.environmentHash)
      if (q.plugins && q.plugins.length > 0) builder.whereIn('results.plugin', q.plugins)
    })
    .where('results.status', 'completed')
    .whereNotNull(`results.${q.stat}`)
    .select(
      'results.plugin',
      'results.benchmark',
      'results.kind',
      'results.unit',
      'results.direction',
      'results.targets',
      { value: `results.${q.stat}` },
      { run_id: 'runs.id' },
      'runs.git_sha',
      'runs.started_at',
      'runs.commit_message',
    )
    .orderBy([{ column: 'runs.started_at' }, { column: 'runs.id' }])

  const byMetric = new Map<string, MetricSeries>()
  for (const row of rows) {
    const plugin = String(row.plugin)
    const benchmark = String(row.benchmark)
    if (q.metric && !q.metric(plugin, benchmark)) continue
    const key = metricKey({ plugin, benchmark })
    let series = byMetric.get(key)
    if (!series) {
      series = { plugin, benchmark, kind: String(row.kind), unit: String(row.unit), direction: row.direction as Direction, points: [] }
      byMetric.set(key, series)
    }
    // The newest run's unit and direction win, should a plugin have changed them.
    series.unit = String(row.unit)
    series.direction = row.direction as Direction
    series.points.push({
      runId: String(row.run_id),
      sha: row.git_sha === null ? null : String(row.git_sha),
      date: String(row.started_at),
      message: row.commit_message === null ? null : String(row.commit_message),
      value: Number(row.value),
      targets: JSON.parse(String(row.targets)) as TargetResult[],
    })
  }
  const metrics = [...byMetric.values()].sort((a, b) => (a.plugin === b.plugin ? a.benchmark.localeCompare(b.benchmark) : a.plugin.localeCompare(b.plugin)))
  return { ...empty, runs, otherEnvironmentRuns: other, metrics }
}
