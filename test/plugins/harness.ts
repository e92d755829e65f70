import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { runnerDefaults } from '../../src/core/defaults.js'
import type { Benchmark, Plugin, PluginContext } from '../../src/core/plugin-api.js'

/** A plugin context as the runner builds it: a fresh tmp dir, a logger that keeps its lines. */
export async function pluginContext(profile = 'local', quick = true): Promise<PluginContext & { lines: string[]; cleanup(): Promise<void> }> {
  const tmpDir = await mkdtemp(join(tmpdir(), 'perftrack-plugin-test-'))
  const lines: string[] = []
  return {
    profile,
    options: {},
    quick,
    roundTime: quick ? runnerDefaults.quickTime : runnerDefaults.time,
    tmpDir,
    lines,
    logger: { info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), debug: (m) => lines.push(`debug ${m}`) },
    cleanup: () => rm(tmpDir, { recursive: true, force: true }),
  }
}

export function benchmark<S>(plugin: Plugin<S>, name: string): Benchmark<S> {
  const found = plugin.benchmarks.find((b) => b.name === name)
  if (!found) throw new Error(`${plugin.name} has no benchmark ${name}`)
  return found
}

/** One call as the runner makes it: prepare (the runner: once per benchmark), beforeEach (untimed), then fn; or one measure(). */
export async function runOnce<S>(plugin: Plugin<S>, state: S, name: string): Promise<number | undefined> {
  const b = benchmark(plugin, name)
  await b.prepare?.(state)
  if (b.kind === 'value') return b.measure!(state)
  await b.beforeEach?.(state)
  await b.fn!(state)
  return undefined
}

/** name → kind, concurrency and targets: the shape the tables of issue 4 fix. */
export function shape<S>(plugin: Plugin<S>) {
  return Object.fromEntries(
    plugin.benchmarks.map((b) => [b.name, { kind: b.kind, concurrency: b.concurrency, unit: b.unit, direction: b.direction, targets: b.targets ?? [] }]),
  )
}
