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
  /** Operations per round, for measures that count a fixed number (instructions). */
  operations?: number
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
    warmup: false,
    retainSamples: true,
    throws: true,
    signal: budget.signal,
    ...extra,
  })
}

/**
 * tinybench charges its `time` budget with the task's own duration only, so a sub-µs task
 * spends several times its budget in wall time on timer calls, bookkeeping and `beforeEach`
 * (a 100 + 150 ms budget took ≈0.6 s). This deadline ends a phase once its budget of wall time
 * is spent and at least `minIterations` ran: it is checked after an iteration, outside the
 * timed window, so samples are unchanged. `every` > 1 reads the clock only every n-th
 * iteration, for throughput rounds whose wall time includes everything.
 */
class WallClockBudget {
  readonly #controller = new AbortController()
  #deadline = Infinity
  #iterations = 0

  constructor(
    private readonly ms: number,
    private readonly minIterations: number,
    private readonly every: number,
  ) {}

  get signal(): AbortSignal {
    return this.#controller.signal
  }

  get expired(): boolean {
    return this.#controller.signal.aborted
  }

  start = (): void => {
    this.#deadline = performance.now() + this.ms
    this.#iterations = 0
  }

  /** After an iteration: ends the phase when the budget is spent. */
  check = (): void => {
    const n = ++this.#iterations
    if (n >= this.minIterations && n % this.every === 0 && performance.now() >= this.#deadline) this.#controller.abort()
  }
}

/** The warm-up phase: `warmupTime` of wall time, at least one iteration. */
function warmupBudget(budget: RoundBudget): RoundBudget {
  return { ...budget, time: budget.warmupTime, warmupTime: 0, minIterations: 1 }
}

/** Runs one phase of `budget.time` ms (wall clock) of the benchmark; returns its tinybench result. */
async function runPhase(b: Benchmark, state: unknown, budget: RoundBudget, options: { every: number; retainSamples: boolean; extra?: Partial<ConstructorParameters<typeof Bench>[0]> }) {
  const wall = new WallClockBudget(budget.time, budget.minIterations, options.every)
  const bench = newBench(b, budget, { retainSamples: options.retainSamples, ...options.extra })
  const fn = b.fn!
  const beforeEach = b.beforeEach
  bench.add(b.name, () => fn(state), {
    signal: wall.signal,
    beforeAll: wall.start,
    ...(beforeEach ? { beforeEach: () => beforeEach(state) as void | Promise<void> } : {}),
    afterEach: wall.check,
  })
  await bench.run()
  return completed(bench, wall)
}

function completed(bench: Bench, wall: WallClockBudget) {
  const result = bench.tasks[0]?.result
  if (!result) throw new Error('tinybench returned no result')
  if (result.state === 'errored') throw result.error
  // Stopped by the wall-clock budget (not by an interrupt): a complete round.
  if (result.state === 'aborted-with-statistics' && wall.expired && !bench.signal?.aborted) return result
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
      if (budget.warmupTime > 0) await runPhase(b, state, warmupBudget(budget), { every: 1, retainSamples: false })
      const result = await runPhase(b, state, budget, { every: 1, retainSamples: true })
      const samples = Array.from(result.latency.samples ?? [])
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
      // The wall-clock check reads the clock every 16th operation only: here it is inside the measured time.
      const phase = { every: 16, retainSamples: false, extra }
      if (budget.warmupTime > 0) await runPhase(b, state, warmupBudget(budget), phase)
      const started = performance.now()
      const result = await runPhase(b, state, budget, phase)
      const elapsed = performance.now() - started
      const ops = result.latency.samplesCount
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
