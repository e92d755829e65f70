import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { instructionDefaults, runnerDefaults } from '../core/defaults.js'
import { errorMessage } from '../core/errors.js'
import { benchMatcher } from '../core/glob.js'
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
  time: number
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
  pluginOptions?: Record<string, Record<string, unknown>>
  signal?: AbortSignal
  logger: PluginLogger
  onEvent?: (event: RunnerEvent) => void
  /** Called as soon as a benchmark finishes, so a crash later loses nothing already measured. */
  onResult?: (result: BenchmarkResult) => Promise<void> | void
  /** How busy the machine is during the rounds (load-meter.ts); a fresh meter on /proc when not given. */
  loadMeter?: LoadMeter
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

async function measureBenchmark(pluginName: string, b: Benchmark, state: unknown, options: RunnerOptions, meter: LoadMeter): Promise<BenchmarkResult> {
  const base = { ...describeBenchmark(pluginName, b, options.measure), targets: [] as TargetResult[] }
  const spec = measures[options.measure ?? 'time'][b.kind]
  const outcomes: RoundOutcome[] = []
  try {
    if (b.prepare) await withTimeout(Promise.resolve(b.prepare(state)), options.timeout, `${pluginName}/${b.name} prepare`)
    for (let round = 0; round < options.rounds; round++) {
      if (options.signal?.aborted) return { ...base, status: 'errored', error: 'aborted' }
      options.onEvent?.({ type: 'round', plugin: pluginName, benchmark: b.name, round: round + 1, rounds: options.rounds })
      await yieldToEventLoop()
      const controller = new AbortController()
      const stop = () => controller.abort()
      options.signal?.addEventListener('abort', stop, { once: true })
      try {
        const budget = {
          time: options.time,
          warmupTime: round === 0 ? options.warmupTime : 0,
          maxWarmupTime: options.maxWarmupTime,
          minIterations: options.minIterations,
          signal: controller.signal,
          operations: options.operations,
        }
        // The load is taken over the rounds (the first one's warm-up included), not over set-up.
        const window = meter.start()
        try {
          outcomes.push(await withTimeout(spec.round(b, state, budget), options.timeout, `${pluginName}/${b.name} round ${round + 1}`, stop))
        } finally {
          meter.stop(window)
        }
      } finally {
        options.signal?.removeEventListener('abort', stop)
      }
    }
  } catch (error) {
    if (isSkip(error)) return { ...base, status: 'skipped', reason: error.reason }
    return { ...base, status: 'errored', error: errorMessage(error) }
  }
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

async function runPlugin(
  loaded: LoadedPlugin,
  selected: Benchmark[],
  options: RunnerOptions,
  warnings: string[],
  meter: LoadMeter,
): Promise<BenchmarkResult[]> {
  const { plugin } = loaded
  const emit = async (result: BenchmarkResult) => {
    options.onEvent?.({ type: 'benchmark-end', result })
    await options.onResult?.(result)
  }
  // Benchmarks the measure does not apply to are recorded as skipped without setting the plugin up for them.
  const kinds = measures[options.measure ?? 'time']
  const notApplicable: BenchmarkResult[] = []
  for (const b of selected) {
    const reason = kinds[b.kind].skipReason?.(b)
    if (reason) notApplicable.push(...erroredAll(plugin, [b], 'skipped', reason, options.measure))
  }
  for (const r of notApplicable) await emit(r)
  const loadedBenchmarks = selected.filter((b) => !notApplicable.some((r) => r.benchmark === b.name))
  if (loadedBenchmarks.length === 0) return notApplicable
  // The definitions as validated at load: a setup that changes them (removes a fn, renames a
  // benchmark) would otherwise crash on a raw TypeError or store results under another metric.
  const benchmarks = loadedBenchmarks.map((b) => ({ ...b }))
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), `perftrack-${plugin.name}-`))
  const results: BenchmarkResult[] = [...notApplicable]
  let state: unknown
  try {
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
      state = plugin.setup ? await withTimeout(Promise.resolve(plugin.setup(ctx)), options.timeout, `${plugin.name} setup`) : undefined
      const mutated = mutatedFields(loadedBenchmarks, benchmarks)
      if (mutated.length > 0) {
        const message = `${plugin.name}: setup changed its benchmark definitions (${mutated.join(', ')}); they are measured as loaded. Keep per-run data in the state setup returns.`
        warnings.push(message)
        options.onEvent?.({ type: 'plugin-warning', plugin: plugin.name, message })
      }
    } catch (error) {
      const failed = isSkip(error)
        ? erroredAll(plugin, benchmarks, 'skipped', error.reason, options.measure)
        : erroredAll(plugin, benchmarks, 'errored', `setup failed: ${errorMessage(error)}`, options.measure)
      for (const r of failed) await emit(r)
      return [...notApplicable, ...failed]
    }
    try {
      for (const [index, b] of benchmarks.entries()) {
        if (options.signal?.aborted) break
        options.onEvent?.({ type: 'benchmark-start', plugin: plugin.name, benchmark: b.name, index, total: benchmarks.length })
        await yieldToEventLoop()
        const result = await measureBenchmark(plugin.name, b, state, options, meter)
        if (options.signal?.aborted) break
        results.push(result)
        await emit(result)
      }
    } finally {
      // Setup and teardown always pair, whatever happened in between.
      if (plugin.teardown) {
        try {
          await withTimeout(Promise.resolve(plugin.teardown(state)), options.timeout, `${plugin.name} teardown`)
        } catch (error) {
          const message = `${plugin.name}: teardown failed: ${errorMessage(error)}`
          warnings.push(message)
          options.onEvent?.({ type: 'plugin-warning', plugin: plugin.name, message })
        }
      }
    }
  } finally {
    await rm(tmpDir, { recursive: true, force: true })
  }
  return results
}

/** Runs the selected benchmarks of every plugin, one plugin at a time, and returns every outcome. */
export async function runPlugins(plugins: LoadedPlugin[], options: RunnerOptions): Promise<RunOutcome> {
  const matches = benchMatcher(options.bench)
  const results: BenchmarkResult[] = []
  const warnings: string[] = []
  const meter = options.loadMeter ?? new LoadMeter()
  for (const loaded of plugins) {
    if (options.signal?.aborted) break
    const benchmarks = loaded.plugin.benchmarks.filter((b) => matches(loaded.plugin.name, b.name))
    if (benchmarks.length === 0) continue
    options.onEvent?.({ type: 'plugin-start', plugin: loaded.plugin.name, benchmarks: benchmarks.length })
    results.push(...(await runPlugin(loaded, benchmarks, options, warnings, meter)))
  }
  return { results, aborted: options.signal?.aborted ?? false, warnings, load: meter.totals() }
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
