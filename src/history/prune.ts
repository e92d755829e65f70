import { PerftrackError } from '../core/errors.js'
import { chunks } from './rows.js'
import type { HistoryStore } from './store.js'

export type KeepRule = { kind: 'count'; count: number } | { kind: 'days'; days: number }

/** `--keep`: `N` newest runs or `Nd` days. */
export function parseKeep(text: string): KeepRule {
  const match = /^(\d+)(d?)$/.exec(text.trim())
  const value = match ? Number(match[1]) : NaN
  if (!match || !Number.isSafeInteger(value) || value < 1) {
    throw new PerftrackError('BAD_KEEP', `--keep '${text}' is not a positive number of runs (e.g. 200) or of days (e.g. 90d).`, {
      suggestions: ['Pass --keep 200 to keep the 200 newest runs, or --keep 90d to keep the runs of the last 90 days.'],
    })
  }
  return match[2] === 'd' ? { kind: 'days', days: value } : { kind: 'count', count: value }
}

export interface PrunedRun {
  id: string
  startedAt: string
  status: string
  kind: string
  branch: string | null
  gitSha: string | null
}

export interface PruneOutcome {
  dryRun: boolean
  rule: KeepRule
  removed: PrunedRun[]
  kept: number
  results: number
  samples: number
}

/**
 * Removes old runs with their results and samples (in one transaction). A run still running
 * is never removed. Acknowledgements stay: they are keyed by date too.
 */
export async function pruneRuns(store: HistoryStore, rule: KeepRule, o: { dryRun?: boolean; now?: Date } = {}): Promise<PruneOutcome> {
  const knex = store.knex
  const rows = await knex('runs')
    .select('id', 'started_at', 'status', 'kind', 'branch', 'git_sha')
    .orderBy([
      { column: 'started_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
  const cutoff = rule.kind === 'days' ? new Date((o.now ?? new Date()).getTime() - rule.days * 86_400_000).toISOString() : ''
  const removed: PrunedRun[] = rows
    .filter((r, i) => r.status !== 'running' && (rule.kind === 'count' ? i >= rule.count : String(r.started_at) < cutoff))
    .map((r) => ({
      id: String(r.id),
      startedAt: String(r.started_at),
      status: String(r.status),
      kind: String(r.kind),
      branch: r.branch === null ? null : String(r.branch),
      gitSha: r.git_sha === null ? null : String(r.git_sha),
    }))
  let results = 0
  let samples = 0
  const ids = removed.map((r) => r.id)
  const count = async (q: ReturnType<typeof knex>) => {
    const [row] = (await q.count({ n: '*' })) as Array<{ n: number | string }>
    return Number(row?.n ?? 0)
  }
  for (const part of chunks(ids)) {
    results += await count(knex('results').whereIn('run_id', part))
    samples += await count(knex('samples').whereIn('result_id', knex('results').select('id').whereIn('run_id', part)))
  }
  if (!o.dryRun && ids.length > 0) {
    // Explicit deletes rather than relying on ON DELETE CASCADE, which SQLite applies only with foreign_keys on.
    await knex.transaction(async (trx) => {
      for (const part of chunks(ids)) {
        await trx('samples').whereIn('result_id', trx('results').select('id').whereIn('run_id', part)).delete()
        await trx('results').whereIn('run_id', part).delete()
        await trx('runs').whereIn('id', part).delete()
      }
    })
  }
  return { dryRun: o.dryRun ?? false, rule, removed, kept: rows.length - removed.length, results, samples }
}
