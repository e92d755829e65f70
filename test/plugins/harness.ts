import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { runnerDefaults } from '../../src/core/defaults.js'
import type { Benchmark, Plugin, PluginContext } from '../../src/core/plugin-api.js'
import type { BenchmarkResult } from '../../src/core/result.js'
import { runPlugins } from '../../src/runner/runner.js'

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
  if (b.ratioOf) throw new Error(`${plugin.name}/${name} is computed from ${b.ratioOf.numerator} over ${b.ratioOf.denominator}: use runRatio`)
  if (b.kind === 'value') return b.measure!(state)
  await b.beforeEach?.(state)
  await b.fn!(state)
  return undefined
}

/**
 * A value benchmark with `ratioOf`, computed as the runner computes it: the real runner sets the
 * plugin up in this process and measures the ratio's two parts (2 short rounds) before it.
 */
export async function runRatio<S>(plugin: Plugin<S>, name: string): Promise<{ ratio: BenchmarkResult; parts: BenchmarkResult[]; expected: number[] }> {
  const { ratioOf } = benchmark(plugin, name)
  if (!ratioOf) throw new Error(`${plugin.name}/${name} has no ratioOf`)
  const { results } = await runPlugins([{ plugin: plugin as Plugin, file: `plugins/${plugin.name}/index.ts` }], {
    ...runnerDefaults,
    rounds: 2,
    time: 20,
    warmupTime: 10,
    maxWarmupTime: 100,
    profile: 'local',
    quick: true,
    bench: [ratioOf.numerator, ratioOf.denominator, name],
    logger: { info: () => undefined, warn: () => undefined, debug: () => undefined },
  })
  const find = (n: string) => results.find((r) => r.benchmark === n)!
  const parts = [find(ratioOf.numerator), find(ratioOf.denominator)]
  const [top, bottom] = parts.map((r) => (r.status === 'completed' ? r.rounds : []))
  // What the ratio's rounds must be: the parts' rounds divided, round by round.
  return { ratio: find(name), parts, expected: top.map((v, i) => v / bottom[i]) }
}

/** name → kind, concurrency and targets: the shape the tables of issue 4 fix. */
export function shape<S>(plugin: Plugin<S>) {
  return Object.fromEntries(
    plugin.benchmarks.map((b) => [b.name, { kind: b.kind, concurrency: b.concurrency, unit: b.unit, direction: b.direction, targets: b.targets ?? [] }]),
  )
}
