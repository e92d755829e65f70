import { mulberry32 } from '@perftrack/llm-config'

/**
 * Zipf-distributed ranks 0..n-1 (rank r drawn with weight 1/(r+1)^s) from a seeded PRNG, so a
 * workload is the same on every run. Inverse-CDF sampling with a binary search.
 */
export function zipfSampler(n: number, s: number, seed: number): () => number {
  const cdf = new Float64Array(n)
  let total = 0
  for (let r = 0; r < n; r++) {
    total += 1 / Math.pow(r + 1, s)
    cdf[r] = total
  }
  const random = mulberry32(seed)
  return () => {
    const u = random() * total
    let lo = 0
    let hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (cdf[mid] < u) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
