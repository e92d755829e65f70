import type { Configuration, TemplateMetadata } from './entities.js'
import { interactionCodes, interactions } from './interactions.js'
import { modelCodes, models } from './models.js'
import { mulberry32, pick } from './prng.js'
import { seedTemplateKey, seedTiersWithOwnConfiguration } from './seed-data.js'
import { tiers } from './tiers.js'

const day = 24 * 60 * 60 * 1000

export interface VolumeOptions {
  /** @default 10_000 */
  configurations?: number
  /** @default 1_000 */
  templates?: number
  /** PRNG seed; the same seed gives the same rows. @default 42 */
  seed?: number
  /** Reference moment for effective windows. @default Date.now() */
  now?: number
  /** Bucket the template metadata points at. */
  bucket: string
}

export interface VolumeDataSet {
  configurations: Configuration[]
  templates: TemplateMetadata[]
}

/**
 * Production-like volumes: configuration history for every interaction and tier (mostly
 * superseded or expired rows, a few inactive), and many template versions. Volume templates
 * point at the seed templates' S3 objects of their interaction, so no extra uploads are
 * needed. Ids start with `vol-` so they never collide with the seed set.
 *
 * Volume configurations are all effective in the past or expired, and older than the seed
 * set's current ones, so adding them changes query cost, not resolution answers.
 */
export function generateVolume(options: VolumeOptions): VolumeDataSet {
  const random = mulberry32(options.seed ?? 42)
  const now = options.now ?? Date.now()
  const tierChoices = [null, ...tiers]
  const configurations: Configuration[] = []
  for (let n = 0; n < (options.configurations ?? 10_000); n++) {
    const interactionCode = pick(random, interactionCodes)
    const modelCode = pick(random, modelCodes)
    // Older than the seed set's current rows (30 days), so never the newest candidate.
    const from = now - (31 + Math.floor(random() * 700)) * day
    const tier = pick(random, tierChoices)
    // A live row for a tier that the seed set lets fall back would change answers, so those are history only.
    const expired = random() < 0.7 || (tier !== null && !seedTiersWithOwnConfiguration(interactionCode).includes(tier))
    const created = new Date(from - day)
    configurations.push({
      id: `vol-cfg-${String(n).padStart(6, '0')}`,
      interactionCode,
      templateId: `tpl-${interactionCode.toLowerCase().replaceAll('_', '-')}-v2`,
      modelCode,
      tier,
      temperature: Math.round(random() * 200) / 100,
      maxTokens: 256 * (1 + Math.floor(random() * (models[modelCode].maxTokens / 256))),
      topP: Math.round(random() * 100) / 100,
      isActive: random() >= 0.15,
      effectiveFrom: new Date(from),
      effectiveUntil: expired ? new Date(from + (1 + Math.floor(random() * 30)) * day) : null,
      createdAt: created,
      updatedAt: created,
    })
  }
  const templates: TemplateMetadata[] = []
  for (let n = 0; n < (options.templates ?? 1_000); n++) {
    const interactionCode = pick(random, interactionCodes)
    const created = new Date(now - Math.floor(random() * 700) * day)
    templates.push({
      id: `vol-tpl-${String(n).padStart(6, '0')}`,
      templateCode: `VOL_${interactionCode}_${String(n).padStart(6, '0')}`,
      interactionCode,
      name: `${interactionCode} variant ${n}`,
      description: `Generated variant ${n} of the ${interactionCode} prompt.`,
      s3Bucket: options.bucket,
      s3Key: seedTemplateKey(interactionCode, 2),
      version: 1 + Math.floor(random() * 5),
      // Inactive, so getActiveTemplateForInteraction keeps answering with the seed template.
      isActive: false,
      requiredParameters: [...interactions[interactionCode].requiredParameters],
      createdAt: created,
      updatedAt: created,
    })
  }
  return { configurations, templates }
}
