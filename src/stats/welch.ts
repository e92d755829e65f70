import { mean, sampleVariance } from 'simple-statistics'
import { studentTTwoSidedP } from './distributions.js'

export interface WelchResult {
  /** t statistic of mean(x) − mean(y). */
  t: number
  /** Welch–Satterthwaite degrees of freedom. */
  df: number
  /** Two-sided p-value. */
  p: number
}

/** Welch's unequal-variances t-test, two-sided (R's `t.test(x, y)`). */
export function welch(x: readonly number[], y: readonly number[]): WelchResult {
  if (x.length < 2 || y.length < 2) {
    throw new RangeError(`welch needs at least 2 values per sample (got ${x.length} and ${y.length})`)
  }
  const vx = sampleVariance([...x]) / x.length
  const vy = sampleVariance([...y]) / y.length
  const difference = mean([...x]) - mean([...y])
  const se2 = vx + vy
  if (!(se2 > 0)) {
    // Both samples constant: the test degenerates to "are the constants equal".
    const df = x.length + y.length - 2
    return difference === 0 ? { t: 0, df, p: 1 } : { t: Math.sign(difference) * Infinity, df, p: 0 }
  }
  const t = difference / Math.sqrt(se2)
  const df = (se2 * se2) / ((vx * vx) / (x.length - 1) + (vy * vy) / (y.length - 1))
  return { t, df, p: studentTTwoSidedP(t, df) }
}
