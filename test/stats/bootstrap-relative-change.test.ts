import { describe, expect, it } from 'vitest'
import { bootstrapRelativeChange } from '../../src/stats/index.js'
import { generator } from './synthetic.js'

describe('bootstrapRelativeChange', () => {
  const g = generator(7)
  const baseline = g.lognormal(15, 100, 0.03)
  const current = g.lognormal(15, 108, 0.03)

  it('gives the same CI for the same seed and a different one for another seed', () => {
    const a = bootstrapRelativeChange(baseline, current, { seed: 11 })
    const b = bootstrapRelativeChange(baseline, current, { seed: 11 })
    const c = bootstrapRelativeChange(baseline, current, { seed: 12 })
    expect(a).toEqual(b)
    expect(c.ci).not.toEqual(a.ci)
  })

  it('covers the true change on a synthetic 8 % shift and excludes 0', () => {
    const { change, ci } = bootstrapRelativeChange(baseline, current)
    expect(ci[0]).toBeLessThan(0.08)
    expect(ci[1]).toBeGreaterThan(0.08)
    expect(ci[0]).toBeGreaterThan(0)
    expect(change).toBeGreaterThanOrEqual(ci[0])
    expect(change).toBeLessThanOrEqual(ci[1])
  })

  it('covers the true change in most of 100 seeded synthetic cases (nominal 95 %)', () => {
    // Percentile intervals of a median at n = 15 undercover somewhat; 85/100 is a loose floor
    // (Binomial(100, 0.95) is below 86 with probability < 0.1 %).
    const cases = generator(99)
    let covered = 0
    for (let i = 0; i < 100; i++) {
      const { ci } = bootstrapRelativeChange(cases.lognormal(15, 50, 0.05), cases.lognormal(15, 55, 0.05), {
        seed: i,
        resamples: 1000,
      })
      if (ci[0] <= 0.1 && 0.1 <= ci[1]) covered++
    }
    expect(covered).toBeGreaterThanOrEqual(85)
  })

  it('gives change 0 and CI [0, 0] for identical constant samples', () => {
    expect(bootstrapRelativeChange([5, 5, 5, 5], [5, 5, 5])).toMatchObject({ change: 0, ci: [0, 0] })
  })

  it('supports the mean as statistic', () => {
    const { change } = bootstrapRelativeChange([1, 2, 3], [2, 4, 6], { statistic: 'mean', resamples: 10 })
    expect(change).toBeCloseTo(1, 12)
  })

  it('a CI bound is +Infinity, never NaN, when many resampled baselines have a median of 0', () => {
    // More than 2.5 % of resamples of [0, 0, 0, 1] have median 0, so their change is +Infinity.
    const { ci } = bootstrapRelativeChange([0, 0, 0, 1], [1, 1, 1, 1])
    expect(ci[0]).toBe(0)
    expect(ci[1]).toBe(Infinity)
    expect(bootstrapRelativeChange([0, 0, 1, 1], [0, 0, 0, 1]).ci).toEqual([-1, Infinity])
  })
})
