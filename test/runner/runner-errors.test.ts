import { describe, expect, it } from 'vitest'

import { loadPlugins } from '../../src/runner/plugin-loader.js'
import { type RunnerOptions, runPlugins } from '../../src/runner/runner.js'
import { fixture } from '../helpers/cli.js'

const silent = { info: () => undefined, warn: () => undefined, debug: () => undefined }
const options = (over: Partial<RunnerOptions> = {}): RunnerOptions => ({
  rounds: 2,
  time: 20,
  warmupTime: 0,
  maxWarmupTime: 0,
  timeout: 300,
  minIterations: 5,
  storedSamplesPerRound: 16,
  profile: 'local',
  quick: true,
  logger: silent,
  ...over,
})

describe('runner: a failing benchmark is data, the run goes on', async () => {
  const set = await loadPlugins([fixture('plugins', 'misbehaving', 'index.ts')])
  const mod = await import('../fixtures/plugins/misbehaving/index.js')

  it('records throws as errored, hangs as timed out, skip as skipped, and still measures the rest', async () => {
    mod.log.length = 0
    const stored: string[] = []
    const outcome = await runPlugins(set.plugins, options({ onResult: (r) => void stored.push(`${r.benchmark}:${r.status}`) }))
    const byName = Object.fromEntries(outcome.results.map((r) => [r.benchmark, r]))
    expect(byName.throws).toMatchObject({ status: 'errored', error: 'boom: the service is down' })
    expect(byName.hangs).toMatchObject({
      status: 'errored',
      error: expect.stringContaining('misbehaving/hangs round 1 did not finish within 300 ms (timeout)'),
    })
    expect(byName.skips).toMatchObject({ status: 'skipped', reason: 'no redis-server here' })
    expect(byName.works.status).toBe('completed')
    expect(stored).toEqual(['throws:errored', 'hangs:errored', 'skips:skipped', 'works:completed'])
  })

  it('pairs setup with teardown exactly once, even when benchmarks fail', async () => {
    expect(set.failures).toEqual([])
    // The module imported by the loader through tsx is a different instance than the one
    // imported here by vitest, so pairing is checked on a fresh run through a wrapper.
    const calls: string[] = []
    const plugin = set.plugins[0].plugin
    const wrapped = {
      ...set.plugins[0],
      plugin: {
        ...plugin,
        setup: async (ctx: any) => (calls.push('setup'), plugin.setup!(ctx)),
        teardown: async (s: any) => (calls.push('teardown'), plugin.teardown!(s)),
      },
    }
    await runPlugins([wrapped], options({ bench: ['throws', 'works'] }))
    expect(calls).toEqual(['setup', 'teardown'])
  })

  it('a setup that throws errors every benchmark of the plugin with its message, and skips teardown', async () => {
    const calls: string[] = []
    const plugin = {
      name: 'broken-setup',
      setup: () => {
        throw new Error('database unreachable')
      },
      teardown: () => void calls.push('teardown'),
      benchmarks: [
        { name: 'a', kind: 'latency' as const, fn: () => 1 },
        { name: 'b', kind: 'latency' as const, fn: () => 1 },
      ],
    }
    const outcome = await runPlugins([{ plugin, file: 'inline' }], options())
    expect(outcome.results.map((r) => [r.benchmark, r.status, r.status === 'errored' ? r.error : ''])).toEqual([
      ['a', 'errored', 'setup failed: database unreachable'],
      ['b', 'errored', 'setup failed: database unreachable'],
    ])
    expect(calls).toEqual([])
  })

  it('an aborted signal stops before the next benchmark and reports aborted', async () => {
    const controller = new AbortController()
    const plugin = {
      name: 'abortable',
      benchmarks: [
        { name: 'first', kind: 'value' as const, unit: 'x', direction: 'lower' as const, measure: () => (controller.abort(), 1) },
        { name: 'second', kind: 'value' as const, unit: 'x', direction: 'lower' as const, measure: () => 2 },
      ],
    }
    const outcome = await runPlugins([{ plugin, file: 'inline' }], options({ signal: controller.signal }))
    expect(outcome.aborted).toBe(true)
    expect(outcome.results.map((r) => r.benchmark)).not.toContain('second')
  })

  it('prepare runs once before the first round, outside it; a prepare that throws errors only its benchmark', async () => {
    const calls: string[] = []
    const plugin = {
      name: 'prepared',
      benchmarks: [
        {
          name: 'warm',
          kind: 'value' as const,
          unit: 'x',
          direction: 'lower' as const,
          prepare: () => void calls.push('prepare'),
          measure: () => (calls.push('measure'), 1),
        },
        {
          name: 'broken',
          kind: 'latency' as const,
          prepare: () => {
            throw new Error('cannot warm the cache')
          },
          fn: () => calls.push('fn'),
        },
        { name: 'after', kind: 'value' as const, unit: 'x', direction: 'lower' as const, measure: () => 3 },
      ],
    }
    const outcome = await runPlugins([{ plugin, file: 'inline' }], options({ rounds: 3 }))
    expect(calls).toEqual(['prepare', 'measure', 'measure', 'measure'])
    expect(outcome.results.map((r) => [r.benchmark, r.status, r.status === 'errored' ? r.error : ''])).toEqual([
      ['warm', 'completed', ''],
      ['broken', 'errored', 'cannot warm the cache'],
      ['after', 'completed', ''],
    ])
  })

  it('a value benchmark that returns a non-number is errored with what it returned', async () => {
    const plugin = { name: 'nan', benchmarks: [{ name: 'v', kind: 'value' as const, unit: '%', direction: 'higher' as const, measure: () => Number.NaN }] }
    const outcome = await runPlugins([{ plugin, file: 'inline' }], options())
    expect(outcome.results[0]).toMatchObject({ status: 'errored', error: 'measure() returned NaN, expected a finite number' })
  })
})
