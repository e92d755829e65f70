import { describe, expect, it } from 'vitest'

import type { Plugin } from '../../src/core/plugin-api.js'
import type { BenchmarkResult } from '../../src/core/result.js'
import type { LoadedPlugin } from '../../src/runner/plugin-loader.js'
import { ratioResult, runPluginSides, runPlugins } from '../../src/runner/runner.js'
import { shortRounds } from './short-rounds.js'

const options = shortRounds

/** A cold path (a loop of `work` iterations) and a warm one (a tenth of it), and their ratio. */
function service(label: string, o: { work?: number; failCold?: boolean } = {}): LoadedPlugin {
  const spin = (n: number) => {
    let x = 0
    for (let i = 0; i < n; i++) x += Math.sqrt(i)
    return x
  }
  const work = o.work ?? 20_000
  const plugin: Plugin = {
    name: 'svc',
    benchmarks: [
      {
        name: 'cold',
        kind: 'latency',
        fn: () => {
          if (o.failCold) throw new Error(`${label}: the database is down`)
          return spin(work)
        },
      },
      { name: 'warm', kind: 'latency', fn: () => spin(work / 10) },
      {
        name: 'speedup',
        kind: 'value',
        unit: '×',
        direction: 'higher',
        ratioOf: { numerator: 'cold', denominator: 'warm' },
        targets: [{ stat: 'median', op: '>', value: 1 }],
      },
    ],
  }
  return { plugin, file: `${label}/index.ts` }
}

const named = (results: BenchmarkResult[], name: string) => results.find((r) => r.benchmark === name)!
const rounds = (r: BenchmarkResult) => (r.status === 'completed' ? r.rounds : [])

describe('runner: a value benchmark with ratioOf is computed from the rounds before it', () => {
  it('each round is the numerator round over the denominator round; stats and targets are the ratio’s', async () => {
    const { results } = await runPlugins([service('one')], options())
    const [cold, warm, speedup] = ['cold', 'warm', 'speedup'].map((n) => named(results, n))
    expect(results.map((r) => r.benchmark)).toEqual(['cold', 'warm', 'speedup'])
    expect(speedup).toMatchObject({ status: 'completed', kind: 'value', unit: '×', direction: 'higher' })
    expect(rounds(speedup)).toEqual(rounds(cold).map((v, i) => v / rounds(warm)[i]))
    expect(rounds(speedup)).toHaveLength(4)
    const sorted = [...rounds(speedup)].sort((a, b) => a - b)
    expect(speedup.status === 'completed' && speedup.stats.median).toBeCloseTo((sorted[1] + sorted[2]) / 2, 10)
    expect(speedup.targets).toEqual([expect.objectContaining({ stat: 'median', op: '>', value: 1, pass: true })])
  })

  it('in a paired process each side’s ratio comes from its own rounds', async () => {
    const outcome = await runPluginSides([service('base'), service('head', { work: 40_000 })], options())
    for (const side of outcome.sides) {
      expect(side.map((r) => `${r.benchmark}:${r.status}`)).toEqual(['cold:completed', 'warm:completed', 'speedup:completed'])
      expect(rounds(named(side, 'speedup'))).toHaveLength(4)
      expect(rounds(named(side, 'speedup'))).toEqual(rounds(named(side, 'cold')).map((v, i) => v / rounds(named(side, 'warm'))[i]))
    }
  })

  it('comes after its parts even when the other revision lists it first, as a measured value', async () => {
    // The base still measures its speed-up itself, listed before the latency benchmarks.
    const old: Plugin = {
      name: 'svc',
      benchmarks: [
        { name: 'speedup', kind: 'value', unit: '×', direction: 'higher', measure: () => 9 },
        { name: 'cold', kind: 'latency', fn: () => Math.sqrt(2) },
        { name: 'warm', kind: 'latency', fn: () => Math.sqrt(3) },
      ],
    }
    const outcome = await runPluginSides([{ plugin: old, file: 'base/index.ts' }, service('head')], options())
    expect(named(outcome.sides[0], 'speedup')).toMatchObject({ status: 'completed', rounds: [9, 9, 9, 9] })
    expect(named(outcome.sides[1], 'speedup')).toMatchObject({ status: 'completed' })
    expect(rounds(named(outcome.sides[1], 'speedup'))).toHaveLength(4)
  })

  it('is skipped, saying what to do, when a part was not selected; skipped when a part failed', async () => {
    const alone = await runPlugins([service('one')], options({ bench: ['speedup'] }))
    expect(alone.results).toEqual([
      expect.objectContaining({
        benchmark: 'speedup',
        status: 'skipped',
        reason:
          'computed from cold over warm, and cold was not measured in this process: select both parts with --bench (after a crashed measuring process, a fresh one has only what was left)',
      }),
    ])
    const failed = await runPlugins([service('one', { failCold: true })], options())
    expect(named(failed.results, 'cold')).toMatchObject({ status: 'errored' })
    expect(named(failed.results, 'speedup')).toMatchObject({ status: 'skipped', reason: 'computed from cold over warm, and cold was errored' })
  })

  it('is errored, naming the parts, when their rounds do not pair up or a denominator round is 0', () => {
    const part = (benchmark: string, r: number[]) =>
      ({
        plugin: 'svc',
        benchmark,
        kind: 'latency',
        unit: 'ms',
        direction: 'lower',
        status: 'completed',
        targets: [],
        rounds: r,
        samples: [],
        stats: {},
      }) as unknown as BenchmarkResult
    const b = service('one').plugin.benchmarks[2]
    expect(ratioResult('svc', b, [part('cold', [2, 2, 2]), part('warm', [1, 1])], options())).toMatchObject({
      status: 'errored',
      error: 'cannot compute cold over warm: 3 rounds of cold against 2 of warm',
    })
    expect(ratioResult('svc', b, [part('cold', [2, 2]), part('warm', [1, 0])], options())).toMatchObject({
      status: 'errored',
      error: 'cannot compute cold over warm: a round of warm was 0',
    })
  })

  it('is skipped under --measure instructions, saying why', async () => {
    const { results } = await runPlugins([service('one')], options({ measure: 'instructions', bench: ['speedup'] }))
    expect(results).toEqual([
      expect.objectContaining({
        benchmark: 'speedup',
        status: 'skipped',
        reason: 'a ratio of cold over warm in time; instruction counts have no ratio of it (measure it with --measure time)',
      }),
    ])
  })
})
