import type { CacheLayer, LlmSystem } from '@perftrack/llm-config'
import type { Benchmark, PluginContext } from 'perftrack'
import { warmEach } from '../support/system.js'
import { cycle, type ResolutionKey, resolutionKeys } from '../support/workload.js'
import type { CacheState } from './state.js'

export interface VolumeState {
  configurations: number
  templates: number
  /** Ids of the volume templates (`vol-tpl-*`), also the key space of the eviction scenario. */
  templateIds: string[]
  nextKey: () => ResolutionKey
  nextTemplate: () => string
  /** False once a cold sample emptied the caches. */
  warm: boolean
}

/** Production-like volume: 10,000 configurations and 1,000 templates (cheap to seed: about half a second, so --quick keeps it). */
export const productionVolume = { configurations: 10_000, templates: 1_000 }

export async function seedProductionVolume(ctx: PluginContext, system: LlmSystem): Promise<VolumeState> {
  const data = await system.seedVolume(productionVolume)
  // Seeding inserts count as queries; the workload starts from zero.
  system.resetCounters()
  const templateIds = data.templates.map((t) => t.id)
  ctx.logger.info(
    `cache: production volume ${data.configurations.length} configurations + ${data.templates.length} templates on top of the seed set (full size${ctx.quick ? ', also with --quick' : ''})`,
  )
  return {
    configurations: data.configurations.length,
    templates: data.templates.length,
    templateIds,
    nextKey: cycle(resolutionKeys),
    nextTemplate: cycle(templateIds),
    warm: false,
  }
}

/** For `prepare`: warms the main system's caches unless they are warm (setup leaves them cold; production-volume-cold empties them). */
export function ensureWarm(s: CacheState): Promise<void> | undefined {
  return s.volume.warm ? undefined : warmVolume(s.main, s.volume)
}

export async function warmVolume(system: LlmSystem, volume: VolumeState): Promise<void> {
  await warmEach(system, resolutionKeys, 16, (k) => system.configService.resolve(k.interactionCode, k.tier))
  await warmEach(system, volume.templateIds, 32, (id) => system.templateService.getTemplate(id))
  volume.warm = true
}

/** One request against the production volume: resolve a configuration, fetch a template; both answered by `layer`. */
async function request(s: CacheState, layer: CacheLayer) {
  const key = s.volume.nextKey()
  const templateId = s.volume.nextTemplate()
  const resolved = await s.main.configService.resolveWithTrace(key.interactionCode, key.tier)
  const fetched = await s.main.templateService.getTemplateWithTrace(templateId)
  if (resolved.trace.layer !== layer || fetched.trace.metadata !== layer || fetched.trace.content !== layer) {
    throw new Error(
      `volume request ${resolved.trace.key} + ${templateId}: ${resolved.trace.layer}/${fetched.trace.metadata}/${fetched.trace.content}, expected ${layer}`,
    )
  }
}

export const volumeBenchmarks: Benchmark<CacheState>[] = [
  {
    name: 'production-volume-cold',
    kind: 'latency',
    bound: 'io',
    description:
      "One request on 10,000 configurations + 1,000 templates with every cache emptied first: cold resolve() (one SQL query) then cold getTemplate() of a volume template (metadata query + S3 GET); target = the seed's cold resolution + cold fetch bounds",
    beforeEach(s) {
      s.volume.warm = false
      return s.main.clearCaches()
    },
    fn: (s) => request(s, 'source'),
    targets: [{ stat: 'p95', op: '<', value: 250 }],
  },
  {
    name: 'production-volume-warm',
    kind: 'latency',
    description: "The same request with all 56 keys and 1,000 volume templates cached; target = the seed's cached resolution + warm fetch bounds",
    prepare: ensureWarm,
    fn: (s) => request(s, 'L1'),
    targets: [{ stat: 'p95', op: '<', value: 10 }],
  },
]
