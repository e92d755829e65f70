import path from 'node:path'
import { supervisorDefaults } from '../core/defaults.js'
import { errorMessage, exitCodes } from '../core/errors.js'
import { defaultExport, importModule, warmUpLoader } from '../core/module-import.js'
import type { Plugin } from '../core/plugin-api.js'
import { validatePlugin } from '../core/plugin-schema.js'
import type { BenchmarkResult, RunnerEvent } from '../core/result.js'
import type { ChildMessage, ParentMessage } from './child-protocol.js'
import type { LoadedPlugin } from './plugin-loader.js'
import { runPluginSides, runPlugins } from './runner.js'
import { stableMemcmpEnv, withoutPreload } from './valgrind.js'

/**
 * The process that measures plugins for perftrack (src/runner/supervisor.ts). It runs the
 * ordinary in-process runner; the parent watches it and can kill it, which no timer inside a
 * blocked event loop could do.
 */

// Resolves once the message is handed to the channel, so a later process.exit in plugin code
// cannot lose a result already measured.
const send = (message: ChildMessage) =>
  new Promise<void>((resolve) => {
    if (!process.connected) return resolve()
    process.send!(message, undefined, undefined, () => resolve())
  })

// Under Valgrind the address-independent memcmp (valgrind.ts) is preloaded for this process's
// counts; the processes a plugin starts (redis-server, a compiler) get libc's again.
const memcmpLibrary = process.env[stableMemcmpEnv]
if (memcmpLibrary !== undefined) {
  const preload = withoutPreload(process.env.LD_PRELOAD, memcmpLibrary)
  if (preload === undefined) delete process.env.LD_PRELOAD
  else process.env.LD_PRELOAD = preload
}

// Ctrl-C reaches the whole process group: the parent decides (abort, then kill), not the signal.
process.on('SIGINT', () => undefined)
process.on('SIGTERM', () => undefined)
// The parent closes the channel when the run is over (or it died): exit even if a plugin left
// sockets or timers open — once the plugin's output still queued for the pipes is written
// (writes to a pipe are asynchronous; a chatty benchmark can leave megabytes behind), at most
// `flushMs` later.
const flushMs = supervisorDefaults.childFlushMs
process.on('disconnect', () => {
  let pending = 2
  const flushed = () => --pending === 0 && process.exit(0)
  process.stdout.write('', flushed)
  process.stderr.write('', flushed)
  setTimeout(() => process.exit(0), flushMs).unref()
})

const fatal = (origin: 'uncaught exception' | 'unhandled rejection') => (error: unknown) => {
  void send({ type: 'fatal', origin, message: errorMessage(error) }).then(() => process.exit(exitCodes.childFatal))
}
process.on('uncaughtException', fatal('uncaught exception'))
process.on('unhandledRejection', fatal('unhandled rejection'))

const controller = new AbortController()

// While the parent is still busy (fingerprint, history), not when the first plugin is due.
const warm = warmUpLoader().catch(() => undefined)

async function load(file: string, names: string[]): Promise<LoadedPlugin> {
  const plugin: Plugin = validatePlugin(defaultExport(await importModule(file)), path.relative(process.cwd(), file) || file)
  const benchmarks = plugin.benchmarks.filter((b) => names.includes(b.name))
  const teardown = plugin.teardown
  // Tells the parent that any later silence belongs to teardown, not to a benchmark.
  return { plugin: { ...plugin, benchmarks, teardown: teardown && (async (state) => (await send({ type: 'teardown' }), teardown(state))) }, file }
}

async function start(message: Extract<ParentMessage, { type: 'start' }>): Promise<void> {
  await warm
  const sides = [await load(message.file, message.benchmarks)]
  if (message.pairFile) sides.push(await load(message.pairFile, message.pairBenchmarks ?? message.benchmarks))
  await send({ type: 'loaded' })
  const options = {
    ...message.options,
    signal: controller.signal,
    logger: {
      info: (m: string) => void send({ type: 'log', level: 'info', message: m }),
      warn: (m: string) => void send({ type: 'log', level: 'warn', message: m }),
      debug: (m: string) => void send({ type: 'log', level: 'debug', message: m }),
    },
    onEvent: (event: RunnerEvent) => void send({ type: 'event', event }),
    onResult: (result: BenchmarkResult, side: number) => send({ type: 'result', result, side }),
    ...(message.claims ? { claim } : {}),
  }
  const outcome = sides.length > 1 ? await runPluginSides(sides, options) : await runPlugins(sides, options)
  await send({ type: 'done', warnings: outcome.warnings, load: outcome.load })
}

// The claim this process waits for (one at a time: benchmarks are measured one after another).
let granted: (() => void) | undefined

/** Claims the machine through the parent (machine-claims.ts); resolves with the release. */
async function claim(alone: boolean): Promise<() => void> {
  const grant = new Promise<void>((resolve) => (granted = resolve))
  await send({ type: 'claim', alone })
  await grant
  let given = false
  return () => {
    if (given) return
    given = true
    void send({ type: 'release' })
  }
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'abort') {
    controller.abort()
    // A benchmark waiting for its claim goes on to find the abort (the parent gives back the
    // claim, granted or not, when the child ends).
    granted?.()
    granted = undefined
  } else if (message.type === 'granted') {
    granted?.()
    granted = undefined
  } else if (message.type === 'start') {
    // The next plugin follows on the same process; a failure to load or run ends it.
    start(message).catch(
      (error: unknown) =>
        void send({ type: 'fatal', origin: 'uncaught exception', message: errorMessage(error) }).then(() => process.exit(exitCodes.childFatal)),
    )
  }
})
