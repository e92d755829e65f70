import { mean, sampleStandardDeviation } from 'simple-statistics'

import { studentTTwoSidedP } from './distributions.js'
import { studentTQuantile } from './prediction.js'

export interface RatioTestResult {
  /** Relative change: exp of the mean log ratio, less 1. */
  change: number
  /** Two-sided p-value of Student's one-sample t test that the mean log ratio is 0. */
  p: number
  /** The t interval of the mean log ratio, as a relative change. */
  ci: [number, number]
}

/**
 * One log ratio log(current / base) per unit, each measured inside its unit: in a paired
 * compare, both revisions in one process, their rounds alternating, and the process's value the
 * median of its round-pair log ratios (README, "Paired in one process"). What slows a process
 * for a while falls on both sides of its ratio, so the units' ratios are close to normal and a
 * one-sample t test on them (n − 1 degrees of freedom) has no floor on its p-value, unlike a
 * rank test of 8 units (2/2⁸ = 0.0078, too coarse for a suite of 30 metrics corrected
 * together). All ratios equal: p = 1 when they are 0, else 0, and the interval is that ratio.
 *
 * @example logRatioTest([0.09, 0.1, 0.11, 0.1]) // change ≈ 0.1052, CI ≈ [0.0909, 0.1196], p ≈ 1.49e-4 (scipy.stats.ttest_1samp)
 */
export function logRatioTest(logRatios: readonly number[], confidence = 0.95): RatioTestResult {
  if (logRatios.length < 2 || !logRatios.every(Number.isFinite)) {
    throw new RangeError(`logRatioTest needs at least 2 finite log ratios (got ${logRatios.length === 0 ? 'none' : logRatios.join(', ')})`)
  }
  const m = mean([...logRatios])
  const sd = sampleStandardDeviation([...logRatios])
  if (sd === 0) return { change: Math.expm1(m), p: m === 0 ? 1 : 0, ci: [Math.expm1(m), Math.expm1(m)] }
  const n = logRatios.length
  const se = sd / Math.sqrt(n)
  const q = studentTQuantile((1 + confidence) / 2, n - 1)
  return { change: Math.expm1(m), p: studentTTwoSidedP(m / se, n - 1), ci: [Math.expm1(m - q * se), Math.expm1(m + q * se)] }
}
