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

/**
 * `stat` of `list`, and when an intermediate (a sum, a square, a difference of interpolated
 * quantiles) overflows a double though every value is finite (values near 1e308), of `list` scaled
 * to [-1, 1] and scaled back: faithful to ~1e-16.
 */
function withoutOverflow(list: number[], stat: (values: number[]) => number): number {
  const direct = stat(list)
  if (Number.isFinite(direct)) return direct
  const scale = Math.max(...list.map(Math.abs))
  return stat(list.map((v) => v / scale)) * scale
}

/** Thrown when a statistic is outside a double's range even when computed without overflow. */
export class StatisticOverflowError extends Error {}

export function summarize(values: ArrayLike<number>): Stats {
  const sorted = Float64Array.from(values).sort()
  const list = Array.from(sorted)
  if (list.length === 0) throw new Error('summarize: no values')
  const stats: Stats = {
    n: list.length,
    mean: withoutOverflow(list, mean),
    median: withoutOverflow(list, (v) => quantileSorted(v, 0.5)),
    p95: withoutOverflow(list, (v) => quantileSorted(v, 0.95)),
    p99: withoutOverflow(list, (v) => quantileSorted(v, 0.99)),
    min: min(list),
    max: max(list),
    sd: list.length > 1 ? withoutOverflow(list, sampleStandardDeviation) : 0,
  }
  // Stored as NULL and read back as 0, a non-finite statistic would be a lie in the history.
  const bad = (Object.keys(stats) as Array<keyof Stats>).filter((k) => !Number.isFinite(stats[k]))
  if (bad.length > 0) {
    throw new StatisticOverflowError(
      `its ${bad.map((k) => `${k} (${stats[k]})`).join(', ')} cannot be stored: outside the range of a double (values from ${stats.min} to ${stats.max}); measure in a larger unit`,
    )
  }
  return stats
}

/** `count` evenly spaced order statistics of `values` (all of them when there are fewer): a faithful sketch of the distribution. */
export function sketch(values: ArrayLike<number>, count: number): number[] {
  const sorted = Float64Array.from(values).sort()
  if (sorted.length <= count) return Array.from(sorted)
  const out: number[] = []
  for (let i = 0; i < count; i++) out.push(sorted[Math.round((i * (sorted.length - 1)) / (count - 1))])
  return out
}
