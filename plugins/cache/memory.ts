import {
  ConfigurationRepository,
  ConfigurationService,
  type CountedS3Client,
  type LlmSystem,
  S3TemplateContentStore,
  seedTemplateIds,
  TemplateRepository,
  TemplateService,
} from '@perftrack/llm-config'
import type { Benchmark } from 'perftrack'
import { liveHeap } from '../support/memory.js'
import { loadSeedResolutions, syntheticResolution } from '../support/synthetic-cache.js'
import { parametersFor } from '../support/workload.js'
import type { CacheState } from './state.js'

const method = 'heapUsed after a forced full GC (global.gc, else V8 gc exposed at run time; without either, plain heapUsed deltas, as the setup log says)'

/** Entries per measurement: enough that a few KB of unrelated allocation is noise (< 1 byte per entry). */
export const configurationEntries = 10_000
export const renderedEntries = 5_000

/**
 * Live heap per configuration-cache entry: a fresh service (default bounds, 10,000 entries
 * max, so nothing is evicted), filled with entries shaped like loaded configurations, heap
 * taken before and after; bytes per entry.
 */
export async function bytesPerCachedConfiguration(system: LlmSystem): Promise<{ bytes: number; accounted: number }> {
  const loaded = await loadSeedResolutions(system)
  const service = new ConfigurationService({ repository: new ConfigurationRepository(system.db) })
  const before = liveHeap()
  for (let i = 0; i < configurationEntries; i++) {
    const { key, value } = syntheticResolution(loaded, i)
    await service.cache.set(key, value)
  }
  const after = liveHeap()
  if (service.cache.size !== configurationEntries) throw new Error(`expected ${configurationEntries} entries, the cache holds ${service.cache.size}`)
  return { bytes: (after - before) / configurationEntries, accounted: service.cache.calculatedSize / configurationEntries }
}

/**
 * Live heap per rendered-output entry: a fresh template service with its template and
 * compiled form cached, then 5,000 renders of the simple template with distinct parameters
 * (each one stored: 10,000 entries max); bytes per entry (prompt text, key, LRU slot).
 */
export async function bytesPerRenderedTemplate(system: LlmSystem, content: CountedS3Client): Promise<{ bytes: number; accounted: number }> {
  const service = new TemplateService({ repository: new TemplateRepository(system.db), contentStore: new S3TemplateContentStore(content.client) })
  const id = seedTemplateIds.simple
  await service.render(id, parametersFor('ALIGNMENT_ANALYSIS', 'warm-up'))
  await service.renderedCache.clear()
  const before = liveHeap()
  for (let i = 0; i < renderedEntries; i++) await service.render(id, parametersFor('ALIGNMENT_ANALYSIS', `user ${i}`))
  const after = liveHeap()
  if (service.renderedCache.size !== renderedEntries)
    throw new Error(`expected ${renderedEntries} rendered entries, the cache holds ${service.renderedCache.size}`)
  return { bytes: (after - before) / renderedEntries, accounted: service.renderedCache.calculatedSize / renderedEntries }
}

export function memoryBenchmarks(): Benchmark<CacheState>[] {
  return [
    {
      name: 'bytes-per-cached-configuration',
      kind: 'value',
      unit: 'bytes',
      direction: 'lower',
      description: `Live heap per configuration-cache entry over ${configurationEntries.toLocaleString('en')} entries shaped like loaded configurations; ${method}`,
      async measure(s) {
        const { bytes, accounted } = await bytesPerCachedConfiguration(s.main)
        s.ctx.logger.debug(`bytes-per-cached-configuration: ${bytes.toFixed(0)} live, ${accounted.toFixed(0)} by the cache's own size estimate`)
        return bytes
      },
    },
    {
      name: 'bytes-per-rendered-template',
      kind: 'value',
      unit: 'bytes',
      direction: 'lower',
      description: `Live heap per rendered-output entry over ${renderedEntries.toLocaleString('en')} renders of the simple template with distinct parameters; ${method}`,
      async measure(s) {
        const { bytes, accounted } = await bytesPerRenderedTemplate(s.main, s.evictionContent)
        s.ctx.logger.debug(`bytes-per-rendered-template: ${bytes.toFixed(0)} live, ${accounted.toFixed(0)} by the cache's own size estimate`)
        return bytes
      },
    },
  ]
}
