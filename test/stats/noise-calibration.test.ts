import { describe, expect, it } from 'vitest'
import { compareMetric, estimateNoise, minimumDetectableChange, noiseDefaults, poolHalfWidths, thresholdFromHalfWidth } from '../../src/stats/index.js'
import { generator } from './synthetic.js'

describe('estimateNoise', () => {
  it('recovers the CV of A/A rounds and recommends 1.5 × the A/A CI half-width', () => {
    const g = generator(31)
    const noise = estimateNoise(g.lognormal(20, 100, 0.02), g.lognormal(20, 100, 0.02))
    expect(noise.n).toEqual([20, 20])
    expect(noise.cv).toBeGreaterThan(0.014)
    expect(noise.cv).toBeLessThan(0.026)
    expect(noise.ci[0]).toBeLessThan(0)
    expect(noise.ci[1]).toBeGreaterThan(0)
    expect(noise.recommendedThreshold).toBeCloseTo(Math.max(noiseDefaults.floor, 1.5 * noise.ciHalfWidth), 12)
    expect(noise.minimumDetectableRegression).toBeCloseTo(noise.recommendedThreshold + noise.minimumDetectableEffect, 12)
  })

  it('gives a metric constant at 0 (an S3 call rate of 0% by design) no noise, not 0/0', () => {
    const noise = estimateNoise([0, 0, 0, 0], [0, 0, 0, 0])
    expect(noise).toMatchObject({
      cv: 0,
      change: 0,
      ci: [0, 0],
      ciHalfWidth: 0,
      recommendedThreshold: 0.01,
      minimumDetectableEffect: 0,
      minimumDetectableRegression: 0.01,
    })
  })

  it('never recommends a threshold below the 1 % floor', () => {
    const g = generator(32)
    expect(estimateNoise(g.lognormal(20, 100, 0.0005), g.lognormal(20, 100, 0.0005)).recommendedThreshold).toBe(0.01)
    // The one rule calibrate and estimateNoise share: max(1 %, 1.5 × h).
    expect(thresholdFromHalfWidth(0.004)).toBe(0.01)
    expect(thresholdFromHalfWidth(0.02)).toBeCloseTo(0.03, 12)
    expect(thresholdFromHalfWidth(0.02, { k: 2 })).toBeCloseTo(0.04, 12)
  })

  // The argument in noise.ts, checked by simulation: 5 calibrations pooled (8 values a side,
  // per-process CV 2 %), then fresh comparisons at the same n under the pooled threshold.
  const pooledThreshold = (seed: number) => {
    const g = generator(seed)
    const estimates = Array.from({ length: 5 }, () => ({ ciHalfWidth: estimateNoise(g.lognormal(8, 100, 0.02), g.lognormal(8, 100, 0.02)).ciHalfWidth, n: 8 }))
    return { g, threshold: Math.max(noiseDefaults.floor, noiseDefaults.k * poolHalfWidths(estimates, 8)) }
  }

  it('gives a pooled threshold under which A/A comparisons are never regressed and mostly unchanged', () => {
    // Expected: unchanged when |offset| < 0.5 h, about 2 in 3; inconclusive otherwise.
    const { g, threshold } = pooledThreshold(33)
    const verdicts = Array.from(
      { length: 200 },
      (_, seed) =>
        compareMetric({ baseline: g.lognormal(8, 100, 0.02), current: g.lognormal(8, 100, 0.02), direction: 'lower', threshold, seed, resamples: 1000 })
          .verdict,
    )
    expect(verdicts.filter((v) => v === 'regressed' || v === 'improved')).toHaveLength(0)
    expect(verdicts.filter((v) => v === 'unchanged').length).toBeGreaterThanOrEqual(100)
  })

  it('lets that threshold catch a 10 % slowdown at 8 values a side in at least 95 of 100 comparisons', () => {
    const { g, threshold } = pooledThreshold(34)
    const verdicts = Array.from(
      { length: 100 },
      (_, seed) =>
        compareMetric({ baseline: g.lognormal(8, 100, 0.02), current: g.lognormal(8, 110, 0.02), direction: 'lower', threshold, seed, resamples: 1000 })
          .verdict,
    )
    expect(verdicts.filter((v) => v === 'regressed').length).toBeGreaterThanOrEqual(95)
  })
})

describe('poolHalfWidths', () => {
  it('averages squared half-widths after rescaling each to the target n', () => {
    // √((3² + 4²) / 2) = 3.5355 %; a half-width of 2 % at n = 32 is 4 % at n = 8 (CI ∝ 1/√n).
    expect(
      poolHalfWidths(
        [
          { ciHalfWidth: 0.03, n: 8 },
          { ciHalfWidth: 0.04, n: 8 },
        ],
        8,
      ),
    ).toBeCloseTo(0.0353553, 6)
    expect(poolHalfWidths([{ ciHalfWidth: 0.02, n: 32 }], 8)).toBeCloseTo(0.04, 12)
    expect(() => poolHalfWidths([], 8)).toThrow(/at least one/)
  })

  it('narrows the spread of the threshold estimate compared with one calibration', () => {
    const g = generator(35)
    const one = () => estimateNoise(g.lognormal(8, 100, 0.02), g.lognormal(8, 100, 0.02)).ciHalfWidth
    const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - xs.reduce((p, q) => p + q, 0) / xs.length) ** 2, 0) / (xs.length - 1))
    const single = Array.from({ length: 40 }, one)
    const pooled = Array.from({ length: 40 }, () =>
      poolHalfWidths(
        Array.from({ length: 5 }, () => ({ ciHalfWidth: one(), n: 8 })),
        8,
      ),
    )
    expect(sd(pooled)).toBeLessThan(sd(single) * 0.7)
  })
})

describe('minimumDetectableChange', () => {
  it('follows (z0.975 + z0.8) · CV · √(2/n) for the t-test', () => {
    // 1.959964 + 0.841621 = 2.801585; CV 2 %, n = 10: 2.801585 · 0.02 · √0.2 = 0.025058.
    expect(minimumDetectableChange({ cv: 0.02, n: 10, test: 'welch' })).toBeCloseTo(0.025058, 5)
  })

  it('costs Mann–Whitney a factor 1/√(3/π) under normality and shrinks as 1/√n', () => {
    const t = minimumDetectableChange({ cv: 0.02, n: 10, test: 'welch' })
    expect(minimumDetectableChange({ cv: 0.02, n: 10 })).toBeCloseTo(t / Math.sqrt(3 / Math.PI), 12)
    expect(minimumDetectableChange({ cv: 0.02, n: 40, test: 'welch' })).toBeCloseTo(t / 2, 12)
  })
})
