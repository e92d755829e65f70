import { metricKey } from '../core/metric-key.js'
import { insertedId, type Row, str } from './rows.js'
import type { HistoryStore } from './store.js'

export interface Acknowledgement {
  id: number
  plugin: string
  benchmark: string
  branch: string | null
  gitSha: string | null
  /** The first run after the acknowledged step. */
  runId: string | null
  /** That run's start: change points up to this date are acknowledged. */
  changePointDate: string | null
  note: string | null
  createdAt: string
}

export type NewAcknowledgement = Omit<Acknowledgement, 'id' | 'createdAt'> & { createdAt?: string }

export function acknowledgementFromRow(row: Row): Acknowledgement {
  return {
    id: Number(row.id),
    plugin: String(row.plugin),
    benchmark: String(row.benchmark),
    branch: str(row.branch),
    gitSha: str(row.git_sha),
    runId: str(row.run_id),
    changePointDate: str(row.change_point_date),
    note: str(row.note),
    createdAt: String(row.created_at),
  }
}

export function acknowledgementToRow(ack: Omit<Acknowledgement, 'id'>): Row {
  return {
    plugin: ack.plugin,
    benchmark: ack.benchmark,
    branch: ack.branch,
    git_sha: ack.gitSha,
    run_id: ack.runId,
    change_point_date: ack.changePointDate,
    note: ack.note,
    created_at: ack.createdAt,
  }
}

export async function addAcknowledgement(store: HistoryStore, ack: NewAcknowledgement): Promise<Acknowledgement> {
  const row = acknowledgementToRow({ ...ack, createdAt: ack.createdAt ?? new Date().toISOString() })
  const [inserted] = await store.knex('acknowledgements').insert(row).returning('id')
  return acknowledgementFromRow({ ...row, id: insertedId(inserted) })
}

/** Every acknowledgement of a branch (and branch-less ones), oldest first. */
/** The first acknowledgement of one change point (metric, branch, run), if there is one. */
export async function findAcknowledgement(
  store: HistoryStore,
  key: { plugin: string; benchmark: string; branch: string; runId: string },
): Promise<Acknowledgement | undefined> {
  const [row] = await store
    .knex('acknowledgements')
    .select('*')
    .where({ plugin: key.plugin, benchmark: key.benchmark, branch: key.branch, run_id: key.runId })
    .orderBy('id')
    .limit(1)
  return row ? acknowledgementFromRow(row) : undefined
}

export async function listAcknowledgements(store: HistoryStore, branch?: string): Promise<Acknowledgement[]> {
  const q = store
    .knex('acknowledgements')
    .select('*')
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
  if (branch !== undefined) q.where((w) => w.where('branch', branch).orWhereNull('branch'))
  return (await q).map(acknowledgementFromRow)
}

/** Per `plugin/benchmark`, the acknowledgement of the newest change point. */
export function latestByMetric(acks: Acknowledgement[]): Map<string, Acknowledgement> {
  const out = new Map<string, Acknowledgement>()
  for (const ack of acks) {
    const key = metricKey(ack)
    const current = out.get(key)
    if (!current || (ack.changePointDate ?? '') >= (current.changePointDate ?? '')) out.set(key, ack)
  }
  return out
}
