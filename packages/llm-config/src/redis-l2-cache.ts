import { Redis, type RedisOptions } from 'ioredis'
import type { L2Cache } from './l2-cache.js'

export interface RedisL2CacheOptions {
  /** `redis://host:port/db`. */
  url: string
  /** Prefix of every key this cache writes; `clear()` deletes only these. @default 'llm:' */
  keyPrefix?: string
  /** A command slower than this fails (and the caller goes to the source). @default 250 */
  commandTimeoutMs?: number
  /** Extra ioredis options. */
  redis?: RedisOptions
}

/**
 * L2 cache on Redis (ioredis). Tuned to fail fast: with Redis down, commands reject at once
 * (no offline queue, no per-request retries) so callers fall through to the source instead
 * of hanging; ioredis keeps reconnecting in the background.
 */
export class RedisL2Cache implements L2Cache {
  readonly redis: Redis
  private readonly prefix: string

  constructor(options: RedisL2CacheOptions) {
    this.prefix = options.keyPrefix ?? 'llm:'
    this.redis = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 250,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
      ...options.redis,
    })
    // Without a listener ioredis reports connection errors as unhandled; they surface per command instead.
    this.redis.on('error', () => {})
  }

  /** Resolves once connected (useful in tests; commands before that fail fast). */
  async ready(): Promise<void> {
    if (this.redis.status === 'ready') return
    await new Promise<void>((resolve, reject) => {
      this.redis.once('ready', () => resolve())
      this.redis.once('end', () => reject(new Error('Redis connection ended before it was ready')))
    })
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.ceil(ttlMs)))
  }

  async del(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys.map((k) => this.prefix + k))
  }

  async clear(): Promise<void> {
    let cursor = '0'
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500)
      if (keys.length > 0) await this.redis.del(...keys)
      cursor = next
    } while (cursor !== '0')
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    this.redis.disconnect()
  }
}
