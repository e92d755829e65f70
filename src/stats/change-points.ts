import { createRandom, deriveSeed, type Random } from './random.js'

export interface ChangePointOptions {
  /** @default 1 */
  seed?: number
  /** Permutations per significance test. @default 199 */
  permutations?: number
  /** A split is kept when its permutation p-value is ≤ this. @default 0.01 */
  pValue?: number
  /** Splits whose relative change of means is smaller than this are not reported. @default 0.05 */
  minMagnitude?: number
  /** Fewest points on each side of a split. @default 5 */
  minSize?: number
  /**
   * For long series: the divergence at a candidate split uses at most this many points on
   * each side, so a recent small step is not diluted by years of history. @default undefined
   * (whole segment)
   */
  window?: number
}

export interface ChangePoint {
  /** Index of the first point after the step. */
  index: number
  /** Mean of the segment before (back to the previous change point). */
  before: number
  /** Mean of the segment after (up to the next change point). */
  after: number
  /** (after − before) / |before|. */
  change: number
  /** Permutation p-value of the split when it was found. */
  pValue: number
}

export const changePointDefaults = {
  seed: 1,
  // 199 permutations: p-values resolve to 1/200, enough for the 0.01 level, and a non-
  // significant split is usually abandoned after a handful (see the early stop below).
  permutations: 199,
  // 0.01, not 0.05: a nightly trend job over 40 metrics tests ~40 series a night; at 0.05 that
  // would be two noise alarms a night before the magnitude filter.
  pValue: 0.01,
  // Same scale as the comparison threshold: steps under 5 % of the mean are not worth a ticket
  // from a nightly job on shared machines.
  minMagnitude: 0.05,
  minSize: 5,
} as const

/**
 * E-Divisive means change-point detection (Matteson & James 2014, as used by MongoDB — Daly et
 * al. 2020 — and Hunter/Otava): recursive bisection on the energy-distance divergence
 *
 *   Q̂(τ) = (m·k/(m+k)) · (2/(m·k) Σ|xᵢ−yⱼ| − 1/C(m,2) Σ|xᵢ−xᵢ'| − 1/C(k,2) Σ|yⱼ−yⱼ'|)
 *
 * (α = 1) between the m points left and the k points right of τ, each split tested by a seeded
 * permutation test within its segment, and reported only when the means moved by at least
 * `minMagnitude`. Deterministic for a given seed.
 *
 * Cost: in one dimension the pairwise sums for every τ follow from inserting and removing
 * points in Fenwick trees over value ranks, so one scan of a segment is O(n log n), not O(n²).
 */
export function detectChangePoints(series: readonly number[], options: ChangePointOptions = {}): ChangePoint[] {
  const o = { ...changePointDefaults, ...definedOnly(options) }
  const minSize = Math.max(2, Math.floor(o.minSize))
  const window = o.window === undefined ? Infinity : Math.max(minSize, Math.floor(o.window))
  if (!(Number.isInteger(o.permutations) && o.permutations > 0)) {
    throw new RangeError(`permutations must be a positive integer (got ${o.permutations})`)
  }
  series.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new RangeError(`series[${i}] is not a finite number (${v})`)
  })
  const n = series.length
  if (n < 2 * minSize) return []

  // Standardize: Q̂ is scale-equivariant and the test scale-invariant, and unit-scale values
  // keep the Fenwick prefix sums well conditioned whatever the unit (ns or ops/s).
  const center = series.reduce((s, v) => s + v, 0) / n
  const spread = Math.sqrt(series.reduce((s, v) => s + (v - center) ** 2, 0) / n)
  if (spread === 0) return []
  const values = Float64Array.from(series, (v) => (v - center) / spread)
  const ranks = rankOf(values)

  const scanner = new SplitScanner(n, minSize, window)
  const found: Array<{ index: number; pValue: number }> = []
  const pending: Array<[number, number]> = [[0, n]]
  while (pending.length > 0) {
    const [start, end] = pending.pop() as [number, number]
    if (end - start < 2 * minSize) continue
    const segmentValues = values.slice(start, end)
    const segmentRanks = ranks.slice(start, end)
    const best = scanner.best(segmentValues, segmentRanks, Infinity)
    if (best.tau < 0) continue
    // Seed per segment, so the outcome does not depend on the order segments are visited.
    const random = createRandom(deriveSeed(o.seed, start, end))
    const pValue = permutationPValue(scanner, segmentValues, segmentRanks, best.q, o.permutations, o.pValue, random)
    if (pValue > o.pValue) continue
    const split = start + best.tau
    found.push({ index: split, pValue })
    pending.push([start, split], [split, end])
  }
  return describe(series, found, o.minMagnitude)
}

/**
 * Q̂(τ) for every admissible split τ of the whole series (τ = first index after the split),
 * on the raw values: for charts and for checking the fast scan against the definition.
 */
export function divergenceProfile(
  series: readonly number[],
  options: Pick<ChangePointOptions, 'minSize' | 'window'> = {},
): Array<{ index: number; q: number }> {
  const minSize = Math.max(2, Math.floor(options.minSize ?? changePointDefaults.minSize))
  const window = options.window === undefined ? Infinity : Math.max(minSize, Math.floor(options.window))
  const n = series.length
  if (n < 2 * minSize) return []
  const values = Float64Array.from(series)
  const ranks = rankOf(values)
  const profile = new Float64Array(n + 1)
  new SplitScanner(n, minSize, window).best(values, ranks, Infinity, profile)
  const result: Array<{ index: number; q: number }> = []
  for (let tau = minSize; tau <= n - minSize; tau++) result.push({ index: tau, q: profile[tau] })
  return result
}

function rankOf(values: Float64Array): Int32Array {
  const ranks = new Int32Array(values.length)
  Array.from(values.keys())
    .sort((a, b) => values[a] - values[b])
    .forEach((index, rank) => (ranks[index] = rank))
  return ranks
}

/**
 * Permutation p-value (exceedances + 1) / (permutations + 1). Stops as soon as the split can
 * no longer be significant at `level` (then the p-value is the running estimate); a
 * significant split runs all permutations.
 */
function permutationPValue(
  scanner: SplitScanner,
  values: Float64Array,
  ranks: Int32Array,
  observed: number,
  permutations: number,
  level: number,
  random: Random,
): number {
  const v = values.slice()
  const r = ranks.slice()
  // Exceedances allowed while the split can still be significant.
  const allowed = Math.floor(level * (permutations + 1) + 1e-9) - 1
  let exceed = 0
  for (let done = 0; done < permutations; done++) {
    for (let i = v.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      const tv = v[i]
      v[i] = v[j]
      v[j] = tv
      const tr = r[i]
      r[i] = r[j]
      r[j] = tr
    }
    // A permutation counts as soon as any split reaches the observed divergence.
    if (scanner.best(v, r, observed * (1 - 1e-12)).q >= observed * (1 - 1e-12)) exceed++
    if (exceed > allowed) return (exceed + 1) / (done + 2)
  }
  return (exceed + 1) / (permutations + 1)
}

/** Reports change points with segment means, dropping the weakest under `minMagnitude` one at a time. */
function describe(series: readonly number[], found: Array<{ index: number; pValue: number }>, minMagnitude: number): ChangePoint[] {
  const points = [...found].sort((a, b) => a.index - b.index)
  const prefix = new Float64Array(series.length + 1)
  for (let i = 0; i < series.length; i++) prefix[i + 1] = prefix[i] + series[i]
  const meanOf = (from: number, to: number) => (prefix[to] - prefix[from]) / (to - from)
  const build = (): ChangePoint[] =>
    points.map(({ index, pValue }, k) => {
      const before = meanOf(k === 0 ? 0 : points[k - 1].index, index)
      const after = meanOf(index, k === points.length - 1 ? series.length : points[k + 1].index)
      const change = before === 0 ? (after === 0 ? 0 : Math.sign(after) * Infinity) : (after - before) / Math.abs(before)
      return { index, before, after, change, pValue }
    })
  // Removing a point merges its two segments, which changes its neighbours' means: recompute.
  for (;;) {
    const described = build()
    let weakest = -1
    described.forEach((p, k) => {
      if (Math.abs(p.change) < minMagnitude && (weakest < 0 || Math.abs(p.change) < Math.abs(described[weakest].change))) {
        weakest = k
      }
    })
    if (weakest < 0) return described
    points.splice(weakest, 1)
  }
}

/** Sum of |a − b| over all pairs of a multiset under insertions and removals (Fenwick over ranks). */
class PairwiseDistanceSum {
  private readonly counts: Float64Array
  private readonly sums: Float64Array
  private count = 0
  private total = 0
  pairSum = 0

  constructor(private readonly size: number) {
    this.counts = new Float64Array(size + 1)
    this.sums = new Float64Array(size + 1)
  }

  reset(): void {
    this.counts.fill(0)
    this.sums.fill(0)
    this.count = 0
    this.total = 0
    this.pairSum = 0
  }

  /** Σ |value − s| over the current members s; `rank` orders values (distinct per point). */
  private distanceTo(value: number, rank: number): number {
    let below = 0
    let belowSum = 0
    for (let i = rank; i > 0; i -= i & -i) {
      below += this.counts[i]
      belowSum += this.sums[i]
    }
    return value * below - belowSum + (this.total - belowSum) - value * (this.count - below)
  }

  private update(value: number, rank: number, sign: number): void {
    for (let i = rank + 1; i <= this.size; i += i & -i) {
      this.counts[i] += sign
      this.sums[i] += sign * value
    }
    this.count += sign
    this.total += sign * value
  }

  add(value: number, rank: number): void {
    this.pairSum += this.distanceTo(value, rank)
    this.update(value, rank, 1)
  }

  remove(value: number, rank: number): void {
    this.update(value, rank, -1)
    this.pairSum -= this.distanceTo(value, rank)
  }
}

/** Finds the split maximizing Q̂ in one segment; reuses its buffers across calls. */
class SplitScanner {
  private readonly left: PairwiseDistanceSum
  private readonly right: PairwiseDistanceSum
  private readonly union: PairwiseDistanceSum
  /** rightSums[tau]: pairwise sum of the right window of tau. */
  private readonly rightSums: Float64Array

  constructor(
    size: number,
    private readonly minSize: number,
    private readonly window: number,
  ) {
    this.left = new PairwiseDistanceSum(size)
    this.right = new PairwiseDistanceSum(size)
    this.union = new PairwiseDistanceSum(size)
    this.rightSums = new Float64Array(size + 1)
  }

  /** Best split (tau relative to the segment, -1 if none); returns early once q ≥ stopAt. */
  best(values: Float64Array, ranks: Int32Array, stopAt: number, profile?: Float64Array): { tau: number; q: number } {
    const { left, right, union, rightSums, minSize, window } = this
    const n = values.length
    const windowed = window < n
    // Backward pass: the right window [tau, min(n, tau + window)) only moves back as tau falls.
    // Without a window it runs on to 0, where its sum is the segment's total.
    right.reset()
    let rightHi = n
    for (let tau = n - 1; tau >= (windowed ? minSize : 0); tau--) {
      right.add(values[tau], ranks[tau])
      while (rightHi > tau + window) {
        rightHi--
        right.remove(values[rightHi], ranks[rightHi])
      }
      rightSums[tau] = right.pairSum
    }
    const total = rightSums[0]
    // Forward pass: left window [max(0, tau − window), tau) and, with a window, their union.
    left.reset()
    union.reset()
    let leftLo = 0,
      leftHi = 0,
      unionLo = 0,
      unionHi = 0
    let bestTau = -1
    let bestQ = -Infinity
    for (let tau = minSize; tau <= n - minSize; tau++) {
      const lo = Math.max(0, tau - window)
      const hi = Math.min(n, tau + window)
      while (leftHi < tau) {
        left.add(values[leftHi], ranks[leftHi])
        leftHi++
      }
      while (leftLo < lo) {
        left.remove(values[leftLo], ranks[leftLo])
        leftLo++
      }
      let unionSum = total
      if (windowed) {
        while (unionHi < hi) {
          union.add(values[unionHi], ranks[unionHi])
          unionHi++
        }
        while (unionLo < lo) {
          union.remove(values[unionLo], ranks[unionLo])
          unionLo++
        }
        unionSum = union.pairSum
      }
      const m = tau - lo
      const k = hi - tau
      const rightSum = rightSums[tau]
      const within = left.pairSum / ((m * (m - 1)) / 2) + rightSum / ((k * (k - 1)) / 2)
      const cross = unionSum - left.pairSum - rightSum
      const q = ((m * k) / (m + k)) * ((2 * cross) / (m * k) - within)
      if (profile) profile[tau] = q
      if (q > bestQ) {
        bestQ = q
        bestTau = tau
        if (q >= stopAt) break
      }
    }
    return { tau: bestTau, q: bestQ }
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
