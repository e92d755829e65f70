import { LRUCache } from 'lru-cache'
import type { Clock } from './clock.js'
import type { L2Cache } from './l2-cache.js'

/** Where a value came from. `stale` means an expired copy served because the source failed. */
export type CacheLayer = 'L1' | 'L2' | 'source' | 'stale'

/** Counters of one cache. Read them directly; `reset()` zeroes them. */
export interface CacheCounters {
  /** Fresh L1 hits. */
  hits: number
  /** L1 misses (absent or expired). */
  misses: number
  /** Expired copies served because the source failed. */
  stale: number
  /** Loads from the source (one per single-flight group). */
  loads: number
  /** Callers that joined a load already in flight instead of starting their own. */
  sharedLoads: number
  /** Source failures (whether or not a stale copy saved the call). */
  loadErrors: number
  l2Hits: number
  l2Misses: number
  /** L2 calls that failed; the cache fell through to the source. */
  l2Errors: number
}

/** Counters plus size figures, copied at one moment. */
export interface CacheSnapshot extends CacheCounters {
  /** Entries in L1, fresh or stale. */
  size: number
  /** Approximate bytes in L1 (lru-cache `calculatedSize`). */
  calculatedSize: number
  /** hits / (hits + misses), 0 when there were no lookups. */
  hitRate: number
}

/** Turns values into L2 strings and back. */
export interface Codec<V> {
  encode(value: V): string
  decode(text: string): V
}

export interface LayeredCacheOptions<V> {
  /** Names the cache in L2 keys and in stats. */
  name: string
  ttlMs: number
  max: number
  maxSize: number
  /** Approximate size in bytes of a value. */
  sizeOf(value: V): number
  now: Clock
  staleRetentionMs: number
  l2?: L2Cache
  codec?: Codec<V>
  /** Whether a failed load may be answered with a stale copy. @default every error */
  serveStaleOn?(error: unknown): boolean
}

/** A value a loader produced, with an optional shorter life (e.g. until a config's effectiveUntil). */
export interface Loaded<V> {
  value: V
  ttlMs?: number
}

export interface CacheResult<V> {
  value: V
  layer: CacheLayer
  /** True when this caller waited on a load another caller started. */
  shared: boolean
}

interface Entry<V> {
  value: V
  // Own expiry against the injected clock: lru-cache's TTL reads performance.now(), which a
  // test cannot move, and it deletes expired entries we still want as stale fallbacks.
  expiresAt: number
}

/**
 * An L1 LRU (bounded by count and size) over an optional shared L2, with single-flight loads
 * and stale-on-error. Freshness is judged by `expiresAt` against the injected clock; an
 * expired entry stays in the LRU (until evicted or `staleRetentionMs` passes) so it can be
 * served when the source is down.
 */
export class LayeredCache<V> {
  readonly counters: CacheCounters = LayeredCache.zeroCounters()
  private readonly lru: LRUCache<string, Entry<V>>
  private readonly inFlight = new Map<string, Promise<CacheResult<V>>>()
  private readonly loadTokens = new Map<string, object>()
  private readonly codec: Codec<V>

  constructor(private readonly options: LayeredCacheOptions<V>) {
    this.codec = options.codec ?? { encode: (v) => JSON.stringify(v), decode: (t) => JSON.parse(t) as V }
    this.lru = new LRUCache<string, Entry<V>>({
      max: options.max,
      maxSize: options.maxSize,
      sizeCalculation: (entry, key) => Math.max(1, Math.ceil(options.sizeOf(entry.value) + key.length * 2 + 48)),
    })
  }

  private static zeroCounters(): CacheCounters {
    return { hits: 0, misses: 0, stale: 0, loads: 0, sharedLoads: 0, loadErrors: 0, l2Hits: 0, l2Misses: 0, l2Errors: 0 }
  }

  /** Entries held in L1, fresh or stale. */
  get size(): number {
    return this.lru.size
  }

  /** Approximate bytes held in L1 (lru-cache `calculatedSize`). */
  get calculatedSize(): number {
    return this.lru.calculatedSize
  }

  get name(): string {
    return this.options.name
  }

  /** The fresh L1 value, counting a hit or a miss; no load. */
  getFresh(key: string): V | undefined {
    const entry = this.lru.get(key)
    if (entry && entry.expiresAt > this.options.now()) {
      this.counters.hits++
      return entry.value
    }
    return undefined
  }

  /** The L1 value without touching counters, recency or freshness (stale ones too). */
  peek(key: string): V | undefined {
    return this.lru.peek(key)?.value
  }

  keys(): string[] {
    return [...this.lru.keys()]
  }

  /**
   * Returns the value for `key`: fresh from L1, else from L2, else from `load` (one load per
   * key at a time), else, if the load fails and an expired copy remains, that copy.
   */
  async get(key: string, load: () => Promise<Loaded<V>>): Promise<CacheResult<V>> {
    const entry = this.lru.get(key)
    const now = this.options.now()
    if (entry && entry.expiresAt > now) {
      this.counters.hits++
      return { value: entry.value, layer: 'L1', shared: false }
    }
    this.counters.misses++
    const pending = this.inFlight.get(key)
    if (pending) {
      this.counters.sharedLoads++
      const result = await pending
      return { ...result, shared: true }
    }
    const token = {}
    const promise = this.fill(key, load, token).finally(() => {
      if (this.loadTokens.get(key) === token) {
        this.loadTokens.delete(key)
        this.inFlight.delete(key)
      }
    })
    this.loadTokens.set(key, token)
    this.inFlight.set(key, promise)
    return promise
  }

  // A load that started before an invalidation must not store its (possibly outdated) answer.
  private isCurrent(key: string, token: object): boolean {
    return this.loadTokens.get(key) === token
  }

  private async fill(key: string, load: () => Promise<Loaded<V>>, token: object): Promise<CacheResult<V>> {
    const fromL2 = await this.readL2(key)
    if (fromL2) {
      if (this.isCurrent(key, token)) this.lru.set(key, fromL2)
      return { value: fromL2.value, layer: 'L2', shared: false }
    }
    this.counters.loads++
    let loaded: Loaded<V>
    try {
      loaded = await load()
    } catch (error) {
      this.counters.loadErrors++
      const stale = this.lru.peek(key)
      const serveStale = this.options.serveStaleOn?.(error) ?? true
      if (stale && serveStale && stale.expiresAt + this.options.staleRetentionMs > this.options.now()) {
        this.counters.stale++
        return { value: stale.value, layer: 'stale', shared: false }
      }
      throw error
    }
    if (this.isCurrent(key, token)) await this.set(key, loaded.value, loaded.ttlMs)
    return { value: loaded.value, layer: 'source', shared: false }
  }

  /** Stores in L1 and L2. A ttl of 0 or less stores nothing (the value is already out of date). */
  async set(key: string, value: V, ttlMs = this.options.ttlMs): Promise<void> {
    const ttl = Math.min(ttlMs, this.options.ttlMs)
    if (!(ttl > 0)) {
      this.lru.delete(key)
      return
    }
    const expiresAt = this.options.now() + ttl
    this.lru.set(key, { value, expiresAt })
    if (this.options.l2) {
      try {
        await this.options.l2.set(this.l2Key(key), JSON.stringify({ e: expiresAt, v: this.codec.encode(value) }), ttl)
      } catch {
        this.counters.l2Errors++
      }
    }
  }

  private async readL2(key: string): Promise<Entry<V> | undefined> {
    if (!this.options.l2) return undefined
    let text: string | undefined
    try {
      text = await this.options.l2.get(this.l2Key(key))
    } catch {
      this.counters.l2Errors++
      return undefined
    }
    if (text !== undefined) {
      try {
        const stored = JSON.parse(text) as { e: number; v: string }
        if (stored.e > this.options.now()) {
          this.counters.l2Hits++
          return { value: this.codec.decode(stored.v), expiresAt: stored.e }
        }
      } catch {
        // An entry another version wrote in another shape: treat as a miss and overwrite it.
      }
    }
    this.counters.l2Misses++
    return undefined
  }

  private l2Key(key: string): string {
    return `${this.options.name}:${key}`
  }

  /** Drops keys from L1 and L2 (L2 failures are counted, not thrown). */
  async delete(keys: string[], l2Keys: string[] = keys): Promise<void> {
    for (const key of keys) {
      this.lru.delete(key)
      this.inFlight.delete(key)
      this.loadTokens.delete(key)
    }
    if (this.options.l2 && l2Keys.length > 0) {
      try {
        await this.options.l2.del(l2Keys.map((k) => this.l2Key(k)))
      } catch {
        this.counters.l2Errors++
      }
    }
  }

  /** Empties L1 (fresh and stale entries). With `l2: true` also empties the shared L2. */
  async clear(options: { l2?: boolean } = {}): Promise<void> {
    this.lru.clear()
    this.inFlight.clear()
    this.loadTokens.clear()
    if (options.l2 && this.options.l2) {
      try {
        await this.options.l2.clear()
      } catch {
        this.counters.l2Errors++
      }
    }
  }

  /** A copy of the counters with size figures. */
  snapshot(): CacheSnapshot {
    const lookups = this.counters.hits + this.counters.misses
    return {
      ...this.counters,
      size: this.lru.size,
      calculatedSize: this.lru.calculatedSize,
      hitRate: lookups === 0 ? 0 : this.counters.hits / lookups,
    }
  }

  resetCounters(): void {
    Object.assign(this.counters, LayeredCache.zeroCounters())
  }
}
