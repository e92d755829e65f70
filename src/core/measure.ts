import { performance } from 'node:perf_hooks'

import { median } from 'simple-statistics'
import { Bench } from 'tinybench'

import type { Benchmark, BenchmarkKind, Direction } from './plugin-api.js'

export interface RoundBudget {
  /** Time budget of the round, ms. */
  time: number
  /** Warm-up before the round, ms (0: none). */
  warmupTime: number
  minIterations: number
  signal: AbortSignal
}

/** What one round yields: its primary value (the sample unit for comparisons) and, for latency, the raw samples. */
export interface RoundOutcome {
  value: number
  samples?: number[]
}

interface KindSpec {
  unit: string | undefined
  direction: Direction | undefined
  /** Does the result's distribution come from pooled raw samples (latency) or from the round values? */
  pooled: boolean
  round: (bench: Benchmark, state: unknown, budget: RoundBudget) => Promise<RoundOutcome>
}

function newBench(b: Benchmark, budget: RoundBudget, extra: Partial<ConstructorParameters<typeof Bench>[0]> = {}): Bench {
  return new Bench({
    name: b.name,
    time: budget.time,
    iterations: budget.minIterations,
    warmup: budget.warmupTime > 0,
    warmupTime: budget.warmupTime,
    warmupIterations: 1,
    retainSamples: true,
    throws: true,
    signal: budget.signal,
    ...extra,
  })
}

function addTask(bench: Bench, b: Benchmark, state: unknown): void {
  const fn = b.fn!
  const beforeEach = b.beforeEach
  bench.add(b.name, () => fn(state), beforeEach ? { beforeEach: () => beforeEach(state) as void | Promise<void> } : {})
}

function completed(bench: Bench) {
  const result = bench.tasks[0]?.result
  if (!result) throw new Error('tinybench returned no result')
  if (result.state === 'errored') throw result.error
  if (result.state !== 'completed') throw new Error(`round ended in state '${result.state}'`)
  return result
}

/** The measuring procedure of each benchmark kind (STYLE.md: registries, not switches). */
export const benchmarkKinds: Record<BenchmarkKind, KindSpec> = {
  latency: {
    unit: 'ms',
    direction: 'lower',
    pooled: true,
    async round(b, state, budget) {
      const bench = newBench(b, budget)
      addTask(bench, b, state)
      await bench.run()
      const samples = Array.from(completed(bench).latency.samples ?? [])
      if (samples.length === 0) throw new Error('round produced no samples')
      return { value: median(samples), samples }
    },
  },
  throughput: {
    unit: 'ops/s',
    direction: 'higher',
    pooled: false,
    // One observation per round: completed operations over wall time with `concurrency` in
    // flight. tinybench's own throughput is 1000/latency per sample, which is not a rate
    // once operations overlap.
    async round(b, state, budget) {
      const concurrency = b.concurrency ?? 1
      const extra = concurrency > 1 ? { concurrency: 'task' as const, threshold: concurrency, iterations: 0 } : {}
      if (budget.warmupTime > 0) {
        const warm = newBench(b, { ...budget, time: budget.warmupTime, warmupTime: 0 }, extra)
        addTask(warm, b, state)
        await warm.run()
        completed(warm)
      }
      const bench = newBench(b, { ...budget, warmupTime: 0 }, extra)
      addTask(bench, b, state)
      const started = performance.now()
      await bench.run()
      const elapsed = performance.now() - started
      const ops = completed(bench).latency.samplesCount
      return { value: (ops * 1000) / elapsed }
    },
  },
  value: {
    unit: undefined,
    direction: undefined,
    pooled: false,
    async round(b, state) {
      const value = await b.measure!(state)
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`measure() returned ${String(value)}, expected a finite number`)
      return { value }
    },
  },
}
