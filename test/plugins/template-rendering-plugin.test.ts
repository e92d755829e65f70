import { cacheDefaults } from '@perftrack/llm-config'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { portOpen } from '../../plugins/support/net.js'
import plugin from '../../plugins/template-rendering/index.js'
import { benchmark, pluginContext, runOnce, runRatio } from './harness.js'

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

describe('template-rendering plugin on a real SQLite file and s3rver', () => {
  it('makes a cold fetch one metadata query and one S3 GET', async () => {
    const before = state.system.stats()
    await runOnce(plugin, state, 'cold-template-fetch')
    const after = state.system.stats()
    expect(after.queries.templates - before.queries.templates).toBe(1)
    expect(after.s3.gets - before.s3.gets).toBe(1)
  })

  it('makes warm fetches and renders touch neither the database nor S3', async () => {
    await runOnce(plugin, state, 'warm-template-fetch') // re-warms after the cold sample, untimed
    const before = state.system.stats()
    for (const name of ['warm-template-fetch', 'simple-render', 'render-throughput', 'concurrent-render-throughput', 'complex-render', 'cached-render']) {
      await runOnce(plugin, state, name)
    }
    const after = state.system.stats()
    expect(after.queries.total - before.queries.total).toBe(0)
    expect(after.s3.gets - before.s3.gets).toBe(0)
  })

  it('prepares the render benchmarks on a full rendered-output cache, then executes the template on every sample', async () => {
    const { max } = cacheDefaults.renderedOutput
    for (const name of ['simple-render', 'complex-render']) await benchmark(plugin, name).prepare!(state)
    // Full: the steady state of a long-running service, not a cache that changes regime mid-round.
    expect(state.system.templateService.renderedCache.size).toBe(max)
    const before = state.system.stats().caches.renderedOutput
    await benchmark(plugin, 'simple-render').fn!(state)
    await benchmark(plugin, 'complex-render').fn!(state)
    const after = state.system.stats().caches.renderedOutput
    expect(after.loads - before.loads).toBe(2)
    expect(state.system.templateService.renderedCache.size).toBe(max)
  })

  it('cached-render still measures an output-cache hit after 10,000 distinct renders evicted its entry', async () => {
    const { max } = cacheDefaults.renderedOutput
    for (let i = 0; i <= max; i++) await benchmark(plugin, 'simple-render').fn!(state)
    const before = state.system.stats().caches.renderedOutput
    await runOnce(plugin, state, 'cached-render')
    const after = state.system.stats().caches.renderedOutput
    // prepare stores the entry again (one load), the timed call is a hit.
    expect(after.hits - before.hits).toBe(1)
    expect(after.loads - before.loads).toBe(1)
  })

  it('reports an S3 call rate under 5% counted by the S3 client middleware', async () => {
    expect(await runOnce(plugin, state, 's3-call-rate')).toBeLessThan(5)
  })

  it('computes cache-speedup-vs-s3 from cold-template-fetch over warm-template-fetch, round by round: above 10', async () => {
    const { ratio, parts, expected } = await runRatio(plugin, 'cache-speedup-vs-s3')
    expect(parts.map((r) => `${r.benchmark}:${r.status}`)).toEqual(['cold-template-fetch:completed', 'warm-template-fetch:completed'])
    expect(ratio).toMatchObject({ status: 'completed', unit: '×', rounds: expected })
    expect(ratio.status === 'completed' && ratio.stats.median).toBeGreaterThan(10)
  })

  it('teardown closes the s3rver', async () => {
    const port = state.system.s3.local!.port
    expect(await portOpen(port)).toBe(true)
    await plugin.teardown!(state)
    expect(await portOpen(port)).toBe(false)
  })
})
