import { type BenchmarkResult, resultFields } from '../core/result.js'
import type { ResultFields, ResultJson, RunJson } from '../core/result-json.js'
import type { RunRecord } from '../core/run-record.js'

// Builds the `--json` shapes of a run and its results; their schemas and types are
// core/result-json.ts's, which jobs/ab-runner.ts also uses to read a side's output back.

export function runJson(run: RunRecord): RunJson {
  return {
    id: run.id,
    status: run.status,
    gitSha: run.gitSha,
    branch: run.branch,
    dirty: run.dirty,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    fingerprint: run.fingerprint,
    profile: run.profile,
    kind: run.kind,
    note: run.note,
    load: run.load,
  }
}

/** A result as printed: stored ones as they are, fresh ones through {@link freshResultJson}; the same shape either way. */
export function resultJson(r: ResultFields): ResultJson {
  const out: ResultJson = {
    plugin: r.plugin,
    benchmark: r.benchmark,
    kind: r.kind,
    unit: r.unit,
    direction: r.direction,
    status: r.status,
    targets: r.targets,
    stats: r.stats,
    rounds: r.rounds,
  }
  if (r.status === 'errored') out.error = r.error ?? 'unknown error'
  if (r.status === 'skipped') out.skipped = r.error ?? 'skipped'
  return out
}

/** A result fresh from the runner, as printed: what is stored of it, and its warm-up. */
export function freshResultJson(r: BenchmarkResult): ResultJson {
  const out = resultJson(resultFields(r))
  if (r.status === 'completed' && r.warmup) out.warmup = r.warmup
  return out
}
