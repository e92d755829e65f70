import type { ConfigurationStore } from './configuration-repository.js'
import { withLatency } from './latency.js'
import type { TemplateContentStore } from './s3-client.js'
import type { TemplateMetadataStore } from './template-repository.js'

/** Delays added to each call of the real repositories and S3, in ms. */
export interface LatencyProfile {
  name: string
  description: string
  configurationQueryMs: number
  templateMetadataQueryMs: number
  s3GetMs: number
}

/** Latency profiles by name. `local` adds nothing; `seed` reproduces the original suite's methodology. */
export const latencyProfiles = Object.freeze({
  local: Object.freeze({
    name: 'local',
    description: 'No injected delay: the real SQLite/PostgreSQL and S3 latency only.',
    configurationQueryMs: 0,
    templateMetadataQueryMs: 0,
    s3GetMs: 0,
  }),
  seed: Object.freeze({
    name: 'seed',
    description: 'The original suite: +20 ms per configuration query, +10 ms per template-metadata query, +50 ms per S3 GET.',
    configurationQueryMs: 20,
    templateMetadataQueryMs: 10,
    s3GetMs: 50,
  }),
}) satisfies Record<string, LatencyProfile>

export type LatencyProfileName = keyof typeof latencyProfiles

/** Wraps the real stores with the profile's delays (identity for `local`). */
export function applyLatencyProfile<C extends ConfigurationStore, T extends TemplateMetadataStore, S extends TemplateContentStore>(
  profile: LatencyProfile,
  stores: { configurations: C; templates: T; content: S },
): { configurations: C; templates: T; content: S } {
  return {
    configurations: withLatency(stores.configurations, {
      findCandidates: profile.configurationQueryMs,
    } as Partial<Record<keyof C & string, number>>),
    templates: withLatency(stores.templates, {
      findById: profile.templateMetadataQueryMs,
      findActiveByInteraction: profile.templateMetadataQueryMs,
    } as Partial<Record<keyof T & string, number>>),
    content: withLatency(stores.content, { getContent: profile.s3GetMs } as Partial<Record<keyof S & string, number>>),
  }
}
