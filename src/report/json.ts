import type { MachineLoad } from '../core/machine-load.js'
import { type BenchmarkResult, resultFields } from '../core/result.js'
import type { ResultFields, RunRecord } from '../core/run-record.js'
import type { Stats } from '../core/summary.js'
import type { TargetResult } from '../core/targets.js'
import type { ResultStatus } from '../core/vocabulary.js'

/** One result as the README's "Machine-readable output" has it. */
export interface ResultJson {
  plugin: string
  benchmark: string
  kind: string
  unit: string
  direction: string
  status: ResultStatus
  stats: Stats | null
  targets: TargetResult[]
  /** Each round's value: the sample unit of comparisons. */
  rounds: number[]
  error?: string
  skipped?: string
  /** Fresh results only: the warm-up in the measuring process (calls per timed batch, ms, steady or not). */
  warmup?: { batch: number; ms: number; steady: boolean }
}

export interface RunJson {
  id: string
  status: string
  gitSha: string | null
  branch: string | null
  dirty: boolean | null
  startedAt: string
  finishedAt: string | null
  fingerprint: RunRecord['fingerprint']
  profile: string
  kind: string
  note: string | null
  /** How busy the machine was while the run measured (core/machine-load.ts); absent from the output of an older perftrack. */
  load?: MachineLoad
}

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
