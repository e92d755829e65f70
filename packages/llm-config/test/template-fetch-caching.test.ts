import { describe, expect, it } from 'vitest'
import { seedTemplateIds, seedTemplateSources } from '../src/index.js'
import { useTestSystem } from './helpers.js'

const system = useTestSystem()

describe('template fetch through the database and a live s3rver', () => {
  it('makes one metadata query and one S3 GET on a cold fetch', async () => {
    const { template, trace } = await system().templateService.getTemplateWithTrace(seedTemplateIds.simple)
    expect(template.metadata).toMatchObject({ interactionCode: 'ALIGNMENT_ANALYSIS', version: 2, isActive: true })
    expect(template.content).toBe(seedTemplateSources.ALIGNMENT_ANALYSIS)
    expect(template.contentHash).toMatch(/^[0-9a-f]{64}$/)
    expect(trace).toEqual({ metadata: 'source', content: 'source' })
    expect(system().repos.templates.stats.queries).toBe(1)
    expect(system().s3Stats.gets).toBe(1)
    expect(system().s3Stats.byCommand).toEqual({ GetObjectCommand: 1 })
  })

  it('makes no S3 GET and no query for 100 warm fetches', async () => {
    await system().templateService.getTemplate(seedTemplateIds.complex)
    system().resetCounters()
    const fetched = await Promise.all(Array.from({ length: 100 }, () => system().templateService.getTemplateWithTrace(seedTemplateIds.complex)))
    expect(fetched.every((f) => f.trace.content === 'L1' && f.trace.metadata === 'L1')).toBe(true)
    expect(system().s3Stats.gets).toBe(0)
    expect(system().repos.templates.stats.queries).toBe(0)
    expect(system().stats().caches.templateContent).toMatchObject({ hits: 100, misses: 0 })
  })

  it('shares one S3 GET among concurrent cold fetches of one template', async () => {
    await Promise.all(Array.from({ length: 20 }, () => system().templateService.getTemplate(seedTemplateIds.simple)))
    expect(system().s3Stats.gets).toBe(1)
    expect(system().repos.templates.stats.queries).toBe(1)
  })

  it('finds the highest active version for an interaction', async () => {
    const metadata = await system().templateService.getActiveTemplateForInteraction('KPI_ANALYSIS')
    expect(metadata).toMatchObject({ id: 'tpl-kpi-analysis-v2', version: 2 })
    await system().templateService.getActiveTemplateForInteraction('KPI_ANALYSIS')
    expect(system().repos.templates.stats.byMethod).toEqual({ findActiveByInteraction: 1 })
  })
})
