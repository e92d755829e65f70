import type { Configuration, TemplateMetadata } from './entities.js'
import { interactionCodes, interactions } from './interactions.js'
import { seedTemplateSources } from './seed-templates.js'
import { type Tier, tiers } from './tiers.js'

const day = 24 * 60 * 60 * 1000

/** The realistic seed data set, relative to a moment `now`. */
export interface SeedDataSet {
  configurations: Configuration[]
  templates: TemplateMetadata[]
  /** Template text by S3 key (all in one bucket). */
  objects: Record<string, string>
}

function templateId(interactionCode: string, version: number): string {
  return `tpl-${interactionCode.toLowerCase().replaceAll('_', '-')}-v${version}`
}

/** The S3 key of an interaction's seed template version. */
export function seedTemplateKey(interactionCode: string, version: number): string {
  return `templates/${interactionCode.toLowerCase()}/v${version}.hbs`
}

/** Tiers that have their own seed configuration for the interaction; the others fall back to the default. */
export function seedTiersWithOwnConfiguration(interactionCode: string): Tier[] {
  const i = interactionCodes.indexOf(interactionCode)
  return tiers.filter((tier) => tier === 'enterprise' || (tier === 'professional' && i % 2 === 0) || (tier === 'starter' && i % 3 === 0))
}

/**
 * Builds the seed data set. For every interaction: a current default, an expired older
 * default, and a template in two versions (v1 retired, v2 active). Enterprise has its own
 * configuration everywhere; professional on every second interaction and starter on every
 * third, so those tiers mix own and fallen-back resolutions. Decoys that must never win: an inactive newer
 * config, a future one, and an expired one.
 */
export function buildSeedData(options: { now?: number; bucket: string }): SeedDataSet {
  const now = options.now ?? Date.now()
  const configurations: Configuration[] = []
  const templates: TemplateMetadata[] = []
  const objects: Record<string, string> = {}
  const created = new Date(now - 365 * day)

  for (const code of interactionCodes) {
    const slug = code.toLowerCase().replaceAll('_', '-')
    const source = seedTemplateSources[code]
    for (const version of [1, 2]) {
      const key = seedTemplateKey(code, version)
      // v1 carries an older preamble so the two versions differ in content.
      objects[key] = version === 1 ? `[v1]\n${source}` : source
      templates.push({
        id: templateId(code, version),
        templateCode: code,
        interactionCode: code,
        name: `${code} prompt v${version}`,
        description: `Prompt template for ${code}, version ${version}.`,
        s3Bucket: options.bucket,
        s3Key: key,
        version,
        isActive: version === 2,
        requiredParameters: [...interactions[code].requiredParameters],
        createdAt: new Date(created.getTime() + version * day),
        updatedAt: new Date(created.getTime() + version * day),
      })
    }

    const config = (id: string, tier: Tier | null, fields: Partial<Configuration>): Configuration => ({
      id: `cfg-${slug}-${id}`,
      interactionCode: code,
      templateId: templateId(code, 2),
      modelCode: 'CLAUDE_3_5_SONNET',
      tier,
      temperature: 0.7,
      maxTokens: 2048,
      topP: 0.9,
      isActive: true,
      effectiveFrom: new Date(now - 30 * day),
      effectiveUntil: null,
      createdAt: created,
      updatedAt: created,
      ...fields,
    })
    configurations.push(
      config('default-v1', null, {
        templateId: templateId(code, 1),
        modelCode: 'CLAUDE_3_SONNET',
        effectiveFrom: new Date(now - 200 * day),
        effectiveUntil: new Date(now - 30 * day),
      }),
      config('default-v2', null, {}),
      config('enterprise', 'enterprise', { modelCode: 'CLAUDE_3_5_SONNET', maxTokens: 8192, temperature: 0.5 }),
      // Newer but switched off: must never be chosen.
      config('enterprise-disabled', 'enterprise', { isActive: false, effectiveFrom: new Date(now - 1 * day) }),
    )
    const own = seedTiersWithOwnConfiguration(code)
    if (own.includes('professional')) {
      configurations.push(
        config('professional', 'professional', { modelCode: 'CLAUDE_3_SONNET', maxTokens: 4096, effectiveFrom: new Date(now - 10 * day) }),
        // Not yet in effect.
        config('professional-next', 'professional', { modelCode: 'CLAUDE_3_5_SONNET', effectiveFrom: new Date(now + 30 * day) }),
      )
    }
    if (own.includes('starter')) {
      configurations.push(
        config('starter', 'starter', { modelCode: 'CLAUDE_3_HAIKU', maxTokens: 1024, temperature: 0.3 }),
        // Expired.
        config('starter-old', 'starter', {
          modelCode: 'CLAUDE_3_SONNET',
          effectiveFrom: new Date(now - 120 * day),
          effectiveUntil: new Date(now - 60 * day),
        }),
      )
    }
  }
  return { configurations, templates, objects }
}
