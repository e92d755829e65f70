import { PerftrackError } from '../core/errors.js'
import { metricKey } from '../core/metric-key.js'
import { shortRunId } from '../core/short-id.js'
import type { SummaryStat } from '../core/vocabulary.js'
import { type Acknowledgement, addAcknowledgement, findAcknowledgement } from '../history/acknowledgements.js'
import type { HistoryStore } from '../history/store.js'
import { changePointDefaults } from '../stats/index.js'
import { analyseTrend } from './trend-job.js'

export interface AcknowledgeInput {
  /** Id (or unique prefix) of the first run after the step. */
  run: string
  /** `plugin/benchmark`; needed when several metrics step at that run. */
  metric?: string
  note?: string
  stat: SummaryStat
  sameEnvironment?: boolean
}

/**
 * Records that someone looked at a change point: `perftrack trend` then no longer fails on it
 * or on older change points of that metric.
 */
export async function acknowledgeChangePoint(store: HistoryStore, input: AcknowledgeInput): Promise<{ acknowledgement: Acknowledgement; created: boolean }> {
  const run = await store.findRun(input.run)
  if (!run) {
    throw new PerftrackError('RUN_NOT_FOUND', `No run with id '${input.run}' in the history.`, {
      suggestions: ['Pass the run id that `perftrack trend` prints for the change point (the first run after the step).'],
    })
  }
  if (!run.branch) {
    throw new PerftrackError('ACK_NO_BRANCH', `Run ${run.id} has no branch, so it is on no trend.`, {
      suggestions: ['Acknowledge a change point that `perftrack trend` listed.'],
    })
  }
  const analysis = await analyseTrend(store, { branch: run.branch, stat: input.stat, sameEnvironment: input.sameEnvironment })
  const tolerance = changePointDefaults.minSize
  // The step's position can move by a point or two as runs arrive: accept a run close to it.
  const candidates = analysis.metrics.flatMap((m) => {
    const at = m.points.findIndex((p) => p.runId === run.id)
    const cp = at < 0 ? undefined : m.changePoints.find((c) => Math.abs(c.index - at) <= tolerance)
    return cp ? [{ metric: metricKey(m), plugin: m.plugin, benchmark: m.benchmark, exact: cp.runId === run.id }] : []
  })
  let chosen
  if (input.metric) {
    chosen = candidates.find((c) => c.metric === input.metric)
    if (!chosen) {
      throw new PerftrackError('ACK_NO_CHANGE_POINT', `Metric ${input.metric} has no change point at run ${shortRunId(run.id)} on branch ${run.branch}.`, {
        suggestions: [
          candidates.length > 0
            ? `Change points at this run: ${candidates.map((c) => c.metric).join(', ')}.`
            : 'Run `perftrack trend` to list the change points and their runs.',
        ],
      })
    }
  } else {
    const exact = candidates.filter((c) => c.exact)
    const pool = exact.length > 0 ? exact : candidates
    if (pool.length === 0) {
      throw new PerftrackError('ACK_NO_CHANGE_POINT', `No change point at run ${shortRunId(run.id)} on branch ${run.branch}.`, {
        suggestions: ['Run `perftrack trend` to list the change points and the run that starts each.'],
      })
    }
    if (pool.length > 1) {
      throw new PerftrackError('ACK_AMBIGUOUS', `Several metrics have a change point at run ${shortRunId(run.id)}: ${pool.map((c) => c.metric).join(', ')}.`, {
        suggestions: ['Name one with --metric plugin/benchmark.'],
      })
    }
    chosen = pool[0]
  }
  // Acknowledging the same change point twice changes nothing: the first acknowledgement (and its note) stays.
  const earlier = await findAcknowledgement(store, { plugin: chosen.plugin, benchmark: chosen.benchmark, branch: run.branch, runId: run.id })
  if (earlier) return { acknowledgement: earlier, created: false }
  const acknowledgement = await addAcknowledgement(store, {
    plugin: chosen.plugin,
    benchmark: chosen.benchmark,
    branch: run.branch,
    gitSha: run.gitSha,
    runId: run.id,
    changePointDate: run.startedAt,
    note: input.note ?? null,
  })
  return { acknowledgement, created: true }
}
