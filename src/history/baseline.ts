import { median } from 'simple-statistics'

import { defaultBaselineRuns } from '../core/defaults.js'
import { PerftrackError } from '../core/errors.js'
import { environmentDifferences, measureOf } from '../core/fingerprint.js'
import { metricKey } from '../core/metric-key.js'
import type { RunKind, RunRecord, StoredResult } from '../core/run-record.js'
import { shortRunId, shortSha } from '../core/short-id.js'
import type { HistoryStore } from './store.js'

export type BaselineSpec = { kind: 'run'; id: string } | { kind: 'ref'; ref: string } | { kind: 'branch'; name: string }

/** `branch:NAME`, `run:ID`, a run id (or prefix), else a git ref. */
export function parseBaselineSpec(text: string): BaselineSpec {
  if (text.startsWith('branch:')) return { kind: 'branch', name: text.slice('branch:'.length) }
  if (text.startsWith('run:')) return { kind: 'run', id: text.slice('run:'.length) }
  if (/^[0-9a-f]{8}-[0-9a-f-]{0,27}$/i.test(text)) return { kind: 'run', id: text }
  return { kind: 'ref', ref: text }
}

export interface BaselineSelection {
  runs: RunRecord[]
  description: string
  /** Set when nothing matched: why, for the user. */
  missing?: string
}

export interface SelectOptions {
  current: RunRecord
  /** Resolves a git ref to a sha (throws a PerftrackError when it does not exist). */
  resolveRef: (ref: string) => Promise<string>
  force: boolean
  /** How many of the latest runs form the baseline. @default defaultBaselineRuns (10) */
  limit?: number
}

function refuseMismatch(current: RunRecord, candidate: RunRecord, what: string): never {
  const diffs = environmentDifferences(current.fingerprint, candidate.fingerprint)
  throw new PerftrackError(
    'BASELINE_ENVIRONMENT_MISMATCH',
    `Baseline ${what} was measured in another environment (${diffs.join('; ')}); its numbers are not comparable with this run's.`,
    {
      suggestions: ['Measure the baseline on this machine (perftrack compare measures both sides now), or pass --force-baseline to compare anyway.'],
    },
  )
}

/**
 * The runs a fresh run is compared with. Default: the latest complete runs of the base branch
 * measured in the same environment. An explicitly named baseline in another environment is
 * refused unless forced, with the differing fields named.
 */
export async function selectBaseline(store: HistoryStore, spec: BaselineSpec, o: SelectOptions): Promise<BaselineSelection> {
  const limit = o.limit ?? defaultBaselineRuns
  const measure = measureOf(o.current.fingerprint)
  // Wall time and instruction counts are never compared, --force-baseline or not.
  const others = (runs: RunRecord[]) => runs.filter((r) => r.id !== o.current.id && measureOf(r.fingerprint) === measure)
  if (spec.kind === 'run') {
    const run = await store.findRun(spec.id)
    if (!run)
      throw new PerftrackError('BASELINE_NOT_FOUND', `Baseline run '${spec.id}' is not in the history.`, {
        suggestions: ['List runs with `perftrack history list`.'],
      })
    if (run.status !== 'complete')
      throw new PerftrackError('BASELINE_INCOMPLETE', `Baseline run ${run.id} is ${run.status}, not complete; it cannot serve as a baseline.`)
    if (measureOf(run.fingerprint) !== measure) {
      throw new PerftrackError(
        'BASELINE_MEASURE_MISMATCH',
        `Baseline run ${shortRunId(run.id)} measured ${measureOf(run.fingerprint)}, this run measured ${measure}; the two are never compared.`,
        {
          suggestions: [`Pick a baseline run measured with --measure ${measure}.`],
        },
      )
    }
    if (run.environmentHash !== o.current.environmentHash && !o.force) refuseMismatch(o.current, run, `run ${shortRunId(run.id)}`)
    return { runs: [run], description: `run ${shortRunId(run.id)}` }
  }
  if (spec.kind === 'ref') {
    const sha = await o.resolveRef(spec.ref)
    const all = others(await store.listRuns({ sha, status: 'complete', kind: 'run', limit: 50 }))
    const matching = all.filter((r) => r.environmentHash === o.current.environmentHash)
    if (matching.length === 0 && all.length > 0 && !o.force) refuseMismatch(o.current, all[0], `${spec.ref} (${shortSha(sha)})`)
    const runs = (o.force ? all : matching).slice(0, limit)
    return runs.length > 0
      ? { runs, description: `${spec.ref} @ ${shortSha(sha)} (${runs.length} run${runs.length > 1 ? 's' : ''})` }
      : { runs, description: spec.ref, missing: `no complete run of ${spec.ref} (${shortSha(sha)}) is stored` }
  }
  const all = others(await store.listRuns({ branch: spec.name, status: 'complete', kind: 'run', limit: 200 }))
  const matching = all.filter((r) => r.environmentHash === o.current.environmentHash)
  const runs = (o.force ? all : matching).slice(0, limit)
  if (runs.length > 0) return { runs, description: `branch ${spec.name} (latest ${runs.length} run${runs.length > 1 ? 's' : ''})` }
  const missing =
    all.length > 0
      ? `the ${all.length} stored run(s) of branch ${spec.name} were measured in another environment (${environmentDifferences(o.current.fingerprint, all[0].fingerprint).join('; ')}); pass --force-baseline to compare anyway`
      : `no complete run of branch ${spec.name} is stored yet`
  return { runs: [], description: `branch ${spec.name}`, missing }
}

/**
 * Per metric, the independent sample units of stored runs: one value per `run` (the median of
 * its rounds) — rounds inside one process share its JIT state, heap layout and CPU placement,
 * so pooling them understates the noise between runs (pooled rounds called unchanged code
 * regressed) — and one per process of a `compare` or `calibrate` side, whose stored rounds
 * are already one value per process.
 */
export function sampleUnits(
  runs: Array<{ kind: RunKind; results: StoredResult[] }>,
): Map<string, { unit: string; direction: StoredResult['direction']; values: number[] }> {
  const out = new Map<string, { unit: string; direction: StoredResult['direction']; values: number[] }>()
  for (const { kind, results } of runs) {
    for (const r of results) {
      if (r.status !== 'completed' || r.rounds.length === 0) continue
      const k = metricKey(r)
      const entry = out.get(k) ?? { unit: r.unit, direction: r.direction, values: [] }
      if (kind === 'run') entry.values.push(median(r.rounds))
      else entry.values.push(...r.rounds)
      out.set(k, entry)
    }
  }
  return out
}
