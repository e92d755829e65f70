import { type ChildProcess, fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { runnerLimits, supervisorDefaults } from '../core/defaults.js'
import type { Benchmark } from '../core/plugin-api.js'
import type { BenchmarkResult } from '../core/result.js'
import type { Measure } from '../core/vocabulary.js'
import type { ChildMessage, ChildRunnerOptions, ParentMessage } from './child-protocol.js'
import { addCounters, type LoadCounters } from './load-meter.js'
import type { LoadedPlugin } from './plugin-loader.js'
import { benchmarkSelector, describeBenchmark, type RunnerOptions, type RunOutcome } from './runner.js'
import { valgrindLaunch } from './valgrind.js'

/**
 * Runs each plugin in a child process that perftrack can kill. A benchmark that busy-waits,
 * calls process.exit or leaves a rejection unhandled takes down its child only: the benchmark
 * is recorded as errored with the reason and the run goes on. Timers and signal handlers
 * cannot run while a plugin blocks the event loop, so only another process can stop it.
 * (docs/architecture.md, "Where a plugin's code runs".)
 */

type Grace = Required<Pick<SupervisorOptions, 'killGraceMs' | 'abortGraceMs'>>

/** How a child ended before it had measured all it was given. */
interface ChildFailure {
  phase: 'load' | 'setup' | 'benchmark' | 'teardown'
  reason: string
  /** The benchmark the child had started last. */
  benchmark?: string
}

interface ChildEnd {
  failure?: ChildFailure
  warnings: string[]
  /** Reported with the plugin's end; a child that died takes the load of its unfinished plugin with it. */
  load?: LoadCounters
}

export interface SupervisorOptions {
  /** Past --timeout, how long a silent child gets before it is killed. @default supervisorDefaults.killGraceMs */
  killGraceMs?: number
  /** After an abort, how long the child gets to tear down before it is killed. @default supervisorDefaults.abortGraceMs */
  abortGraceMs?: number
  /** A child forked ahead ({@link PluginProcess.started}); closed when the run is over. */
  processes?: PluginProcess
}

/** The child's entry: the built file, or its TypeScript source under tsx (tests run src/). */
function childEntry(): { file: string; execArgv: string[] } {
  const built = fileURLToPath(new URL('./plugin-child.js', import.meta.url))
  if (existsSync(built)) return { file: built, execArgv: [] }
  return { file: fileURLToPath(new URL('./plugin-child.ts', import.meta.url)), execArgv: ['--import', import.meta.resolve('tsx')] }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal === 'SIGKILL') return 'its process was killed (SIGKILL; out of memory?)'
  if (signal) return `its process died of ${signal}${signal === 'SIGABRT' ? ' (out of memory?)' : ''}`
  return `its process exited with code ${code} before finishing (process.exit() in the plugin or in the code under test?)`
}

function erroredResult(pluginName: string, b: Benchmark, error: string, measure?: Measure): BenchmarkResult {
  return { ...describeBenchmark(pluginName, b, measure), targets: [], status: 'errored', error }
}

/**
 * The child process that measures plugins, one after another. It is reused from plugin to
 * plugin (the bundled plugins share one module graph there, as they did in-process, and the
 * start-up is paid once a run); after a failure a fresh one is forked for what remains.
 */
export class PluginProcess {
  private child?: ChildProcess
  private exit?: { code: number | null; signal: NodeJS.Signals | null }
  private onEnd?: () => void
  /** Settles when every child forked so far has exited (and been reaped, so its CPU time is in the parent's cutime/cstime). */
  private exits: Array<Promise<void>> = []

  /**
   * `measure: 'instructions'`: every child is forked under Valgrind (valgrind.ts). `nodeFlags`:
   * V8 flags of a time-measuring child besides perftrack's own (a paired compare's,
   * `compareBudgetDefaults.pairedNodeFlags`).
   */
  constructor(
    readonly measure: Measure = 'time',
    readonly nodeFlags: readonly string[] = [],
  ) {}

  /**
   * Forks now, so the child's start-up overlaps the caller's own (fingerprint, history). In
   * instruction mode this also refuses a machine without Valgrind or a C compiler (exit 2).
   */
  static started(measure: Measure = 'time'): PluginProcess {
    const processes = new PluginProcess(measure)
    processes.child = processes.fork()
    return processes
  }

  private fork(): ChildProcess {
    const entry = childEntry()
    // Only the measuring child runs under Valgrind: perftrack's own process (history, git,
    // reports) stays native, and so do the child's children.
    const valgrind = this.measure === 'instructions' ? valgrindLaunch() : undefined
    const child = fork(entry.file, [], {
      // The child's stdout is perftrack's stderr: plugin output never mixes with data on stdout.
      stdio: ['ignore', 2, 2, 'ipc'],
      serialization: 'advanced',
      ...(valgrind ? { execPath: valgrind.execPath, env: valgrind.env } : {}),
      execArgv: [...(valgrind?.execArgv ?? []), ...process.execArgv, ...entry.execArgv, ...(valgrind ? [] : this.nodeFlags)],
    })
    if (valgrind) child.on('exit', valgrind.cleanup)
    this.exits.push(new Promise((resolve) => child.once('exit', () => resolve())))
    this.exit = undefined
    // 'exit' can come before the channel has handed over the last messages: the child is gone once both are in.
    const settle = () => {
      if (this.exit && !child.connected) this.onEnd?.()
    }
    child.on('exit', (code, signal) => {
      this.exit = { code, signal }
      settle()
    })
    child.on('disconnect', settle)
    child.on('error', () => undefined) // a failed fork also exits; reported from there
    return child
  }

  /**
   * Every child this has forked, exited. A paired compare waits for it before it reads how much
   * CPU other processes used (load-meter.ts `OthersMeter`): a child's CPU time counts as its
   * parent's only once it has exited.
   */
  async exited(): Promise<void> {
    await Promise.all(this.exits)
  }

  /** Lets the child go once the run is over: it exits when its channel closes. */
  close(): void {
    const child = this.child
    this.child = undefined
    if (child?.connected) child.disconnect()
    // A plugin may keep a handle open or ignore the disconnect while blocked.
    if (child) setTimeout(() => child.kill('SIGKILL'), supervisorDefaults.abortGraceMs).unref()
  }

  /**
   * The given benchmarks of one plugin, watched until the child reports them done or dies. With
   * two sides (a paired compare), both revisions of the plugin are measured in the child
   * together; `deliver` gets each result with the index of its side.
   */
  run(sides: PluginSide[], options: RunnerOptions, supervisor: Grace, deliver: (result: BenchmarkResult, side: number) => Promise<void>): Promise<ChildEnd> {
    const child = (this.child ??= this.fork())
    const name = sides[0].loaded.plugin.name
    // The sides with something left to measure; the child numbers them 0, 1.
    const active = sides.flatMap((s, index) => (s.benchmarks.length > 0 ? [{ ...s, index }] : []))
    // Per benchmark, the results still to come (one per side that has it).
    const pending = new Map<string, number>()
    for (const s of active) for (const b of s.benchmarks) pending.set(b.name, (pending.get(b.name) ?? 0) + 1)
    let started: string | undefined
    let phase: ChildFailure['phase'] = 'load'
    let doing = `${name} (loading in its process)`
    let fatal: string | undefined
    let killedFor: string | undefined
    let deliveries = Promise.resolve()
    let watchdog: NodeJS.Timeout | undefined
    let abortTimer: NodeJS.Timeout | undefined
    // The child's claim on the machine (options.claim): waiting for it, or held.
    let waiting = false
    let held: (() => void) | undefined
    let ended = false

    const kill = (why: string) => {
      if (child.exitCode !== null || child.signalCode !== null) return
      killedFor ??= why
      child.kill('SIGKILL')
    }
    // Every message shows the child's event loop is free; silence past the budget means it is not.
    const arm = () => {
      clearTimeout(watchdog)
      // Waiting for the other process's benchmark to end is not this child's silence.
      if (options.signal?.aborted || waiting) return
      const limit = phase === 'load' ? Math.max(options.timeout, supervisorDefaults.loadTimeoutMs) : options.timeout
      watchdog = setTimeout(
        () => kill(`${doing} did not finish within ${limit} ms (timeout); its process was stopped. Raise --timeout if it is expected to be slow`),
        Math.min(limit + supervisor.killGraceMs, runnerLimits.timeout),
      )
    }
    const onAbort = () => {
      clearTimeout(watchdog)
      if (child.connected) child.send({ type: 'abort' } satisfies ParentMessage)
      abortTimer = setTimeout(() => kill('interrupted'), supervisor.abortGraceMs)
    }

    return new Promise((resolve) => {
      const finish = (end: ChildEnd) => {
        ended = true
        held?.()
        held = undefined
        clearTimeout(watchdog)
        clearTimeout(abortTimer)
        options.signal?.removeEventListener('abort', onAbort)
        child.off('message', onMessage)
        this.onEnd = undefined
        void deliveries.then(() => resolve(end))
      }
      const onMessage = (message: ChildMessage) => {
        switch (message.type) {
          case 'loaded':
            phase = 'setup'
            doing = `${name} setup`
            break
          case 'event': {
            const e = message.event
            if (e.type === 'plugin-start') break // the parent announced the plugin once
            if (e.type === 'benchmark-start') {
              phase = 'benchmark'
              doing = `${name}/${e.benchmark}`
              started = e.benchmark
            }
            if (e.type === 'round') doing = `${name}/${e.benchmark} round ${e.round}`
            if (e.type === 'benchmark-end') break // delivered with its result
            // Through the same chain as the results, so a benchmark's end (with its result)
            // never reaches the parent after the next benchmark's start.
            deliveries = deliveries.then(() => options.onEvent?.(e))
            break
          }
          case 'result': {
            const left = (pending.get(message.result.benchmark) ?? 1) - 1
            if (left > 0) pending.set(message.result.benchmark, left)
            else pending.delete(message.result.benchmark)
            phase = pending.size > 0 ? 'benchmark' : 'teardown'
            deliveries = deliveries.then(() => deliver(message.result, active[message.side]?.index ?? message.side))
            break
          }
          case 'log':
            options.logger[message.level](message.message)
            break
          case 'teardown':
            phase = 'teardown'
            doing = `${name} teardown`
            break
          case 'done':
            return finish({ warnings: message.warnings, load: message.load })
          case 'fatal':
            fatal = `${message.origin} in plugin code: ${message.message}`
            break
          case 'claim':
            if (!options.claim) break
            // Interrupted: no claim; the child is told to go on and finds the abort.
            if (options.signal?.aborted) {
              if (child.connected) child.send({ type: 'granted' } satisfies ParentMessage)
              break
            }
            held?.()
            waiting = true
            void options.claim(message.alone).then((release) => {
              waiting = false
              // A child that ended (or was killed) while it waited gives the claim straight back.
              if (ended || !child.connected) return release()
              held = release
              child.send({ type: 'granted' } satisfies ParentMessage)
              arm()
            })
            break
          case 'release':
            held?.()
            held = undefined
            break
        }
        arm()
      }
      this.onEnd = () => {
        this.child = undefined
        if (options.signal?.aborted) return finish({ warnings: [] })
        const reason = killedFor ?? fatal ?? describeExit(this.exit?.code ?? null, this.exit?.signal ?? null)
        finish({ failure: { phase: pending.size === 0 && phase === 'benchmark' ? 'teardown' : phase, reason, benchmark: started }, warnings: [] })
      }
      child.on('message', onMessage)
      options.signal?.addEventListener('abort', onAbort, { once: true })
      if (!child.connected) return this.onEnd()
      child.send({
        type: 'start',
        file: active[0].loaded.file,
        benchmarks: active[0].benchmarks.map((b) => b.name),
        ...(active[1] ? { pairFile: active[1].loaded.file, pairBenchmarks: active[1].benchmarks.map((b) => b.name) } : {}),
        options: childOptions(options),
        ...(options.claim ? { claims: true } : {}),
      } satisfies ParentMessage)
      arm()
    })
  }
}

function childOptions(o: RunnerOptions): ChildRunnerOptions {
  return {
    rounds: o.rounds,
    ...(o.valueRounds === undefined ? {} : { valueRounds: o.valueRounds }),
    ...(o.throughputRounds === undefined ? {} : { throughputRounds: o.throughputRounds }),
    time: o.time,
    ...(o.ioLatencyTime === undefined ? {} : { ioLatencyTime: o.ioLatencyTime }),
    warmupTime: o.warmupTime,
    maxWarmupTime: o.maxWarmupTime,
    timeout: o.timeout,
    minIterations: o.minIterations,
    storedSamplesPerRound: o.storedSamplesPerRound,
    measure: o.measure,
    operations: o.operations,
    profile: o.profile,
    quick: o.quick,
    pluginOptions: o.pluginOptions,
  }
}

/** One side's plugin and the benchmarks of it to measure. */
export interface PluginSide {
  loaded: LoadedPlugin
  benchmarks: Benchmark[]
  /** The side's index where the caller has more sides than this plugin (passed to `onResult`). @default its index here */
  side?: number
}

/**
 * One plugin, supervised (on one side, or on both sides of a paired compare). When its child
 * dies in a benchmark, that benchmark is errored with the reason and a fresh child (setup
 * again) measures the rest: one hanging benchmark does not cost the plugin's others. A child
 * that dies while loading or in setup errors all that remain. Results per side.
 */
async function supervisePlugin(
  processes: PluginProcess,
  sides: PluginSide[],
  options: RunnerOptions,
  supervisor: Grace,
  warnings: string[],
  addLoad: (load: LoadCounters) => void,
): Promise<BenchmarkResult[][]> {
  const name = sides[0].loaded.plugin.name
  const results: BenchmarkResult[][] = sides.map(() => [])
  const deliver = async (result: BenchmarkResult, side: number) => {
    results[side].push(result)
    options.onEvent?.({ type: 'benchmark-end', result })
    await options.onResult?.(result, sides[side].side ?? side)
  }
  const warn = (message: string) => {
    warnings.push(message)
    options.onEvent?.({ type: 'plugin-warning', plugin: name, message })
  }
  const left = () => sides.map((s, side) => ({ ...s, benchmarks: s.benchmarks.filter((b) => !results[side].some((r) => r.benchmark === b.name)) }))
  let remaining = left()
  while (remaining.some((s) => s.benchmarks.length > 0) && !options.signal?.aborted) {
    const end = await processes.run(remaining, options, supervisor, deliver)
    warnings.push(...end.warnings)
    if (end.load) addLoad(end.load)
    remaining = left()
    const failure = end.failure
    if (!failure) break
    if (failure.phase === 'teardown') {
      warn(`${name}: teardown failed: ${failure.reason}`)
      break
    }
    if (failure.phase === 'load' || failure.phase === 'setup') {
      const prefix = failure.phase === 'setup' ? 'setup failed' : 'could not be loaded in its process'
      for (const [side, s] of remaining.entries())
        for (const b of s.benchmarks) await deliver(erroredResult(name, b, `${prefix}: ${failure.reason}`, options.measure), side)
      break
    }
    // The benchmark the child died in: the one it started last (else the first one not done).
    const notDone = remaining.flatMap((s) => s.benchmarks.map((b) => b.name))
    const failed = failure.benchmark !== undefined && notDone.includes(failure.benchmark) ? failure.benchmark : notDone[0]
    for (const [side, s] of remaining.entries()) {
      const b = s.benchmarks.find((x) => x.name === failed)
      if (b) await deliver(erroredResult(name, b, failure.reason, options.measure), side)
    }
    remaining = left()
    if (remaining.some((s) => s.benchmarks.length > 0)) warn(`${name}: a new process (setup again) measures the benchmarks after ${failed}`)
  }
  return results
}

/** {@link runPlugins} with each plugin in a supervised child process: what `perftrack run` uses. */
export async function superviseRunPlugins(plugins: LoadedPlugin[], options: RunnerOptions, supervisorOptions: SupervisorOptions = {}): Promise<RunOutcome> {
  const { sides, ...outcome } = await supervisePluginSides(
    plugins.map((p) => [p]),
    1,
    options,
    supervisorOptions,
  )
  return { ...outcome, results: sides[0] }
}

/**
 * Plugins on `sideCount` sides, each entry one plugin as each side has it (undefined where a
 * side lacks it), each in a supervised child: with both sides present, a paired compare's
 * measuring process ({@link PluginProcess.run}). `sides[i]` holds side i's results.
 */
export async function supervisePluginSides(
  plugins: Array<Array<LoadedPlugin | undefined>>,
  sideCount: number,
  options: RunnerOptions,
  supervisorOptions: SupervisorOptions = {},
): Promise<Omit<RunOutcome, 'results'> & { sides: BenchmarkResult[][] }> {
  const supervisor = {
    killGraceMs: supervisorOptions.killGraceMs ?? supervisorDefaults.killGraceMs,
    abortGraceMs: supervisorOptions.abortGraceMs ?? supervisorDefaults.abortGraceMs,
  }
  const matches = benchmarkSelector(options)
  const sides: BenchmarkResult[][] = Array.from({ length: sideCount }, () => [])
  const warnings: string[] = []
  let load: LoadCounters = { state: 'unavailable', reason: 'no plugin finished in its measuring process' }
  const addLoad = (more: LoadCounters) => (load = addCounters(load, more))
  const processes = supervisorOptions.processes ?? new PluginProcess(options.measure)
  try {
    for (const entry of plugins) {
      if (options.signal?.aborted) break
      const present = entry.flatMap((loaded, side) => {
        const benchmarks = loaded?.plugin.benchmarks.filter((b) => matches(loaded.plugin.name, b.name)) ?? []
        return loaded && benchmarks.length > 0 ? [{ loaded, benchmarks, side }] : []
      })
      if (present.length === 0) continue
      options.onEvent?.({ type: 'plugin-start', plugin: present[0].loaded.plugin.name, benchmarks: present[0].benchmarks.length })
      const results = await supervisePlugin(processes, present, options, supervisor, warnings, addLoad)
      results.forEach((r, k) => sides[present[k].side].push(...r))
    }
  } finally {
    processes.close()
  }
  return { sides, aborted: options.signal?.aborted ?? false, warnings, load }
}
