import { existsSync, readFileSync, statSync } from 'node:fs'

import knexFactory, { type Knex } from 'knex'
import { z } from 'zod'

import { errorMessage, PerftrackError } from '../core/errors.js'
import type { HistoryStore } from './store.js'
import { loadSqlite3 } from './sqlite-binding.js'
import { metricKey } from '../core/metric-key.js'

/**
 * perftrack's own history file: every column of every run, result and raw sample, so a CI job
 * can carry the history to the next one as an artifact. Run ids are kept, which makes an
 * import idempotent.
 */
export const historyFileFormat = 'perftrack-history'

const nullableString = z.string().nullable()
// History order is the order of these strings: a date that is not one would sort as newest
// forever (and `prune --keep` would then delete the real runs).
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/
const validDate = (v: string) => isoInstant.test(v) && !Number.isNaN(Date.parse(v))
const dateMessage = 'must be an ISO 8601 date and time, e.g. 2026-05-01T12:00:00.000Z'
/** Stored the way perftrack writes it (UTC, milliseconds), so text order is time order. */
const instant = z.string().refine(validDate, dateMessage).transform((v) => new Date(v).toISOString())
const nullableInstant = instant.nullable()
const gitDate = z.string().refine(validDate, dateMessage).nullable()
const statsSchema = z.object({ n: z.number().int().min(0), mean: z.number(), median: z.number(), p95: z.number(), p99: z.number(), min: z.number(), max: z.number(), sd: z.number() })
const targetSchema = z.object({
  stat: z.enum(['p95', 'p99', 'median', 'mean', 'min', 'max']),
  op: z.enum(['<', '<=', '>', '>=']),
  value: z.number(),
  actual: z.number(),
  pass: z.boolean(),
})
const sampleSchema = z
  .object({ round: z.number().int().min(0), count: z.number().int().min(0), values: z.array(z.number()) })
  // values are `count` raw samples or evenly spaced order statistics of them: never more, never none of some.
  .refine((s) => s.values.length <= s.count && (s.count === 0) === (s.values.length === 0), { message: 'values must hold at most count samples, and some when count is above 0', path: ['values'] })
const resultSchema = z
  .object({
  plugin: z.string().min(1),
  benchmark: z.string().min(1),
  kind: z.enum(['latency', 'throughput', 'value']),
  unit: z.string(),
  direction: z.enum(['lower', 'higher']),
  status: z.enum(['completed', 'errored', 'skipped']),
  error: nullableString,
  stats: statsSchema.nullable(),
  targets: z.array(targetSchema),
  rounds: z.array(z.number()),
  samples: z.array(sampleSchema),
})
  .refine((r) => r.status !== 'completed' || r.stats !== null, { message: 'a completed result needs its stats', path: ['stats'] })
const runSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9-]{1,36}$/, 'a run id: letters, digits and dashes, at most 36'),
  status: z.enum(['complete', 'failed', 'aborted', 'running']),
  kind: z.enum(['run', 'compare', 'calibrate']),
  gitSha: nullableString,
  branch: nullableString,
  dirty: z.boolean().nullable(),
  commitTime: gitDate,
  commitMessage: nullableString,
  startedAt: instant,
  finishedAt: nullableInstant,
  profile: z.string(),
  environmentHash: z.string(),
  fingerprint: z.record(z.string(), z.unknown()),
  groupId: nullableString,
  label: nullableString,
  note: nullableString,
  pid: z.number().int().nullable(),
  hostname: nullableString,
  results: z.array(resultSchema),
})
  .superRefine((run, ctx) => {
    const seen = new Set<string>()
    for (const [i, r] of run.results.entries()) {
      const key = metricKey(r)
      if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `${key} appears twice in this run`, path: ['results', i, 'benchmark'] })
      seen.add(key)
    }
  })
const acknowledgementSchema = z.object({
  plugin: z.string(),
  benchmark: z.string(),
  branch: nullableString,
  gitSha: nullableString,
  runId: nullableString,
  changePointDate: gitDate,
  note: nullableString,
  createdAt: instant,
})
const historyFileSchema = z.object({
  format: z.literal(historyFileFormat),
  version: z.literal(1),
  exportedAt: z.string(),
  runs: z.array(runSchema),
  acknowledgements: z.array(acknowledgementSchema).default([]),
})

export type HistoryFile = z.infer<typeof historyFileSchema>
export type ExportedRun = z.infer<typeof runSchema>

export interface ExportFilter {
  branch?: string
  /** Runs started at or after this ISO instant. */
  since?: string
  /** One run (full id). */
  runId?: string
}

type Row = Record<string, unknown>
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))
const bool = (v: unknown): boolean | null => (v === null || v === undefined ? null : v === true || v === 1 || v === '1' || v === 't')
const chunkSize = 500

async function inChunks<T>(ids: T[], query: (part: T[]) => Promise<Row[]>): Promise<Row[]> {
  const out: Row[] = []
  for (let i = 0; i < ids.length; i += chunkSize) out.push(...(await query(ids.slice(i, i + chunkSize))))
  return out
}

function decodeSamples(value: unknown): number[] {
  const copy = new Uint8Array(value as Buffer).slice().buffer
  return Array.from(new Float64Array(copy))
}

/** Reads runs (oldest first; never one still running), their results and samples from any history's knex. */
export async function exportHistory(knex: Knex, filter: ExportFilter = {}): Promise<HistoryFile> {
  const q = knex('runs').select('*').whereNot('status', 'running').orderBy([{ column: 'started_at' }, { column: 'id' }])
  if (filter.branch) q.where('branch', filter.branch)
  if (filter.since) q.where('started_at', '>=', filter.since)
  if (filter.runId) q.where('id', filter.runId)
  const runRows: Row[] = await q
  const runIds = runRows.map((r) => String(r.id))
  const resultRows = await inChunks(runIds, (part) => knex('results').select('*').whereIn('run_id', part).orderBy('id'))
  const sampleRows = await inChunks(
    resultRows.map((r) => Number(r.id)),
    (part) => knex('samples').select('*').whereIn('result_id', part).orderBy([{ column: 'result_id' }, { column: 'round' }]),
  )
  const samplesByResult = new Map<number, Row[]>()
  for (const s of sampleRows) samplesByResult.set(Number(s.result_id), [...(samplesByResult.get(Number(s.result_id)) ?? []), s])
  const resultsByRun = new Map<string, Row[]>()
  for (const r of resultRows) resultsByRun.set(String(r.run_id), [...(resultsByRun.get(String(r.run_id)) ?? []), r])

  const runs = runRows.map(
    (r): ExportedRun => ({
      id: String(r.id),
      status: r.status as ExportedRun['status'],
      kind: r.kind as ExportedRun['kind'],
      gitSha: str(r.git_sha),
      branch: str(r.branch),
      dirty: bool(r.dirty),
      commitTime: str(r.commit_time),
      commitMessage: str(r.commit_message),
      startedAt: String(r.started_at),
      finishedAt: str(r.finished_at),
      profile: String(r.profile),
      environmentHash: String(r.environment_hash),
      fingerprint: JSON.parse(String(r.fingerprint)),
      groupId: str(r.group_id),
      label: str(r.label),
      note: str(r.note),
      pid: r.pid === null || r.pid === undefined ? null : Number(r.pid),
      hostname: str(r.hostname),
      results: (resultsByRun.get(String(r.id)) ?? []).map((x) => ({
        plugin: String(x.plugin),
        benchmark: String(x.benchmark),
        kind: x.kind as ExportedRun['results'][number]['kind'],
        unit: String(x.unit),
        direction: x.direction as 'lower' | 'higher',
        status: x.status as ExportedRun['results'][number]['status'],
        error: str(x.error),
        stats:
          x.n === null || x.n === undefined
            ? null
            : { n: Number(x.n), mean: Number(x.mean), median: Number(x.median), p95: Number(x.p95), p99: Number(x.p99), min: Number(x.min), max: Number(x.max), sd: Number(x.sd) },
        targets: JSON.parse(String(x.targets)),
        rounds: JSON.parse(String(x.rounds)),
        samples: (samplesByResult.get(Number(x.id)) ?? []).map((s) => ({ round: Number(s.round), count: Number(s.count), values: decodeSamples(s.values) })),
      })),
    }),
  )
  const hasAcks = await knex.schema.hasTable('acknowledgements')
  const ackRows: Row[] = hasAcks && !filter.runId ? await knex('acknowledgements').select('*').orderBy('id') : []
  const acknowledgements = ackRows
    .filter((a) => !filter.branch || a.branch === null || a.branch === filter.branch)
    .map((a) => ({
      plugin: String(a.plugin),
      benchmark: String(a.benchmark),
      branch: str(a.branch),
      gitSha: str(a.git_sha),
      runId: str(a.run_id),
      changePointDate: str(a.change_point_date),
      note: str(a.note),
      createdAt: String(a.created_at),
    }))
  return { format: historyFileFormat, version: 1, exportedAt: new Date().toISOString(), runs, acknowledgements }
}

/** A problem's place, naming the run by id and the result by metric: `runs[4] (run 3f2a…).results[2] (cache/l2-hit).stats.n`. */
function describePath(value: unknown, issuePath: PropertyKey[]): string {
  if (issuePath.length === 0) return '(top level)'
  let node: unknown = value
  let out = ''
  for (const key of issuePath) {
    node = (node as Record<PropertyKey, unknown> | null | undefined)?.[key]
    if (typeof key !== 'number') {
      out += out ? `.${String(key)}` : String(key)
      continue
    }
    const item = node as { id?: unknown; plugin?: unknown; benchmark?: unknown } | null | undefined
    const label = typeof item?.id === 'string' ? ` (run ${item.id})` : typeof item?.plugin === 'string' ? ` (${item.plugin}/${String(item.benchmark)})` : ''
    out += `[${key}]${label}`
  }
  return out
}

/** Reads and validates a history file; a PerftrackError names the file and the first problems. */
export function readHistoryFile(file: string): HistoryFile {
  if (!existsSync(file) || statSync(file).isDirectory()) {
    throw new PerftrackError('IMPORT_NOT_FOUND', `Import file ${file} does not exist or is a directory.`, { suggestions: ['Pass the file written by `perftrack history export --format json`.'] })
  }
  let value: unknown
  try {
    value = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new PerftrackError('IMPORT_INVALID', `Import file ${file} is not JSON: ${errorMessage(error)}.`, {
      suggestions: ['Pass the file written by `perftrack history export --format json` (bmf and gab exports cannot be imported).'],
    })
  }
  const parsed = historyFileSchema.safeParse(value)
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 3).map((i) => `${describePath(value, i.path)}: ${i.message}`)
    throw new PerftrackError('IMPORT_INVALID', `Import file ${file} is not a perftrack history export — ${problems.join('; ')}.`, {
      suggestions: ['Pass the file written by `perftrack history export --format json` (bmf and gab exports cannot be imported).'],
    })
  }
  return parsed.data
}

export interface ImportOutcome {
  runs: { imported: number; skipped: number }
  results: number
  samples: number
  acknowledgements: { imported: number; skipped: number }
}

function encodeSamples(values: number[]): Buffer {
  return Buffer.from(Float64Array.from(values).buffer)
}

const uniqueViolation = (error: unknown) => /unique|duplicate key|SQLITE_CONSTRAINT/i.test(errorMessage(error))

/** Adds the runs this history lacks (by id), one transaction per run; importing twice changes nothing. */
export async function importHistory(store: HistoryStore, file: HistoryFile): Promise<ImportOutcome> {
  const knex = store.knex
  const outcome: ImportOutcome = { runs: { imported: 0, skipped: 0 }, results: 0, samples: 0, acknowledgements: { imported: 0, skipped: 0 } }
  const existing = new Set((await inChunks(file.runs.map((r) => r.id), (part) => knex('runs').select('id').whereIn('id', part))).map((r) => String(r.id)))
  for (const run of file.runs) {
    if (existing.has(run.id)) {
      outcome.runs.skipped++
      continue
    }
    let results = 0
    let samples = 0
    try {
      await knex.transaction(async (trx) => {
        await trx('runs').insert({
          id: run.id,
          status: run.status,
          kind: run.kind,
          git_sha: run.gitSha,
          branch: run.branch,
          dirty: run.dirty,
          commit_time: run.commitTime,
          commit_message: run.commitMessage,
          started_at: run.startedAt,
          finished_at: run.finishedAt,
          profile: run.profile,
          environment_hash: run.environmentHash,
          fingerprint: JSON.stringify(run.fingerprint),
          group_id: run.groupId,
          label: run.label,
          pid: run.pid,
          hostname: run.hostname,
          note: run.note,
        })
        for (const r of run.results) {
          const [inserted] = await trx('results')
            .insert({
              run_id: run.id,
              plugin: r.plugin,
              benchmark: r.benchmark,
              kind: r.kind,
              unit: r.unit,
              direction: r.direction,
              status: r.status,
              error: r.error,
              n: r.stats?.n ?? null,
              mean: r.stats?.mean ?? null,
              median: r.stats?.median ?? null,
              p95: r.stats?.p95 ?? null,
              p99: r.stats?.p99 ?? null,
              min: r.stats?.min ?? null,
              max: r.stats?.max ?? null,
              sd: r.stats?.sd ?? null,
              targets: JSON.stringify(r.targets),
              rounds: JSON.stringify(r.rounds),
            })
            .returning('id')
          // PostgreSQL returns `{ id }`, SQLite the bare id.
          const resultId = typeof inserted === 'object' ? Number((inserted as Row).id) : Number(inserted)
          if (r.samples.length > 0) await trx('samples').insert(r.samples.map((s) => ({ result_id: resultId, round: s.round, count: s.count, values: encodeSamples(s.values) })))
          results++
          samples += r.samples.length
        }
      })
    } catch (error) {
      // Another import of the same file got there first: the run is present, which is the goal.
      if (uniqueViolation(error) && (await knex('runs').where('id', run.id).first())) {
        outcome.runs.skipped++
        continue
      }
      throw error
    }
    outcome.runs.imported++
    outcome.results += results
    outcome.samples += samples
  }
  for (const ack of file.acknowledgements) {
    const match = await knex('acknowledgements')
      .where({ plugin: ack.plugin, benchmark: ack.benchmark, created_at: ack.createdAt })
      .modify((q) => (ack.runId === null ? q.whereNull('run_id') : q.where('run_id', ack.runId)))
      .first()
    if (match) {
      outcome.acknowledgements.skipped++
      continue
    }
    await knex('acknowledgements').insert({
      plugin: ack.plugin,
      benchmark: ack.benchmark,
      branch: ack.branch,
      git_sha: ack.gitSha,
      run_id: ack.runId,
      change_point_date: ack.changePointDate,
      note: ack.note,
      created_at: ack.createdAt,
    })
    outcome.acknowledgements.imported++
  }
  return outcome
}

const sqliteHeader = 'SQLite format 3\0'
type SqliteConnection = { run(sql: string, cb: (err: Error | null) => void): void }

/** Opens another SQLite history for reading only (nothing is migrated or written there). */
export async function openSqliteSource(file: string): Promise<Knex> {
  if (!existsSync(file) || statSync(file).isDirectory()) {
    throw new PerftrackError('MERGE_SOURCE_NOT_FOUND', `Merge source ${file} does not exist or is a directory.`, { suggestions: ['Pass the path of another perftrack SQLite history file.'] })
  }
  const header = readFileSync(file).subarray(0, 16).toString('latin1')
  if (header !== sqliteHeader) {
    throw new PerftrackError('MERGE_SOURCE_NOT_SQLITE', `Merge source ${file} is not a SQLite file.`, {
      suggestions: ['Pass a perftrack SQLite history (e.g. history/perftrack.sqlite); for a JSON export use `perftrack history import`.'],
    })
  }
  await loadSqlite3()
  // knex always adds OPEN_READWRITE | OPEN_CREATE to sqlite3's flags; query_only refuses every write instead.
  const knex = knexFactory({
    client: 'sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
        conn.run('PRAGMA busy_timeout = 15000', (err) => (err ? done(err, conn) : conn.run('PRAGMA query_only = ON', (qErr) => done(qErr, conn))))
      },
    },
  })
  try {
    const tables = await Promise.all(['runs', 'results', 'samples'].map((t) => knex.schema.hasTable(t)))
    if (tables.includes(false)) {
      throw new PerftrackError('MERGE_SOURCE_NOT_HISTORY', `Merge source ${file} is a SQLite file but not a perftrack history (no runs, results and samples tables).`, {
        suggestions: ['Pass a file written by perftrack (its --db).'],
      })
    }
    return knex
  } catch (error) {
    await knex.destroy()
    if (error instanceof PerftrackError) throw error
    throw new PerftrackError('MERGE_SOURCE_UNREADABLE', `Merge source ${file} cannot be read: ${errorMessage(error)}.`, { cause: error })
  }
}

/** Copies every run of another SQLite history that this one lacks (ids preserved). */
export async function mergeSqliteHistory(store: HistoryStore, file: string): Promise<ImportOutcome & { sourceRuns: number }> {
  const source = await openSqliteSource(file)
  try {
    const exported = await exportHistory(source)
    return { ...(await importHistory(store, exported)), sourceRuns: exported.runs.length }
  } finally {
    await source.destroy()
  }
}
