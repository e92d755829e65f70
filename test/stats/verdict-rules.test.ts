import { describe, expect, it } from 'vitest'
import { compareDefaults, compareMetric, compareMetrics, type MetricSamples } from '../../src/stats/index.js'
import { generator } from './synthetic.js'

describe('compareMetric verdicts', () => {
  it('calls a 10 % slowdown with low noise regressed', () => {
    const g = generator(1)
    const result = compareMetric({ baseline: g.lognormal(10, 20, 0.01), current: g.lognormal(10, 22, 0.01), direction: 'lower' })
    expect(result.verdict).toBe('regressed')
    expect(result.change).toBeCloseTo(0.1, 1)
    expect(result.ci?.[0]).toBeGreaterThan(compareDefaults.threshold)
  })

  it('calls the same 10 % rise improved for a higher-is-better metric', () => {
    const g = generator(1)
    const result = compareMetric({ baseline: g.lognormal(10, 20, 0.01), current: g.lognormal(10, 22, 0.01), direction: 'higher' })
    expect(result.verdict).toBe('improved')
  })

  it('calls a 10 % drop of throughput regressed (direction higher flips the bad side)', () => {
    const g = generator(2)
    const result = compareMetric({ baseline: g.lognormal(10, 1000, 0.01), current: g.lognormal(10, 900, 0.01), direction: 'higher' })
    expect(result.verdict).toBe('regressed')
    expect(result.ci?.[1]).toBeLessThan(-compareDefaults.threshold)
  })

  it('calls identical distributions unchanged with enough samples', () => {
    const g = generator(3)
    const result = compareMetric({ baseline: g.lognormal(30, 50, 0.02), current: g.lognormal(30, 50, 0.02), direction: 'lower' })
    expect(result.verdict).toBe('unchanged')
    expect(result.ci?.[0]).toBeGreaterThanOrEqual(-compareDefaults.threshold)
    expect(result.ci?.[1]).toBeLessThanOrEqual(compareDefaults.threshold)
  })

  it('calls a real 10 % change under big noise inconclusive, never a pass', () => {
    const g = generator(4)
    const result = compareMetric({ baseline: g.lognormal(8, 50, 0.3), current: g.lognormal(8, 55, 0.3), direction: 'lower' })
    expect(result.verdict).toBe('inconclusive')
    expect(result.reason).toMatch(/CI/)
  })

  it('calls a CI beyond the threshold without a rejecting test inconclusive', () => {
    // n = 3 per side: the exact two-sided Mann–Whitney p is at least 2/C(6,3) = 0.1.
    const result = compareMetric({ baseline: [10, 10.1, 10.2], current: [12, 12.1, 12.2], direction: 'lower' })
    expect(result.verdict).toBe('inconclusive')
    expect(result.pValue).toBeCloseTo(0.1, 12)
    expect(result.reason).toMatch(/does not reject/)
  })

  it('calls identical constant samples unchanged with change 0 and CI [0, 0]', () => {
    const result = compareMetric({ baseline: [7, 7, 7, 7], current: [7, 7, 7, 7], direction: 'lower' })
    expect(result).toMatchObject({ verdict: 'unchanged', change: 0, ci: [0, 0], pValue: 1 })
  })

  it('calls too few samples inconclusive with a reason', () => {
    const result = compareMetric({ baseline: [1, 2], current: [1, 2, 3, 4], direction: 'lower' })
    expect(result).toMatchObject({ verdict: 'inconclusive', ci: null, pValue: null, qValue: null })
    expect(result.reason).toMatch(/too few samples/)
  })

  it('calls a zero baseline statistic inconclusive because a relative change is undefined', () => {
    const result = compareMetric({ baseline: [0, 0, 0, 1], current: [1, 2, 3], direction: 'lower' })
    expect(result).toMatchObject({ verdict: 'inconclusive', baseline: 0, change: null })
    expect(result.reason).toMatch(/baseline median is 0/)
  })

  it('calls a metric that stays at 0 on both sides unchanged (a rate of 0 % is not undefined)', () => {
    const result = compareMetric({ baseline: [0, 0, 0, 0, 0, 0, 0, 0], current: [0, 0, 0, 0, 0, 0, 0, 0], direction: 'lower' })
    expect(result).toMatchObject({ verdict: 'unchanged', baseline: 0, current: 0, change: 0, ci: [0, 0] })
  })

  it('calls non-finite samples inconclusive', () => {
    expect(compareMetric({ baseline: [1, 2, Number.NaN], current: [1, 2, 3], direction: 'lower' }).verdict).toBe('inconclusive')
  })

  it('uses a per-metric threshold over the default', () => {
    const g = generator(5)
    const metric = { baseline: g.lognormal(20, 100, 0.005), current: g.lognormal(20, 103, 0.005), direction: 'lower' as const }
    expect(compareMetric(metric).verdict).toBe('unchanged')
    expect(compareMetric({ ...metric, threshold: 0.01 }).verdict).toBe('regressed')
  })

  it('is deterministic for a seed and works with welch and the mean', () => {
    const g = generator(6)
    const metric = { baseline: g.normal(12, 100, 2), current: g.normal(12, 112, 2), direction: 'lower' as const }
    const options = { test: 'welch' as const, statistic: 'mean' as const, seed: 5 }
    const a = compareMetric({ ...metric, ...options })
    expect(a).toEqual(compareMetric({ ...metric, ...options }))
    expect(a).toMatchObject({ verdict: 'regressed', test: 'welch', statistic: 'mean' })
  })

  it('refuses an unknown test and a negative threshold with a message naming them', () => {
    const metric = { baseline: [1, 2, 3], current: [1, 2, 3], direction: 'lower' as const }
    expect(() => compareMetrics([metric], { test: 'ks' as never })).toThrow(/unknown test "ks"/)
    expect(() => compareMetrics([{ ...metric, name: 'p95', threshold: -1 }])).toThrow(/"p95"/)
  })
})

describe('compareMetrics with Benjamini–Hochberg', () => {
  it('does not let one small p among 39 null metrics become a regression', () => {
    // Alone, complete separation of 5 vs 5 gives exact p = 2/252 ≈ 0.0079 and a CI well above
    // 5 %: regressed. In a family of 40 its q is at least about 40 × 0.0079 / (1 + the number
    // of null metrics with smaller p), far above 0.05.
    const suspicious: MetricSamples = { name: 'suspicious', baseline: [100, 101, 102, 103, 104], current: [110, 111, 112, 113, 114], direction: 'lower' }
    expect(compareMetric(suspicious).verdict).toBe('regressed')

    const g = generator(8)
    const nulls: MetricSamples[] = Array.from({ length: 39 }, (_, i) => ({
      name: `null-${i}`,
      baseline: g.lognormal(5, 100, 0.02),
      current: g.lognormal(5, 100, 0.02),
      direction: 'lower',
    }))
    const results = compareMetrics([suspicious, ...nulls])
    expect(results).toHaveLength(40)
    expect(results[0]).toMatchObject({ name: 'suspicious', verdict: 'inconclusive' })
    expect(results[0].qValue).toBeGreaterThan(0.05)
    expect(results[0].pValue).toBeCloseTo(2 / 252, 12)
    expect(results.filter((r) => r.verdict === 'regressed')).toHaveLength(0)
  })

  it('keeps results index-aligned and excludes untestable metrics from the family', () => {
    const g = generator(9)
    const results = compareMetrics([
      { name: 'a', baseline: g.lognormal(10, 10, 0.01), current: g.lognormal(10, 12, 0.01), direction: 'lower' },
      { name: 'short', baseline: [1], current: [1], direction: 'lower' },
      { name: 'b', baseline: g.lognormal(10, 10, 0.01), current: g.lognormal(10, 10, 0.01), direction: 'lower' },
    ])
    expect(results.map((r) => r.name)).toEqual(['a', 'short', 'b'])
    expect(results[1].qValue).toBeNull()
    // Family of two: the smaller p is doubled at most.
    expect(results[0].qValue).toBeLessThanOrEqual(2 * (results[0].pValue as number))
    expect(results[0].verdict).toBe('regressed')
  })

  it('leaves metrics whose every value is equal out of the family (no test could flag them)', () => {
    // 8 vs 8 with one inversion: exact p = 2 × 2 / 12870 ≈ 3.1e-4. With 30 constant metrics
    // (hit rates, counts) in the family, q would be 31 × p ≈ 0.0096 at best with rank 1; with
    // 150 it would be ≈ 0.048 and with 200 over 0.05. Constant metrics cannot reject, so they
    // must not dilute it: q = p × 1 (a family of one).
    const slowed: MetricSamples = {
      name: 'slowed',
      baseline: [0.61, 0.62, 0.63, 0.615, 0.625, 0.618, 0.681, 0.622],
      current: [0.68, 0.69, 0.7, 0.685, 0.695, 0.688, 0.692, 0.684],
      direction: 'lower',
    }
    const constants: MetricSamples[] = Array.from({ length: 200 }, (_, i) => ({
      name: `rate-${i}`,
      baseline: Array(8).fill(0.5),
      current: Array(8).fill(0.5),
      direction: 'higher',
    }))
    const results = compareMetrics([slowed, ...constants])
    expect(results[0].pValue).toBeCloseTo(4 / 12870, 12)
    expect(results[0].qValue).toBeCloseTo(results[0].pValue as number, 12)
    expect(results[0].verdict).toBe('regressed')
    for (const r of results.slice(1)) expect(r).toMatchObject({ verdict: 'unchanged', change: 0, ci: [0, 0], pValue: 1, qValue: 1 })
    // Two constant sides that differ are testable and stay in the family of two: the smaller p
    // (complete separation, tied within each side: the normal approximation) is doubled.
    const differing = compareMetrics([slowed, { name: 'moved', baseline: Array(8).fill(1), current: Array(8).fill(2), direction: 'lower' }])
    expect(differing[1].pValue).toBeLessThan(differing[0].pValue as number)
    expect(differing[1].qValue).toBeCloseTo(2 * (differing[1].pValue as number), 12)
  })
})
