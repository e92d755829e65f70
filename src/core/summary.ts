import { max, mean, min, quantileSorted, sampleStandardDeviation } from 'simple-statistics'

/** Summary statistics of one result (`stats` in the `--json` output). */
export interface Stats {
  n: number
  mean: number
  median: number
  p95: number
  p99: number
  min: number
  max: number
  sd: number
}

export function summarize(values: ArrayLike<number>): Stats {
  const sorted = Float64Array.from(values).sort()
  const list = Array.from(sorted)
  if (list.length === 0) throw new Error('summarize: no values')
  return {
    n: list.length,
    mean: mean(list),
    median: quantileSorted(list, 0.5),
    p95: quantileSorted(list, 0.95),
    p99: quantileSorted(list, 0.99),
    min: min(list),
    max: max(list),
    sd: list.length > 1 ? sampleStandardDeviation(list) : 0,
  }
}

/** `count` evenly spaced order statistics of `values` (all of them when there are fewer): a faithful sketch of the distribution. */
export function sketch(values: ArrayLike<number>, count: number): number[] {
  const sorted = Float64Array.from(values).sort()
  if (sorted.length <= count) return Array.from(sorted)
  const out: number[] = []
  for (let i = 0; i < count; i++) out.push(sorted[Math.round((i * (sorted.length - 1)) / (count - 1))])
  return out
}
