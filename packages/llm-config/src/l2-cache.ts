/**
 * A second-level cache shared by several service instances (Redis in production). Values are
 * strings: the layer above serialises. Every method may reject; callers treat a rejection as
 * a miss and go to the source, so an L2 outage degrades speed, never correctness.
 */
export interface L2Cache {
  get(key: string): Promise<string | undefined>
  /** Stores with a time to live in ms. */
  set(key: string, value: string, ttlMs: number): Promise<void>
  del(keys: string[]): Promise<void>
  /** Removes every entry this cache owns (e.g. under its key prefix). */
  clear(): Promise<void>
}
