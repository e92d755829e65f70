import { describe, expect, it } from 'vitest'
import { exactUDistribution, mannWhitney } from '../../src/stats/index.js'

describe('mannWhitney', () => {
  it("matches the example of R's wilcox.test help page (exact, no ties)", () => {
    // R ?wilcox.test: x <- c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46),
    // y <- c(1.15, 0.88, 0.90, 0.74, 1.21); wilcox.test(x, y, alternative = "g") gives
    // W = 35, p-value = 0.1272, so the two-sided p-value is 0.2544.
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    const y = [1.15, 0.88, 0.9, 0.74, 1.21]
    const result = mannWhitney(x, y)
    expect(result.u).toBe(35)
    expect(result.method).toBe('exact')
    expect(result.p).toBeCloseTo(0.2544, 4)
  })

  it('matches the scipy.stats.mannwhitneyu documentation example, exact and asymptotic', () => {
    // scipy docs: males = [19, 22, 16, 29, 24], females = [20, 11, 17, 12];
    // mannwhitneyu(males, females) -> statistic=17.0, pvalue=0.1111111111111111;
    // method="asymptotic" (continuity correction) -> pvalue=0.11134688653314041.
    const males = [19, 22, 16, 29, 24]
    const females = [20, 11, 17, 12]
    const exact = mannWhitney(males, females)
    expect(exact).toMatchObject({ u: 17, method: 'exact' })
    expect(exact.p).toBeCloseTo(0.1111111111111111, 12)
    const normal = mannWhitney(males, females, { exactBelow: 0 })
    expect(normal).toMatchObject({ u: 17, method: 'normal' })
    expect(normal.p).toBeCloseTo(0.11134688653314041, 10)
  })

  it('uses the tie-corrected normal approximation with ties, as R does', () => {
    // R output quoted at endmemo.com/r/wilcoxon.php:
    //   wilcox.test(c(1,5,9,24,56,21,3,7,21,4), c(12,15,5,9,9,14,56,22,3,7,32,5))
    //   W = 51.5, p-value = 0.5966 (with continuity correction; "cannot compute exact p-value with ties")
    //   wilcox.test(<same x>, c(1233,4356,987,39999,1111,200000)) -> W = 0, p-value = 0.001364
    const x = [1, 5, 9, 24, 56, 21, 3, 7, 21, 4]
    const tied = mannWhitney(x, [12, 15, 5, 9, 9, 14, 56, 22, 3, 7, 32, 5])
    expect(tied).toMatchObject({ u: 51.5, method: 'normal' })
    expect(tied.p).toBeCloseTo(0.5966, 4)
    const separated = mannWhitney(x, [1233, 4356, 987, 39999, 1111, 200000])
    expect(separated).toMatchObject({ u: 0, method: 'normal' })
    expect(separated.p).toBeCloseTo(0.001364, 6)
  })

  it('matches an R answer on stats.stackexchange (q. 403173) with 15 vs 15 and ties', () => {
    // wilcox.test(sg1, sg2) -> W = 97, p-value = 0.5335
    const sg1 = [99, 131, 118, 112, 128, 134, 103, 127, 121, 139, 110, 123, 100, 131, 108]
    const sg2 = [117, 125, 140, 109, 128, 136, 120, 107, 134, 122, 114, 101, 128, 110, 141]
    const result = mannWhitney(sg1, sg2)
    expect(result.u).toBe(97)
    expect(result.p).toBeCloseTo(0.5335, 4)
  })

  it('has an exact U distribution equal to brute-force enumeration of all labelings', () => {
    // Independent check: enumerate every choice of which of the m + n ranks belong to x.
    for (const [m, n] of [
      [1, 1],
      [2, 3],
      [4, 5],
      [6, 4],
    ] as const) {
      const counts = new Array<number>(m * n + 1).fill(0)
      let total = 0
      const choose = (start: number, picked: number[]): void => {
        if (picked.length === m) {
          const rankSum = picked.reduce((s, r) => s + r, 0)
          counts[rankSum - (m * (m + 1)) / 2]++
          total++
          return
        }
        for (let r = start; r <= m + n; r++) choose(r + 1, [...picked, r])
      }
      choose(1, [])
      const dist = exactUDistribution(m, n)
      expect(dist.length).toBe(m * n + 1)
      counts.forEach((c, u) => expect(dist[u]).toBeCloseTo(c / total, 12))
    }
  })

  it('gives the textbook smallest two-sided p for 5 vs 5 complete separation: 2/C(10,5)', () => {
    const result = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
    expect(result.u).toBe(0)
    expect(result.p).toBeCloseTo(2 / 252, 12)
  })

  it('returns p = 1 when every value is identical', () => {
    expect(mannWhitney([3, 3, 3], [3, 3, 3, 3])).toEqual({ u: 6, p: 1, method: 'normal' })
  })

  it('refuses an empty sample', () => {
    expect(() => mannWhitney([], [1, 2])).toThrow(/non-empty/)
  })
})
