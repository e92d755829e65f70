import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

import { defaultExport, importModule } from '../../src/core/module-import.js'
import type { Plugin } from '../../src/core/plugin-api.js'
import { MachineClaims } from '../../src/runner/machine-claims.js'
import type { LoadedPlugin } from '../../src/runner/plugin-loader.js'
import { runPluginSides } from '../../src/runner/runner.js'
import { superviseRunPlugins } from '../../src/runner/supervisor.js'
import { shortRounds } from './short-rounds.js'

describe('MachineClaims: shared, or alone', () => {
  it('grants shared claims together, an alone one only when no other is held, in the order asked', async () => {
    const machine = new MachineClaims()
    const order: string[] = []
    const take = (name: string, alone: boolean) => machine.claim(alone).then((release) => (order.push(name), release))
    const first = await take('shared-1', false)
    const second = await take('shared-2', false)
    expect(machine.held).toEqual({ shared: 2, alone: false })
    const alone = take('alone', true)
    // Asked after the alone claim: waits behind it, so the alone claim is never starved.
    const late = take('shared-3', false)
    await Promise.resolve()
    expect(order).toEqual(['shared-1', 'shared-2'])
    first()
    first() // a second release gives nothing back twice
    expect(machine.held).toEqual({ shared: 1, alone: false })
    second()
    const releaseAlone = await alone
    expect(machine.held).toEqual({ shared: 0, alone: true })
    expect(order).toEqual(['shared-1', 'shared-2', 'alone'])
    releaseAlone()
    ;(await late)()
    expect(order).toEqual(['shared-1', 'shared-2', 'alone', 'shared-3'])
    expect(machine.held).toEqual({ shared: 0, alone: false })
  })
})

describe('runner: a benchmark claims the machine for its rounds', () => {
  it('alone for a benchmark declared alone, of any kind, shared otherwise (bound alone is not enough); every call inside the claim', async () => {
    const log: string[] = []
    const machine = new MachineClaims()
    const claim = async (alone: boolean) => {
      const release = await machine.claim(alone)
      log.push(`claim ${alone ? 'alone' : 'shared'}`)
      return () => (log.push('release'), release())
    }
    const call = (name: string) => () => void log.push(name)
    const plugin: Plugin = {
      name: 'svc',
      benchmarks: [
        { name: 'io', kind: 'latency', bound: 'io', alone: true, fn: call('io') },
        { name: 'cpu', kind: 'throughput', fn: call('cpu') },
        { name: 'io-value', kind: 'value', alone: true, measure: () => (log.push('io-value'), 1) },
        { name: 'value', kind: 'value', bound: 'io', measure: () => (log.push('value'), 1) },
      ],
    }
    const sides: LoadedPlugin[] = ['base', 'head'].map((label) => ({ plugin, file: `${label}/index.ts` }))
    const outcome = await runPluginSides(sides, shortRounds({ claim }))
    expect(outcome.results.every((r) => r.status === 'completed')).toBe(true)
    // One claim per benchmark for both sides' rounds, and no call outside one.
    const runs = log
      .join(' ')
      .split(' release')
      .map((s) => s.trim())
      .filter(Boolean)
    expect(runs.map((r) => r.split(' ').slice(0, 2).join(' '))).toEqual(['claim alone', 'claim shared', 'claim alone', 'claim shared'])
    expect(runs.map((r) => new Set(r.split(' ').slice(2)))).toEqual([new Set(['io']), new Set(['cpu']), new Set(['io-value']), new Set(['value'])])
    expect(machine.held).toEqual({ shared: 0, alone: false })
  })
})

describe('supervisor: two measuring processes side by side share one MachineClaims', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perftrack-claims-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const file = fileURLToPath(new URL('../fixtures/plugins/claims/index.ts', import.meta.url))
  const load = async (): Promise<LoadedPlugin> => ({ plugin: defaultExport(await importModule(file)) as Plugin, file })
  const calls = (log: string) =>
    readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const [pid, benchmark, at] = line.split(' ')
        return { pid, benchmark, at: Number(at) }
      })

  it("an alone benchmark's calls in one process fall where the other process makes none", async () => {
    const log = path.join(dir, 'calls.log')
    const machine = new MachineClaims()
    // Rounds of 250 ms: each process measures for seconds, far longer than the two children's
    // start-ups differ, so without claims their benchmarks overlap (this test then fails).
    const options = shortRounds({ claim: machine.claim, pluginOptions: { claims: { log } }, timeout: 20_000, time: 250 })
    // The same plugin in both: without claims both would start io-a at about the same moment.
    const outcomes = await Promise.all([superviseRunPlugins([await load()], options), superviseRunPlugins([await load()], options)])
    for (const o of outcomes) expect(o.results.map((r) => `${r.benchmark}:${r.status}`)).toEqual(['io-a:completed', 'cpu:completed', 'io-b:completed'])
    const all = calls(log)
    const pids = [...new Set(all.map((c) => c.pid))]
    expect(pids).toHaveLength(2)
    for (const pid of pids) {
      for (const name of ['io-a', 'io-b']) {
        const own = all.filter((c) => c.pid === pid && c.benchmark === name)
        const [from, to] = [Math.min(...own.map((c) => c.at)), Math.max(...own.map((c) => c.at))]
        expect(own.length).toBeGreaterThan(0)
        expect(all.filter((c) => c.pid !== pid && c.at >= from && c.at <= to)).toEqual([])
      }
    }
    expect(machine.held).toEqual({ shared: 0, alone: false })
  }, 60_000)

  it('a process interrupted while it waits for its claim stops at once, measures nothing and holds nothing', async () => {
    const log = path.join(dir, 'interrupted.log')
    const machine = new MachineClaims()
    // Another process holds the machine alone for the whole test: the child's claim can only wait.
    const other = await machine.claim(true)
    const controller = new AbortController()
    let asked!: () => void
    const waiting = new Promise<void>((resolve) => {
      asked = resolve
    })
    const claim = (alone: boolean) => {
      asked()
      return machine.claim(alone)
    }
    const options = shortRounds({ claim, signal: controller.signal, pluginOptions: { claims: { log } }, timeout: 20_000 })
    const run = superviseRunPlugins([await load()], options)
    await waiting
    controller.abort()
    const outcome = await run
    expect(outcome.aborted).toBe(true)
    // The child stopped on its own and reported (a child still waiting would be killed after the
    // abort grace, and then no plugin finishes in it: load 'unavailable').
    expect(outcome.load).toMatchObject({ state: 'counted' })
    expect(outcome.results.filter((r) => r.status === 'completed')).toEqual([])
    expect(() => readFileSync(log, 'utf8')).toThrow(/ENOENT/)
    other()
    // The claim the child asked for is granted once the other gives the machine up, and handed straight back.
    await new Promise(setImmediate)
    expect(machine.held).toEqual({ shared: 0, alone: false })
  }, 30_000)

  it('a process that dies holding the machine alone gives it back: the other measures everything', async () => {
    const log = path.join(dir, 'crash.log')
    const machine = new MachineClaims()
    const options = (exitIn?: string) => shortRounds({ claim: machine.claim, pluginOptions: { claims: { log, exitIn } }, timeout: 20_000 })
    const [crashed, other] = await Promise.all([superviseRunPlugins([await load()], options('io-a')), superviseRunPlugins([await load()], options())])
    expect(crashed.results.find((r) => r.benchmark === 'io-a')).toMatchObject({ status: 'errored', error: expect.stringMatching(/exited with code 3/) })
    // The fresh process it was given measured the rest.
    expect(crashed.results.filter((r) => r.benchmark !== 'io-a').map((r) => r.status)).toEqual(['completed', 'completed'])
    expect(other.results.map((r) => r.status)).toEqual(['completed', 'completed', 'completed'])
    expect(machine.held).toEqual({ shared: 0, alone: false })
  }, 60_000)
})
