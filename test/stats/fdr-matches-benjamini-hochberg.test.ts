import { describe, expect, it } from 'vitest'
import { benjaminiHochberg } from '../../src/stats/index.js'

describe('benjaminiHochberg', () => {
  it('adjusts the 15 p-values of Benjamini & Hochberg (1995, §4) as p.adjust("BH") does', () => {
    // The paper's example; at q* = 0.05 it rejects the four smallest. Expected values by hand:
    // q(i) = min over j ≥ i of 15·p(j)/j, e.g. q(4) = 15·0.0095/4 and q(6) = 15·0.0298/7.
    const p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1]
    const expected = [
      (15 * 0.0001) / 1,
      (15 * 0.0004) / 2,
      (15 * 0.0019) / 3,
      (15 * 0.0095) / 4,
      (15 * 0.0201) / 5,
      (15 * 0.0298) / 7,
      (15 * 0.0298) / 7,
      (15 * 0.0344) / 8,
      (15 * 0.0459) / 9,
      (15 * 0.324) / 10,
      (15 * 0.4262) / 11,
      (15 * 0.5719) / 12,
      (15 * 0.6528) / 13,
      (15 * 0.759) / 14,
      1,
    ]
    const q = benjaminiHochberg(p)
    q.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12))
    expect(q.filter((v) => v <= 0.05)).toHaveLength(4)
  })

  it('gives 0.05 to every one of 0.01 … 0.05 (m·p(j)/j is 0.05 for all j)', () => {
    benjaminiHochberg([0.01, 0.02, 0.03, 0.04, 0.05]).forEach((q) => expect(q).toBeCloseTo(0.05, 12))
  })

  it('keeps the input order, is monotone in p and never exceeds 1', () => {
    const p = [0.9, 0.001, 0.04, 0.5, 0.03, 0.99]
    const q = benjaminiHochberg(p)
    // By hand: sorted 0.001, 0.03, 0.04, 0.5, 0.9, 0.99 → 0.006, 0.08, 0.08, 0.75, 0.99·6/6=0.99 vs 0.9·6/5=1.08 → 0.99, 0.99.
    expect(q).toEqual([0.99, 0.006, 0.08, 0.75, 0.08, 0.99].map((v) => expect.closeTo(v, 12)))
    const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b])
    for (let k = 1; k < order.length; k++) expect(q[order[k]]).toBeGreaterThanOrEqual(q[order[k - 1]])
    expect(Math.max(...benjaminiHochberg([0.8, 0.9, 0.95]))).toBeLessThanOrEqual(1)
  })

  it('leaves NaN entries out of the family', () => {
    const q = benjaminiHochberg([0.01, Number.NaN, 0.04])
    expect(q[1]).toBeNaN()
    expect(q[0]).toBeCloseTo(0.02, 12)
    expect(q[2]).toBeCloseTo(0.04, 12)
  })
})
