import { PutObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sampleParameters, seedTemplateIds, type TemplateMetadata, TemplateRenderingError, TemplateSyntaxError } from '../src/index.js'
import { openTestSystem } from './helpers.js'

let system: Awaited<ReturnType<typeof openTestSystem>>

async function addTemplate(id: string, interactionCode: string, content: string): Promise<void> {
  const key = `tests/${id}.hbs`
  await system.s3.client.send(new PutObjectCommand({ Bucket: system.s3.bucket, Key: key, Body: content }))
  const now = new Date()
  const metadata: TemplateMetadata = {
    id,
    templateCode: id.toUpperCase().replaceAll('-', '_'),
    interactionCode,
    name: id,
    description: 'test template',
    s3Bucket: system.s3.bucket,
    s3Key: key,
    version: 1,
    isActive: false,
    requiredParameters: [],
    createdAt: now,
    updatedAt: now,
  }
  await system.repos.templates.insert(metadata)
}

beforeAll(async () => {
  system = await openTestSystem()
})
afterAll(async () => {
  await system?.close()
})

const expectedSimple = `Analyze the alignment of this goal with the business foundation.

Goal: Grow recurring revenue by 20% this year
Purpose: Help independent shops thrive
Values:
1. Integrity
2. Customer focus
3. Craftsmanship
Respond with an alignment score from 0 to 100 and a short explanation.`

const expectedComplex = `You are a business coach. Suggest how to bring this goal into line with the business foundation.

Goal: Open a second location by Q3

Business foundation:
- Vision: Every neighbourhood has a great bakery
- Mission: Bake honest bread for our community
- Core values: Quality, Community, Sustainability

Overall alignment: 72/100 (partial)

1. Vision fit: 85/100
   Strengths:
   - Expands reach to a new neighbourhood
   - Builds the brand
   No improvements suggested.
2. Financial readiness: 45/100 (needs attention)
   Improvements:
   2.1 Build three months of cash reserve
   2.2 Secure a supplier discount
3. Team capacity: 60/100
   Strengths:
   - Experienced head baker
   Improvements:
   3.1 Hire a second shift lead
Give at most three concrete suggestions, highest impact first.`

describe('template rendering', () => {
  it('renders the simple alignment template to the exact expected text', async () => {
    expect(await system.templateService.render(seedTemplateIds.simple, sampleParameters.simple)).toBe(expectedSimple)
  })

  it('renders optional parameters when given, without HTML escaping', async () => {
    const text = await system.templateService.render(seedTemplateIds.simple, {
      ...sampleParameters.simple,
      context: 'Q1 <budget> & "hiring" freeze',
    })
    expect(text).toBe(expectedSimple.replace('Respond with', 'Context: Q1 <budget> & "hiring" freeze\nRespond with'))
  })

  it('renders the complex template (nested loops, conditionals) to the exact expected text', async () => {
    expect(await system.templateService.render(seedTemplateIds.complex, sampleParameters.complex)).toBe(expectedComplex)
  })

  it('compiles once per content version and caches output by canonical parameters', async () => {
    await system.clearCaches()
    system.resetCounters()
    const first = await system.templateService.renderWithTrace(seedTemplateIds.simple, sampleParameters.simple)
    expect(first.trace).toMatchObject({ output: 'source', compiled: 'compiled' })
    // Same parameters, keys in another order: same canonical JSON, so the rendered cache answers.
    const reordered = { values: sampleParameters.simple.values, purpose: sampleParameters.simple.purpose, goal_text: sampleParameters.simple.goal_text }
    const second = await system.templateService.renderWithTrace(seedTemplateIds.simple, reordered)
    expect(second.trace.output).toBe('L1')
    expect(second.text).toBe(expectedSimple)
    // New parameters: rendered again with the compiled function from cache.
    const third = await system.templateService.renderWithTrace(seedTemplateIds.simple, { ...sampleParameters.simple, purpose: 'Other' })
    expect(third.trace).toMatchObject({ output: 'source', compiled: 'cached' })
    expect(system.stats().caches.compiledTemplates).toEqual({ hits: 1, misses: 1, size: 1 })
  })

  it('lists every missing required parameter', async () => {
    const error = await system.templateService.render(seedTemplateIds.simple, { purpose: 'x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TemplateRenderingError)
    expect(error).toMatchObject({
      code: 'LLM_TEMPLATE_RENDERING',
      templateId: seedTemplateIds.simple,
      missingParameters: ['goal_text', 'values'],
    })
    expect((error as Error).message).toContain('goal_text, values')
  })

  it('renders an unknown variable as empty text by default and rejects it in strict mode', async () => {
    await addTemplate('tpl-test-unknown-var', 'ACTION_SUGGESTIONS', 'Issue: {{issue}}; owner: {{owner}}.')
    expect(await system.templateService.render('tpl-test-unknown-var', { issue: 'late invoices' })).toBe('Issue: late invoices; owner: .')
    const error = await system.templateService.render('tpl-test-unknown-var', { issue: 'late invoices' }, { strict: true }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TemplateRenderingError)
    expect(error).toMatchObject({ templateId: 'tpl-test-unknown-var', missingParameters: ['owner'] })
  })

  it('names the template when its syntax is invalid', async () => {
    await addTemplate('tpl-test-bad-syntax', 'ACTION_SUGGESTIONS', 'Issue: {{issue}}\n{{#each steps}}- {{this}}\n')
    const error = await system.templateService.render('tpl-test-bad-syntax', { issue: 'x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TemplateSyntaxError)
    expect(error).toMatchObject({ code: 'LLM_TEMPLATE_SYNTAX', templateId: 'tpl-test-bad-syntax' })
    expect((error as Error).message).toContain('tpl-test-bad-syntax')
  })

  it('keeps Handlebars prototype-access protection on', async () => {
    await addTemplate('tpl-test-proto', 'ACTION_SUGGESTIONS', '{{issue}}|{{issue.constructor.name}}|{{lookup issue "__proto__"}}|')
    expect(await system.templateService.render('tpl-test-proto', { issue: 'x' })).toBe('x|||')
  })
})
