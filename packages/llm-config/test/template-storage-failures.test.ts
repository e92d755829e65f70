import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTemplateIds, type TemplateMetadata, TemplateNotFoundError, TemplateStorageUnavailableError } from '../src/index.js'
import { manualClock, minute, openTestSystem } from './helpers.js'

const clock = manualClock()
let system: Awaited<ReturnType<typeof openTestSystem>>

beforeAll(async () => {
  system = await openTestSystem({ now: clock.now })
})
afterAll(async () => {
  await system?.close()
})

describe('template storage failures', () => {
  it('maps an S3 NoSuchKey to TemplateNotFoundError naming the template and key', async () => {
    const now = new Date(clock.now())
    const metadata: TemplateMetadata = {
      id: 'tpl-test-missing-object',
      templateCode: 'TEST_MISSING',
      interactionCode: 'WEBSITE_SCAN',
      name: 'missing',
      description: '',
      s3Bucket: system.s3.bucket,
      s3Key: 'templates/does-not-exist.hbs',
      version: 1,
      isActive: false,
      requiredParameters: [],
      createdAt: now,
      updatedAt: now,
    }
    await system.repos.templates.insert(metadata)
    const error = await system.templateService.getTemplate('tpl-test-missing-object').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TemplateNotFoundError)
    expect(error).toMatchObject({
      code: 'LLM_TEMPLATE_NOT_FOUND',
      details: { templateId: 'tpl-test-missing-object', s3Key: 'templates/does-not-exist.hbs' },
    })
  })

  it('reports an unknown template id as TemplateNotFoundError', async () => {
    await expect(system.templateService.getTemplate('tpl-nope')).rejects.toMatchObject({
      name: 'TemplateNotFoundError',
      details: { templateId: 'tpl-nope' },
    })
  })

  it('serves an expired copy, counted as stale, when S3 is stopped; without a copy it fails clearly', async () => {
    const fresh = await system.templateService.getTemplate(seedTemplateIds.simple)
    clock.advance(31 * minute) // past the 30 min content and metadata TTLs
    await system.s3.local!.stop()

    const staleBefore = system.templateService.contentCache.counters.stale
    const { template, trace } = await system.templateService.getTemplateWithTrace(seedTemplateIds.simple)
    expect(template.content).toBe(fresh.content)
    expect(trace).toEqual({ metadata: 'source', content: 'stale' })
    expect(system.templateService.contentCache.counters.stale).toBe(staleBefore + 1)
    expect(system.stats().caches.templateContent.stale).toBe(staleBefore + 1)

    const error = await system.templateService.getTemplate(seedTemplateIds.complex).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TemplateStorageUnavailableError)
    expect(error).toMatchObject({
      code: 'LLM_TEMPLATE_STORAGE_UNAVAILABLE',
      templateId: seedTemplateIds.complex,
      s3Key: 'templates/alignment_suggestions/v2.hbs',
    })
    expect((error as Error).message).toContain(seedTemplateIds.complex)
  })
})
