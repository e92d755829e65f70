import { describe, expect, it } from 'vitest'
import { compareMetric } from '../../src/stats/index.js'
import { generator } from './synthetic.js'

describe('A/A comparisons (same distribution on both sides)', () => {
  const comparisons = 200
  const g = generator(2024)
  // Lognormal with σ = 0.03: per-round medians a bit noisier than the 1.3 % per-process CV measured for a CPU-bound benchmark.
  const pairs = Array.from({ length: comparisons }, () => ({ baseline: g.lognormal(10, 40, 0.03), current: g.lognormal(10, 40, 0.03) }))

  it('never come out regressed more often than the test alone would allow, with the default threshold', () => {
    // Bound: `regressed` needs the two-sided test to reject at 0.05 in the bad direction, which
    // under H0 happens with probability ≤ 0.025 (less: exact Mann–Whitney at n = 10 is
    // conservative), so ≤ 5 of 200 is expected even before the threshold. The CI-beyond-5 %
    // condition makes it rarer still (needs a ~10 % A/A offset, ~4 SD at this noise).
    const verdicts = pairs.map((p, seed) => compareMetric({ ...p, direction: 'lower', seed }).verdict)
    const regressed = verdicts.filter((v) => v === 'regressed').length
    expect(regressed).toBeLessThanOrEqual(5)
    // Most should be the equivalence verdict. The A/A CI half-width of a median ratio here is
    // ≈ 1.96 · 1.25 · 0.03 · √(2/10) ≈ 3.3 %, so the CI fits inside ±5 % when the A/A offset
    // is under ≈ 1.7 % ≈ 1 SD: about two thirds. The rest must be inconclusive, not improved.
    expect(verdicts.filter((v) => v === 'unchanged').length).toBeGreaterThanOrEqual(120)
    expect(verdicts.filter((v) => v === 'improved').length).toBeLessThanOrEqual(5)
  })

  it('keep the false-regression rate near α/2 even with threshold 0, where only the test guards', () => {
    // Expected ≤ 200 × 0.025 = 5; 12 is above the 99.9th percentile of Binomial(200, 0.025).
    const regressed = pairs.filter((p, seed) => compareMetric({ ...p, direction: 'lower', seed, threshold: 0 }).verdict === 'regressed').length
    expect(regressed).toBeLessThanOrEqual(12)
  })
})
