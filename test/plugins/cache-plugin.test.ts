import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderedBoundKiB } from '../../plugins/cache/eviction.js'

import plugin from '../../plugins/cache/index.js'
import { createLoadState, p99MinMs } from '../../plugins/cache/load.js'
import { bytesPerCachedConfiguration } from '../../plugins/cache/memory.js'
import { portOpen } from '../../plugins/support/net.js'
import { pluginContext, runOnce } from './harness.js'

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

describe('cache plugin', () => {
  it('seeds the production volume: 10,000 configurations and 1,000 templates', async () => {
    expect(state.volume).toMatchObject({ configurations: 10_000, templates: 1_000 })
    expect(await state.main.repos.configurations.count()).toBeGreaterThan(10_000)
    expect(await state.main.repos.templates.count()).toBeGreaterThan(1_000)
  })

  it('runs a cold and a warm production-volume request', async () => {
    const before = state.main.stats()
    await runOnce(plugin, state, 'production-volume-cold')
    const cold = state.main.stats()
    // One configuration query, one metadata query, one S3 GET.
    expect(cold.queries.configurations - before.queries.configurations).toBe(1)
    expect(cold.queries.templates - before.queries.templates).toBe(1)
    expect(cold.s3.gets - before.s3.gets).toBe(1)
    await runOnce(plugin, state, 'production-volume-warm') // prepare re-warms all 1,000 templates, untimed
    const warm = state.main.stats()
    await runOnce(plugin, state, 'production-volume-warm')
    expect(state.main.stats().queries.total).toBe(warm.queries.total)
  })

  it('runs the 100-user mix on warm caches, even right after a cold sample, and reports a p99 from every operation', async () => {
    await runOnce(plugin, state, 'production-volume-cold')
    expect(state.volume.warm).toBe(false)
    await runOnce(plugin, state, 'load-100-users')
    expect(state.volume.warm).toBe(true)
    // Warm: every one of the 56 resolution keys answers from the cache, so the mix's
    // resolutions query nothing (the interactions' active templates warm as the load runs).
    const queries = state.main.stats().queries.configurations
    for (let i = 0; i < 50; i++) await runOnce(plugin, state, 'load-100-users')
    expect(state.main.stats().queries.configurations).toBe(queries)
    const p99 = await runOnce(plugin, state, 'load-100-users-p99')
    expect(p99).toBeGreaterThan(0)
    expect(p99).toBeLessThan(1_000)
  })

  it("runs load-100-users-p99's load for 2 round budgets, never less than 200 ms (a paired compare's 2 ms rounds)", () => {
    expect(createLoadState(500).p99RoundMs).toBe(1000)
    expect(createLoadState(50).p99RoundMs).toBe(200)
    expect(createLoadState(2).p99RoundMs).toBe(200)
    expect(p99MinMs).toBe(200)
  })

  it('hit rate under the Zipf workload rises with the cache size', async () => {
    const rates = [] as number[]
    for (const name of ['eviction-hit-rate-10pct', 'eviction-hit-rate-25pct', 'eviction-hit-rate-50pct']) rates.push((await runOnce(plugin, state, name))!)
    expect(rates[0]).toBeGreaterThan(20)
    expect(rates[1]).toBeGreaterThan(rates[0])
    expect(rates[2]).toBeGreaterThan(rates[1])
    expect(rates[2]).toBeLessThan(100)
  })

  it('measures the rendered-output cache while it evicts (a positive heap figure near its bound)', async () => {
    const kib = (await runOnce(plugin, state, 'eviction-memory'))!
    // Full and evicting: well above a quarter of the bound, and (the plugin's target) not above it.
    expect(kib).toBeGreaterThan(renderedBoundKiB / 4)
    expect(kib).toBeLessThan(renderedBoundKiB)
  })

  it('loads each simultaneously expired key once', async () => {
    expect(await runOnce(plugin, state, 'ttl-expiry')).toBe(1)
    expect(await runOnce(plugin, state, 'ttl-expiry')).toBe(1)
  })

  it('reports heap bytes per cached configuration and per rendered template', async () => {
    const config = (await runOnce(plugin, state, 'bytes-per-cached-configuration'))!
    const rendered = (await runOnce(plugin, state, 'bytes-per-rendered-template'))!
    expect(config).toBeGreaterThan(100)
    expect(config).toBeLessThan(10_000)
    expect(rendered).toBeGreaterThan(100)
    expect(rendered).toBeLessThan(10_000)
  })

  it("the configuration cache's size estimate covers the live heap of its entries, so its maxSize is a real bound", async () => {
    const { bytes, accounted } = await bytesPerCachedConfiguration(state.main)
    expect(accounted).toBeGreaterThanOrEqual(0.9 * bytes)
    expect(accounted).toBeLessThanOrEqual(1.5 * bytes)
  })

  describe('distributed cache (needs PERFTRACK_REDIS_URL or redis-server)', () => {
    it('serves instance B from Redis after instance A loaded: 100% cross-instance hits, no source call on B', async (test) => {
      if ('unavailable' in state.distributed) return test.skip(state.distributed.unavailable)
      const d = state.distributed
      expect(await runOnce(plugin, state, 'cross-instance-hit-rate')).toBe(100)
      expect(d.b.configurations.stats.queries).toBe(0)
      expect(d.b.templates.stats.queries).toBe(0)
      expect(d.b.s3.stats.gets).toBe(0)
      // Instance C (no L2) had to go to the source for all 56 + 14 + 14 entries.
      expect(await runOnce(plugin, state, 'source-queries-saved')).toBe(84)
      await runOnce(plugin, state, 'l2-hit-latency')
      expect(d.b.configurations.stats.queries).toBe(0)
    })
  })

  it('teardown stops every s3rver and the redis-server it started', async () => {
    const ports = [state.main.s3.local!.port, state.ttl.system.s3.local!.port]
    if (!('unavailable' in state.distributed)) {
      ports.push(state.distributed.system.s3.local!.port)
      if (state.distributed.redis.port !== undefined) ports.push(state.distributed.redis.port)
    }
    for (const port of ports) expect(await portOpen(port)).toBe(true)
    await plugin.teardown!(state)
    for (const port of ports) expect(await portOpen(port)).toBe(false)
  })
})

describe('cache plugin without Redis', () => {
  it('reports the distributed benchmarks as skipped, never passed', async () => {
    const saved = process.env.PERFTRACK_REDIS_URL
    // An explicit URL that nothing listens on stands in for "no Redis here".
    process.env.PERFTRACK_REDIS_URL = 'redis://127.0.0.1:1'
    const ctx2 = await pluginContext('local')
    try {
      const { openDistributed } = await import('../../plugins/cache/distributed.js')
      const cleanups: Array<() => Promise<unknown>> = []
      const d = await openDistributed(ctx2, cleanups)
      expect(d).toHaveProperty('unavailable')
      for (const c of cleanups.reverse()) await c()
      const fake = { distributed: d } as unknown as State
      for (const name of ['l2-hit-latency', 'cross-instance-hit-rate', 'source-queries-saved']) {
        await expect(runOnce(plugin, fake, name)).rejects.toMatchObject({ name: 'BenchmarkSkipped' })
      }
      expect(ctx2.lines.some((l) => l.startsWith('warn') && l.includes('skipped'))).toBe(true)
    } finally {
      if (saved === undefined) delete process.env.PERFTRACK_REDIS_URL
      else process.env.PERFTRACK_REDIS_URL = saved
      await ctx2.cleanup()
    }
  })
})
