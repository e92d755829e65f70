import { metricKey } from '../core/metric-key.js'
import type { HistoryStore } from './store.js'

export interface Calibration {
  plugin: string
  benchmark: string
  environmentHash: string
  profile: string
  cv: number
  ciHalfWidth: number
  threshold: number
  minimumDetectableEffect: number | null
  n: number
  groupId: string | null
  createdAt: string
}

/** One calibration's A/A CI half-width of a metric and its sample size (what stats/noise.ts pools). */
export interface StoredHalfWidth {
  ciHalfWidth: number
  n: number
}

export async function saveCalibrations(store: HistoryStore, rows: Calibration[]): Promise<void> {
  if (rows.length === 0) return
  await store.knex('calibrations').insert(
    rows.map((r) => ({
      plugin: r.plugin,
      benchmark: r.benchmark,
      environment_hash: r.environmentHash,
      profile: r.profile,
      cv: r.cv,
      ci_half_width: r.ciHalfWidth,
      threshold: r.threshold,
      minimum_detectable_effect: r.minimumDetectableEffect,
      n: r.n,
      group_id: r.groupId,
      created_at: r.createdAt,
    })),
  )
}

/** The newest calibrated threshold of each metric for one environment and profile. */
export async function latestThresholds(store: HistoryStore, environmentHash: string, profile: string): Promise<Map<string, number>> {
  const rows = await store
    .knex('calibrations')
    .select('plugin', 'benchmark', 'threshold', 'created_at')
    .where({ environment_hash: environmentHash, profile })
    .orderBy('created_at', 'asc')
  const out = new Map<string, number>()
  // Ascending order: later rows overwrite earlier ones.
  for (const r of rows) out.set(metricKey(r), Number(r.threshold))
  return out
}

/**
 * Each metric's A/A half-widths from the newest `limit` calibrations of one environment and
 * profile, newest first: the estimates a new calibration pools with its own.
 */
export async function recentHalfWidths(store: HistoryStore, environmentHash: string, profile: string, limit: number): Promise<Map<string, StoredHalfWidth[]>> {
  const rows = await store
    .knex('calibrations')
    .select('plugin', 'benchmark', 'ci_half_width', 'n')
    .where({ environment_hash: environmentHash, profile })
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
  const out = new Map<string, StoredHalfWidth[]>()
  for (const r of rows) {
    const k = metricKey(r)
    const list = out.get(k) ?? []
    if (list.length < limit) list.push({ ciHalfWidth: Number(r.ci_half_width), n: Number(r.n) })
    out.set(k, list)
  }
  return out
}
