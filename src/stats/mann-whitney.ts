import { normalTwoSidedP } from './distributions.js'
import { midRanks } from './ranks.js'

export interface MannWhitneyResult {
  /** U of the first sample: the number of pairs (x, y) with x > y, ties counting ½ (R's W). */
  u: number
  /** Two-sided p-value. */
  p: number
  method: 'exact' | 'normal'
}

export interface MannWhitneyOptions {
  /**
   * The exact distribution is used when both samples are smaller than this and there are no
   * ties (R's `wilcox.test` rule).
   * @default 50
   */
  exactBelow?: number
}

/**
 * Mann–Whitney U (Wilcoxon rank-sum) two-sided test, as R's `wilcox.test(x, y)`: exact p-value
 * from the null distribution of U when both n < 50 and nothing is tied, otherwise the normal
 * approximation with continuity correction and tie-corrected variance.
 */
export function mannWhitney(x: readonly number[], y: readonly number[], options: MannWhitneyOptions = {}): MannWhitneyResult {
  const nx = x.length
  const ny = y.length
  if (nx === 0 || ny === 0) {
    throw new RangeError(`mannWhitney needs two non-empty samples (got ${nx} and ${ny} values)`)
  }
  const { ranks, tieGroups } = midRanks([...x, ...y])
  let rankSumX = 0
  for (let i = 0; i < nx; i++) rankSumX += ranks[i]
  const u = rankSumX - (nx * (nx + 1)) / 2
  const exactBelow = options.exactBelow ?? 50

  if (tieGroups.length === 0 && nx < exactBelow && ny < exactBelow) {
    const distribution = exactUDistribution(nx, ny)
    // As R: the tail on the side of the observed U, doubled.
    let tail = 0
    if (u > (nx * ny) / 2) for (let k = u; k <= nx * ny; k++) tail += distribution[k]
    else for (let k = 0; k <= u; k++) tail += distribution[k]
    return { u, p: Math.min(1, 2 * tail), method: 'exact' }
  }

  const n = nx + ny
  let tieTerm = 0
  for (const t of tieGroups) tieTerm += t * t * t - t
  const variance = ((nx * ny) / 12) * (n + 1 - tieTerm / (n * (n - 1)))
  if (!(variance > 0)) {
    // Every value is the same: there is no evidence of any difference.
    return { u, p: 1, method: 'normal' }
  }
  const deviation = u - (nx * ny) / 2
  const z = (deviation - Math.sign(deviation) * 0.5) / Math.sqrt(variance)
  return { u, p: Math.min(1, normalTwoSidedP(z)), method: 'normal' }
}

/**
 * P(U = u) for u = 0..m·n under H0, without ties. Recurrence on the largest observation: it is
 * from the first sample with probability m/(m+n) and then beats all n of the second sample.
 * Probabilities (not counts) keep every term positive and in range for any m, n.
 */
export function exactUDistribution(m: number, n: number): Float64Array {
  // previous[j] holds the distribution for sizes (i − 1, j); current[j] for (i, j).
  let previous: Float64Array[] = []
  for (let j = 0; j <= n; j++) previous.push(Float64Array.of(1))
  for (let i = 1; i <= m; i++) {
    const current: Float64Array[] = [Float64Array.of(1)]
    for (let j = 1; j <= n; j++) {
      const dist = new Float64Array(i * j + 1)
      const fromX = previous[j]
      const fromY = current[j - 1]
      const px = i / (i + j)
      const py = j / (i + j)
      for (let k = 0; k < fromX.length; k++) dist[k + j] += px * fromX[k]
      for (let k = 0; k < fromY.length; k++) dist[k] += py * fromY[k]
      current.push(dist)
    }
    previous = current
  }
  return previous[n]
}

/**
 * The smallest two-sided p-value an exact Mann–Whitney test can give with these sample sizes:
 * every baseline value below every current one, 2 / C(m + n, m). With 3 processes a side it is
 * 0.1, so nothing can be significant; with 8, 1.6e-4.
 */
export function smallestExactP(m: number, n: number): number {
  let ways = 1
  for (let i = 1; i <= m; i++) ways = (ways * (n + i)) / i
  return Math.min(1, 2 / ways)
}

/**
 * Whether a comparison of `metrics` metrics, corrected together with Benjamini–Hochberg at
 * `alpha`, can flag any single metric with `perSide` units per side, and the least units a side
 * that can. One regression alone among the metrics has q = p × metrics. `paired`: `perSide`
 * pairs and the exact signed-rank test, whose smallest p is 2 / 2ⁿ (wilcoxon.ts).
 */
export function verdictFloor(
  perSide: number,
  metrics: number,
  alpha: number,
  design: 'independent' | 'paired' = 'independent',
): { possible: boolean; smallestP: number; needed: number } {
  const smallest = design === 'paired' ? (n: number) => Math.min(1, 2 / 2 ** n) : (n: number) => smallestExactP(n, n)
  const smallestP = smallest(perSide)
  let needed = 2
  while (smallest(needed) * Math.max(1, metrics) >= alpha) needed++
  return { possible: smallestP * Math.max(1, metrics) < alpha, smallestP, needed }
}
