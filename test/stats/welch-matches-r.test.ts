import { describe, expect, it } from 'vitest'
import { normalCdf, normalQuantile, studentTTwoSidedP, welch } from '../../src/stats/index.js'

describe('welch', () => {
  it("matches R's t.test(extra ~ group, data = sleep)", () => {
    // R ?t.test / datasets::sleep: "Welch Two Sample t-test ... t = -1.8608, df = 17.776,
    // p-value = 0.07939".
    const group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    const group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    const result = welch(group1, group2)
    expect(result.t).toBeCloseTo(-1.8608, 4)
    expect(result.df).toBeCloseTo(17.776, 3)
    expect(result.p).toBeCloseTo(0.07939, 5)
  })

  it('handles two constant samples', () => {
    expect(welch([2, 2, 2], [2, 2]).p).toBe(1)
    expect(welch([2, 2, 2], [3, 3]).p).toBe(0)
  })
})

describe('distribution functions', () => {
  it('give textbook two-sided 5 % critical values of Student t', () => {
    // Standard t tables: t(0.975; 1) = 12.706, t(0.975; 10) = 2.228, t(0.975; 30) = 2.042.
    expect(studentTTwoSidedP(12.7062, 1)).toBeCloseTo(0.05, 5)
    expect(studentTTwoSidedP(2.228139, 10)).toBeCloseTo(0.05, 6)
    expect(studentTTwoSidedP(2.042272, 30)).toBeCloseTo(0.05, 6)
  })

  it('give the textbook normal quantiles and CDF', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6)
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 6)
    expect(normalCdf(0)).toBe(0.5)
    expect(normalCdf(-1.959964)).toBeCloseTo(0.025, 7)
  })
})
