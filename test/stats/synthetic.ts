import { createRandom, type Random, randomNormal } from '../../src/stats/index.js'

/** Seeded generators of synthetic per-round statistics for the stats tests. */
export function generator(seed: number) {
  const random: Random = createRandom(seed)
  return {
    /** n values of median·exp(σ·Z): right-skewed like latencies, CV ≈ σ. */
    lognormal: (n: number, median: number, sigma: number): number[] => Array.from({ length: n }, () => median * Math.exp(sigma * randomNormal(random))),
    normal: (n: number, mean: number, sd: number): number[] => Array.from({ length: n }, () => mean + sd * randomNormal(random)),
  }
}
