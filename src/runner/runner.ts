import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { instructionDefaults, runnerDefaults } from '../core/defaults.js'
import { errorMessage } from '../core/errors.js'
import { benchMatcher } from '../core/glob.js'
import { metricKey } from '../core/metric-key.js'
import { type Benchmark, isSkip, type Plugin, type PluginLogger } from '../core/plugin-api.js'
import type { BenchmarkResult, ResultBase, RunnerEvent } from '../core/result.js'
import { StatisticOverflowError, type Stats, sketch, summarize } from '../core/summary.js'
import { evaluateTargets, type TargetResult } from '../core/targets.js'
import type { Measure } from '../core/vocabulary.js'
import { type LoadCounters, LoadMeter } from './load-meter.js'
import type { RoundOutcome } from './measure.js'
import { measures } from './measures.js'
import type { LoadedPlugin } from './plugin-loader.js'

export interface RunnerOptions {
  rounds: number
  /** Rounds of a value benchmark (one `measure()` call each), where they differ from `rounds`. @default rounds */
  valueRounds?: number
  /**
   * Rounds of a CPU-bound throughput benchmark (not `bound: 'io'`), where they differ from
   * `rounds`: such a round is one observation (operations over a short wall time, which a GC
   * lands in or not), where a latency round is the median of many timed batches. @default rounds
   */
  throughputRounds?: number
  time: number
  /**
   * Time budget of a round of an I/O-bound latency benchmark (`bound: 'io'`), ms, where it
   * differs from `time`: its round is a low quantile of the few calls that fit (a SQL query or a
   * Redis round trip, 0.07–0.21 ms each: 10–14 in 2 ms), and that quantile's sampling error is most of the spread
   * between processes. @default time
   */
  ioLatencyTime?: number
  warmupTime: number
  maxWarmupTime: number
  timeout: number
  minIterations: number
  storedSamplesPerRound: number
  /** What is measured: wall time, or instructions under Valgrind. @default 'time' */
  measure?: Measure
  /** `measure: 'instructions'`: operations counted per round. */
  operations?: number
  profile: string
  quick: boolean
  /** `--bench` globs. */
  bench?: string[]
  /** Metric keys (`plugin/benchmark`) not to measure: a compare's settled metrics (jobs/paired-process.ts, `settledMetrics`). */
  skip?: readonly string[]
  pluginOptions?: Record<string, Record<string, unknown>>
  signal?: AbortSignal
  logger: PluginLogger
  onEvent?: (event: RunnerEvent) => void
  /** Called as soon as a benchmark finishes, so a crash later loses nothing already measured; `side` is the index of its side (0 in a plain run). */
  onResult?: (result: BenchmarkResult, side: number) => Promise<void> | void
  /** How busy the machine is during the rounds (load-meter.ts); a fresh meter on /proc when not given. */
  loadMeter?: LoadMeter
  /**
   * Measuring processes side by side (a paired compare): before a benchmark's `prepare` and
   * rounds, claims the machine, alone for a benchmark declared `alone: true`, else shared
   * (machine-claims.ts); resolves with the function that gives it back.
   */
  claim?: (alone: boolean) => Promise<() => void>
}

export interface RunOutcome {
  results: BenchmarkResult[]
  aborted: boolean
  warnings: string[]
  /** How busy the machine was during the rounds, as counters (load-meter.ts's loadFromCounters gives the fractions). */
  load: LoadCounters
}

/**
 * Lets the event loop run once. A round of synchronous or already-resolved calls is one long
 * chain of microtasks; without a turn of the loop before it, the supervised child's messages
 * (benchmark started, round n) would reach the parent only with the result, and the parent's
 * progress, timings and liveness check would see nothing until then.
 */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

export class TimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not finish within ${ms} ms (timeout); raise --timeout if it is expected to be slow`)
    this.name = 'TimeoutError'
  }
}

/** Races `work` against a timer; on time-out, `onTimeout` lets the work stop (e.g. abort tinybench). */
async function withTimeout<T>(work: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.()
      reject(new TimeoutError(what, ms))
    }, ms)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export function describeBenchmark(plugin: string, b: Benchmark, measure: Measure = 'time'): Omit<ResultBase, 'targets'> & { targets: Benchmark['targets'] } {
  const spec = measures[measure][b.kind]
  return {
    plugin,
    benchmark: b.name,
    kind: b.kind,
    unit: (spec.ownUnit ? spec.unit : (b.unit ?? spec.unit)) ?? '',
    direction: (spec.ownUnit ? spec.direction : (b.direction ?? spec.direction)) ?? 'lower',
    targets: b.targets ?? [],
  }
}

/**
 * How many rounds benchmark `b` gets in this run and how long each is, ms: a value benchmark
 * has `valueRounds`, a CPU-bound throughput `throughputRounds`, an I/O-bound latency rounds of
 * `ioLatencyTime`; the rest, and any of these left unset, `rounds` × `time`.
 */
export function roundBudgetOf(
  b: Pick<Benchmark, 'kind' | 'bound'>,
  options: Pick<RunnerOptions, 'rounds' | 'time' | 'valueRounds' | 'throughputRounds' | 'ioLatencyTime'>,
): { rounds: number; time: number } {
  const io = b.bound === 'io'
  return {
    rounds:
      b.kind === 'value'
        ? (options.valueRounds ?? options.rounds)
        : b.kind === 'throughput' && !io
          ? (options.throughputRounds ?? options.rounds)
          : options.rounds,
    time: b.kind === 'latency' && io ? (options.ioLatencyTime ?? options.time) : options.time,
  }
}

/** One side's benchmark in a measuring process: its definition and its plugin's state. */
interface Subject {
  b: Benchmark
  state: unknown
}

/**
 * Measures one benchmark of every side given (one, or the base and head revisions of a paired
 * compare), their rounds alternating A B B A A B … so that whatever slows the process for a
 * while (README, "Paired in one process") falls on both sides alike. A side that fails is
 * recorded as errored and the others go on. Results are index-aligned with `subjects`.
 */
async function measureBenchmark(pluginName: string, subjects: Subject[], options: RunnerOptions, meter: LoadMeter): Promise<BenchmarkResult[]> {
  const first = subjects[0].b
  const base = { ...describeBenchmark(pluginName, first, options.measure), targets: [] as TargetResult[] }
  const spec = measures[options.measure ?? 'time'][first.kind]
  const outcomes: RoundOutcome[][] = subjects.map(() => [])
  const ended: Array<BenchmarkResult | undefined> = subjects.map(() => undefined)
  const fail = (side: number, error: unknown) => {
    const own = { ...describeBenchmark(pluginName, subjects[side].b, options.measure), targets: [] as TargetResult[] }
    ended[side] = isSkip(error) ? { ...own, status: 'skipped', reason: error.reason } : { ...own, status: 'errored', error: errorMessage(error) }
  }
  // The claim covers `prepare` too: re-warming a cache is I/O that the other process would share.
  const release = options.signal?.aborted ? undefined : await options.claim?.(subjects.some((s) => s.b.alone === true))
  try {
    for (const [side, s] of subjects.entries()) {
      try {
        if (s.b.prepare) await withTimeout(Promise.resolve(s.b.prepare(s.state)), options.timeout, `${pluginName}/${s.b.name} prepare`)
      } catch (error) {
        fail(side, error)
      }
    }
    const { rounds, time } = roundBudgetOf(first, options)
    for (let round = 0; round < rounds && !ended.every(Boolean); round++) {
      if (options.signal?.aborted) return subjects.map(() => ({ ...base, status: 'errored', error: 'aborted' }))
      const order = round % 2 === 0 ? [...subjects.keys()] : [...subjects.keys()].reverse()
      for (const side of order) {
        if (ended[side]) continue
        // Each side's round is announced: the supervisor's watchdog gives every round its own --timeout.
        options.onEvent?.({ type: 'round', plugin: pluginName, benchmark: first.name, round: round + 1, rounds })
        await yieldToEventLoop()
        const { b, state } = subjects[side]
        const controller = new AbortController()
        const stop = () => controller.abort()
        options.signal?.addEventListener('abort', stop, { once: true })
        try {
          const budget = {
            time,
            warmupTime: outcomes[side].length === 0 ? options.warmupTime : 0,
            maxWarmupTime: options.maxWarmupTime,
            minIterations: options.minIterations,
            signal: controller.signal,
            operations: options.operations,
          }
          // The load is taken over the rounds (the first one's warm-up included), not over set-up.
          const window = meter.start()
          try {
            outcomes[side].push(await withTimeout(spec.round(b, state, budget), options.timeout, `${pluginName}/${b.name} round ${round + 1}`, stop))
          } finally {
            meter.stop(window)
          }
        } catch (error) {
          if (options.signal?.aborted) return subjects.map(() => ({ ...base, status: 'errored', error: 'aborted' }))
          fail(side, error)
        } finally {
          options.signal?.removeEventListener('abort', stop)
        }
      }
    }
  } finally {
    release?.()
  }
  return subjects.map(
    (s, side) => ended[side] ?? summarized({ ...describeBenchmark(pluginName, s.b, options.measure), targets: [] }, s.b, spec, outcomes[side], options),
  )
}

/**
 * A value benchmark with `ratioOf`: round i of its numerator over round i of its denominator,
 * from the results this side measured before it (ratios come last in a plugin). Skipped, with
 * what to do, when either was not measured or did not complete; errored when their rounds do not
 * pair up.
 */
export function ratioResult(pluginName: string, b: Benchmark, measuredBefore: readonly BenchmarkResult[], options: RunnerOptions): BenchmarkResult {
  const base = { ...describeBenchmark(pluginName, b, options.measure), targets: [] as TargetResult[] }
  const { numerator, denominator } = b.ratioOf!
  const parts: number[][] = []
  for (const name of [numerator, denominator]) {
    const r = measuredBefore.find((x) => x.benchmark === name)
    if (r?.status !== 'completed') {
      const why = !r
        ? 'was not measured in this process: select both parts with --bench (after a crashed measuring process, a fresh one has only what was left)'
        : r.status === 'skipped'
          ? `was skipped (${r.reason})`
          : `was ${r.status}`
      return { ...base, status: 'skipped', reason: `computed from ${numerator} over ${denominator}, and ${name} ${why}` }
    }
    parts.push(r.rounds)
  }
  const [top, bottom] = parts
  const rounds = top.map((v, i) => v / bottom[i])
  if (top.length !== bottom.length || !rounds.every((v) => Number.isFinite(v) && v >= 0)) {
    const what =
      top.length !== bottom.length ? `${top.length} rounds of ${numerator} against ${bottom.length} of ${denominator}` : `a round of ${denominator} was 0`
    return { ...base, status: 'errored', error: `cannot compute ${numerator} over ${denominator}: ${what}` }
  }
  return summarized(
    base,
    b,
    measures.time.value,
    rounds.map((value) => ({ value })),
    options,
  )
}

/** A completed benchmark's result from its rounds: statistics, stored samples, targets. */
function summarized(
  base: Omit<ResultBase, 'targets'> & { targets: TargetResult[] },
  b: Benchmark,
  spec: (typeof measures)[Measure][Benchmark['kind']],
  outcomes: RoundOutcome[],
  options: RunnerOptions,
): BenchmarkResult {
  const rounds = outcomes.map((o) => o.value)
  let stats: Stats
  try {
    stats = spec.pooled ? summarize(outcomes.flatMap((o) => o.samples ?? [])) : summarize(rounds)
  } catch (error) {
    if (error instanceof StatisticOverflowError) return { ...base, status: 'errored', error: error.message }
    throw error
  }
  const samples = spec.pooled ? outcomes.map((o) => ({ count: o.samples!.length, values: sketch(o.samples!, options.storedSamplesPerRound) })) : []
  const warmup = outcomes.find((o) => o.warmup)?.warmup
  // Targets are stated in the benchmark's own unit (ms, ops/s), never in another measure's.
  const targets = spec.ownUnit ? [] : evaluateTargets(b.targets, stats)
  return { ...base, status: 'completed', stats, rounds, samples, targets, ...(warmup ? { warmup } : {}) }
}

function erroredAll(plugin: Plugin, benchmarks: Benchmark[], status: 'errored' | 'skipped', message: string, measure?: Measure): BenchmarkResult[] {
  return benchmarks.map((b) => {
    const base = { ...describeBenchmark(plugin.name, b, measure), targets: [] as TargetResult[] }
    return status === 'skipped' ? { ...base, status, reason: message } : { ...base, status, error: message }
  })
}

/** What setup changed in the plugin's benchmark definitions (`name.field`), compared with the copies taken before it. */
function mutatedFields(originals: Benchmark[], copies: Benchmark[]): string[] {
  return originals.flatMap((b, i) => {
    const keys = new Set([...Object.keys(b), ...Object.keys(copies[i])]) as Set<keyof Benchmark>
    return [...keys].filter((k) => b[k] !== copies[i][k]).map((k) => `${copies[i].name}.${String(k)}`)
  })
}

/** A plugin of one side, as set up in this process. */
interface SideSetup {
  plugin: Plugin
  /** Copies of the definitions as loaded (setup must not change them). */
  benchmarks: Benchmark[]
  state: unknown
  tmpDir: string
}

/**
 * Sets one side's plugin up. A setup that fails or skips records that side's benchmarks and
 * returns undefined; any other side goes on.
 */
async function setUp(
  plugin: Plugin,
  loadedBenchmarks: Benchmark[],
  options: RunnerOptions,
  warnings: string[],
  emit: (result: BenchmarkResult) => Promise<void>,
): Promise<SideSetup | undefined> {
  // The definitions as validated at load: a setup that changes them (removes a fn, renames a
  // benchmark) would otherwise crash on a raw TypeError or store results under another metric.
  const benchmarks = loadedBenchmarks.map((b) => ({ ...b }))
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), `perftrack-${plugin.name}-`))
  try {
    const ctx = {
      profile: options.profile,
      options: options.pluginOptions?.[plugin.name] ?? {},
      logger: options.logger,
      tmpDir,
      quick: options.quick,
      roundTime: options.time,
      measure: options.measure ?? 'time',
    }
    const state = plugin.setup ? await withTimeout(Promise.resolve(plugin.setup(ctx)), options.timeout, `${plugin.name} setup`) : undefined
    const mutated = mutatedFields(loadedBenchmarks, benchmarks)
    if (mutated.length > 0) {
      const message = `${plugin.name}: setup changed its benchmark definitions (${mutated.join(', ')}); they are measured as loaded. Keep per-run data in the state setup returns.`
      warnings.push(message)
      options.onEvent?.({ type: 'plugin-warning', plugin: plugin.name, message })
    }
    return { plugin, benchmarks, state, tmpDir }
  } catch (error) {
    const failed = isSkip(error)
      ? erroredAll(plugin, benchmarks, 'skipped', error.reason, options.measure)
      : erroredAll(plugin, benchmarks, 'errored', `setup failed: ${errorMessage(error)}`, options.measure)
    for (const r of failed) await emit(r)
    await rm(tmpDir, { recursive: true, force: true })
    return undefined
  }
}

/** Setup and teardown always pair, whatever happened in between. */
async function tearDown(side: SideSetup, options: RunnerOptions, warnings: string[]): Promise<void> {
  try {
    if (side.plugin.teardown) await withTimeout(Promise.resolve(side.plugin.teardown(side.state)), options.timeout, `${side.plugin.name} teardown`)
  } catch (error) {
    const message = `${side.plugin.name}: teardown failed: ${errorMessage(error)}`
    warnings.push(message)
    options.onEvent?.({ type: 'plugin-warning', plugin: side.plugin.name, message })
  } finally {
    await rm(side.tmpDir, { recursive: true, force: true })
  }
}

/**
 * Runs the selected benchmarks of one plugin on each side given: one side in a plain run, or
 * the base and head revisions of a paired compare, set up side by side in this process and
 * measured benchmark by benchmark with their rounds alternating ({@link measureBenchmark}).
 * A benchmark only one side has is measured on that side alone. Results per side.
 */
async function runPlugin(
  sides: Array<{ loaded: LoadedPlugin; selected: Benchmark[] }>,
  options: RunnerOptions,
  warnings: string[],
  meter: LoadMeter,
): Promise<BenchmarkResult[][]> {
  const results: BenchmarkResult[][] = sides.map(() => [])
  const emitter = (side: number) => async (result: BenchmarkResult) => {
    results[side].push(result)
    options.onEvent?.({ type: 'benchmark-end', result })
    await options.onResult?.(result, side)
  }
  // Benchmarks the measure does not apply to are recorded as skipped without setting the plugin up for them.
  const kinds = measures[options.measure ?? 'time']
  const applicable: Benchmark[][] = []
  for (const [side, { loaded, selected }] of sides.entries()) {
    const kept: Benchmark[] = []
    for (const b of selected) {
      const reason = kinds[b.kind].skipReason?.(b)
      if (reason) await emitter(side)(erroredAll(loaded.plugin, [b], 'skipped', reason, options.measure)[0])
      else kept.push(b)
    }
    applicable.push(kept)
  }
  const setups: Array<SideSetup | undefined> = []
  try {
    for (const [side, { loaded }] of sides.entries()) {
      // A second side's setup gets its own --timeout from the supervisor's watchdog, as the first's did.
      if (side > 0) options.onEvent?.({ type: 'plugin-start', plugin: loaded.plugin.name, benchmarks: applicable[side].length })
      setups.push(applicable[side].length > 0 ? await setUp(loaded.plugin, applicable[side], options, warnings, emitter(side)) : undefined)
    }
    // A ratio comes after every benchmark measured: on each side its parts are then measured
    // before it, whatever order another revision lists them in.
    const all = setups.flatMap((s) => s?.benchmarks ?? [])
    const isRatio = (name: string) => all.some((b) => b.name === name && b.ratioOf)
    const union = [...new Set(all.map((b) => b.name))]
    const names = [...union.filter((n) => !isRatio(n)), ...union.filter(isRatio)]
    const pluginName = sides[0].loaded.plugin.name
    for (const [index, name] of names.entries()) {
      if (options.signal?.aborted) break
      const present = setups.flatMap((s, side) => {
        const b = s?.benchmarks.find((x) => x.name === name)
        return b ? [{ side, subject: { b, state: s!.state } }] : []
      })
      options.onEvent?.({ type: 'benchmark-start', plugin: pluginName, benchmark: name, index, total: names.length })
      await yieldToEventLoop()
      // A ratio is computed on each side from that side's rounds measured before it.
      for (const p of present.filter((x) => x.subject.b.ratioOf)) await emitter(p.side)(ratioResult(pluginName, p.subject.b, results[p.side], options))
      const timed = present.filter((x) => !x.subject.b.ratioOf)
      // Rounds alternate only between benchmarks of one kind; a benchmark whose kind changed
      // between the revisions is measured on each side in turn.
      const groups = timed.length === 0 ? [] : timed.every((p) => p.subject.b.kind === timed[0].subject.b.kind) ? [timed] : timed.map((p) => [p])
      for (const group of groups) {
        const measured = await measureBenchmark(
          pluginName,
          group.map((p) => p.subject),
          options,
          meter,
        )
        if (options.signal?.aborted) break
        for (const [k, result] of measured.entries()) await emitter(group[k].side)(result)
      }
      if (options.signal?.aborted) break
    }
  } finally {
    for (const s of setups) if (s) await tearDown(s, options, warnings)
  }
  return results
}

/** Whether a benchmark is to be measured: `--bench` selects it and it is not one of `skip`. */
export function benchmarkSelector(options: Pick<RunnerOptions, 'bench' | 'skip'>): (plugin: string, benchmark: string) => boolean {
  const matches = benchMatcher(options.bench)
  const skip = new Set(options.skip ?? [])
  return (plugin, benchmark) => matches(plugin, benchmark) && !skip.has(metricKey({ plugin, benchmark }))
}

/** Runs the selected benchmarks of every plugin, one plugin at a time, and returns every outcome. */
export async function runPlugins(plugins: LoadedPlugin[], options: RunnerOptions): Promise<RunOutcome> {
  const matches = benchmarkSelector(options)
  const results: BenchmarkResult[] = []
  const warnings: string[] = []
  const meter = options.loadMeter ?? new LoadMeter()
  for (const loaded of plugins) {
    if (options.signal?.aborted) break
    const benchmarks = loaded.plugin.benchmarks.filter((b) => matches(loaded.plugin.name, b.name))
    if (benchmarks.length === 0) continue
    options.onEvent?.({ type: 'plugin-start', plugin: loaded.plugin.name, benchmarks: benchmarks.length })
    results.push(...(await runPlugin([{ loaded, selected: benchmarks }], options, warnings, meter))[0])
  }
  return { results, aborted: options.signal?.aborted ?? false, warnings, load: meter.totals() }
}

/**
 * One plugin in two revisions (a paired compare's measuring process): both set up here, their
 * rounds alternating benchmark by benchmark. `results[i]` are side i's; `onResult` gets the side.
 */
export async function runPluginSides(sides: LoadedPlugin[], options: RunnerOptions): Promise<RunOutcome & { sides: BenchmarkResult[][] }> {
  const matches = benchmarkSelector(options)
  const warnings: string[] = []
  const meter = options.loadMeter ?? new LoadMeter()
  const selected = sides.map((loaded) => ({ loaded, selected: loaded.plugin.benchmarks.filter((b) => matches(loaded.plugin.name, b.name)) }))
  options.onEvent?.({ type: 'plugin-start', plugin: sides[0].plugin.name, benchmarks: selected[0].selected.length })
  const results = await runPlugin(selected, options, warnings, meter)
  return { results: results.flat(), sides: results, aborted: options.signal?.aborted ?? false, warnings, load: meter.totals() }
}

/** Runner options from flags over defaults; `quick` swaps in the quick budget. */
export function runnerBudget(
  flags: {
    rounds?: number
    time?: number
    warmup?: number
    maxWarmup?: number
    minIterations?: number
    timeout?: number
    quick?: boolean
    measure?: Measure
    operations?: number
  },
  config: { rounds?: number; time?: number; warmupTime?: number; maxWarmupTime?: number; timeout?: number } = {},
) {
  const quick = flags.quick ?? false
  return {
    measure: flags.measure ?? 'time',
    operations: flags.operations,
    rounds: flags.rounds ?? (quick ? runnerDefaults.quickRounds : (config.rounds ?? runnerDefaults.rounds)),
    time: flags.time ?? (quick ? runnerDefaults.quickTime : (config.time ?? runnerDefaults.time)),
    warmupTime: flags.warmup ?? (quick ? runnerDefaults.quickWarmupTime : (config.warmupTime ?? runnerDefaults.warmupTime)),
    maxWarmupTime: flags.maxWarmup ?? (quick ? runnerDefaults.quickMaxWarmupTime : (config.maxWarmupTime ?? runnerDefaults.maxWarmupTime)),
    // Under Valgrind set-up runs several times slower than natively (the cache plugin's production volume: over 60 s).
    timeout: flags.timeout ?? config.timeout ?? (flags.measure === 'instructions' ? instructionDefaults.timeout : runnerDefaults.timeout),
    minIterations: flags.minIterations ?? runnerDefaults.minIterations,
    storedSamplesPerRound: runnerDefaults.storedSamplesPerRound,
    quick,
  }
}
