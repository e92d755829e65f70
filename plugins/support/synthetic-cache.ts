import type { Configuration, LlmSystem } from '@perftrack/llm-config'
import { resolutionKeys } from './workload.js'

/** What the configuration cache stores for one key (the service's own value type). */
export type CachedResolutionValue = Parameters<LlmSystem['configService']['cache']['set']>[1]

/** The 56 real resolutions of the seed data, loaded through the service. */
export function loadSeedResolutions(system: LlmSystem): Promise<Configuration[]> {
  return Promise.all(resolutionKeys.map((k) => system.configService.resolve(k.interactionCode, k.tier)))
}

/**
 * Resolution has only 56 real keys; cache-volume tests need more. The i-th entry copies a
 * loaded configuration with its own id and Dates, one object graph per entry as a repository
 * load makes, under a key in the service's `INTERACTION:tier` format with a suffix.
 */
export function syntheticResolution(loaded: readonly Configuration[], i: number): { key: string; value: CachedResolutionValue } {
  const base = loaded[i % loaded.length]
  return {
    key: `${base.interactionCode}:${base.tier ?? 'default'}:${i}`,
    value: {
      kind: 'found',
      usedDefault: false,
      configuration: {
        ...base,
        id: `${base.id}-${i}`,
        effectiveFrom: new Date(base.effectiveFrom.getTime()),
        effectiveUntil: base.effectiveUntil ? new Date(base.effectiveUntil.getTime()) : null,
        createdAt: new Date(base.createdAt.getTime()),
        updatedAt: new Date(base.updatedAt.getTime() + i),
      },
    },
  }
}
