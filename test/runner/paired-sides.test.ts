import { describe, expect, it } from 'vitest'

import type { Plugin } from '../../src/core/plugin-api.js'
import type { BenchmarkResult } from '../../src/core/result.js'
import type { LoadedPlugin } from '../../src/runner/plugin-loader.js'
import { roundBudgetOf, runPluginSides } from '../../src/runner/runner.js'
import { shortRounds } from './short-rounds.js'

const options = shortRounds

/**
 * A plugin of one revision. Each value benchmark returns a number and logs which side measured
 * it, so the order of rounds shows; `setup` can fail, and `only` adds a benchmark this side
 * alone has.
 */
function revision(
  label: string,
  log: string[],
  o: { value?: number; failSetup?: boolean; only?: string; spinKind?: 'latency' | 'throughput' } = {},
): LoadedPlugin {
  const plugin: Plugin<{ label: string }> = {
    name: 'svc',
    setup: () => {
      log.push(`${label}:setup`)
      if (o.failSetup) throw new Error(`${label} cannot start`)
      return { label }
    },
    teardown: () => void log.push(`${label}:teardown`),
    benchmarks: [
      { name: 'size', kind: 'value', measure: () => (log.push(`${label}:size`), o.value ?? 10) },
      { name: 'spin', kind: o.spinKind ?? 'latency', fn: () => Math.sqrt(o.value ?? 10) },
      ...(o.only ? [{ name: o.only, kind: 'value' as const, measure: () => (log.push(`${label}:${o.only}`), 1) }] : []),
    ],
  }
  return { plugin: plugin as Plugin, file: `${label}/index.ts` }
}

describe('runner: two revisions of a plugin in one process (paired compare)', () => {
  it('alternates the sides round by round (A B B A), sets both up and tears both down', async () => {
    const log: string[] = []
    const outcome = await runPluginSides([revision('base', log), revision('head', log, { value: 12 })], options())
    expect(log.filter((l) => l.endsWith(':size'))).toEqual([
      'base:size',
      'head:size',
      'head:size',
      'base:size',
      'base:size',
      'head:size',
      'head:size',
      'base:size',
    ])
    expect(log.filter((l) => !l.endsWith(':size'))).toEqual(['base:setup', 'head:setup', 'base:teardown', 'head:teardown'])
    const [base, head] = outcome.sides
    expect(base.map((r) => `${r.benchmark}:${r.status}`)).toEqual(['size:completed', 'spin:completed'])
    expect(head.map((r) => `${r.benchmark}:${r.status}`)).toEqual(['size:completed', 'spin:completed'])
    const size = (rs: BenchmarkResult[]) => rs.find((r) => r.benchmark === 'size')
    expect(size(base)).toMatchObject({ rounds: [10, 10, 10, 10] })
    expect(size(head)).toMatchObject({ rounds: [12, 12, 12, 12] })
    // Every side's latency rounds are its own: four values each.
    expect(head.find((r) => r.benchmark === 'spin')).toMatchObject({ status: 'completed', rounds: expect.any(Array) })
    expect((head.find((r) => r.benchmark === 'spin') as { rounds: number[] }).rounds).toHaveLength(4)
  })

  it('gives value benchmarks their own round count (valueRounds), latency keeps `rounds`', async () => {
    const log: string[] = []
    const outcome = await runPluginSides([revision('base', log), revision('head', log)], options({ valueRounds: 1 }))
    expect(log.filter((l) => l.endsWith(':size'))).toEqual(['base:size', 'head:size'])
    expect(outcome.sides[1].map((r) => (r as { rounds: number[] }).rounds.length)).toEqual([1, 4])
  })

  it('gives CPU-bound throughput benchmarks their own round count (throughputRounds); latency, value and I/O-bound keep theirs', async () => {
    const log: string[] = []
    const outcome = await runPluginSides(
      [revision('base', log, { spinKind: 'throughput' }), revision('head', log, { spinKind: 'throughput' })],
      options({ valueRounds: 1, throughputRounds: 7 }),
    )
    for (const side of outcome.sides) {
      expect(side.map((r) => `${r.benchmark}:${r.status}:${(r as { rounds: number[] }).rounds.length}`)).toEqual(['size:completed:1', 'spin:completed:7'])
    }
    const latency = await runPluginSides([revision('base', []), revision('head', [])], options({ throughputRounds: 7 }))
    expect((latency.sides[0].find((r) => r.benchmark === 'spin') as { rounds: number[] }).rounds).toHaveLength(4)
    // An I/O-bound throughput keeps `rounds`.
    const io = (label: string) => {
      const loaded = revision(label, [], { spinKind: 'throughput' })
      loaded.plugin.benchmarks[1].bound = 'io'
      return loaded
    }
    const waiting = await runPluginSides([io('base'), io('head')], options({ throughputRounds: 7 }))
    expect((waiting.sides[1].find((r) => r.benchmark === 'spin') as { rounds: number[] }).rounds).toHaveLength(4)
  })

  it('gives I/O-bound latency benchmarks their own round time (ioLatencyTime); every other kind keeps `time`', async () => {
    const o = { rounds: 30, time: 2, valueRounds: 1, throughputRounds: 90, ioLatencyTime: 6 }
    expect(roundBudgetOf({ kind: 'latency', bound: 'io' }, o)).toEqual({ rounds: 30, time: 6 })
    expect(roundBudgetOf({ kind: 'latency' }, o)).toEqual({ rounds: 30, time: 2 })
    expect(roundBudgetOf({ kind: 'throughput', bound: 'io' }, o)).toEqual({ rounds: 30, time: 2 })
    expect(roundBudgetOf({ kind: 'throughput' }, o)).toEqual({ rounds: 90, time: 2 })
    expect(roundBudgetOf({ kind: 'value', bound: 'io' }, o)).toEqual({ rounds: 1, time: 2 })
    // Unset (a plain run, --no-paired): `rounds` × `time` for all.
    expect(roundBudgetOf({ kind: 'latency', bound: 'io' }, { rounds: 5, time: 75 })).toEqual({ rounds: 5, time: 75 })
    // The measuring rounds get it: a round lasts at least its time budget of wall clock, so two
    // rounds a side of 60 ms cannot take less than 240 ms (with `time` alone they take a few ms).
    const io = (label: string) => {
      const loaded = revision(label, [])
      loaded.plugin.benchmarks = loaded.plugin.benchmarks.filter((b) => b.name === 'spin')
      loaded.plugin.benchmarks[0].bound = 'io'
      return loaded
    }
    const started = performance.now()
    const outcome = await runPluginSides([io('base'), io('head')], options({ rounds: 2, ioLatencyTime: 60 }))
    expect(performance.now() - started).toBeGreaterThanOrEqual(4 * 60)
    for (const side of outcome.sides)
      expect(side.map((r) => `${r.benchmark}:${r.status}:${(r as { rounds: number[] }).rounds.length}`)).toEqual(['spin:completed:2'])
  })

  it('tells the caller each result with its side, as soon as it is measured', async () => {
    const seen: string[] = []
    await runPluginSides([revision('base', []), revision('head', [])], options({ rounds: 1, onResult: (r, side) => void seen.push(`${side}:${r.benchmark}`) }))
    expect(seen).toEqual(['0:size', '1:size', '0:spin', '1:spin'])
  })

  it('measures a benchmark only one side has on that side alone', async () => {
    const log: string[] = []
    const outcome = await runPluginSides([revision('base', log), revision('head', log, { only: 'new-metric' })], options({ rounds: 2 }))
    expect(outcome.sides[0].map((r) => r.benchmark)).toEqual(['size', 'spin'])
    expect(outcome.sides[1].map((r) => r.benchmark)).toEqual(['size', 'spin', 'new-metric'])
    expect(log.filter((l) => l.endsWith('new-metric'))).toEqual(['head:new-metric', 'head:new-metric'])
  })

  it('measures a benchmark whose kind changed between the revisions on each side in turn, each as its own kind', async () => {
    const outcome = await runPluginSides([revision('base', []), revision('head', [], { spinKind: 'throughput' })], options({ rounds: 2 }))
    expect(outcome.sides[0].find((r) => r.benchmark === 'spin')).toMatchObject({ kind: 'latency', unit: 'ms', status: 'completed' })
    expect(outcome.sides[1].find((r) => r.benchmark === 'spin')).toMatchObject({ kind: 'throughput', unit: 'ops/s', status: 'completed' })
  })

  it('a side whose setup fails is errored with its message; the other side is still measured and torn down', async () => {
    const log: string[] = []
    const outcome = await runPluginSides([revision('base', log), revision('head', log, { failSetup: true })], options({ rounds: 2 }))
    expect(outcome.sides[1]).toEqual([
      expect.objectContaining({ benchmark: 'size', status: 'errored', error: 'setup failed: head cannot start' }),
      expect.objectContaining({ benchmark: 'spin', status: 'errored', error: 'setup failed: head cannot start' }),
    ])
    expect(outcome.sides[0].map((r) => r.status)).toEqual(['completed', 'completed'])
    expect(log).toEqual(['base:setup', 'head:setup', 'base:size', 'base:size', 'base:teardown'])
  })
})

describe('supervised: both revisions in one child process', () => {
  it('a benchmark that ends the process is errored on both sides; a fresh child measures the rest of both', async () => {
    const { loadPlugins } = await import('../../src/runner/plugin-loader.js')
    const { supervisePluginSides } = await import('../../src/runner/supervisor.js')
    const { fixture } = await import('../helpers/cli.js')
    // The same plugin file twice stands for two revisions: what is checked is the supervision.
    const [plugin] = (await loadPlugins([fixture('plugins-hostile', 'exit-in-benchmark', 'index.ts')])).plugins
    const sent: string[] = []
    const outcome = await supervisePluginSides(
      [[plugin, plugin]],
      2,
      options({ rounds: 2, onResult: (r, side) => void sent.push(`${side}:${r.benchmark}:${r.status}`) }),
    )
    for (const side of outcome.sides) {
      expect(Object.fromEntries(side.map((r) => [r.benchmark, r.status]))).toEqual({ 'before-exit': 'completed', exits: 'errored', 'after-exit': 'completed' })
      expect(side.find((r) => r.benchmark === 'exits')).toMatchObject({ error: expect.stringContaining('exited with code 0 before finishing') })
      expect(side.find((r) => r.benchmark === 'after-exit')).toMatchObject({ rounds: [3, 3] })
    }
    expect(outcome.warnings).toContain('exit-in-benchmark: a new process (setup again) measures the benchmarks after exits')
    expect(sent.filter((s) => s.startsWith('1:'))).toEqual(['1:before-exit:completed', '1:exits:errored', '1:after-exit:completed'])
  }, 60_000)

  it('after a crash, a fresh child measures only what each side has left, each result on its own side', async () => {
    const { loadPlugins } = await import('../../src/runner/plugin-loader.js')
    const { supervisePluginSides } = await import('../../src/runner/supervisor.js')
    const { fixture } = await import('../helpers/cli.js')
    const [base] = (await loadPlugins([fixture('plugins-hostile', 'exit-in-benchmark', 'index.ts')])).plugins
    const [head] = (await loadPlugins([fixture('plugins-hostile', 'exit-in-benchmark-fixed', 'index.ts')])).plugins
    const outcome = await supervisePluginSides([[base, head]], 2, options({ rounds: 2 }))
    // The child died in `exits` (which side ended it cannot be told): errored on both. Then only
    // the base had something left, and it alone was measured; the head's results came once each.
    expect(outcome.sides[0].map((r) => `${r.benchmark}:${r.status}`)).toEqual(['before-exit:completed', 'exits:errored', 'after-exit:completed'])
    expect(outcome.sides[1].map((r) => `${r.benchmark}:${r.status}`)).toEqual(['before-exit:completed', 'exits:errored'])
    expect(outcome.sides[0].find((r) => r.benchmark === 'before-exit')).toMatchObject({ rounds: [1, 1] })
    expect(outcome.sides[1].find((r) => r.benchmark === 'before-exit')).toMatchObject({ rounds: [2, 2] })
    expect(outcome.sides[0].find((r) => r.benchmark === 'after-exit')).toMatchObject({ rounds: [3, 3] })
  }, 60_000)
})
