import { mean, median } from 'simple-statistics'

/** Summary statistics a comparison can be made on, looked up by name. */
export const statistics = {
  median: (values: readonly number[]) => median([...values]),
  mean: (values: readonly number[]) => mean([...values]),
} satisfies Record<string, (values: readonly number[]) => number>

export type StatisticName = keyof typeof statistics

/**
 * Relative change from `baseline` to `current` (0.12 = 12 % larger). Divides by |baseline| so
 * the sign always says "current is larger"; undefined (NaN) when the baseline is 0.
 */
export function relativeChange(baseline: number, current: number): number {
  if (baseline === 0) return current === 0 ? 0 : Number.NaN
  return (current - baseline) / Math.abs(baseline)
}
