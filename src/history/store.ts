import { randomUUID } from 'node:crypto'
import os from 'node:os'

import type { Knex } from 'knex'

import { PerftrackError } from '../core/errors.js'
import { measureOf } from '../core/fingerprint.js'
import type { BenchmarkResult } from '../core/runner.js'
import { type HistoryAccess, openKnex } from './open.js'
import type { DbTarget } from './target.js'
import type { NewRun, RunFilter, RunRecord, RunStatus, RunWithResults, StoredResult } from './types.js'

type Row = Record<string, unknown>

const bool = (v: unknown): boolean | null => (v === null || v === undefined ? null : v === true || v === 1 || v === '1' || v === 't')
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))
// A statistic missing from a stored result (histories written before non-finite statistics were
// refused) reads as NaN, shown as — and exported as null; never as 0.
const stat = (v: unknown): number => (v === null || v === undefined ? Number.NaN : Number(v))

function toRun(row: Row): RunRecord {
  return {
    id: String(row.id),
    status: row.status as RunStatus,
    kind: row.kind as RunRecord['kind'],
    gitSha: str(row.git_sha),
    branch: str(row.branch),
    dirty: bool(row.dirty),
    commitTime: str(row.commit_time),
    commitMessage: str(row.commit_message),
    startedAt: String(row.started_at),
    finishedAt: str(row.finished_at),
    profile: String(row.profile),
    environmentHash: String(row.environment_hash),
    fingerprint: JSON.parse(String(row.fingerprint)),
    groupId: str(row.group_id),
    label: str(row.label),
    note: str(row.note),
  }
}

function toResult(row: Row): StoredResult {
  const n = num(row.n)
  return {
    id: Number(row.id),
    runId: String(row.run_id),
    plugin: String(row.plugin),
    benchmark: String(row.benchmark),
    kind: row.kind as StoredResult['kind'],
    unit: String(row.unit),
    direction: row.direction as StoredResult['direction'],
    status: row.status as StoredResult['status'],
    error: str(row.error),
    stats:
      n === null
        ? null
        : { n, mean: stat(row.mean), median: stat(row.median), p95: stat(row.p95), p99: stat(row.p99), min: stat(row.min), max: stat(row.max), sd: stat(row.sd) },
    targets: JSON.parse(String(row.targets)),
    rounds: JSON.parse(String(row.rounds)),
  }
}

function encodeSamples(values: number[]): Buffer {
  return Buffer.from(Float64Array.from(values).buffer)
}

function decodeSamples(value: unknown): number[] {
  const buf = value as Buffer
  const copy = new Uint8Array(buf).slice().buffer
  return Array.from(new Float64Array(copy))
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The run history: every run, its results, statistics and raw samples. One class for SQLite and PostgreSQL. */
export class HistoryStore {
  private constructor(
    readonly knex: Knex,
    readonly target: DbTarget,
  ) {}

  /** `access: 'read'` opens a history this process may not write read-only (list, show, trend, report, export). */
  static async open(target: DbTarget, options: { access?: HistoryAccess } = {}): Promise<HistoryStore> {
    const { knex, readOnly } = await openKnex(target, options.access)
    const store = new HistoryStore(knex, target)
    // Marking crashed runs failed is a write; a read-only history shows them as they are.
    if (!readOnly) await store.reapOrphans()
    return store
  }

  async close(): Promise<void> {
    await this.knex.destroy()
  }

  /**
   * A run left `running` by a process of this host that no longer exists crashed or was
   * killed: mark it failed, so it can never pass for complete or stay pending forever.
   */
  async reapOrphans(): Promise<number> {
    const rows = await this.knex('runs').select('id', 'pid').where({ status: 'running', hostname: os.hostname() })
    const dead = rows.filter((r) => r.pid !== null && !isAlive(Number(r.pid)) && Number(r.pid) !== process.pid).map((r) => String(r.id))
    if (dead.length === 0) return 0
    await this.knex('runs')
      .whereIn('id', dead)
      .andWhere({ status: 'running' })
      .update({ status: 'failed', note: 'the process running it ended before the run finished', finished_at: new Date().toISOString() })
    return dead.length
  }

  async createRun(input: NewRun): Promise<RunRecord> {
    const fp = input.fingerprint
    const row = {
      id: input.id ?? randomUUID(),
      status: 'running',
      kind: input.kind ?? 'run',
      git_sha: fp.gitSha,
      branch: fp.branch,
      dirty: fp.dirty,
      commit_time: fp.commitTime,
      commit_message: fp.commitMessage,
      started_at: input.startedAt ?? new Date().toISOString(),
      finished_at: null,
      profile: fp.profile,
      environment_hash: fp.environmentHash,
      fingerprint: JSON.stringify(fp),
      measure: measureOf(fp),
      group_id: input.groupId ?? null,
      label: input.label ?? null,
      pid: process.pid,
      hostname: os.hostname(),
      note: null,
    }
    await this.knex('runs').insert(row)
    return toRun(row)
  }

  /** Stores one benchmark's result with its samples in one transaction. */
  async addResult(runId: string, result: BenchmarkResult): Promise<void> {
    const stats = result.status === 'completed' ? result.stats : null
    // The drivers store a non-finite double as NULL: refuse it rather than lose it.
    const infinite = stats ? Object.entries(stats).filter(([, v]) => !Number.isFinite(v)) : []
    if (infinite.length > 0) {
      throw new PerftrackError('RESULT_NOT_FINITE', `${result.plugin}/${result.benchmark}: ${infinite.map(([k, v]) => `${k} = ${v}`).join(', ')} cannot be stored (the history holds finite numbers only).`, {
        suggestions: ['Measure the benchmark in a larger unit so that its values and their statistics fit a double.'],
      })
    }
    await this.knex.transaction(async (trx) => {
      const [inserted] = await trx('results')
        .insert({
          run_id: runId,
          plugin: result.plugin,
          benchmark: result.benchmark,
          kind: result.kind,
          unit: result.unit,
          direction: result.direction,
          status: result.status,
          error: result.status === 'errored' ? result.error : result.status === 'skipped' ? result.reason : null,
          n: stats?.n ?? null,
          mean: stats?.mean ?? null,
          median: stats?.median ?? null,
          p95: stats?.p95 ?? null,
          p99: stats?.p99 ?? null,
          min: stats?.min ?? null,
          max: stats?.max ?? null,
          sd: stats?.sd ?? null,
          targets: JSON.stringify(result.targets),
          rounds: JSON.stringify(result.status === 'completed' ? result.rounds : []),
        })
        .returning('id')
      const resultId = typeof inserted === 'object' ? Number((inserted as Row).id) : Number(inserted)
      if (result.status === 'completed' && result.samples.length > 0) {
        await trx('samples').insert(result.samples.map((s, round) => ({ result_id: resultId, round, count: s.count, values: encodeSamples(s.values) })))
      }
    })
  }

  async finishRun(runId: string, status: Exclude<RunStatus, 'running'>, note?: string): Promise<void> {
    await this.knex('runs')
      .where({ id: runId })
      .update({ status, finished_at: new Date().toISOString(), note: note ?? null })
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    const q = this.knex('runs').select('*').orderBy([{ column: 'started_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    if (filter.branch) q.where('branch', filter.branch)
    if (filter.status) q.where('status', filter.status)
    if (filter.kind) q.where('kind', filter.kind)
    if (filter.sha) q.where('git_sha', 'like', `${filter.sha}%`)
    if (filter.environmentHash) q.where('environment_hash', filter.environmentHash)
    if (filter.measure) q.where('measure', filter.measure)
    if (filter.limit) q.limit(filter.limit)
    return (await q).map(toRun)
  }

  /** A run by id or unique id prefix, or undefined. */
  async findRun(idOrPrefix: string): Promise<RunRecord | undefined> {
    // Only id characters make a prefix: '' or a LIKE wildcard must not match every run.
    const rows = /^[A-Za-z0-9-]+$/.test(idOrPrefix)
      ? await this.knex('runs').select('*').where('id', 'like', `${idOrPrefix}%`).limit(2)
      : await this.knex('runs').select('*').where('id', idOrPrefix).limit(2)
    if (rows.length > 1) {
      throw new PerftrackError('RUN_AMBIGUOUS', `Run id prefix '${idOrPrefix}' matches more than one run.`, { suggestions: ['Give more characters of the id (perftrack history list).'] })
    }
    return rows[0] ? toRun(rows[0]) : undefined
  }

  async getRun(idOrPrefix: string): Promise<RunWithResults> {
    const run = await this.findRun(idOrPrefix)
    if (!run) {
      throw new PerftrackError('RUN_NOT_FOUND', `No run with id '${idOrPrefix}' in the history.`, { suggestions: ['List the stored runs with `perftrack history list`.'] })
    }
    return { ...run, results: await this.resultsOf(run.id) }
  }

  async resultsOf(runId: string): Promise<StoredResult[]> {
    const rows = await this.knex('results').select('*').where({ run_id: runId }).orderBy('id')
    return rows.map(toResult)
  }

  /** Raw samples of one result, round by round (latency results only). */
  async samplesOf(resultId: number): Promise<Array<{ round: number; count: number; values: number[] }>> {
    const rows = await this.knex('samples').select('*').where({ result_id: resultId }).orderBy('round')
    return rows.map((r) => ({ round: Number(r.round), count: Number(r.count), values: decodeSamples(r.values) }))
  }
}
