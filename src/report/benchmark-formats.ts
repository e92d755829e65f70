import { metricKey } from '../core/metric-key.js'
import type { Direction } from '../core/plugin-api.js'
import type { RunWithResults, StoredResult } from '../core/run-record.js'
import { formatNumber } from './format.js'

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

const nanosPer: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9 }

const completed = (run: RunWithResults) =>
  run.results.filter((r): r is StoredResult & { stats: NonNullable<StoredResult['stats']> } => r.status === 'completed' && r.stats !== null)

/** A Bencher measure slug: lowercase, kebab-case. */
const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'value'

/**
 * A distribution-free confidence interval of the median of `values` (order statistics of the
 * binomial(n, ½) distribution): the widest symmetric pair sorted[k], sorted[n-1-k] whose
 * coverage is at least `level`. With fewer than 6 values no pair reaches 95% and the interval
 * is min..max, whose coverage is 1 - 2^(1-n) (93.75% for 5 values); `coverage` says which.
 */
export function medianInterval(values: number[], level = 0.95): { lower: number; upper: number; coverage: number } {
  const sorted = [...values].sort((a, b) => a - b)
  const n = sorted.length
  // P(X <= j) for X ~ Binomial(n, 1/2), accumulated term by term.
  const cdf: number[] = []
  let term = 0.5 ** n
  let sum = 0
  for (let j = 0; j <= n; j++) {
    sum += term
    cdf.push(sum)
    term = (term * (n - j)) / (j + 1)
  }
  let k = 0
  // The interval [sorted[k], sorted[n-1-k]] covers the median with probability 1 - 2 P(X <= k).
  while (k + 1 < n - 1 - (k + 1) && 1 - 2 * cdf[k + 1] >= level) k++
  return { lower: sorted[k], upper: sorted[n - 1 - k], coverage: n > 0 ? 1 - 2 * cdf[k] : 0 }
}

/**
 * One run as BMF. Bencher's built-in measures fix the units: `latency` in nanoseconds (so ms
 * are converted) and `throughput` in ops/s. A value metric is a measure of its own, named after
 * the benchmark and its unit (`document-size-bytes`), so metrics of different meaning never share
 * one. value = the median; lower/upper = a distribution-free ≥95% confidence interval of the
 * median over the run's rounds (min..max of the rounds when there are fewer than six; see
 * {@link medianInterval}), widened to contain the value.
 */
export function toBmf(run: RunWithResults): BmfDocument {
  const out: BmfDocument = {}
  for (const r of completed(run)) {
    // Instruction counts (--measure instructions) are Bencher's built-in `instructions` measure, whatever the kind.
    const counted = r.unit === 'instructions'
    const factor = r.kind === 'latency' && !counted ? (nanosPer[r.unit] ?? 1) : 1
    const measure = counted ? 'instructions' : r.kind === 'latency' ? 'latency' : r.kind === 'throughput' ? 'throughput' : slug(`${r.benchmark} ${r.unit}`)
    const value = r.stats.median
    const ci = r.rounds.length ? medianInterval(r.rounds) : { lower: value, upper: value }
    out[metricKey(r)] = {
      ...out[metricKey(r)],
      [measure]: { value: value * factor, lower_value: Math.min(ci.lower, value) * factor, upper_value: Math.max(ci.upper, value) * factor },
    }
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
      name: metricKey(r),
      unit: r.unit,
      value: r.stats.median,
      range: `± ${formatNumber(r.stats.sd)}`,
      extra: `median of ${r.stats.n} ${r.stats.n === r.rounds.length ? 'rounds' : `samples in ${r.rounds.length} rounds`}; sd ${formatNumber(r.stats.sd)}; p95 ${formatNumber(r.stats.p95)} ${r.unit}; run ${run.id}${run.gitSha ? ` at ${run.gitSha}` : ''}`,
    }))
  return { entries, leftOut: metrics.length - entries.length }
}
