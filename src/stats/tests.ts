import { mannWhitney } from './mann-whitney.js'
import { welch } from './welch.js'

/** A two-sample test of baseline vs current that yields a two-sided p-value. */
export type TwoSampleTest = (baseline: readonly number[], current: readonly number[]) => { p: number }

/**
 * Tests available to comparisons, looked up by name. Mann–Whitney is the default: per-round
 * statistics of benchmarks are skewed and outlier-prone, where a rank test keeps its level and
 * loses little power (ARE 3/π ≈ 0.955 against t even for normal data).
 */
export const tests = {
  mannWhitney: (baseline: readonly number[], current: readonly number[]) => mannWhitney(baseline, current),
  welch: (baseline: readonly number[], current: readonly number[]) => welch(baseline, current),
} satisfies Record<string, TwoSampleTest>

export type TestName = keyof typeof tests
