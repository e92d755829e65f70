import { normalQuantile, normalTwoSidedP } from './distributions.js'
import { midRanks } from './ranks.js'

export interface SignedRankResult {
  /** Sum of the ranks of the positive differences (R's V), zeros left out. */
  v: number
  /** Two-sided p-value. */
  p: number
  /** Differences that are not 0: the sample size the test ran on. */
  n: number
  method: 'exact' | 'normal'
}

/**
 * P(V = v) for v = 0..n(n+1)/2 under H0 (each rank's sign a fair coin), without ties. Built up
 * rank by rank: rank k either adds k to V or not, each with probability ½. Probabilities (not
 * counts) stay in range for any n.
 */
export function exactSignedRankDistribution(n: number): Float64Array {
  let dist = Float64Array.of(1)
  for (let k = 1; k <= n; k++) {
    const next = new Float64Array(dist.length + k)
    for (let v = 0; v < dist.length; v++) {
      next[v] += dist[v] / 2
      next[v + k] += dist[v] / 2
    }
    dist = next
  }
  return dist
}

/**
 * Wilcoxon signed-rank two-sided test of differences `d` against 0, as R's
 * `wilcox.test(d)` (and scipy's `wilcoxon(d, zero_method="wilcox", correction=True)`): zeros
 * are dropped; the exact null distribution when fewer than `exactBelow` differences remain and
 * none is tied, otherwise the normal approximation with continuity correction and
 * tie-corrected variance. No differences left (all 0): p = 1.
 */
export function wilcoxonSignedRank(d: readonly number[], options: { exactBelow?: number } = {}): SignedRankResult {
  const nonZero = d.filter((x) => x !== 0)
  const n = nonZero.length
  if (n === 0) return { v: 0, p: 1, n: 0, method: 'exact' }
  const { ranks, tieGroups } = midRanks(nonZero.map(Math.abs))
  let v = 0
  for (let i = 0; i < n; i++) if (nonZero[i] > 0) v += ranks[i]
  const zeros = d.length - n
  if (tieGroups.length === 0 && zeros === 0 && n < (options.exactBelow ?? 50)) {
    const dist = exactSignedRankDistribution(n)
    // As R: the tail on the side of the observed V, doubled.
    let tail = 0
    if (v > (n * (n + 1)) / 4) for (let k = v; k < dist.length; k++) tail += dist[k]
    else for (let k = 0; k <= v; k++) tail += dist[k]
    return { v, p: Math.min(1, 2 * tail), n, method: 'exact' }
  }
  let tieTerm = 0
  for (const t of tieGroups) tieTerm += t * t * t - t
  const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48)
  const deviation = v - (n * (n + 1)) / 4
  if (!(sigma > 0)) return { v, p: 1, n, method: 'normal' }
  const z = (deviation - Math.sign(deviation) * 0.5) / sigma
  return { v, p: Math.min(1, normalTwoSidedP(z)), n, method: 'normal' }
}

export interface HodgesLehmannResult {
  /** Median of the Walsh averages (dᵢ + dⱼ)/2, i ≤ j: the pseudo-median of the differences. */
  estimate: number
  /** Distribution-free confidence interval of the pseudo-median: two order statistics of the Walsh averages. */
  ci: [number, number]
}

/**
 * The Hodges–Lehmann estimate of the centre of symmetric differences and its confidence
 * interval from the signed-rank distribution (Hollander & Wolfe, "Nonparametric Statistical
 * Methods", §3.2; R's `wilcox.test(d, conf.int = TRUE)` for n < 50). The interval runs from the
 * q-th smallest to the q-th largest Walsh average, where q is the smallest value whose lower
 * tail P(V < q) reaches (1 − confidence)/2 (at least 1). Every difference counts, zeros too: a
 * pair that did not change is evidence of no change. From 50 differences on, q comes from the
 * normal approximation of V.
 *
 * One wild pair moves only the Walsh averages it is part of (n of the n(n+1)/2), so it reaches
 * the interval's far end and not its near one: with 10 pairs at +1% and one at +57%, the lower
 * bound stays near +1%, where a t interval of the mean goes below 0.
 */
export function hodgesLehmann(d: readonly number[], confidence = 0.95): HodgesLehmannResult {
  const n = d.length
  if (n === 0) throw new RangeError('hodgesLehmann needs at least one difference')
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1 (got ${confidence})`)
  const walsh: number[] = []
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh.push((d[i] + d[j]) / 2)
  walsh.sort((a, b) => a - b)
  const total = walsh.length
  const mid = total >> 1
  const estimate = total % 2 === 1 ? walsh[mid] : (walsh[mid - 1] + walsh[mid]) / 2
  const q = Math.min(criticalRank(n, (1 - confidence) / 2), mid + 1)
  return { estimate, ci: [walsh[q - 1], walsh[total - q]] }
}

/** The smallest q ≥ 1 with P(V ≤ q − 1) ≥ alpha, exact below 50, else from the normal approximation (R: qsignrank). */
function criticalRank(n: number, alpha: number): number {
  if (n < 50) {
    const dist = exactSignedRankDistribution(n)
    let cumulative = 0
    for (let q = 0; q < dist.length; q++) {
      cumulative += dist[q]
      if (cumulative >= alpha - 1e-12) return Math.max(1, q)
    }
    return dist.length - 1
  }
  const mean = (n * (n + 1)) / 4
  const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24)
  return Math.max(1, Math.floor(mean + normalQuantile(alpha) * sigma))
}

export interface PairedRankResult {
  /** Relative change: the Hodges–Lehmann estimate of the pair ratios (log scale when every value is > 0). */
  change: number
  /** Two-sided Wilcoxon signed-rank p-value of the pair differences. */
  p: number
  /** Hodges–Lehmann confidence interval of `change`. */
  ci: [number, number]
  scale: 'log' | 'linear'
}

/**
 * Pairs compared by rank: value i of each side measured under the same conditions (round i of
 * a process of each side, in instruction mode). On log ratios log(current_i / baseline_i) when
 * every value is > 0, else on differences relative to the baseline's mean. A Wilcoxon
 * signed-rank test and a Hodges–Lehmann interval ({@link hodgesLehmann}): the verdict follows
 * the bulk of the pairs, and one pair that ran a different code path (a round whose dearer phase
 * did not happen in one process) cannot pull the interval across zero.
 *
 * @example pairedRankTest([100, 100, 100, 100, 100, 100], [101, 101, 101, 101, 101, 157]).ci[0] // ≈ 0.01
 */
export function pairedRankTest(baseline: readonly number[], current: readonly number[], confidence = 0.95): PairedRankResult {
  if (baseline.length !== current.length || baseline.length < 1) {
    throw new RangeError(`pairedRankTest needs two samples of the same length ≥ 1 (got ${baseline.length} and ${current.length})`)
  }
  const scale = [...baseline, ...current].every((v) => v > 0) ? 'log' : 'linear'
  const meanBaseline = baseline.reduce((a, b) => a + b, 0) / baseline.length
  const d = baseline.map((b, i) => (scale === 'log' ? Math.log(current[i] / b) : current[i] - b))
  const { p } = wilcoxonSignedRank(d)
  const hl = hodgesLehmann(d, confidence)
  const toChange = (x: number) => (scale === 'log' ? Math.expm1(x) : meanBaseline === 0 ? (x === 0 ? 0 : Number.NaN) : x / Math.abs(meanBaseline))
  return { change: toChange(hl.estimate), p, ci: [toChange(hl.ci[0]), toChange(hl.ci[1])], scale }
}
