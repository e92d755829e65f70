import { describe, expect, it } from 'vitest'
import { useTestSystem } from './helpers.js'

const system = useTestSystem()

describe('configuration invalidation', () => {
  it('invalidating the default also drops tier entries that fell back to it, but not tier-specific ones', async () => {
    // STRATEGY_ANALYSIS: enterprise has its own configuration, starter falls back.
    await system().configService.resolve('STRATEGY_ANALYSIS', null)
    await system().configService.resolve('STRATEGY_ANALYSIS', 'starter')
    await system().configService.resolve('STRATEGY_ANALYSIS', 'enterprise')
    await system().configService.resolve('KPI_ANALYSIS', 'starter')
    expect(system().repos.configurations.stats.queries).toBe(4)

    // The default changes: a new model for everyone who falls back.
    await system().repos.configurations.update('cfg-strategy-analysis-default-v2', { modelCode: 'CLAUDE_3_HAIKU' })
    await system().configService.invalidate('STRATEGY_ANALYSIS', null)
    system().resetCounters()

    const starter = await system().configService.resolveWithTrace('STRATEGY_ANALYSIS', 'starter')
    expect(starter.trace.layer).toBe('source')
    expect(starter.configuration.modelCode).toBe('CLAUDE_3_HAIKU')
    const fallbackDefault = await system().configService.resolveWithTrace('STRATEGY_ANALYSIS', null)
    expect(fallbackDefault.trace.layer).toBe('source')
    expect((await system().configService.resolveWithTrace('STRATEGY_ANALYSIS', 'enterprise')).trace.layer).toBe('L1')
    expect((await system().configService.resolveWithTrace('KPI_ANALYSIS', 'starter')).trace.layer).toBe('L1')
    expect(system().repos.configurations.stats.queries).toBe(2)
  })

  it('invalidating a tier drops only that tier', async () => {
    await system().configService.resolve('ALIGNMENT_ANALYSIS', 'starter')
    await system().configService.resolve('ALIGNMENT_ANALYSIS', null)
    await system().configService.invalidate('ALIGNMENT_ANALYSIS', 'starter')
    expect((await system().configService.resolveWithTrace('ALIGNMENT_ANALYSIS', 'starter')).trace.layer).toBe('source')
    expect((await system().configService.resolveWithTrace('ALIGNMENT_ANALYSIS', null)).trace.layer).toBe('L1')
  })

  it('invalidating the default drops a cached "not found" for a tier, so a new default is seen at once', async () => {
    const original = await system().db('llm_configurations').where('interaction_code', 'WEBSITE_SCAN')
    await system().db('llm_configurations').where('interaction_code', 'WEBSITE_SCAN').delete()
    await expect(system().configService.resolve('WEBSITE_SCAN', 'starter')).rejects.toThrow(/WEBSITE_SCAN/)
    await system().db('llm_configurations').insert(original)
    await system().configService.invalidate('WEBSITE_SCAN', null)
    expect((await system().configService.resolve('WEBSITE_SCAN', 'starter')).id).toBe('cfg-website-scan-default-v2')
  })
})

describe('invalidation during a load', () => {
  it('does not let a load that started before the invalidation fill the cache', async () => {
    await system().clearCaches()
    system().resetCounters()
    const inFlight = system().configService.resolve('COACHING_RESPONSE', 'enterprise')
    await system().configService.invalidate('COACHING_RESPONSE', 'enterprise')
    expect((await inFlight).id).toBe('cfg-coaching-response-enterprise')
    const after = await system().configService.resolveWithTrace('COACHING_RESPONSE', 'enterprise')
    expect(after.trace.layer).toBe('source')
    expect(system().repos.configurations.stats.queries).toBe(2)
  })
})
