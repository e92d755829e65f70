import { describe, expect, it } from 'vitest'

import { logRatioTest } from '../../src/stats/ratio-test.js'

// Expected values from scipy 1.17.1:
//   r = scipy.stats.ttest_1samp(d, 0); ci = r.confidence_interval(0.95)
//   r.pvalue, numpy.expm1(ci.low), numpy.expm1(ci.high), numpy.expm1(numpy.mean(d))
const cases = [
  { d: [0.09, 0.1, 0.11, 0.1], p: 0.00014915720128493622, ci: [0.09090509859725332, 0.11962329237503583], change: 0.10517091807564763 },
  {
    d: [0.012, -0.004, 0.02, 0.007, -0.011, 0.003, 0.015, 0.001],
    p: 0.1811806555977045,
    ci: [-0.003180039520414818, 0.014032652767916196],
    change: 0.005389471228500158,
  },
  { d: [0.3, -0.2, 0.05], p: 0.7620845242845569, ci: [-0.43505925415022084, 0.9562598842348654], change: 0.05127109637602403 },
]

describe('logRatioTest: the one-sample t test of per-process log ratios', () => {
  for (const c of cases) {
    it(`matches scipy's ttest_1samp for ${c.d.length} ratios`, () => {
      const r = logRatioTest(c.d)
      expect(r.p).toBeCloseTo(c.p, 9)
      expect(r.ci[0]).toBeCloseTo(c.ci[0], 9)
      expect(r.ci[1]).toBeCloseTo(c.ci[1], 9)
      expect(r.change).toBeCloseTo(c.change, 12)
    })
  }

  it('all ratios equal: no change is p = 1 with a zero-width interval; any other ratio is certain', () => {
    expect(logRatioTest([0, 0, 0, 0])).toEqual({ change: 0, p: 1, ci: [0, 0] })
    const up = logRatioTest([Math.log(1.1), Math.log(1.1), Math.log(1.1)])
    expect(up.p).toBe(0)
    expect(up.ci[0]).toBeCloseTo(0.1, 12)
    expect(up.ci[1]).toBeCloseTo(0.1, 12)
  })

  it('refuses fewer than two ratios or a non-finite one, naming them', () => {
    expect(() => logRatioTest([0.1])).toThrow(/at least 2 finite log ratios \(got 0.1\)/)
    expect(() => logRatioTest([0.1, Number.NaN])).toThrow(/got 0.1, NaN/)
  })
})
