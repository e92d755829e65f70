import { describe, expect, it } from 'vitest'
import { useTestSystem } from './helpers.js'

const system = useTestSystem()

describe('configuration query counts at the real repository', () => {
  it('makes exactly one query for a resolution that falls back to the default', async () => {
    const { trace } = await system().configService.resolveWithTrace('STRATEGY_ANALYSIS', 'starter')
    expect(trace.used).toBe('default')
    expect(system().repos.configurations.stats.queries).toBe(1)
    expect(system().repos.configurations.stats.byMethod).toEqual({ findCandidates: 1 })
  })

  it('makes one query for 100 concurrent cold resolutions of one key', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, () => system().configService.resolveWithTrace('COACHING_RESPONSE', 'professional')))
    expect(system().repos.configurations.stats.queries).toBe(1)
    expect(new Set(results.map((r) => r.configuration.id))).toEqual(new Set(['cfg-coaching-response-default-v2']))
    expect(results.filter((r) => r.trace.sharedLoad)).toHaveLength(99)
    expect(results.reduce((sum, r) => sum + r.trace.queries, 0)).toBe(1)
    expect(system().configService.cache.counters.sharedLoads).toBe(99)
  })

  it('makes no query for 100 warm resolutions and counts them as hits', async () => {
    await system().configService.resolve('KPI_ANALYSIS', 'enterprise')
    system().resetCounters()
    const results = await Promise.all(Array.from({ length: 100 }, () => system().configService.resolveWithTrace('KPI_ANALYSIS', 'enterprise')))
    expect(system().repos.configurations.stats.queries).toBe(0)
    expect(results.every((r) => r.trace.layer === 'L1' && r.trace.queries === 0)).toBe(true)
    expect(system().stats().caches.configurations).toMatchObject({ hits: 100, misses: 0, hitRate: 1 })
  })

  it('makes a query again after clearCaches, so cold samples are truly cold', async () => {
    await system().configService.resolve('WEBSITE_SCAN', 'starter')
    await system().clearCaches()
    await system().configService.resolve('WEBSITE_SCAN', 'starter')
    expect(system().repos.configurations.stats.queries).toBe(2)
    expect(system().stats().caches.configurations.size).toBe(1)
    expect(system().stats().caches.configurations.calculatedSize).toBeGreaterThan(0)
  })

  it('remembers "not found" and does not query again while that answer is fresh', async () => {
    await system().db('llm_configurations').where('interaction_code', 'INSIGHTS_GENERATION').delete()
    for (let i = 0; i < 3; i++) {
      await expect(system().configService.resolve('INSIGHTS_GENERATION', 'starter')).rejects.toThrow(/INSIGHTS_GENERATION/)
    }
    expect(system().repos.configurations.stats.queries).toBe(1)
  })
})
