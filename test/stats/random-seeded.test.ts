import { describe, expect, it } from 'vitest'
import { createRandom, deriveSeed, randomNormal } from '../../src/stats/index.js'

describe('createRandom', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const a = createRandom(42)
    const b = createRandom(42)
    const c = createRandom(43)
    const seqA = Array.from({ length: 5 }, a)
    expect(Array.from({ length: 5 }, b)).toEqual(seqA)
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA)
  })

  it('stays in [0, 1) with mean ≈ ½ and normals with mean ≈ 0, SD ≈ 1', () => {
    const random = createRandom(1)
    const u = Array.from({ length: 20000 }, random)
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...u)).toBeLessThan(1)
    // SE of the mean of 20000 uniforms is 0.002; of normals 0.007.
    expect(u.reduce((s, v) => s + v, 0) / u.length).toBeCloseTo(0.5, 1)
    const z = Array.from({ length: 20000 }, () => randomNormal(random))
    const mean = z.reduce((s, v) => s + v, 0) / z.length
    const sd = Math.sqrt(z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length)
    expect(Math.abs(mean)).toBeLessThan(0.03)
    expect(Math.abs(sd - 1)).toBeLessThan(0.03)
  })

  it('derives distinct seeds from one seed and an index', () => {
    expect(new Set([0, 1, 2, 3].map((i) => deriveSeed(1, i))).size).toBe(4)
    expect(deriveSeed(1, 2)).toBe(deriveSeed(1, 2))
  })
})
