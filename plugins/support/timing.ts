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

/** Warm calls timed together per sample: one sub-µs call timed alone measures mostly the timer. */
export const warmBatch = 32

/**
 * Median cold latency over median warm latency of one operation. `cold` runs `prepareCold`
 * (untimed) before every timed call, so each cold call is truly cold and timed alone; warm
 * calls are timed in batches of {@link warmBatch}, each sample the batch's time per call.
 */
export async function speedup(options: {
  operation: () => Promise<unknown>
  prepareCold: () => Promise<unknown>
  coldSamples: number
  /** Warm calls in all; rounded up to whole batches. */
  warmSamples: number
}): Promise<{ ratio: number; coldMs: number; warmMs: number }> {
  const cold: number[] = []
  for (let i = 0; i < options.coldSamples; i++) {
    await options.prepareCold()
    cold.push(await timeMs(options.operation))
  }
  await options.operation()
  const warm: number[] = []
  const batches = Math.ceil(options.warmSamples / warmBatch)
  for (let i = 0; i < batches; i++) {
    const started = performance.now()
    for (let k = 0; k < warmBatch; k++) await options.operation()
    warm.push((performance.now() - started) / warmBatch)
  }
  const coldMs = median(cold)
  const warmMs = median(warm)
  return { ratio: coldMs / warmMs, coldMs, warmMs }
}
