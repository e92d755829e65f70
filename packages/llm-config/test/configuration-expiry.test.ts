import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Configuration, cacheDefaults } from '../src/index.js'
import { day, manualClock, minute, openTestSystem } from './helpers.js'

const clock = manualClock()
let system: Awaited<ReturnType<typeof openTestSystem>>

beforeAll(async () => {
  system = await openTestSystem({ now: clock.now })
})
afterAll(async () => {
  await system?.close()
})

describe('configuration cache expiry with an injected clock', () => {
  it('serves from cache until the TTL (15 min by default) passes, then queries again', async () => {
    expect(cacheDefaults.configurations.ttlMs).toBe(15 * minute)
    await system.configService.resolve('KPI_ANALYSIS', 'enterprise')
    system.resetCounters()
    clock.advance(15 * minute - 1)
    expect((await system.configService.resolveWithTrace('KPI_ANALYSIS', 'enterprise')).trace.layer).toBe('L1')
    clock.advance(1)
    expect((await system.configService.resolveWithTrace('KPI_ANALYSIS', 'enterprise')).trace.layer).toBe('source')
    expect(system.repos.configurations.stats.queries).toBe(1)
  })

  it('never keeps an entry past the configuration effectiveUntil, then falls back to the default', async () => {
    const now = new Date(clock.now())
    const shortLived: Configuration = {
      id: 'cfg-website-scan-promo',
      interactionCode: 'WEBSITE_SCAN',
      templateId: 'tpl-website-scan-v2',
      modelCode: 'CLAUDE_3_HAIKU',
      tier: 'starter',
      temperature: 0.2,
      maxTokens: 512,
      topP: 1,
      isActive: true,
      effectiveFrom: new Date(clock.now() - day),
      effectiveUntil: new Date(clock.now() + 2 * minute),
      createdAt: now,
      updatedAt: now,
    }
    await system.repos.configurations.insert(shortLived)
    expect((await system.configService.resolve('WEBSITE_SCAN', 'starter')).id).toBe('cfg-website-scan-promo')
    clock.advance(2 * minute - 1)
    const stillCached = await system.configService.resolveWithTrace('WEBSITE_SCAN', 'starter')
    expect(stillCached.trace.layer).toBe('L1')
    expect(stillCached.configuration.id).toBe('cfg-website-scan-promo')
    clock.advance(2)
    const after = await system.configService.resolveWithTrace('WEBSITE_SCAN', 'starter')
    expect(after.trace).toMatchObject({ layer: 'source', used: 'default' })
    expect(after.configuration.id).toBe('cfg-website-scan-default-v2')
  })

  it('keeps a "not found" answer only briefly (30 s by default)', async () => {
    const saved = await system.db('llm_configurations').where('interaction_code', 'ACTION_SUGGESTIONS')
    await system.db('llm_configurations').where('interaction_code', 'ACTION_SUGGESTIONS').delete()
    await expect(system.configService.resolve('ACTION_SUGGESTIONS', 'starter')).rejects.toThrow(/ACTION_SUGGESTIONS/)
    await system.db('llm_configurations').insert(saved)
    clock.advance(29_000)
    await expect(system.configService.resolve('ACTION_SUGGESTIONS', 'starter')).rejects.toThrow(/ACTION_SUGGESTIONS/)
    clock.advance(1_000)
    expect((await system.configService.resolve('ACTION_SUGGESTIONS', 'starter')).id).toBe('cfg-action-suggestions-default-v2')
  })

  it('serves an expired entry, counted as stale, when the database fails', async () => {
    await system.configService.resolve('ROOT_CAUSE_ANALYSIS', 'enterprise')
    clock.advance(16 * minute)
    const staleBefore = system.configService.cache.counters.stale
    // Make the real database fail: the table disappears under the repository.
    await system.db.schema.renameTable('llm_configurations', 'llm_configurations_away')
    try {
      const { configuration, trace } = await system.configService.resolveWithTrace('ROOT_CAUSE_ANALYSIS', 'enterprise')
      expect(configuration.id).toBe('cfg-root-cause-analysis-enterprise')
      expect(trace.layer).toBe('stale')
      expect(system.configService.cache.counters.stale).toBe(staleBefore + 1)
      // With no copy at all, the database error surfaces.
      await expect(system.configService.resolve('ROOT_CAUSE_ANALYSIS', 'starter')).rejects.toThrow(/llm_configurations/)
    } finally {
      await system.db.schema.renameTable('llm_configurations_away', 'llm_configurations')
    }
  })
})
