import { createS3Client } from '@perftrack/llm-config'
import { definePlugin } from 'perftrack'
import { heapMethod } from '../support/memory.js'
import { openSystem } from '../support/system.js'
import { distributedBenchmarks, openDistributed } from './distributed.js'
import { evictionBenchmarks } from './eviction.js'
import { createLoadState, loadBenchmarks } from './load.js'
import { memoryBenchmarks } from './memory.js'
import { seedProductionVolume, volumeBenchmarks } from './production-volume.js'
import type { CacheState } from './state.js'
import { openTtlSystem, ttlBenchmarks } from './ttl-expiry.js'

async function closeAll(cleanups: Array<() => Promise<unknown>>): Promise<void> {
  const errors: unknown[] = []
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup()
    } catch (error) {
      errors.push(error)
    }
  }
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors, 'cache plugin teardown failed')
}

/** The seed suite's "future enhancements": load, production volume, eviction, TTL expiry, a shared Redis cache, memory. */
export default definePlugin<CacheState>({
  name: 'cache',
  description: 'Caches of the LLM configuration system under load, production volume, eviction, simultaneous expiry, a shared Redis L2, and their memory cost',
  async setup(ctx) {
    const cleanups: Array<() => Promise<unknown>> = []
    try {
      const main = await openSystem(ctx, 'cache-main')
      cleanups.push(() => main.close())
      // Left cold: production-volume-cold empties the caches anyway; the benchmarks that need
      // them warm say so in `prepare`.
      const volume = await seedProductionVolume(ctx, main)
      const ttl = await openTtlSystem(ctx)
      cleanups.push(() => ttl.system.close())
      const evictionContent = createS3Client(main.s3.config)
      cleanups.push(async () => evictionContent.client.destroy())
      const distributed = await openDistributed(ctx, cleanups)
      ctx.logger.info(`cache: memory figures use ${heapMethod()}`)
      return { ctx, main, volume, load: createLoadState(ctx.roundTime), ttl, evictionContent, distributed, rounds: new Map(), cleanups }
    } catch (error) {
      await closeAll(cleanups).catch(() => {})
      throw error
    }
  },
  teardown: (s) => closeAll(s.cleanups),
  benchmarks: [...volumeBenchmarks, ...loadBenchmarks, ...evictionBenchmarks(), ...ttlBenchmarks, ...distributedBenchmarks, ...memoryBenchmarks()],
})
