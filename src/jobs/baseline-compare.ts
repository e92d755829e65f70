import { median } from 'simple-statistics'
import type { PerftrackConfig } from '../core/config.js'
import { PerftrackError } from '../core/errors.js'
import { metricKey } from '../core/metric-key.js'
import type { BenchmarkResult } from '../core/result.js'
import type { RunRecord } from '../core/run-record.js'
import { resolveRef } from '../git/worktree.js'
import { type BaselineSpec, sampleUnits, selectBaseline } from '../history/baseline.js'
import { latestThresholds } from '../history/calibrations.js'
import type { HistoryStore } from '../history/store.js'
import { type ComparisonEntry, compareSides, type MetricValues } from '../stats/comparison.js'
import { thresholdLookup } from './thresholds.js'

export interface RunComparison {
  base: { ref: string; sha: string | null; runId: string; runIds: string[] }
  head: { ref: string; sha: string | null; runId: string }
  comparisons: ComparisonEntry[]
}

export interface BaselineOutcome {
  comparison?: RunComparison
  /** Why there is no comparison, for the user. */
  note?: string
}

/**
 * Compares a fresh run with its baseline runs, one value per run (the median of its rounds):
 * the new run against the prediction interval of the baseline runs (stats/prediction.ts), so
 * the noise between runs, not the much smaller noise between rounds of one run, decides.
 */
export async function compareWithBaseline(
  store: HistoryStore,
  run: RunRecord,
  results: BenchmarkResult[],
  spec: BaselineSpec,
  o: { cwd: string; force: boolean; config: PerftrackConfig },
): Promise<BaselineOutcome> {
  const selection = await selectBaseline(store, spec, { current: run, force: o.force, resolveRef: (ref) => resolveRef(o.cwd, ref) })
  if (selection.runs.length === 0) return { note: `No baseline: ${selection.missing}.` }
  const pooled = sampleUnits(await Promise.all(selection.runs.map(async (r) => ({ kind: r.kind, results: await store.resultsOf(r.id) }))))
  const base: MetricValues[] = []
  for (const r of results) {
    const values = pooled.get(metricKey(r))
    if (values) base.push({ plugin: r.plugin, benchmark: r.benchmark, unit: values.unit, direction: values.direction, values: values.values })
  }
  const head: MetricValues[] = results.flatMap((r) =>
    r.status === 'completed' ? [{ plugin: r.plugin, benchmark: r.benchmark, unit: r.unit, direction: r.direction, values: [median(r.rounds)] }] : [],
  )
  const thresholds = thresholdLookup(await latestThresholds(store, run.environmentHash, run.profile), o.config, run.fingerprint.measure)
  return {
    comparison: {
      base: { ref: selection.description, sha: selection.runs[0].gitSha, runId: selection.runs[0].id, runIds: selection.runs.map((r) => r.id) },
      head: { ref: run.branch ?? run.gitSha ?? 'this run', sha: run.gitSha, runId: run.id },
      comparisons: compareSides(base, head, thresholds, { design: 'prediction' }),
    },
  }
}

/** Fails fast on a baseline that cannot exist (unknown ref or run), before minutes of measuring. */
export async function checkBaselineSpec(store: HistoryStore, spec: BaselineSpec, cwd: string): Promise<void> {
  if (spec.kind === 'ref') await resolveRef(cwd, spec.ref)
  if (spec.kind === 'run' && !(await store.findRun(spec.id))) {
    throw new PerftrackError('BASELINE_NOT_FOUND', `Baseline run '${spec.id}' is not in the history.`, {
      suggestions: ['List runs with `perftrack history list`.'],
    })
  }
}
