import {
  type CountedS3Client,
  type LlmSystem,
  mulberry32,
  S3TemplateContentStore,
  seedTemplateIds,
  TemplateRepository,
  TemplateService,
} from '@perftrack/llm-config'
import type { Benchmark } from 'perftrack'
import { liveHeap } from '../support/memory.js'
import { parametersFor } from '../support/workload.js'
import { zipfSampler } from '../support/zipf.js'
import { type CacheState, nextRound } from './state.js'

/** Zipf exponent of the key popularity (1.0: the classic web-cache skew). */
export const zipfExponent = 1.0
/** Requests before counting (fills the cache) and requests counted, per round. */
export const evictionWarmup = 1_000
export const evictionRequests = 3_000
/** Cache sizes as fractions of the key space. */
export const evictionFractions = [0.1, 0.25, 0.5] as const

/** Key space of the size-bound scenario: distinct parameter sets of the simple template. */
const renderKeySpace = 100_000
const renderRequests = 40_000
/** The rendered-output cache's size bound in the size-bound scenario, KB (2^10 bytes). */
export const renderedBoundKiB = 8192

/** A fixed shuffle of the key space, so popularity is not correlated with id order. */
function permutation(n: number, seed: number): number[] {
  const random = mulberry32(seed)
  const out = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

/**
 * Hit rate of a template-metadata cache holding `fraction` of the key space (the 1,000
 * volume templates) under a Zipf workload, counted at a dedicated real repository: hits =
 * requests − SQL queries. A fresh service per round; the seeded PRNG differs per round and is
 * the same on every run. Latency does not change a sequential hit rate, so the repository
 * runs without the profile's injected delay (10 ms × ~1,000 misses would only add waiting).
 */
export async function evictionHitRate(
  system: LlmSystem,
  templateIds: readonly string[],
  fraction: number,
  round: number,
  content: CountedS3Client,
): Promise<number> {
  const repository = new TemplateRepository(system.db)
  const service = new TemplateService({
    repository,
    contentStore: new S3TemplateContentStore(content.client),
    cache: { templateMetadata: { max: Math.max(1, Math.round(fraction * templateIds.length)) } },
  })
  const order = permutation(templateIds.length, 99)
  const draw = zipfSampler(templateIds.length, zipfExponent, 1_000 + round)
  const next = () => templateIds[order[draw()]]
  for (let i = 0; i < evictionWarmup; i++) await service.getTemplate(next())
  const before = repository.stats.queries
  for (let i = 0; i < evictionRequests; i++) await service.getTemplate(next())
  const queries = repository.stats.queries - before
  return ((evictionRequests - queries) / evictionRequests) * 100
}

/**
 * Live heap the rendered-output cache holds once a Zipf workload over 20,000 distinct
 * parameter sets has filled it and keeps evicting through its size bound (maxSize 1 MB; the
 * entry count 10,000 is not reached), KB: heap with the cache full minus heap right after
 * emptying it, both after a forced GC. The difference isolates the cache's entries from heap
 * that grows for other reasons during the workload (JIT code, pools), which a before/after
 * delta would wrongly charge to the cache.
 */
export async function evictionMemory(
  system: LlmSystem,
  round: number,
  content: CountedS3Client,
): Promise<{ heldKiB: number; entries: number; calculatedSize: number }> {
  const service = new TemplateService({
    repository: new TemplateRepository(system.db),
    contentStore: new S3TemplateContentStore(content.client),
    cache: { renderedOutput: { maxSize: renderedBoundKiB * 1024 } },
  })
  const id = seedTemplateIds.simple
  await service.render(id, parametersFor('ALIGNMENT_ANALYSIS', 'warm-up'))
  await service.renderedCache.clear()
  const draw = zipfSampler(renderKeySpace, zipfExponent, 5_000 + round)
  for (let i = 1; i <= renderRequests; i++) await service.render(id, parametersFor('ALIGNMENT_ANALYSIS', `key ${draw()}`))
  const entries = service.renderedCache.size
  const calculatedSize = service.renderedCache.calculatedSize
  const full = liveHeap()
  await service.renderedCache.clear()
  const emptied = liveHeap()
  return { heldKiB: (full - emptied) / 1024, entries, calculatedSize }
}

export function evictionBenchmarks(): Benchmark<CacheState>[] {
  const hitRates: Benchmark<CacheState>[] = evictionFractions.map((fraction) => {
    const name = `eviction-hit-rate-${Math.round(fraction * 100)}pct`
    return {
      name,
      kind: 'value' as const,
      unit: '%',
      direction: 'higher' as const,
      description: `Template-metadata cache sized to ${fraction * 100}% of 1,000 volume templates, Zipf(s=${zipfExponent}) requests from a seeded PRNG: ${evictionWarmup} warm-up then ${evictionRequests} counted; hits = requests − SQL queries at a real repository (no injected delay: it cannot change a sequential hit rate)`,
      measure: (s: CacheState) => evictionHitRate(s.main, s.volume.templateIds, fraction, nextRound(s, name), s.evictionContent),
    }
  })
  return [
    ...hitRates,
    {
      name: 'eviction-memory',
      kind: 'value',
      unit: 'KB',
      direction: 'lower',
      description: `Live heap held by the rendered-output cache (heap with it full minus heap after emptying it, forced GC) after ${renderRequests.toLocaleString('en')} Zipf renders over ${renderKeySpace.toLocaleString('en')} distinct parameter sets have it evicting through its size bound of ${renderedBoundKiB} KB (2^10 bytes); target: never above the bound`,
      async measure(s) {
        const { heldKiB, entries, calculatedSize } = await evictionMemory(s.main, nextRound(s, 'eviction-memory'), s.evictionContent)
        s.ctx.logger.debug(`eviction-memory: ${entries} entries, lru-cache accounts ${calculatedSize} bytes, live heap held ${heldKiB.toFixed(0)} KB`)
        return heldKiB
      },
      targets: [{ stat: 'max', op: '<=', value: renderedBoundKiB }],
    },
  ]
}
