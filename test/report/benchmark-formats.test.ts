import { describe, expect, it } from 'vitest'

import { medianInterval } from '../../src/report/benchmark-formats.js'

describe('the BMF interval: a distribution-free confidence interval of the median', () => {
  it('20 values: the 6th to the 15th smallest, coverage 95.9%', () => {
    const values = Array.from({ length: 20 }, (_, i) => 20 - i) // 20..1, unsorted on purpose
    const ci = medianInterval(values)
    expect([ci.lower, ci.upper]).toEqual([6, 15])
    expect(ci.coverage).toBeCloseTo(0.9586, 4)
  })

  it('5 values: min..max, coverage 93.75% (no pair reaches 95%)', () => {
    expect(medianInterval([3, 1, 2, 5, 4])).toEqual({ lower: 1, upper: 5, coverage: 0.9375 })
  })

  it('is far narrower than min..max of skewed values', () => {
    const values = [...Array.from({ length: 48 }, (_, i) => 1 + i / 100), 700, 2_000_000]
    const ci = medianInterval(values)
    expect(ci.upper).toBeLessThan(2)
    expect(ci.coverage).toBeGreaterThanOrEqual(0.95)
  })
})
