import { mean, sampleStandardDeviation } from 'simple-statistics'

import { studentTTwoSidedP } from './distributions.js'

export interface PredictionResult {
  /** Relative change of the current mean over the baseline mean (geometric, on the log scale when every value is > 0). */
  change: number
  /** Two-sided p-value that the current values come from the baseline's distribution. */
  p: number
  /** Confidence interval of `change`. */
  ci: [number, number]
  /** Whether the test ran on log values (every value > 0) or on the values themselves. */
  scale: 'log' | 'linear'
  /** Each side's centre: the geometric mean on the log scale, else the mean. */
  baseline: number
  current: number
}

/** A difference relative to a centre; from a centre of 0 only "no difference" has a size. */
const relative = (difference: number, centre: number) => (centre === 0 ? (difference === 0 ? 0 : Number.NaN) : difference / Math.abs(centre))

/**
 * The t quantile: `studentTQuantile(0.975, 9)` = 2.2622 (R's `qt(0.975, 9)`). Bisection on the
 * two-sided tail of {@link studentTTwoSidedP}, to 1e-10.
 */
export function studentTQuantile(probability: number, df: number): number {
  if (!(probability > 0.5 && probability < 1)) throw new RangeError(`studentTQuantile takes a probability in (0.5, 1) (got ${probability})`)
  const target = 2 * (1 - probability)
  let lo = 0
  let hi = 1
  while (studentTTwoSidedP(hi, df) > target) hi *= 2
  while (hi - lo > 1e-10) {
    const mid = (lo + hi) / 2
    if (studentTTwoSidedP(mid, df) > target) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/**
 * New runs against the runs before them, one value per run (the run is the sample unit: rounds
 * inside one process understate the noise between runs). Under "nothing changed" the difference
 * of the means over s·√(1/m + 1/n), with s the baseline's standard deviation, follows Student's
 * t with n − 1 degrees of freedom when run values are normal; with one new run (m = 1) this is
 * the prediction interval of the next run. Timing values are skewed and compared as ratios, so
 * the test runs on logarithms when every value is positive.
 *
 * A constant baseline (a counting metric) has s = 0: then any difference is certain (p = 0) and
 * none is no change (p = 1).
 *
 * @example predictionTest([10, 10.2, 9.9, 10.1, 10], [11]) // change ≈ 0.096, CI [0.059, 0.134], p ≈ 0.0018
 */
export function predictionTest(baseline: readonly number[], current: readonly number[], confidence = 0.95): PredictionResult {
  if (baseline.length < 2 || current.length < 1) {
    throw new RangeError(`predictionTest needs at least 2 baseline values and 1 current value (got ${baseline.length} and ${current.length})`)
  }
  const scale = [...baseline, ...current].every((v) => v > 0) ? 'log' : 'linear'
  const f = scale === 'log' ? Math.log : (v: number) => v
  const b = baseline.map(f)
  const c = current.map(f)
  const mb = mean(b)
  const difference = mean(c) - mb
  const s = sampleStandardDeviation(b)
  const df = b.length - 1
  const se = s * Math.sqrt(1 / c.length + 1 / b.length)
  const t = se > 0 ? difference / se : difference === 0 ? 0 : Math.sign(difference) * Infinity
  const p = Number.isFinite(t) ? studentTTwoSidedP(t, df) : 0
  const half = se > 0 ? studentTQuantile(1 - (1 - confidence) / 2, df) * se : 0
  const toChange = (d: number) => (scale === 'log' ? Math.expm1(d) : relative(d, mb))
  const back = scale === 'log' ? Math.exp : (v: number) => v
  return { change: toChange(difference), p, ci: [toChange(difference - half), toChange(difference + half)], scale, baseline: back(mb), current: back(mean(c)) }
}
