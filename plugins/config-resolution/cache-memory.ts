import { cacheDefaults, type LlmSystem } from '@perftrack/llm-config'
import { liveHeap, MiB } from '../support/memory.js'
import { loadSeedResolutions, syntheticResolution } from '../support/synthetic-cache.js'

/** The configuration cache's configured size bound in MB (2^20 bytes): the target of cache-memory. */
export const configurationCacheBoundMiB = cacheDefaults.configurations.maxSize / MiB

/**
 * Pushes `distinctKeys` distinct keys through the system's real configuration cache (its LRU
 * bounds evict as in service) and returns the live heap it then holds, MB.
 */
export async function configurationCacheMemory(system: LlmSystem, distinctKeys: number): Promise<number> {
  const cache = system.configService.cache
  const loaded = await loadSeedResolutions(system)
  await system.configService.clear()
  const before = liveHeap()
  for (let i = 0; i < distinctKeys; i++) {
    const { key, value } = syntheticResolution(loaded, i)
    await cache.set(key, value)
  }
  const after = liveHeap()
  const { max, maxSize } = cacheDefaults.configurations
  if (cache.size > max || cache.calculatedSize > maxSize) {
    throw new Error(`configuration cache holds ${cache.size} entries / ${cache.calculatedSize} bytes, over its bounds ${max} / ${maxSize}`)
  }
  await system.configService.clear()
  return (after - before) / MiB
}
