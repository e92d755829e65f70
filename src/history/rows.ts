import { measureOf } from '../core/fingerprint.js'
import { loadNotRecorded, type MachineLoad } from '../core/machine-load.js'
import type { ResultFields } from '../core/result-json.js'
import type { RunRecord, StoredResult } from '../core/run-record.js'
import type { Stats } from '../core/summary.js'
import { summaryStatValues } from '../core/vocabulary.js'

/**
 * The one mapping between the tables of history/migrations.ts and perftrack's models: every
 * read and write of `runs` and `results` rows goes through here, for the store, export,
 * import and merge alike. SQLite and PostgreSQL hand back different types for the same column
 * (1 or true, a number or a numeric string), which these functions even out.
 */
export type Row = Record<string, unknown>

export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))
export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))
export const bool = (v: unknown): boolean | null => (v === null || v === undefined ? null : v === true || v === 1 || v === '1' || v === 't')

/** A JSON column that does not parse; the message names the run, the result and the column. */
export class ColumnJsonError extends Error {}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shape is checked by history/transfer.ts's schema where it matters (import, merge)
function parseJsonColumn(value: unknown, where: string): any {
  try {
    return JSON.parse(String(value))
  } catch (error) {
    throw new ColumnJsonError(`${where} is not JSON (${error instanceof Error ? error.message : String(error)})`)
  }
}

/** SQLite allows a limited number of bound parameters per statement: `whereIn` lists go in parts of this size. */
const chunkSize = 500

export function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += chunkSize) out.push(items.slice(i, i + chunkSize))
  return out
}

/** The id of an inserted row from `.returning('id')`: PostgreSQL returns `{ id }`, SQLite the bare id. */
export function insertedId(inserted: unknown): number {
  return typeof inserted === 'object' && inserted !== null ? Number((inserted as Row).id) : Number(inserted)
}

/** Where a run was made, beside what it measured: which process (to find runs whose process died). */
export interface RunOrigin {
  pid: number | null
  hostname: string | null
}

export function runFromRow(row: Row): RunRecord {
  return {
    id: String(row.id),
    status: row.status as RunRecord['status'],
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
    fingerprint: parseJsonColumn(row.fingerprint, `run ${String(row.id)}: column fingerprint`),
    groupId: str(row.group_id),
    label: str(row.label),
    note: str(row.note),
    load: loadFromRow(row),
  }
}

function loadFromRow(row: Row): MachineLoad {
  const wait = num(row.wait_fraction)
  return wait === null ? loadNotRecorded : { state: 'measured', waitFraction: wait, stealFraction: num(row.steal_fraction) ?? 0 }
}

/** The machine-load columns of a run (NULL when it could not be measured). */
export function loadToRow(load: MachineLoad): Row {
  return load.state === 'measured' ? { wait_fraction: load.waitFraction, steal_fraction: load.stealFraction } : { wait_fraction: null, steal_fraction: null }
}

export function runOriginFromRow(row: Row): RunOrigin {
  return { pid: num(row.pid), hostname: str(row.hostname) }
}

export function runToRow(run: RunRecord, origin: RunOrigin): Row {
  return {
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
    // What the run measured (wall time or instruction counts), a column so queries keep the two apart.
    measure: measureOf(run.fingerprint),
    group_id: run.groupId,
    label: run.label,
    pid: origin.pid,
    hostname: origin.hostname,
    note: run.note,
    ...loadToRow(run.load),
  }
}

const statColumns = [...summaryStatValues, 'sd'] as const

// A statistic missing from a stored result (histories written before non-finite statistics were
// refused) reads as NaN, shown as — and exported as null; never as 0.
const stat = (v: unknown): number => (v === null || v === undefined ? Number.NaN : Number(v))

function statsFromRow(row: Row): Stats | null {
  const n = num(row.n)
  if (n === null) return null
  const stats = { n } as Stats
  for (const c of statColumns) stats[c] = stat(row[c])
  return stats
}

/** Stats as columns; a statistic that is NaN (one an old history held as NULL, read back through a history file) is NULL again. */
function statsToRow(stats: Stats | null): Row {
  const row: Row = { n: stats?.n ?? null }
  for (const c of statColumns) {
    const v = stats?.[c]
    row[c] = v === undefined || Number.isNaN(v) ? null : v
  }
  return row
}

export function resultFromRow(row: Row): StoredResult {
  const where = (column: string) => `run ${String(row.run_id)}, result ${String(row.plugin)}/${String(row.benchmark)}: column ${column}`
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
    stats: statsFromRow(row),
    targets: parseJsonColumn(row.targets, where('targets')),
    rounds: parseJsonColumn(row.rounds, where('rounds')),
  }
}

export function resultToRow(runId: string, r: ResultFields): Row {
  return {
    run_id: runId,
    plugin: r.plugin,
    benchmark: r.benchmark,
    kind: r.kind,
    unit: r.unit,
    direction: r.direction,
    status: r.status,
    error: r.error,
    ...statsToRow(r.stats),
    targets: JSON.stringify(r.targets),
    rounds: JSON.stringify(r.rounds),
  }
}
