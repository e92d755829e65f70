import { describe, expect, it } from 'vitest'
import type { Benchmark } from '../../src/core/plugin-api.js'
import { benchmarkKinds, type RoundBudget } from '../../src/runner/measure.js'

/** Spins for `ms` of wall time: untimed work tinybench's own budget does not see. */
function spin(ms: number) {
  const until = performance.now() + ms
  while (performance.now() < until);
}

const budget = (over: Partial<RoundBudget> = {}): RoundBudget => ({ time: 20, warmupTime: 0, minIterations: 5, signal: new AbortController().signal, ...over })

// tinybench counts only the task's own time against `time`: a near-instant task behind a 1 ms
// beforeEach would need ~20 ms of task time, i.e. hundreds of thousands of iterations (minutes).
// The wall-clock budget ends the round after ~20 iterations. Counts, not durations, are
// asserted, so a slower or busier machine only makes the counts smaller.
describe('measure: the round budget is wall time', () => {
  const slowSetup: Benchmark = { name: 'slow-before-each', kind: 'latency', beforeEach: () => spin(1), fn: () => 1 }

  it('a latency round of a sub-µs task behind a slow beforeEach stops at its wall-clock budget', async () => {
    const { samples } = await benchmarkKinds.latency.round(slowSetup, undefined, budget())
    expect(samples!.length).toBeGreaterThanOrEqual(5)
    expect(samples!.length).toBeLessThan(100)
    // The samples are still the task's own time, not the beforeEach's 1 ms.
    expect(Math.max(...samples!)).toBeLessThan(1)
  })

  it('the warm-up is bounded the same way, and never cut below one iteration', async () => {
    let calls = 0
    const counted: Benchmark = { ...slowSetup, beforeEach: () => (calls++, spin(1)) }
    await benchmarkKinds.latency.round(counted, undefined, budget({ warmupTime: 10 }))
    expect(calls).toBeLessThan(200)
    calls = 0
    const slowTask: Benchmark = { name: 'slow', kind: 'latency', fn: () => (calls++, spin(30)) }
    const { samples } = await benchmarkKinds.latency.round(slowTask, undefined, budget({ time: 1, warmupTime: 1, minIterations: 3 }))
    expect(samples).toHaveLength(3)
    // One warm-up call, three measured; tinybench's async detection calls each phase's task once more.
    expect(calls).toBeGreaterThanOrEqual(4)
  })

  it('keeps the minimum number of iterations even when the budget is spent by the first', async () => {
    const { samples } = await benchmarkKinds.latency.round({ ...slowSetup, beforeEach: () => spin(25) }, undefined, budget({ minIterations: 4 }))
    expect(samples).toHaveLength(4)
  })

  it('a throughput round is bounded by wall time too, and its rate counts every operation over that time', async () => {
    let ops = 0
    const b: Benchmark = { name: 'tput', kind: 'throughput', beforeEach: () => spin(1), fn: () => void ops++ }
    const { value } = await benchmarkKinds.throughput.round(b, undefined, budget({ time: 30 }))
    expect(ops).toBeLessThan(200)
    // ≈1 ms an operation of wall time, so at most ≈1000 ops/s, whatever the task's own time.
    expect(value).toBeLessThan(1100)
    expect(value).toBeGreaterThan(0)
  })

  // A stall between tinybench's clock read and its first check (a GC or a preemption longer than
  // the round) once ended a round with 16 in flight in state 'started', with no operation. A
  // round of 1 ns has spent its time before any check, the same way, every time.
  it('a throughput round with operations in flight whose time is spent before the first one still completes its minimum', async () => {
    let ops = 0
    const b: Benchmark = {
      name: 'in-flight',
      kind: 'throughput',
      concurrency: 16,
      fn: () => new Promise<void>((resolve) => setImmediate(() => resolve(void ops++))),
    }
    const { value } = await benchmarkKinds.throughput.round(b, undefined, budget({ time: 1e-6, minIterations: 5 }))
    expect(ops).toBeGreaterThanOrEqual(5)
    expect(value).toBeGreaterThan(0)
  })

  it('an interrupt still ends the round as an error, not as a complete round', async () => {
    const controller = new AbortController()
    // beforeEach yields to the event loop, as an I/O-bound benchmark does, so the timer can fire.
    const b: Benchmark = { name: 'interrupted', kind: 'latency', beforeEach: () => new Promise<void>((resolve) => setImmediate(resolve)), fn: () => 1 }
    setTimeout(() => controller.abort(), 15)
    await expect(benchmarkKinds.latency.round(b, undefined, budget({ time: 5_000, signal: controller.signal }))).rejects.toThrow(
      /round ended in state 'aborted/,
    )
  })
})
