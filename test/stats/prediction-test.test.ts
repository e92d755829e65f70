import { describe, expect, it } from 'vitest'

import { processCountWarning } from '../../src/jobs/compare-budget.js'
import { compareMetrics, predictionTest, smallestExactP, studentTQuantile, verdictFloor } from '../../src/stats/index.js'
import { createRandom, randomNormal } from '../../src/stats/random.js'

describe('studentTQuantile', () => {
  it("matches R's qt()", () => {
    // qt(0.975, 9), qt(0.975, 4), qt(0.995, 20), qt(0.975, 1000)
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.262157, 5)
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776445, 5)
    expect(studentTQuantile(0.995, 20)).toBeCloseTo(2.84534, 5)
    expect(studentTQuantile(0.975, 1000)).toBeCloseTo(1.962339, 5)
  })
})

describe('predictionTest: one new run against the runs before it', () => {
  it('matches the t prediction interval computed by hand on log values', () => {
    const baseline = [10, 10.2, 9.9, 10.1, 10]
    const logs = baseline.map(Math.log)
    const mean = logs.reduce((a, x) => a + x, 0) / logs.length
    const sd = Math.sqrt(logs.reduce((a, x) => a + (x - mean) ** 2, 0) / (logs.length - 1))
    const half = 2.776445 * sd * Math.sqrt(1 + 1 / 5)
    const r = predictionTest(baseline, [11])
    expect(r.scale).toBe('log')
    expect(r.change).toBeCloseTo(Math.exp(Math.log(11) - mean) - 1, 10)
    expect(r.ci[0]).toBeCloseTo(Math.exp(Math.log(11) - mean - half) - 1, 5)
    expect(r.ci[1]).toBeCloseTo(Math.exp(Math.log(11) - mean + half) - 1, 5)
    // 2 * pt(-|t|, 4) with t = (log 11 − mean) / (sd √1.2)
    expect(r.p).toBeGreaterThan(0.001)
    expect(r.p).toBeLessThan(0.003)
    expect(r.baseline).toBeCloseTo(Math.exp(mean), 10)
  })

  it('a constant baseline (a counting metric): equal is certain no change, different is certain change', () => {
    expect(predictionTest([5, 5, 5], [5])).toMatchObject({ change: 0, p: 1, ci: [0, 0] })
    const changed = predictionTest([5, 5, 5], [6])
    expect(changed.p).toBe(0)
    expect(changed.change).toBeCloseTo(0.2, 12)
    expect(changed.ci[0]).toBeCloseTo(0.2, 12)
    expect(changed.ci[1]).toBeCloseTo(0.2, 12)
  })

  it('falls back to the linear scale when a value is not positive', () => {
    const r = predictionTest([0, 1, 2, 1], [1])
    expect(r.scale).toBe('linear')
    expect(r.change).toBe(0)
  })

  it('A/A: of 2,000 seeded normal runs against the 10 before them, about 5% fall outside the 95% interval', () => {
    const random = createRandom(11)
    let outside = 0
    for (let i = 0; i < 2000; i++) {
      const runs = Array.from({ length: 11 }, () => 100 * Math.exp(0.03 * randomNormal(random)))
      if (predictionTest(runs.slice(0, 10), [runs[10]]).p < 0.05) outside++
    }
    // Binomial(2000, 0.05): mean 100, sd 9.7.
    expect(outside).toBeGreaterThan(70)
    expect(outside).toBeLessThan(130)
  })

  it('in compareMetrics: a 20% slower run against 10 quiet runs is regressed; the same run against itself is unchanged', () => {
    const random = createRandom(5)
    const baseline = Array.from({ length: 10 }, () => 1 + 0.02 * randomNormal(random))
    const [slower, same] = compareMetrics(
      [
        { name: 'slower', baseline, current: [1.2], direction: 'lower' },
        { name: 'same', baseline, current: [baseline[3]], direction: 'lower' },
      ],
      { design: 'prediction' },
    )
    expect(slower).toMatchObject({ verdict: 'regressed', test: 'prediction', statistic: 'geometricMean', nBaseline: 10, nCurrent: 1 })
    expect(same.verdict).not.toBe('regressed')
    expect(same.verdict).not.toBe('improved')
  })

  it('needs three baseline runs, and says so', () => {
    const [c] = compareMetrics([{ baseline: [1, 1.1], current: [2], direction: 'lower' }], { design: 'prediction' })
    expect(c.verdict).toBe('inconclusive')
    expect(c.reason).toContain('need 3 baseline runs and 1 current')
  })
})

describe('how many processes a verdict needs', () => {
  it('the smallest exact Mann–Whitney p-value is 2 / C(2n, n)', () => {
    expect(smallestExactP(3, 3)).toBeCloseTo(0.1, 12)
    expect(smallestExactP(8, 8)).toBeCloseTo(2 / 12870, 12)
  })

  it('3 processes a side can never flag anything; 8 can flag one metric among 34', () => {
    expect(verdictFloor(3, 1, 0.05)).toMatchObject({ possible: false, needed: 4 })
    expect(verdictFloor(8, 34, 0.05)).toMatchObject({ possible: true })
    expect(verdictFloor(6, 34, 0.05)).toMatchObject({ possible: false, needed: 7 })
  })

  it('compare and calibrate warn before measuring, saying what would work', () => {
    expect(processCountWarning({ processes: 3, rounds: 10 })).toBe(
      'With 3 processes per side the smallest possible p-value is 0.10: no metric can come out regressed or improved. Use --processes 4 or more.',
    )
    expect(processCountWarning({ processes: 8, rounds: 10 })).toBeUndefined()
    expect(processCountWarning({ processes: 5, rounds: 10 }, 34)).toContain('a lone regression among 34 metrics corrected together needs p < 0.0015')
  })

  it('counting instructions, every round is a pair of the signed-rank test, whose smallest p is 2 / 2ⁿ', () => {
    expect(verdictFloor(6, 1, 0.05, 'paired')).toMatchObject({ possible: true, smallestP: 2 / 64 })
    // Two metrics, one regressed: q = 2 × 0.031 ≥ 0.05.
    expect(verdictFloor(6, 2, 0.05, 'paired')).toMatchObject({ possible: false, needed: 7 })
    expect(processCountWarning({ processes: 1, rounds: 6, measure: 'instructions' }, 2)).toBe(
      'With 6 paired rounds (1 process × 6 rounds a side) the smallest possible p-value is 0.031, and a lone regression among 2 metrics corrected together needs p < 0.025: no metric can come out regressed or improved. Use --rounds 7 or more.',
    )
    // The default budget of the mode (2 processes × 5 rounds) can flag one metric among 25, not 26.
    expect(processCountWarning({ processes: 2, rounds: 5, measure: 'instructions' }, 25)).toBeUndefined()
    expect(processCountWarning({ processes: 2, rounds: 5, measure: 'instructions' }, 26)).toContain('Use --rounds 6 or more')
  })

  it('paired in one process, the t test has no floor but needs three processes, whatever the number of metrics', () => {
    expect(processCountWarning({ processes: 2, rounds: 30, paired: true }, 40)).toBe(
      'With 2 processes no metric can come out regressed, improved or unchanged: a paired compare needs 3 or more. Use --processes 3 or more.',
    )
    expect(processCountWarning({ processes: 3, rounds: 30, paired: true }, 40)).toBeUndefined()
  })
})
