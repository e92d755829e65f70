import { describe, expect, it } from 'vitest'
import type { Benchmark } from '../../src/core/plugin-api.js'
import { benchmarkKinds, isSteady, measureDefaults, type RoundBudget, warmUp } from '../../src/runner/measure.js'

const budget = (over: Partial<RoundBudget> = {}): RoundBudget => ({
  time: 20,
  warmupTime: 20,
  maxWarmupTime: 40,
  minIterations: 5,
  signal: new AbortController().signal,
  ...over,
})

// Counts and sizes, not durations: a slower machine changes how many, never whether.
describe('measure: sub-µs calls are timed in batches', () => {
  it('a latency benchmark without beforeEach runs in batches, and each sample is the time of one call', async () => {
    let calls = 0
    const b: Benchmark = { name: 'tiny', kind: 'latency', fn: () => void calls++ }
    const { samples, warmup } = await benchmarkKinds.latency.round(b, undefined, budget())
    expect(warmup!.batch).toBeGreaterThan(1)
    expect(warmup!.batch).toBeLessThanOrEqual(measureDefaults.maxBatch)
    // Every sample stands for `batch` calls; a call of `calls++` takes far less than a millisecond.
    expect(calls).toBeGreaterThanOrEqual(samples!.length * warmup!.batch)
    expect(Math.max(...samples!)).toBeLessThan(1)
  })

  it('a latency benchmark with beforeEach keeps one call a sample, beforeEach before each', async () => {
    let before = 0
    let calls = 0
    const b: Benchmark = { name: 'cold', kind: 'latency', beforeEach: () => void before++, fn: () => void calls++ }
    const { samples, warmup } = await benchmarkKinds.latency.round(b, undefined, budget())
    expect(warmup!.batch).toBe(1)
    expect(before).toBe(calls)
    expect(samples!.length).toBeLessThanOrEqual(calls)
  })

  it('awaits an operation that returns a promise, and only then starts the next', async () => {
    let inFlight = 0
    let most = 0
    const b: Benchmark = {
      name: 'async',
      kind: 'latency',
      fn: async () => {
        most = Math.max(most, ++inFlight)
        await Promise.resolve()
        inFlight--
      },
    }
    await benchmarkKinds.latency.round(b, undefined, budget())
    expect(most).toBe(1)
  })

  it('a throughput batch runs beforeEach before every operation, inside its wall time', async () => {
    let before = 0
    let ops = 0
    const b: Benchmark = { name: 'tput', kind: 'throughput', beforeEach: () => void before++, fn: () => void ops++ }
    const { value } = await benchmarkKinds.throughput.round(b, undefined, budget())
    expect(before).toBe(ops)
    expect(value).toBeGreaterThan(0)
  })

  it('keeps the batch size it chose in the warm-up for the rounds after it', async () => {
    const b: Benchmark = { name: 'kept', kind: 'latency', fn: () => undefined }
    const first = await benchmarkKinds.latency.round(b, undefined, budget())
    const second = await benchmarkKinds.latency.round(b, undefined, budget({ warmupTime: 0 }))
    expect(second.warmup).toEqual(first.warmup)
  })
})

describe('measure: the warm-up goes on until the benchmark is steady', () => {
  const chunks = (medians: number[]) => medians.map((median, i) => ({ at: (i + 1) * 10, median }))

  it('is steady when the last third of the warm-up matches the middle third', () => {
    expect(isSteady(chunks([30, 20, 11, 11.1, 11, 10.9]), 60, 0.03)).toBe(true)
  })

  it('is not steady while V8 is still compiling (the last third faster than the middle)', () => {
    expect(isSteady(chunks([35, 35, 16, 16, 11, 11]), 60, 0.03)).toBe(false)
  })

  it('a plateau short against the elapsed time does not count (a pause between compiler tiers)', () => {
    // 100 ms at 35 µs, then three chunks at 16 µs: the middle third still holds 35 µs chunks.
    expect(isSteady(chunks([35, 35, 35, 35, 35, 35, 35, 16, 16, 16]), 100, 0.03)).toBe(false)
  })

  it('needs two chunks in each third', () => {
    expect(isSteady(chunks([11, 11, 11]), 30, 0.03)).toBe(false)
  })

  it('stops at the longest warm-up when the benchmark never settles, and says so', async () => {
    let n = 0
    // Every call slower than the one before: never steady.
    const b: Benchmark = {
      name: 'drifting',
      kind: 'latency',
      beforeEach: () => undefined,
      fn: () => {
        const until = performance.now() + 0.01 * ++n
        while (performance.now() < until);
      },
    }
    const outcome = await warmUp(b, undefined, budget({ warmupTime: 10, maxWarmupTime: 60 }))
    expect(outcome.steady).toBe(false)
    expect(outcome.ms).toBeGreaterThanOrEqual(60)
  })

  it('an interrupt during the warm-up ends it as an error', async () => {
    const controller = new AbortController()
    controller.abort()
    const b: Benchmark = { name: 'x', kind: 'latency', fn: () => undefined }
    await expect(warmUp(b, undefined, budget({ signal: controller.signal }))).rejects.toThrow(/aborted/)
  })
})
