import type { Direction } from '../core/plugin-api.js'
import type { RunWithResults, StoredResult } from '../history/types.js'

/** Bencher Metric Format: `{ benchmark: { measure: { value, lower_value?, upper_value? } } }`. */
export type BmfDocument = Record<string, Record<string, { value: number; lower_value?: number; upper_value?: number }>>

/** github-action-benchmark's `customSmallerIsBetter` / `customBiggerIsBetter` input. */
export interface GabEntry {
  name: string
  unit: string
  value: number
  range?: string
  extra?: string
}

const nanosPer: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9 }

const completed = (run: RunWithResults) => run.results.filter((r): r is StoredResult & { stats: NonNullable<StoredResult['stats']> } => r.status === 'completed' && r.stats !== null)

/** A Bencher measure slug: lowercase, kebab-case. */
const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'value'

/**
 * One run as BMF. Bencher's built-in measures fix the units: `latency` in nanoseconds (so ms
 * are converted) and `throughput` in ops/s; a value metric becomes a measure named after its
 * unit. value = median, lower/upper = the result's min and max.
 */
export function toBmf(run: RunWithResults): BmfDocument {
  const out: BmfDocument = {}
  for (const r of completed(run)) {
    // Instruction counts (--measure instructions) are Bencher's built-in `instructions` measure, whatever the kind.
    const counted = r.unit === 'instructions'
    const factor = r.kind === 'latency' && !counted ? (nanosPer[r.unit] ?? 1) : 1
    const measure = counted ? 'instructions' : r.kind === 'latency' ? 'latency' : r.kind === 'throughput' ? 'throughput' : slug(r.unit)
    out[`${r.plugin}/${r.benchmark}`] = { ...out[`${r.plugin}/${r.benchmark}`], [measure]: { value: r.stats.median * factor, lower_value: r.stats.min * factor, upper_value: r.stats.max * factor } }
  }
  return out
}

/**
 * One run for github-action-benchmark's custom tools. The tool judges every entry of a file in
 * one direction, so only the metrics of `direction` are written (lower → customSmallerIsBetter).
 */
export function toGab(run: RunWithResults, direction: Direction): { entries: GabEntry[]; leftOut: number } {
  const metrics = completed(run)
  const entries = metrics
    .filter((r) => r.direction === direction)
    .map((r) => ({
      name: `${r.plugin}/${r.benchmark}`,
      unit: r.unit,
      value: r.stats.median,
      range: `± ${r.stats.sd}`,
      extra: `median of ${r.stats.n} rounds; p95 ${r.stats.p95}; run ${run.id}${run.gitSha ? ` at ${run.gitSha}` : ''}`,
    }))
  return { entries, leftOut: metrics.length - entries.length }
}
