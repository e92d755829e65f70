import { performance } from 'node:perf_hooks'

import { median, quantile } from 'simple-statistics'
import { Bench } from 'tinybench'

import type { Benchmark, BenchmarkKind, Direction } from '../core/plugin-api.js'
import type { WarmupOutcome } from '../core/result.js'

export interface RoundBudget {
  /** Time budget of the round, ms. */
  time: number
  /** Minimum warm-up before the round, ms (0: none). The warm-up goes on until the benchmark is steady, up to `maxWarmupTime`. */
  warmupTime: number
  /** Longest warm-up, ms, when the benchmark does not settle (a busy machine). @default 4 × warmupTime */
  maxWarmupTime?: number
  /** Minimum iterations of the round (batches, for a batched benchmark). */
  minIterations: number
  signal: AbortSignal
  /** Operations per round, for measures that count a fixed number (instructions). */
  operations?: number
}

/** What one round yields: its primary value (the sample unit for comparisons) and, for latency, the raw samples. */
export interface RoundOutcome {
  value: number
  samples?: number[]
  /** The benchmark's warm-up in this process (set on the round that warmed up). */
  warmup?: WarmupOutcome
}

interface KindSpec {
  unit: string | undefined
  direction: Direction | undefined
  /** Does the result's distribution come from pooled raw samples (latency) or from the round values? */
  pooled: boolean
  round: (bench: Benchmark, state: unknown, budget: RoundBudget) => Promise<RoundOutcome>
}

/** Measuring defaults (README "What a verdict means" has the measurements behind them). */
export const measureDefaults = {
  /**
   * A batch of calls is timed as one sample once it lasts this long, µs. One call of a
   * sub-µs operation timed alone is mostly timer and harness: `performance.now()` twice, a
   * promise, tinybench's bookkeeping. At 25 µs a batch those costs are below 0.5% of a sample.
   * @default 25
   */
  targetBatchMicros: 25,
  /** @default 65_536 */
  maxBatch: 65_536,
  /** The warm-up is judged in chunks of this many ms. @default 10 */
  warmupChunkMs: 10,
  /**
   * Steady: the medians of the last three warm-up chunks lie within this relative spread. V8
   * compiles hot code in tiers on a background thread; a round that starts while that is still
   * going on measures the compiler's progress (simple-render took 300 ms to settle here).
   * @default 0.03
   */
  steadySpread: 0.03,
  /**
   * The quantile of a latency round's per-call times that is the round's value (the sample
   * unit of comparisons). Interference — another process, a busy core, the kernel — only ever
   * adds time, so a low quantile is the most repeatable estimate of what the code costs (Chen
   * & Revels, "Robust benchmarking in noisy environments", 2016). Measured on the bundled
   * suite, 8 processes: per-process CV of the 0.1 quantile vs the median, cold-resolution 6.3%
   * vs 12.4%, complex-render 9.1% vs 17.1%, l2-hit-latency 1.8% vs 6.2%, and within 0.1 point where
   * not better (docs/measurements.md). Tails are what targets (p95, p99) are for.
   * @default 0.1
   */
  roundQuantile: 0.1,
} as const

type BatchLoop = (state: unknown, calls: number) => Promise<void>

/**
 * A loop of `calls` operations compiled for this benchmark alone. A loop shared by every
 * benchmark sees many different `fn`s at one call site, which V8 then stops inlining
 * (megamorphic), so a benchmark's number would depend on which ran before it in the process;
 * mitata compiles one loop per benchmark for the same reason. A promise is awaited only when
 * the operation returns one.
 */
function compileLoop(fn: Benchmark['fn'], beforeEach: Benchmark['beforeEach']): BatchLoop {
  const body = `
    for (let i = 0; i < calls; i++) {
      ${beforeEach ? 'const b = beforeEach(state); if (b !== null && typeof b === "object" && typeof b.then === "function") await b' : ''}
      const r = fn(state)
      if (r !== null && typeof r === "object" && typeof r.then === "function") await r
    }`
  const make = new Function('fn', 'beforeEach', `return async function batch(state, calls) {${body}\n}`) as (
    fn: Benchmark['fn'],
    beforeEach: Benchmark['beforeEach'],
  ) => BatchLoop
  return make(fn, beforeEach)
}

/** Per benchmark (object) of this process: its compiled loop and the batch size its warm-up chose. */
const calibrations = new WeakMap<Benchmark, { loop: BatchLoop; batch: number; warmup?: WarmupOutcome; async?: boolean }>()

const isPromise = (value: unknown): value is Promise<unknown> =>
  value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function'

/**
 * One untimed call behind its `beforeEach`, to learn whether `fn` is asynchronous. tinybench
 * would otherwise find out by calling `fn` once without `beforeEach`, which breaks the contract
 * that `beforeEach` precedes every call.
 */
async function callOnce(b: Benchmark, state: unknown): Promise<boolean> {
  await b.beforeEach?.(state)
  const result = b.fn!(state)
  if (isPromise(result)) await result
  return isPromise(result)
}

/**
 * Latency benchmarks without `beforeEach` are timed in batches (`beforeEach` must run before
 * every call, outside the timed window, so those keep one call a sample); throughput always
 * runs batches, its `beforeEach` inside them, as its wall time always included it.
 */
function batched(b: Benchmark): boolean {
  return b.kind === 'throughput' || !b.beforeEach
}

function calibrationOf(b: Benchmark) {
  let c = calibrations.get(b)
  if (!c) {
    c = { loop: compileLoop(b.fn, b.kind === 'throughput' ? b.beforeEach : undefined), batch: 1 }
    calibrations.set(b, c)
  }
  return c
}

/**
 * Steady once the per-call median of the last third of the warm-up lies within `spread` of the
 * middle third's. Thirds of the elapsed time, not a fixed window: a short plateau between two
 * of V8's compiler tiers (seen: 35 µs for the first 100 ms of simple-render, 16 µs for the
 * next, 11 µs from 200 ms on) must not pass for the end of the warm-up.
 */
export function isSteady(chunks: ReadonlyArray<{ at: number; median: number }>, now: number, spread: number): boolean {
  const third = now / 3
  const middle = chunks.filter((c) => c.at > third && c.at <= 2 * third).map((c) => c.median)
  const last = chunks.filter((c) => c.at > 2 * third).map((c) => c.median)
  if (middle.length < 2 || last.length < 2) return false
  const m = median(middle)
  return Math.abs(median(last) - m) / m <= spread
}

/**
 * Warm-up to a steady state: runs the benchmark in chunks of `warmupChunkMs`, growing the
 * batch until one lasts `targetBatchMicros`, and stops once `warmupTime` has passed and the
 * benchmark is steady ({@link isSteady}), or at `maxWarmupTime`. Untimed by the round; the
 * batch size it settles on is kept for the benchmark's rounds in this process.
 */
export async function warmUp(b: Benchmark, state: unknown, budget: RoundBudget): Promise<WarmupOutcome> {
  const c = calibrationOf(b)
  const inBatches = batched(b)
  const started = performance.now()
  const maxMs = Math.max(budget.warmupTime, budget.maxWarmupTime ?? 4 * budget.warmupTime)
  const chunks: Array<{ at: number; median: number }> = []
  for (;;) {
    if (budget.signal.aborted) throw new Error("round ended in state 'aborted' (interrupted during the warm-up)")
    const times: number[] = []
    const chunkEnd = performance.now() + measureDefaults.warmupChunkMs
    do {
      if (inBatches) {
        const t0 = performance.now()
        await c.loop(state, c.batch)
        const elapsed = performance.now() - t0
        times.push(elapsed / c.batch)
        if (elapsed * 1000 < measureDefaults.targetBatchMicros && c.batch < measureDefaults.maxBatch) c.batch *= 2
      } else {
        await b.beforeEach!(state)
        const t0 = performance.now()
        const result = b.fn!(state)
        if (isPromise(result)) await result
        times.push(performance.now() - t0)
        c.async = isPromise(result)
      }
    } while (performance.now() < chunkEnd)
    const at = performance.now() - started
    chunks.push({ at, median: median(times) })
    const steady = at >= budget.warmupTime && isSteady(chunks, at, measureDefaults.steadySpread)
    if (steady || at >= maxMs) {
      const outcome = { batch: inBatches ? c.batch : 1, ms: at, steady }
      c.warmup = outcome
      return outcome
    }
  }
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
 * timed window, so samples are unchanged.
 */
class WallClockBudget {
  readonly #controller = new AbortController()
  #deadline = Infinity
  #iterations = 0

  constructor(
    private readonly ms: number,
    private readonly minIterations: number,
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
    if (++this.#iterations >= this.minIterations && performance.now() >= this.#deadline) this.#controller.abort()
  }
}

/**
 * Runs one round of `budget.time` ms (wall clock) of the benchmark through tinybench; one
 * tinybench iteration is one batch of `batch` calls (or one call behind its `beforeEach`).
 */
async function runRound(
  b: Benchmark,
  state: unknown,
  budget: RoundBudget,
  options: { retainSamples: boolean; extra?: Partial<ConstructorParameters<typeof Bench>[0]> },
) {
  if (budget.warmupTime > 0) await warmUp(b, state, budget)
  const wall = new WallClockBudget(budget.time, budget.minIterations)
  const bench = newBench(b, budget, { retainSamples: options.retainSamples, ...options.extra })
  const hooks = { signal: wall.signal, beforeAll: wall.start, afterEach: wall.check }
  let batch = 1
  if (batched(b)) {
    const c = calibrationOf(b)
    batch = c.batch
    bench.add(b.name, () => c.loop(state, batch), { ...hooks, async: true })
  } else {
    const c = calibrationOf(b)
    c.async ??= await callOnce(b, state)
    const fn = b.fn!
    const beforeEach = b.beforeEach!
    bench.add(b.name, () => fn(state), { ...hooks, async: c.async, beforeEach: () => beforeEach(state) as void | Promise<void> })
  }
  await bench.run()
  return { result: completed(bench, wall), batch }
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

/** The measuring procedure of each benchmark kind (a registry, not a switch). */
export const benchmarkKinds: Record<BenchmarkKind, KindSpec> = {
  latency: {
    unit: 'ms',
    direction: 'lower',
    pooled: true,
    async round(b, state, budget) {
      const { result, batch } = await runRound(b, state, budget, { retainSamples: true })
      // A batch's time over its calls: each sample is the mean time of one call in that batch.
      const samples = Array.from(result.latency.samples ?? [], (t) => t / batch)
      if (samples.length === 0) throw new Error('round produced no samples')
      return { value: quantile(samples, measureDefaults.roundQuantile), samples, warmup: calibrations.get(b)?.warmup }
    },
  },
  throughput: {
    unit: 'ops/s',
    direction: 'higher',
    pooled: false,
    // One observation per round: completed operations over wall time with `concurrency` in
    // flight (that many batches at once, each running its calls one after another).
    // tinybench's own throughput is 1000/latency per sample, which is not a rate once
    // operations overlap.
    async round(b, state, budget) {
      const concurrency = b.concurrency ?? 1
      // In flight, tinybench checks its `time` before each operation starts: a stall of more than
      // the round's 2 ms between its clock read and the first check (a GC, a preemption) ended
      // the round with no operation, in state 'started'. Its time is unbounded here; the
      // wall-clock budget ends the round, after at least `minIterations`.
      const extra = concurrency > 1 ? { concurrency: 'task' as const, threshold: concurrency, iterations: 0, time: Infinity } : {}
      if (budget.warmupTime > 0) await warmUp(b, state, budget)
      const started = performance.now()
      const { result, batch } = await runRound(b, state, { ...budget, warmupTime: 0 }, { retainSamples: false, extra })
      const elapsed = performance.now() - started
      const ops = result.latency.samplesCount * batch
      return { value: (ops * 1000) / elapsed, warmup: calibrations.get(b)?.warmup }
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
