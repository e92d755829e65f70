const minute = 60_000

/** Bounds of one cache: time to live, entry count and total size. */
export interface CacheBounds {
  /** How long an entry is fresh, in ms. */
  ttlMs: number
  /** Most entries kept (lru-cache `max`). */
  max: number
  /** Most total size kept, in approximate bytes (lru-cache `maxSize` with `sizeCalculation`). */
  maxSize: number
}

/** Every cache setting of the system. Pass a partial copy to override. */
export interface LlmCacheOptions {
  /** Resolved configurations, keyed by interaction and tier. */
  configurations: CacheBounds & {
    /** How long a "no configuration" answer is remembered, in ms. */
    notFoundTtlMs: number
  }
  /** Template metadata rows, keyed by template id (and active template per interaction). */
  templateMetadata: CacheBounds
  /** Template text fetched from S3, keyed by bucket and key. */
  templateContent: CacheBounds
  /** Compiled Handlebars functions, keyed by a hash of the template text; they never go stale. */
  compiledTemplates: { max: number }
  /** Rendered prompts, keyed by template, content hash and a hash of the canonical parameters. */
  renderedOutput: CacheBounds
  /**
   * How long after expiry an entry may still be served when its source (database, S3) fails.
   * Stale entries are kept until LRU pressure evicts them or this runs out.
   */
  staleRetentionMs: number
}

/** The defaults, documented once. TTLs follow the original service. */
export const cacheDefaults: Readonly<LlmCacheOptions> = Object.freeze({
  /** @default 15 min TTL, 30 s for "not found", 10,000 entries, 16 MB */
  configurations: { ttlMs: 15 * minute, notFoundTtlMs: 30_000, max: 10_000, maxSize: 16 * 1024 * 1024 },
  /** @default 30 min TTL, 5,000 entries, 8 MB */
  templateMetadata: { ttlMs: 30 * minute, max: 5_000, maxSize: 8 * 1024 * 1024 },
  /** @default 30 min TTL, 2,000 entries, 64 MB */
  templateContent: { ttlMs: 30 * minute, max: 2_000, maxSize: 64 * 1024 * 1024 },
  /** @default 2,000 compiled templates */
  compiledTemplates: { max: 2_000 },
  /** @default 5 min TTL, 10,000 entries, 64 MB */
  renderedOutput: { ttlMs: 5 * minute, max: 10_000, maxSize: 64 * 1024 * 1024 },
  /** @default 24 h */
  staleRetentionMs: 24 * 60 * minute,
})

/** Options as callers may give them: any subset, one level deep. */
export type LlmCacheOptionsInput = { [K in keyof LlmCacheOptions]?: LlmCacheOptions[K] extends object ? Partial<LlmCacheOptions[K]> : LlmCacheOptions[K] }

export function resolveCacheOptions(input: LlmCacheOptionsInput = {}): LlmCacheOptions {
  return {
    configurations: { ...cacheDefaults.configurations, ...input.configurations },
    templateMetadata: { ...cacheDefaults.templateMetadata, ...input.templateMetadata },
    templateContent: { ...cacheDefaults.templateContent, ...input.templateContent },
    compiledTemplates: { ...cacheDefaults.compiledTemplates, ...input.compiledTemplates },
    renderedOutput: { ...cacheDefaults.renderedOutput, ...input.renderedOutput },
    staleRetentionMs: input.staleRetentionMs ?? cacheDefaults.staleRetentionMs,
  }
}
