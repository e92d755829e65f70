import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import plugin from '../../plugins/config-resolution/index.js'
import { portOpen } from '../../plugins/support/net.js'
import { fallbackKeys, resolutionKeys } from '../../plugins/support/workload.js'
import { pluginContext, runOnce, runRatio } from './harness.js'

type State = Awaited<ReturnType<NonNullable<typeof plugin.setup>>>

let ctx: Awaited<ReturnType<typeof pluginContext>>
let state: State

beforeAll(async () => {
  ctx = await pluginContext('local')
  state = await plugin.setup!(ctx)
})
afterAll(async () => {
  await ctx?.cleanup()
})

describe('config-resolution plugin on a real SQLite file and s3rver', () => {
  it('resolves every seed key, and the fallback keys really fall back to the default', async () => {
    expect(resolutionKeys).toHaveLength(56)
    expect(fallbackKeys.length).toBeGreaterThan(4)
    for (const key of fallbackKeys) {
      const { trace } = await state.system.configService.resolveWithTrace(key.interactionCode, key.tier)
      expect(trace.used).toBe('default')
    }
  })

  it('makes a cold sample a repository load: one SQL query per cold resolution', async () => {
    const before = state.system.stats().queries.configurations
    await runOnce(plugin, state, 'cold-resolution')
    await runOnce(plugin, state, 'tier-fallback')
    expect(state.system.stats().queries.configurations - before).toBe(2)
  })

  it('makes a cached sample an L1 hit: no SQL query', async () => {
    await runOnce(plugin, state, 'cached-resolution') // beforeEach re-warms what the cold samples emptied, untimed
    const before = state.system.stats().queries.configurations
    for (const name of ['cached-resolution', 'sequential-throughput', 'concurrent-throughput']) await runOnce(plugin, state, name)
    expect(state.system.stats().queries.configurations - before).toBe(0)
  })

  it('mixed-concurrent resolves a random key of the mix', async () => {
    await expect(runOnce(plugin, state, 'mixed-concurrent')).resolves.toBeUndefined()
  })

  it('reports a hit rate above 95% counted at the repository', async () => {
    expect(await runOnce(plugin, state, 'cache-hit-rate')).toBeGreaterThan(95)
  })

  it('computes cache-speedup from cold-resolution over cached-resolution, round by round: above 10', async () => {
    const { ratio, parts, expected } = await runRatio(plugin, 'cache-speedup')
    expect(parts.map((r) => `${r.benchmark}:${r.status}`)).toEqual(['cold-resolution:completed', 'cached-resolution:completed'])
    expect(ratio).toMatchObject({ status: 'completed', unit: '×', rounds: expected })
    expect(ratio.status === 'completed' && ratio.stats.median).toBeGreaterThan(10)
  })

  it('keeps the configuration cache within its bound after 100,000 distinct keys', async () => {
    const mb = await runOnce(plugin, state, 'cache-memory')
    expect(mb).toBeGreaterThan(1)
    expect(mb).toBeLessThanOrEqual(16)
    expect(state.system.configService.cache.size).toBe(0)
  })

  it('teardown closes the s3rver', async () => {
    const port = state.system.s3.local!.port
    expect(await portOpen(port)).toBe(true)
    await plugin.teardown!(state)
    expect(await portOpen(port)).toBe(false)
  })
})
