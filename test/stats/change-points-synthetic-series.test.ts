import { describe, expect, it } from 'vitest'
import { detectChangePoints, divergenceProfile } from '../../src/stats/index.js'
import { generator } from './synthetic.js'

describe('detectChangePoints', () => {
  it('finds one 10 % step at the right index', () => {
    const g = generator(101)
    const series = [...g.normal(120, 100, 1.5), ...g.normal(80, 110, 1.5)]
    const points = detectChangePoints(series)
    expect(points).toHaveLength(1)
    expect(Math.abs(points[0].index - 120)).toBeLessThanOrEqual(2)
    expect(points[0].change).toBeCloseTo(0.1, 1)
    expect(points[0].before).toBeCloseTo(100, 0)
    expect(points[0].after).toBeCloseTo(110, 0)
    expect(points[0].pValue).toBeLessThanOrEqual(0.01)
  })

  it('finds both steps of an up-then-down series', () => {
    const g = generator(102)
    const series = [...g.normal(100, 100, 2), ...g.normal(100, 112, 2), ...g.normal(165, 95, 2)]
    const points = detectChangePoints(series)
    expect(points.map((p) => p.index)).toHaveLength(2)
    expect(Math.abs(points[0].index - 100)).toBeLessThanOrEqual(2)
    expect(Math.abs(points[1].index - 200)).toBeLessThanOrEqual(2)
    expect(points[0].change).toBeGreaterThan(0)
    expect(points[1].change).toBeLessThan(0)
  })

  it('finds nothing in 365 points of pure noise', () => {
    const g = generator(103)
    expect(detectChangePoints(g.normal(365, 100, 3))).toEqual([])
  })

  it('finds nothing in a noisy series whose only step is below minMagnitude, unless asked', () => {
    const g = generator(104)
    const series = [...g.normal(60, 100, 0.3), ...g.normal(60, 102, 0.3)]
    expect(detectChangePoints(series)).toEqual([])
    const points = detectChangePoints(series, { minMagnitude: 0.01 })
    expect(points).toHaveLength(1)
    expect(Math.abs(points[0].index - 60)).toBeLessThanOrEqual(2)
  })

  it('cuts a slow 30 % drift into a staircase of same-sign steps, each at least minMagnitude', () => {
    // Documented behaviour: E-Divisive sees a drift as distribution change and splits it where
    // the means differ most; no step is reported against the drift's direction.
    const g = generator(105)
    const series = g.normal(365, 0, 1).map((noise, i) => 100 + (30 * i) / 364 + noise)
    const points = detectChangePoints(series)
    expect(points.length).toBeGreaterThanOrEqual(1)
    for (const p of points) {
      expect(p.change).toBeGreaterThanOrEqual(0.05)
    }
    const indices = points.map((p) => p.index)
    expect(indices).toEqual([...indices].sort((a, b) => a - b))
  })

  it('is deterministic for a seed', () => {
    const g = generator(106)
    const series = [...g.normal(40, 10, 0.5), ...g.normal(40, 11, 0.5)]
    expect(detectChangePoints(series, { seed: 3 })).toEqual(detectChangePoints(series, { seed: 3 }))
  })

  it('finds a recent step with a window in a long series', () => {
    const g = generator(107)
    const series = [...g.normal(1000, 100, 1), ...g.normal(20, 106, 1)]
    const points = detectChangePoints(series, { window: 60 })
    expect(points.map((p) => p.index)).toEqual([expect.closeTo(1000, -0.5)])
  })

  it('returns nothing for short or constant series and refuses non-finite values', () => {
    expect(detectChangePoints([1, 2, 3])).toEqual([])
    expect(detectChangePoints(new Array(50).fill(4))).toEqual([])
    expect(() => detectChangePoints([1, 2, Number.NaN])).toThrow(/series\[2\]/)
  })

  it('computes Q̂ exactly as the O(n²) definition of the energy divergence, with and without a window', () => {
    // Matteson & James (2014), α = 1, evaluated pair by pair.
    const brute = (x: number[], tau: number, window = Infinity): number => {
      const left = x.slice(Math.max(0, tau - window), tau)
      const right = x.slice(tau, Math.min(x.length, tau + window))
      const m = left.length
      const k = right.length
      let cross = 0
      for (const a of left) for (const b of right) cross += Math.abs(a - b)
      let withinLeft = 0
      for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) withinLeft += Math.abs(left[i] - left[j])
      let withinRight = 0
      for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) withinRight += Math.abs(right[i] - right[j])
      return ((m * k) / (m + k)) * ((2 * cross) / (m * k) - withinLeft / ((m * (m - 1)) / 2) - withinRight / ((k * (k - 1)) / 2))
    }
    const g = generator(108)
    // Rounded values so that ties occur.
    const series = [...g.normal(30, 10, 1), ...g.normal(25, 12, 2)].map((v) => Math.round(v * 2) / 2)
    for (const window of [undefined, 8]) {
      const profile = divergenceProfile(series, { minSize: 3, window })
      expect(profile).toHaveLength(series.length - 5)
      for (const { index, q } of profile) expect(q).toBeCloseTo(brute(series, index, window), 9)
    }
  })
})
