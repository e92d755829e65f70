import { mean, sampleVariance } from 'simple-statistics'
import { bootstrapRelativeChange } from './bootstrap.js'
import { normalQuantile } from './distributions.js'
import type { StatisticName } from './statistics.js'
import type { TestName } from './tests.js'

export const noiseDefaults = {
  statistic: 'median',
  seed: 1,
  resamples: 2000,
  /** Never recommend a threshold below 1 %: below that, drift of the machine itself
   *  (thermal state, background load) between an A/B pair dominates any A/A estimate. */
  floor: 0.01,
  /** Recommended threshold = k × A/A CI half-width (see estimateNoise). */
  k: 1.5,
  /** Calibrations pooled into one half-width estimate: this one and up to 4 before it (see poolHalfWidths). */
  pool: 5,
  alpha: 0.05,
  power: 0.8,
} as const

export interface NoiseOptions {
  /** @default 'median' */
  statistic?: StatisticName
  /** @default 1 */
  seed?: number
  /** @default 2000 */
  resamples?: number
  /** @default 0.01 */
  floor?: number
  /** @default 1.5 */
  k?: number
  /** For the minimum detectable effect. @default 0.05 */
  alpha?: number
  /** For the minimum detectable effect. @default 0.8 */
  power?: number
  /** Test whose MDE is reported. @default 'mannWhitney' */
  test?: TestName
}

export interface NoiseEstimate {
  /** Values per side. */
  n: [number, number]
  /** Coefficient of variation of per-round values (pooled within-set SD / grand mean). */
  cv: number
  /** A/A relative change and its bootstrap 95 % CI (should straddle 0). */
  change: number
  ci: [number, number]
  /** (ci[1] − ci[0]) / 2. */
  ciHalfWidth: number
  /** max(floor, k × ciHalfWidth): the threshold to store for this metric. */
  recommendedThreshold: number
  /** Smallest true change the test detects with `power` at this n per side. */
  minimumDetectableEffect: number
  /** Smallest true change that yields `regressed` with `power`: threshold + MDE (see below). */
  minimumDetectableRegression: number
}

/** The verdict threshold an A/A CI half-width warrants: max(floor, k × h) (see estimateNoise for why). */
export function thresholdFromHalfWidth(ciHalfWidth: number, o: { floor?: number; k?: number } = {}): number {
  return Math.max(o.floor ?? noiseDefaults.floor, (o.k ?? noiseDefaults.k) * ciHalfWidth)
}

/**
 * Noise of one metric from an A/A calibration: two interleaved sets of per-round statistics of
 * the same revision.
 *
 * Recommended threshold = max(1 %, 1.5 × A/A CI half-width h). In a later comparison at the
 * same n the CI is about h wide on each side of an estimate whose sampling SD is ≈ h/1.96, so:
 * - A/A: `regressed` needs the CI wholly beyond 1.5h, i.e. an offset beyond 2.5h ≈ 4.9 SD, on
 *   top of a rejecting Benjamini–Hochberg-corrected test; `unchanged` (CI inside ±1.5h) needs
 *   |offset| < 0.5h ≈ 1 SD, about two A/A comparisons in three; the rest are `inconclusive`.
 * - A true change d is `regressed` when its estimate exceeds 2.5h, so with 95 % power from
 *   d ≈ 2.5h + 1.65 × h/1.96 ≈ 3.3h; with k = 2 it takes ≈ 3.8h.
 * One calibration's h is itself noisy: two calibrations of the same benchmark at 8 processes a
 * side gave thresholds of 8.8 % and 5.1 % under k = 2 (h = 4.4 % and 2.6 %) while that
 * benchmark's own compares had a median h of 2.2 %, and the 8.8 % threshold let a 10 %
 * slowdown through in 11 of 20 compares. So `perftrack calibrate` pools the half-widths of
 * the last few calibrations (poolHalfWidths) before applying k, and k is 1.5.
 */
export function estimateNoise(a: readonly number[], b: readonly number[], options: NoiseOptions = {}): NoiseEstimate {
  const o = { ...noiseDefaults, test: 'mannWhitney' as TestName, ...options }
  if (a.length < 2 || b.length < 2) {
    throw new RangeError(`estimateNoise needs at least 2 rounds per A/A set (got ${a.length} and ${b.length})`)
  }
  const pooledVariance = ((a.length - 1) * sampleVariance([...a]) + (b.length - 1) * sampleVariance([...b])) / (a.length + b.length - 2)
  const grandMean = mean([...a, ...b])
  // A constant metric (an S3 call rate of 0% by design) has no noise: 0, not 0/0.
  const cv = pooledVariance === 0 ? 0 : Math.sqrt(pooledVariance) / Math.abs(grandMean)
  const { change, ci } = bootstrapRelativeChange(a, b, { statistic: o.statistic, seed: o.seed, resamples: o.resamples })
  const ciHalfWidth = (ci[1] - ci[0]) / 2
  const recommendedThreshold = thresholdFromHalfWidth(ciHalfWidth, o)
  const n = Math.min(a.length, b.length)
  const minimumDetectableEffect = minimumDetectableChange({ cv, n, alpha: o.alpha, power: o.power, test: o.test })
  return {
    n: [a.length, b.length],
    cv,
    change,
    ci,
    ciHalfWidth,
    recommendedThreshold,
    minimumDetectableEffect,
    minimumDetectableRegression: recommendedThreshold + minimumDetectableEffect,
  }
}

/** Asymptotic relative efficiency against the t-test under normal data. */
const efficiency: Record<TestName, number> = { welch: 1, mannWhitney: 3 / Math.PI }

export interface MdeInput {
  /** Coefficient of variation of one per-round value. */
  cv: number
  /** Rounds per side. */
  n: number
  /** @default 0.05 */
  alpha?: number
  /** @default 0.8 */
  power?: number
  /** @default 'mannWhitney' */
  test?: TestName
}

/**
 * Minimum detectable relative effect (normal-approximation power formula for a two-sided,
 * two-sample location test with equal n):
 *
 *   MDE = (z₁₋α/₂ + z_power) · CV · √(2/n) / √ARE
 *
 * where ARE is the test's asymptotic relative efficiency against the t-test (3/π for
 * Mann–Whitney under normality; it is ≥ 0.864 for any distribution and > 1 for heavy tails,
 * so this is about right or pessimistic). With BH across m metrics use α ≈ alpha/m for a lone
 * effect. A `regressed` verdict also needs the CI beyond the threshold, i.e. a true effect of
 * about threshold + MDE (see `minimumDetectableRegression`).
 */
export function minimumDetectableChange(input: MdeInput): number {
  const { cv, n, alpha = noiseDefaults.alpha, power = noiseDefaults.power, test = 'mannWhitney' } = input
  if (!(n > 0)) throw new RangeError(`n must be positive (got ${n})`)
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power)
  return (z * cv * Math.sqrt(2 / n)) / Math.sqrt(efficiency[test])
}

export interface HalfWidthEstimate {
  /** A/A CI half-width of one calibration. */
  ciHalfWidth: number
  /** Values per side it was measured at. */
  n: number
}

/**
 * One half-width from several calibrations of the same metric, at `n` values per side: each
 * estimate is rescaled to n (a CI narrows as 1/√n) and the squares are averaged, so the pooled
 * value estimates the typical width with the sampling error of all the calibrations together
 * (the root-mean-square, not the mean, because widths add as variances).
 */
export function poolHalfWidths(estimates: readonly HalfWidthEstimate[], n: number): number {
  if (estimates.length === 0) throw new RangeError('poolHalfWidths needs at least one estimate')
  if (!(n > 0)) throw new RangeError(`n must be positive (got ${n})`)
  const squares = estimates.map((e) => (e.ciHalfWidth * Math.sqrt(e.n / n)) ** 2)
  return Math.sqrt(squares.reduce((a, b) => a + b, 0) / squares.length)
}
