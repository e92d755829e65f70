import { type ChildProcess, fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import type { ChildMessage, ChildRunnerOptions, ParentMessage } from './child-protocol.js'
import { supervisorDefaults } from './defaults.js'
import { benchMatcher } from './glob.js'
import type { Benchmark } from './plugin-api.js'
import type { LoadedPlugin } from './plugin-loader.js'
import { type BenchmarkResult, describeBenchmark, type RunnerOptions, type RunOutcome } from './runner.js'

/**
 * Runs each plugin in a child process that perftrack can kill. A benchmark that busy-waits,
 * calls process.exit or leaves a rejection unhandled takes down its child only: the benchmark
 * is recorded as errored with the reason and the run goes on. Timers and signal handlers
 * cannot run while a plugin blocks the event loop, so only another process can stop it.
 */

/** How a child ended before it had measured all it was given. */
interface ChildFailure {
  phase: 'load' | 'setup' | 'benchmark' | 'teardown'
  reason: string
}

interface ChildEnd {
  failure?: ChildFailure
  warnings: string[]
}

export interface SupervisorOptions {
  /** Past --timeout, how long a silent child gets before it is killed. @default supervisorDefaults.killGraceMs */
  killGraceMs?: number
  /** After an abort, how long the child gets to tear down before it is killed. @default supervisorDefaults.abortGraceMs */
  abortGraceMs?: number
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

function erroredResult(pluginName: string, b: Benchmark, error: string): BenchmarkResult {
  return { ...describeBenchmark(pluginName, b), targets: [], status: 'errored', error }
}

/** One child for the given benchmarks of one plugin, watched until it exits. */
function runChild(loaded: LoadedPlugin, benchmarks: Benchmark[], options: RunnerOptions, supervisor: Required<SupervisorOptions>, deliver: (result: BenchmarkResult) => Promise<void>): Promise<ChildEnd> {
  const name = loaded.plugin.name
  const entry = childEntry()
  const child: ChildProcess = fork(entry.file, [], {
    // The child's stdout is perftrack's stderr: plugin output never mixes with data on stdout.
    stdio: ['ignore', 2, 2, 'ipc'],
    serialization: 'advanced',
    execArgv: [...process.execArgv, ...entry.execArgv],
  })
  const pending = [...benchmarks]
  let phase: ChildFailure['phase'] = 'load'
  let doing = `${name} (loading in its process)`
  let fatal: string | undefined
  let killedFor: string | undefined
  let done: { warnings: string[] } | undefined
  let deliveries = Promise.resolve()
  let watchdog: NodeJS.Timeout | undefined

  const kill = (why: string) => {
    if (child.exitCode !== null || child.signalCode !== null) return
    killedFor ??= why
    child.kill('SIGKILL')
  }
  // Every message shows the child's event loop is free; silence past the budget means it is not.
  const arm = () => {
    clearTimeout(watchdog)
    if (done || options.signal?.aborted) return
    const limit = phase === 'load' ? Math.max(options.timeout, supervisorDefaults.loadTimeoutMs) : options.timeout
    watchdog = setTimeout(
      () => kill(`${doing} did not finish within ${limit} ms (timeout); its process was stopped. Raise --timeout if it is expected to be slow`),
      limit + supervisor.killGraceMs,
    )
  }
  const post = (message: ParentMessage) => {
    if (child.connected) child.send(message)
  }

  let abortTimer: NodeJS.Timeout | undefined
  const onAbort = () => {
    clearTimeout(watchdog)
    post({ type: 'abort' })
    abortTimer = setTimeout(() => kill('interrupted'), supervisor.abortGraceMs)
  }
  options.signal?.addEventListener('abort', onAbort, { once: true })

  child.on('message', (message: ChildMessage) => {
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
        }
        if (e.type === 'round') doing = `${name}/${e.benchmark} round ${e.round}`
        if (e.type === 'benchmark-end') break // delivered with its result
        options.onEvent?.(e)
        break
      }
      case 'result': {
        const index = pending.findIndex((b) => b.name === message.result.benchmark)
        if (index >= 0) pending.splice(index, 1)
        phase = pending.length > 0 ? 'benchmark' : 'teardown'
        deliveries = deliveries.then(() => deliver(message.result))
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
        done = { warnings: message.warnings }
        break
      case 'fatal':
        fatal = `${message.origin} in plugin code: ${message.message}`
        break
    }
    arm()
  })

  return new Promise((resolve) => {
    let finished = false
    const finish = (failure?: ChildFailure) => {
      if (finished) return
      finished = true
      clearTimeout(watchdog)
      clearTimeout(abortTimer)
      options.signal?.removeEventListener('abort', onAbort)
      void deliveries.then(() => resolve({ failure, warnings: done?.warnings ?? [] }))
    }
    child.on('error', (error) => {
      finish({ phase, reason: `its process could not be started: ${error.message}` })
    })
    // 'exit' can come before the channel has handed over the last messages: decide once both are in.
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined
    const settle = () => {
      if (!exit || child.connected) return
      if (done || options.signal?.aborted) return finish()
      const reason = killedFor ?? fatal ?? describeExit(exit.code, exit.signal)
      finish({ phase: pending.length === 0 && phase === 'benchmark' ? 'teardown' : phase, reason })
    }
    child.on('exit', (code, signal) => {
      exit = { code, signal }
      settle()
    })
    child.on('disconnect', settle)
    post({ type: 'start', file: loaded.file, benchmarks: benchmarks.map((b) => b.name), options: childOptions(options) })
    arm()
  })
}

function childOptions(o: RunnerOptions): ChildRunnerOptions {
  return { rounds: o.rounds, time: o.time, warmupTime: o.warmupTime, timeout: o.timeout, minIterations: o.minIterations, storedSamplesPerRound: o.storedSamplesPerRound, profile: o.profile, quick: o.quick, pluginOptions: o.pluginOptions }
}

/**
 * One plugin, supervised. When its child dies in a benchmark, that benchmark is errored with
 * the reason and a fresh child (setup again) measures the rest: one hanging benchmark does not
 * cost the plugin's others. A child that dies while loading or in setup errors all that remain.
 */
async function supervisePlugin(loaded: LoadedPlugin, benchmarks: Benchmark[], options: RunnerOptions, supervisor: Required<SupervisorOptions>, warnings: string[]): Promise<BenchmarkResult[]> {
  const name = loaded.plugin.name
  const results: BenchmarkResult[] = []
  const deliver = async (result: BenchmarkResult) => {
    results.push(result)
    options.onEvent?.({ type: 'benchmark-end', result })
    await options.onResult?.(result)
  }
  const warn = (message: string) => {
    warnings.push(message)
    options.onEvent?.({ type: 'plugin-warning', plugin: name, message })
  }
  let remaining = benchmarks
  while (remaining.length > 0 && !options.signal?.aborted) {
    const end = await runChild(loaded, remaining, options, supervisor, deliver)
    warnings.push(...end.warnings)
    remaining = remaining.filter((b) => !results.some((r) => r.benchmark === b.name))
    const failure = end.failure
    if (!failure) break
    if (failure.phase === 'teardown') {
      warn(`${name}: teardown failed: ${failure.reason}`)
      break
    }
    if (failure.phase === 'load' || failure.phase === 'setup') {
      const prefix = failure.phase === 'setup' ? 'setup failed' : 'could not be loaded in its process'
      for (const b of remaining) await deliver(erroredResult(name, b, `${prefix}: ${failure.reason}`))
      break
    }
    const [failed, ...rest] = remaining
    await deliver(erroredResult(name, failed, failure.reason))
    if (rest.length > 0) warn(`${name}: a new process (setup again) measures the benchmarks after ${failed.name}`)
    remaining = rest
  }
  return results
}

/** {@link runPlugins} with each plugin in a supervised child process: what `perftrack run` uses. */
export async function superviseRunPlugins(plugins: LoadedPlugin[], options: RunnerOptions, supervisorOptions: SupervisorOptions = {}): Promise<RunOutcome> {
  const supervisor = { killGraceMs: supervisorOptions.killGraceMs ?? supervisorDefaults.killGraceMs, abortGraceMs: supervisorOptions.abortGraceMs ?? supervisorDefaults.abortGraceMs }
  const matches = benchMatcher(options.bench)
  const results: BenchmarkResult[] = []
  const warnings: string[] = []
  for (const loaded of plugins) {
    if (options.signal?.aborted) break
    const benchmarks = loaded.plugin.benchmarks.filter((b) => matches(loaded.plugin.name, b.name))
    if (benchmarks.length === 0) continue
    options.onEvent?.({ type: 'plugin-start', plugin: loaded.plugin.name, benchmarks: benchmarks.length })
    results.push(...(await supervisePlugin(loaded, benchmarks, options, supervisor, warnings)))
  }
  return { results, aborted: options.signal?.aborted ?? false, warnings }
}
