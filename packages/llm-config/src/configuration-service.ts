import { type Clock, systemClock } from './clock.js'
import type { ConfigurationStore } from './configuration-repository.js'
import { type LlmCacheOptionsInput, resolveCacheOptions } from './defaults.js'
import type { Configuration } from './entities.js'
import { ConfigurationNotFoundError, InvalidConfigurationError, LlmError } from './errors.js'
import { findInteraction } from './interactions.js'
import type { L2Cache } from './l2-cache.js'
import { type CacheLayer, type Codec, LayeredCache } from './layered-cache.js'
import { findModel } from './models.js'
import { isTier, tiers } from './tiers.js'

/** What the cache remembers for one (interaction, tier): a configuration, or that there is none. */
type CachedResolution = { kind: 'found'; configuration: Configuration; usedDefault: boolean } | { kind: 'not-found' }

/** How one resolution was answered. */
export interface ResolutionTrace {
  /** The cache key, `INTERACTION:tier` or `INTERACTION:default`. */
  key: string
  /** L1 hit, L2 hit, a repository load, or a stale copy served because the repository failed. */
  layer: CacheLayer
  /** Whether the tier's own configuration or the default (tier null) one was used. */
  used: 'tier' | 'default'
  /** Repository queries this call caused: 1 for the caller that loaded, 0 for hits and for callers that shared a load. */
  queries: number
  /** True when the call waited on a load another concurrent call started. */
  sharedLoad: boolean
}

export interface ConfigurationServiceOptions {
  repository: ConfigurationStore
  cache?: LlmCacheOptionsInput
  /** Shared second-level cache (e.g. `RedisL2Cache`). */
  l2?: L2Cache
  /** @default Date.now */
  now?: Clock
}

const dateFields = ['effectiveFrom', 'effectiveUntil', 'createdAt', 'updatedAt'] as const

// JSON loses Date; L2 entries are revived field by field rather than with a global reviver.
const resolutionCodec: Codec<CachedResolution> = {
  encode: (value) => JSON.stringify(value),
  decode(text) {
    const value = JSON.parse(text) as CachedResolution
    if (value.kind === 'found') {
      const raw = value.configuration as unknown as Record<string, string | null>
      const revived = { ...value.configuration } as Record<string, unknown>
      for (const field of dateFields) revived[field] = raw[field] === null ? null : new Date(raw[field] as string)
      value.configuration = revived as unknown as Configuration
    }
    return value
  },
}

function cacheKey(interactionCode: string, tier: string | null): string {
  return `${interactionCode}:${tier ?? 'default'}`
}

/**
 * Resolves which LLM configuration an (interaction, tier) uses: the tier's own active
 * configuration, else the default one. Cached, single-flight, with the repository asked at
 * most once per cold key.
 */
export class ConfigurationService {
  /** The configuration cache: counters (`hits`, `misses`, `stale`, `l2Hits`...), `size`, `calculatedSize`. */
  readonly cache: LayeredCache<CachedResolution>
  private readonly repository: ConfigurationStore
  private readonly now: Clock
  private readonly ttlMs: number
  private readonly notFoundTtlMs: number

  constructor(options: ConfigurationServiceOptions) {
    const cacheOptions = resolveCacheOptions(options.cache)
    this.repository = options.repository
    this.now = options.now ?? systemClock
    this.ttlMs = cacheOptions.configurations.ttlMs
    this.notFoundTtlMs = cacheOptions.configurations.notFoundTtlMs
    this.cache = new LayeredCache<CachedResolution>({
      name: 'llm:config',
      ...cacheOptions.configurations,
      // A resolution holds one small row. Measured live heap per cached entry, key and LRU slot
      // included: ≈ 870 B (cache plugin, bytes-per-cached-configuration). 768 B for the value plus
      // the key and 48 B of slot matches it, so maxSize bounds the real memory (512 B undercounted by ≈ 30 %).
      sizeOf: () => 768,
      now: this.now,
      staleRetentionMs: cacheOptions.staleRetentionMs,
      l2: options.l2,
      codec: resolutionCodec,
      // A domain answer (invalid config) must surface; only infrastructure failures may be hidden by stale data.
      serveStaleOn: (error) => !(error instanceof LlmError),
    })
  }

  /** The configuration for the interaction and tier (`null` = default). */
  async resolve(interactionCode: string, tier: string | null = null): Promise<Configuration> {
    return (await this.resolveWithTrace(interactionCode, tier)).configuration
  }

  /** As `resolve`, plus how the answer was found. */
  async resolveWithTrace(interactionCode: string, tier: string | null = null): Promise<{ configuration: Configuration; trace: ResolutionTrace }> {
    if (!findInteraction(interactionCode)) {
      throw new InvalidConfigurationError(`Unknown interaction "${interactionCode}". Use one of the codes in the interactions registry.`, {
        interactionCode,
        tier,
        field: 'interactionCode',
      })
    }
    if (tier !== null && !isTier(tier)) {
      throw new InvalidConfigurationError(`Unknown tier "${tier}". Use one of ${tiers.join(', ')}, or null for the default.`, {
        interactionCode,
        tier,
        field: 'tier',
      })
    }
    const key = cacheKey(interactionCode, tier)
    const result = await this.cache.get(key, () => this.load(interactionCode, tier))
    const cached = result.value
    if (cached.kind === 'not-found') throw new ConfigurationNotFoundError(interactionCode, tier, tier !== null)
    return {
      configuration: cached.configuration,
      trace: {
        key,
        layer: result.layer,
        used: cached.usedDefault ? 'default' : 'tier',
        queries: (result.layer === 'source' || result.layer === 'stale') && !result.shared ? 1 : 0,
        sharedLoad: result.shared,
      },
    }
  }

  private async load(interactionCode: string, tier: string | null) {
    const now = this.now()
    const candidates = await this.repository.findCandidates(interactionCode, tier, new Date(now))
    // Candidates arrive newest first, so the first of each kind is the newest of that kind.
    const own = tier === null ? undefined : candidates.find((c) => c.tier === tier)
    const chosen = own ?? candidates.find((c) => c.tier === null)
    if (!chosen) return { value: { kind: 'not-found' as const }, ttlMs: this.notFoundTtlMs }
    this.validate(chosen, tier)
    const untilExpiry = chosen.effectiveUntil ? chosen.effectiveUntil.getTime() - now : Infinity
    return {
      value: { kind: 'found' as const, configuration: chosen, usedDefault: own === undefined && tier !== null },
      ttlMs: Math.min(this.ttlMs, untilExpiry),
    }
  }

  private validate(configuration: Configuration, tier: string | null): void {
    const { id, interactionCode, modelCode } = configuration
    if (!findInteraction(interactionCode)) {
      throw new InvalidConfigurationError(`Configuration "${id}" names interaction "${interactionCode}", which is not in the interactions registry.`, {
        configurationId: id,
        interactionCode,
        tier,
        field: 'interactionCode',
      })
    }
    const model = findModel(modelCode)
    if (!model) {
      throw new InvalidConfigurationError(
        `Configuration "${id}" names model "${modelCode}", which is not in the models registry. Fix the row or register the model.`,
        { configurationId: id, interactionCode, tier, modelCode, field: 'modelCode' },
      )
    }
    if (configuration.maxTokens > model.maxTokens) {
      throw new InvalidConfigurationError(
        `Configuration "${id}" asks for ${configuration.maxTokens} max tokens; model ${modelCode} allows ${model.maxTokens}.`,
        { configurationId: id, interactionCode, tier, modelCode, field: 'maxTokens' },
      )
    }
  }

  /**
   * Forgets the cached answer for (interaction, tier). Invalidating the default (tier null)
   * also forgets every tier of that interaction that fell back to it or found nothing, since
   * both answers depended on the default. Other instances' L1 copies are not reached.
   */
  async invalidate(interactionCode: string, tier: string | null = null): Promise<void> {
    const key = cacheKey(interactionCode, tier)
    if (tier !== null) return this.cache.delete([key])
    const dependents = tiers
      .map((t) => cacheKey(interactionCode, t))
      .filter((k) => {
        const cached = this.cache.peek(k)
        return cached !== undefined && (cached.kind === 'not-found' || cached.usedDefault)
      })
    // L2 contents are not inspected (that would be a round trip per tier), so all tier keys go there.
    await this.cache.delete([key, ...dependents], [key, ...tiers.map((t) => cacheKey(interactionCode, t))])
  }

  /** Empties the configuration cache (L1; with `l2: true` the shared L2 too). Counters are kept. */
  async clear(options: { l2?: boolean } = {}): Promise<void> {
    await this.cache.clear(options)
  }
}
