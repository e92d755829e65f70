import { randomUUID } from 'node:crypto'
import os from 'node:os'

import type { Knex } from 'knex'

import { PerftrackError } from '../core/errors.js'
import { loadNotRecorded, type MachineLoad } from '../core/machine-load.js'
import { metricKey } from '../core/metric-key.js'
import { type BenchmarkResult, resultFields } from '../core/result.js'
import type { NewRun, RunFilter, RunRecord, RunStatus, RunWithResults, StoredResult } from '../core/run-record.js'
import type { HistoryLocation } from './location.js'
import { type HistoryAccess, openKnex, openSqliteReadOnly } from './open.js'
import { insertedId, loadToRow, resultFromRow, resultToRow, runFromRow, runToRow } from './rows.js'
import { type SampleRound, sampleRoundFromRow, sampleRoundToRow } from './sample-codec.js'

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * The run history: every run, its results, statistics and raw samples. One class for SQLite
 * and PostgreSQL. Its `knex` is for the modules of src/history only: every SQL statement of
 * perftrack lives in that folder (docs/architecture.md, "Layers"; eslint.config.js enforces it).
 */
export class HistoryStore {
  private constructor(
    readonly knex: Knex,
    readonly target: HistoryLocation,
  ) {}

  /** `access: 'read'` opens a history this process may not write read-only (list, show, trend, report, export). */
  static async open(target: HistoryLocation, options: { access?: HistoryAccess } = {}): Promise<HistoryStore> {
    const { knex, readOnly } = await openKnex(target, options.access)
    const store = new HistoryStore(knex, target)
    // Marking crashed runs failed is a write; a read-only history shows them as they are.
    if (!readOnly) await store.reapOrphans()
    return store
  }

  /** Another SQLite history, to read from only (`history merge`): nothing is migrated, repaired or written there. */
  static async openReadOnly(file: string): Promise<HistoryStore> {
    return new HistoryStore(await openSqliteReadOnly(file), { kind: 'sqlite', file, isDefault: false })
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
    const run: RunRecord = {
      id: input.id ?? randomUUID(),
      status: 'running',
      kind: input.kind ?? 'run',
      gitSha: fp.gitSha,
      branch: fp.branch,
      dirty: fp.dirty,
      commitTime: fp.commitTime,
      commitMessage: fp.commitMessage,
      startedAt: input.startedAt ?? new Date().toISOString(),
      finishedAt: null,
      profile: fp.profile,
      environmentHash: fp.environmentHash,
      fingerprint: fp,
      groupId: input.groupId ?? null,
      label: input.label ?? null,
      note: null,
      load: loadNotRecorded,
    }
    await this.knex('runs').insert(runToRow(run, { pid: process.pid, hostname: os.hostname() }))
    return run
  }

  /** Stores one benchmark's result with its samples in one transaction. */
  async addResult(runId: string, result: BenchmarkResult): Promise<void> {
    const stats = result.status === 'completed' ? result.stats : null
    // The drivers store a non-finite double as NULL: refuse it rather than lose it.
    const infinite = stats ? Object.entries(stats).filter(([, v]) => !Number.isFinite(v)) : []
    if (infinite.length > 0) {
      throw new PerftrackError(
        'RESULT_NOT_FINITE',
        `${metricKey(result)}: ${infinite.map(([k, v]) => `${k} = ${v}`).join(', ')} cannot be stored (the history holds finite numbers only).`,
        {
          suggestions: ['Measure the benchmark in a larger unit so that its values and their statistics fit a double.'],
        },
      )
    }
    await this.knex.transaction(async (trx) => {
      const [inserted] = await trx('results')
        .insert(resultToRow(runId, resultFields(result)))
        .returning('id')
      const resultId = insertedId(inserted)
      if (result.status === 'completed' && result.samples.length > 0) {
        await trx('samples').insert(result.samples.map((s, round) => sampleRoundToRow(resultId, { round, ...s })))
      }
    })
  }

  /** `load`: how busy the machine was while the run measured; left as it is when not given. */
  async finishRun(runId: string, status: Exclude<RunStatus, 'running'>, note?: string, load?: MachineLoad): Promise<void> {
    await this.knex('runs')
      .where({ id: runId })
      .update({ status, finished_at: new Date().toISOString(), note: note ?? null, ...(load ? loadToRow(load) : {}) })
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    const q = this.knex('runs')
      .select('*')
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
    if (filter.branch) q.where('branch', filter.branch)
    if (filter.status) q.where('status', filter.status)
    if (filter.kind) q.where('kind', filter.kind)
    if (filter.sha) q.where('git_sha', 'like', `${filter.sha}%`)
    if (filter.environmentHash) q.where('environment_hash', filter.environmentHash)
    if (filter.measure) q.where('measure', filter.measure)
    if (filter.limit) q.limit(filter.limit)
    return (await q).map(runFromRow)
  }

  /** A run by id or unique id prefix, or undefined. */
  async findRun(idOrPrefix: string): Promise<RunRecord | undefined> {
    // Only id characters make a prefix: '' or a LIKE wildcard must not match every run.
    const rows = /^[A-Za-z0-9-]+$/.test(idOrPrefix)
      ? await this.knex('runs').select('*').where('id', 'like', `${idOrPrefix}%`).limit(2)
      : await this.knex('runs').select('*').where('id', idOrPrefix).limit(2)
    if (rows.length > 1) {
      throw new PerftrackError('RUN_AMBIGUOUS', `Run id prefix '${idOrPrefix}' matches more than one run.`, {
        suggestions: ['Give more characters of the id (perftrack history list).'],
      })
    }
    return rows[0] ? runFromRow(rows[0]) : undefined
  }

  async getRun(idOrPrefix: string): Promise<RunWithResults> {
    const run = await this.findRun(idOrPrefix)
    if (!run) {
      throw new PerftrackError('RUN_NOT_FOUND', `No run with id '${idOrPrefix}' in the history.`, {
        suggestions: ['List the stored runs with `perftrack history list`.'],
      })
    }
    return { ...run, results: await this.resultsOf(run.id) }
  }

  async resultsOf(runId: string): Promise<StoredResult[]> {
    const rows = await this.knex('results').select('*').where({ run_id: runId }).orderBy('id')
    return rows.map(resultFromRow)
  }

  /** Raw samples of one result, round by round (latency results only). */
  async samplesOf(resultId: number): Promise<SampleRound[]> {
    const rows = await this.knex('samples').select('*').where({ result_id: resultId }).orderBy('round')
    return rows.map(sampleRoundFromRow)
  }
}
