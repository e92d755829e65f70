import { existsSync, readFileSync, statSync } from 'node:fs'

import { z } from 'zod'

import { errorMessage, PerftrackError } from '../core/errors.js'
import { describeJsonIssues } from '../core/json-issues.js'
import { loadNotRecorded } from '../core/machine-load.js'
import { metricKey } from '../core/metric-key.js'
import { completedHasStats, fingerprintJsonSchema, machineLoadSchema, resultFieldsSchema } from '../core/result-json.js'
import { runKindValues, runStatusValues } from '../core/vocabulary.js'
import { acknowledgementFromRow, acknowledgementToRow } from './acknowledgements.js'
import { mergeSourceUnreadable } from './open.js'
import { ColumnJsonError, chunks, insertedId, type Row, resultFromRow, resultToRow, runFromRow, runOriginFromRow, runToRow } from './rows.js'
import { sampleRoundFromRow, sampleRoundToRow } from './sample-codec.js'
import { HistoryStore } from './store.js'

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
const instant = z
  .string()
  .refine(validDate, dateMessage)
  .transform((v) => new Date(v).toISOString())
const nullableInstant = instant.nullable()
const gitDate = z.string().refine(validDate, dateMessage).nullable()
const sampleSchema = z
  .object({ round: z.number().int().min(0), count: z.number().int().min(0), values: z.array(z.number()) })
  // values are `count` raw samples or evenly spaced order statistics of them: never more, never none of some.
  .refine((s) => s.values.length <= s.count && (s.count === 0) === (s.values.length === 0), {
    message: 'values must hold at most count samples, and some when count is above 0',
    path: ['values'],
  })
// A result of the file is the result as stored (core/result-json.ts), with its raw samples.
const resultSchema = resultFieldsSchema.extend({ samples: z.array(sampleSchema) }).refine(...completedHasStats)

const runSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9-]{1,36}$/, 'a run id: letters, digits and dashes, at most 36'),
    status: z.enum(runStatusValues),
    kind: z.enum(runKindValues),
    gitSha: nullableString,
    branch: nullableString,
    dirty: z.boolean().nullable(),
    commitTime: gitDate,
    commitMessage: nullableString,
    startedAt: instant,
    finishedAt: nullableInstant,
    profile: z.string(),
    environmentHash: z.string(),
    fingerprint: fingerprintJsonSchema,
    groupId: nullableString,
    label: nullableString,
    note: nullableString,
    // Absent from files exported before perftrack recorded it.
    load: machineLoadSchema.default(loadNotRecorded),
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

async function inChunks<T>(ids: T[], query: (part: T[]) => Promise<Row[]>): Promise<Row[]> {
  const out: Row[] = []
  for (const part of chunks(ids)) out.push(...(await query(part)))
  return out
}

/** Reads runs (oldest first; never one still running), their results and samples from any history. */
export async function exportHistory(store: HistoryStore, filter: ExportFilter = {}): Promise<HistoryFile> {
  const knex = store.knex
  const q = knex('runs')
    .select('*')
    .whereNot('status', 'running')
    .orderBy([{ column: 'started_at' }, { column: 'id' }])
  if (filter.branch) q.where('branch', filter.branch)
  if (filter.since) q.where('started_at', '>=', filter.since)
  if (filter.runId) q.where('id', filter.runId)
  const runRows: Row[] = await q
  const runIds = runRows.map((r) => String(r.id))
  const resultRows = await inChunks(runIds, (part) => knex('results').select('*').whereIn('run_id', part).orderBy('id'))
  const sampleRows = await inChunks(
    resultRows.map((r) => Number(r.id)),
    (part) =>
      knex('samples')
        .select('*')
        .whereIn('result_id', part)
        .orderBy([{ column: 'result_id' }, { column: 'round' }]),
  )
  const samplesByResult = new Map<number, Row[]>()
  for (const s of sampleRows) samplesByResult.set(Number(s.result_id), [...(samplesByResult.get(Number(s.result_id)) ?? []), s])
  const resultsByRun = new Map<string, Row[]>()
  for (const r of resultRows) resultsByRun.set(String(r.run_id), [...(resultsByRun.get(String(r.run_id)) ?? []), r])

  const runs = runRows.map(
    (r): ExportedRun => ({
      ...runFromRow(r),
      ...runOriginFromRow(r),
      results: (resultsByRun.get(String(r.id)) ?? []).map((x) => {
        // A statistic an old history holds as NULL is NaN here and null in the file (core/result-json.ts).
        const { id, runId: _runId, ...fields } = resultFromRow(x)
        return { ...fields, samples: (samplesByResult.get(id) ?? []).map(sampleRoundFromRow) }
      }),
    }),
  )
  const hasAcks = await knex.schema.hasTable('acknowledgements')
  const ackRows: Row[] = hasAcks && !filter.runId ? await knex('acknowledgements').select('*').orderBy('id') : []
  const acknowledgements = ackRows
    .filter((a) => !filter.branch || a.branch === null || a.branch === filter.branch)
    .map((row) => {
      // The file names an acknowledgement by its metric, run and date; ids are each history's own.
      const { id: _id, ...ack } = acknowledgementFromRow(row)
      return ack
    })
  return { format: historyFileFormat, version: 1, exportedAt: new Date().toISOString(), runs, acknowledgements }
}

/** Reads and validates a history file; a PerftrackError names the file and the first problems. */
export function readHistoryFile(file: string): HistoryFile {
  if (!existsSync(file) || statSync(file).isDirectory()) {
    throw new PerftrackError('IMPORT_NOT_FOUND', `Import file ${file} does not exist or is a directory.`, {
      suggestions: ['Pass the file written by `perftrack history export --format json`.'],
    })
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
    throw new PerftrackError('IMPORT_INVALID', `Import file ${file} is not a perftrack history export — ${describeJsonIssues(value, parsed.error.issues)}.`, {
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

const uniqueViolation = (error: unknown) => /unique|duplicate key|SQLITE_CONSTRAINT/i.test(errorMessage(error))

/** Adds the runs this history lacks (by id), one transaction per run; importing twice changes nothing. */
export async function importHistory(store: HistoryStore, file: HistoryFile): Promise<ImportOutcome> {
  const knex = store.knex
  const outcome: ImportOutcome = { runs: { imported: 0, skipped: 0 }, results: 0, samples: 0, acknowledgements: { imported: 0, skipped: 0 } }
  const existing = new Set(
    (
      await inChunks(
        file.runs.map((r) => r.id),
        (part) => knex('runs').select('id').whereIn('id', part),
      )
    ).map((r) => String(r.id)),
  )
  for (const run of file.runs) {
    if (existing.has(run.id)) {
      outcome.runs.skipped++
      continue
    }
    let results = 0
    let samples = 0
    try {
      await knex.transaction(async (trx) => {
        const { results: runResults, pid, hostname, ...record } = run
        await trx('runs').insert(runToRow(record, { pid, hostname }))
        for (const { samples: resultSamples, ...r } of runResults) {
          const [inserted] = await trx('results').insert(resultToRow(run.id, r)).returning('id')
          const resultId = insertedId(inserted)
          if (resultSamples.length > 0) await trx('samples').insert(resultSamples.map((s) => sampleRoundToRow(resultId, s)))
          results++
          samples += resultSamples.length
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
    await knex('acknowledgements').insert(acknowledgementToRow(ack))
    outcome.acknowledgements.imported++
  }
  return outcome
}

/** Reads and checks all of the source before anything is written to the target. */
async function readSource(source: HistoryStore, file: string): Promise<HistoryFile> {
  let exported: HistoryFile
  try {
    exported = await exportHistory(source)
  } catch (error) {
    if (error instanceof ColumnJsonError) {
      throw new PerftrackError('MERGE_SOURCE_INVALID', `Merge source ${file}: ${error.message}; nothing was merged.`, {
        suggestions: ['Repair or remove that run in the source, or merge the other runs through an edited JSON export (perftrack history export / import).'],
      })
    }
    throw mergeSourceUnreadable(file, error)
  }
  // The same checks as an import: dates, counts, one result per metric.
  const parsed = historyFileSchema.safeParse(exported)
  if (!parsed.success) {
    throw new PerftrackError(
      'MERGE_SOURCE_INVALID',
      `Merge source ${file} holds runs that are not valid — ${describeJsonIssues(exported, parsed.error.issues)}; nothing was merged.`,
      {
        suggestions: ['Repair or remove those runs in the source, or merge the other runs through an edited JSON export (perftrack history export / import).'],
      },
    )
  }
  return parsed.data
}

/** Copies every run of another SQLite history that this one lacks (ids preserved). */
export async function mergeSqliteHistory(store: HistoryStore, file: string): Promise<ImportOutcome & { sourceRuns: number }> {
  const source = await HistoryStore.openReadOnly(file)
  try {
    const exported = await readSource(source, file)
    return { ...(await importHistory(store, exported)), sourceRuns: exported.runs.length }
  } finally {
    await source.close()
  }
}
