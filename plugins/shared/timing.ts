import { performance } from 'node:perf_hooks'

/** Wall time of one awaited call, ms. */
export async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await work()
  return performance.now() - started
}

/** The q-quantile (0..1) of unsorted values by the nearest-rank rule; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
}

export const median = (values: readonly number[]) => quantile(values, 0.5)

/**
 * Median cold latency over median warm latency of one operation, each timed call by call.
 * `cold` runs `prepareCold` (untimed) before every timed call, so each cold call is truly cold.
 */
export async function speedup(options: {
  operation: () => Promise<unknown>
  prepareCold: () => Promise<unknown>
  coldSamples: number
  warmSamples: number
}): Promise<{ ratio: number; coldMs: number; warmMs: number }> {
  const cold: number[] = []
  for (let i = 0; i < options.coldSamples; i++) {
    await options.prepareCold()
    cold.push(await timeMs(options.operation))
  }
  await options.operation()
  const warm: number[] = []
  for (let i = 0; i < options.warmSamples; i++) warm.push(await timeMs(options.operation))
  const coldMs = median(cold)
  const warmMs = median(warm)
  return { ratio: coldMs / warmMs, coldMs, warmMs }
}
