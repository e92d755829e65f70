import { describe, expect, it } from 'vitest'
import { compareMetric, countOutliers } from '../../src/stats/index.js'

// Per-process values of cached-resolution (µs) from a stored compare of this repository's suite
// (docs/measurements.md, "Calibrated thresholds, measured", compare 10): head does 10% more work,
// and four base and three head processes ran in slow spells.
const base = [0.635, 0.62, 0.624, 1.087, 1.029, 0.621, 1.275, 1.308]
const head = [0.706, 0.681, 1.136, 1.139, 0.733, 0.698, 1.306, 0.678]

describe('countOutliers', () => {
  it('counts the slow processes of a side, even three of eight', () => {
    expect(countOutliers([0.62, 0.63, 0.61, 0.64, 0.62, 1.05, 0.63, 1.1])).toBe(2)
    expect(countOutliers([0.62, 0.63, 0.61, 1.2, 0.62, 1.05, 0.63, 1.1])).toBe(3)
  })

  it('counts nothing in values that only spread', () => {
    expect(countOutliers([0.61, 0.62, 0.63, 0.64, 0.65, 0.66, 0.67, 0.68])).toBe(0)
    expect(countOutliers([100, 140, 90, 180, 120, 75, 160, 130])).toBe(0)
  })

  it('has no scale to judge by when most values repeat one value, or with fewer than three', () => {
    expect(countOutliers([3, 3, 3, 3, 3, 3, 4])).toBe(0)
    expect(countOutliers([1, 10])).toBe(0)
  })
})

describe('an inconclusive verdict names the outliers that widened it', () => {
  it('says how many values of each side lie far from their median and what to do', () => {
    const result = compareMetric({
      baseline: [0.62, 0.63, 0.61, 0.64, 0.62, 1.05, 0.63, 1.1],
      current: [0.68, 0.69, 0.7, 1.2, 0.68, 1.15, 0.69, 1.22],
      direction: 'lower',
    })
    expect(result.verdict).toBe('inconclusive')
    expect(result.reason).toContain('2 of 8 baseline and 3 of 8 current values lie far from their side')
    expect(result.reason).toContain('rerun on a quieter machine')
    expect(result).not.toHaveProperty('outliers')
  })

  it('reads the stored compare the same way', () => {
    const result = compareMetric({ baseline: base, current: head, direction: 'lower' })
    expect(result.verdict).toBe('inconclusive')
    expect(result.reason).toMatch(/\d of 8 baseline and \d of 8 current values lie far/)
  })

  it('adds nothing when no value is an outlier', () => {
    const result = compareMetric({ baseline: [50, 70, 40, 90, 60, 55, 80, 45], current: [60, 80, 45, 95, 70, 50, 85, 52], direction: 'lower' })
    expect(result.verdict).toBe('inconclusive')
    expect(result.reason).not.toContain('far from')
  })
})
