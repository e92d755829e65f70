import { describe, expect, it } from 'vitest'
import { applyLatencyProfile, latencyProfiles, QueryStats, withLatency } from '../src/index.js'
import { openTestSystem } from './helpers.js'

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

describe('latency profiles', () => {
  it('match the original suite: 20 ms per configuration query, 10 ms per metadata query, 50 ms per S3 GET', () => {
    expect(latencyProfiles.seed).toMatchObject({ configurationQueryMs: 20, templateMetadataQueryMs: 10, s3GetMs: 50 })
    expect(latencyProfiles.local).toMatchObject({ configurationQueryMs: 0, templateMetadataQueryMs: 0, s3GetMs: 0 })
  })

  it('local returns the real objects unchanged', () => {
    const stores = {
      configurations: { stats: new QueryStats(), findCandidates: async () => [] },
      templates: { stats: new QueryStats(), findById: async () => undefined, findActiveByInteraction: async () => undefined },
      content: { getContent: async () => 'x' },
    }
    const wrapped = applyLatencyProfile(latencyProfiles.local, stores)
    expect(wrapped.configurations).toBe(stores.configurations)
    expect(wrapped.templates).toBe(stores.templates)
    expect(wrapped.content).toBe(stores.content)
  })

  it('seed waits before calling through to the real method, and passes other members through', async () => {
    const calls: string[] = []
    const real = {
      stats: new QueryStats(),
      async findCandidates() {
        this.stats.record('findCandidates')
        calls.push('findCandidates')
        return []
      },
    }
    const wrapped = withLatency(real, { findCandidates: latencyProfiles.seed.configurationQueryMs })
    expect(wrapped).not.toBe(real)
    expect(wrapped.stats).toBe(real.stats)
    const pending = wrapped.findCandidates()
    // A timer cannot fire while microtasks drain: the call is still waiting.
    await flushMicrotasks()
    expect(calls).toEqual([])
    await expect(pending).resolves.toEqual([])
    expect(calls).toEqual(['findCandidates'])
    expect(real.stats.queries).toBe(1)
  })
})

describe('a system built with the seed profile', () => {
  it('still queries the real repository and S3 once per cold call, through the delays', async () => {
    const system = await openTestSystem({ profile: 'seed' })
    try {
      expect(system.profile.name).toBe('seed')
      const { trace } = await system.configService.resolveWithTrace('STRATEGY_ANALYSIS', 'starter')
      expect(trace).toMatchObject({ layer: 'source', used: 'default' })
      await system.templateService.getTemplate('tpl-strategy-analysis-v2')
      expect(system.stats().queries).toEqual({ configurations: 1, templates: 1, total: 2 })
      expect(system.stats().s3.gets).toBe(1)
    } finally {
      await system.close()
    }
  })
})
