import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLlmSystem, interactionCodes, type LlmSystem, tiers } from '../src/index.js'

// PostgreSQL cannot be started here portably (it refuses to run as root), so this suite runs
// against a server the environment provides, and is skipped otherwise.
const url = process.env.PERFTRACK_LLM_PG_URL

let system: LlmSystem | undefined

beforeAll(async () => {
  if (url) system = await createLlmSystem({ connection: url })
})
afterAll(async () => {
  await system?.close()
})

describe.skipIf(!url)('the same repositories on PostgreSQL (set PERFTRACK_LLM_PG_URL=postgres://... to run)', () => {
  it('resolves every interaction and tier with one query per cold key, as on SQLite', async () => {
    const sys = system!
    const resolved: Record<string, string> = {}
    for (const code of interactionCodes) {
      for (const tier of [null, ...tiers]) resolved[`${code}:${tier}`] = (await sys.configService.resolve(code, tier)).id
    }
    expect(sys.repos.configurations.stats.queries).toBe(interactionCodes.length * 4)
    expect(resolved['ALIGNMENT_ANALYSIS:starter']).toBe('cfg-alignment-analysis-starter')
    expect(resolved['STRATEGY_ANALYSIS:starter']).toBe('cfg-strategy-analysis-default-v2')
    expect(resolved['ALIGNMENT_ANALYSIS:enterprise']).toBe('cfg-alignment-analysis-enterprise')
    const config = await sys.configService.resolve('ALIGNMENT_ANALYSIS', 'starter')
    expect(config.effectiveFrom).toBeInstanceOf(Date)
    expect(config.isActive).toBe(true)
    expect(config.temperature).toBe(0.3)
  })

  it('loads production volumes and fetches template metadata', async () => {
    const sys = system!
    await sys.seedVolume({ configurations: 2_000, templates: 200 })
    expect(await sys.repos.configurations.count()).toBeGreaterThanOrEqual(2_000)
    const metadata = await sys.templateService.getActiveTemplateForInteraction('KPI_ANALYSIS')
    expect(metadata).toMatchObject({ id: 'tpl-kpi-analysis-v2', requiredParameters: ['current_kpis'] })
  })
})
