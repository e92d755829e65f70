import { interactionCodes, interactions, sampleParameters, seedTiersWithOwnConfiguration, type Tier, tiers } from '@perftrack/llm-config'

/** One resolution request: an interaction and a tier (`null` = the default configuration). */
export interface ResolutionKey {
  interactionCode: string
  tier: Tier | null
}

/** Every (interaction, tier) pair of the seed data: 14 interactions × (default + 3 tiers) = 56 keys. */
export const resolutionKeys: readonly ResolutionKey[] = Object.freeze(
  interactionCodes.flatMap((interactionCode) => [null, ...tiers].map((tier) => ({ interactionCode, tier }))),
)

/** Keys whose tier has no configuration of its own in the seed data, so resolution falls back to the default. */
export const fallbackKeys: readonly ResolutionKey[] = Object.freeze(
  resolutionKeys.filter((k) => k.tier !== null && !seedTiersWithOwnConfiguration(k.interactionCode).includes(k.tier)),
)

/** Ids of the active (v2) seed template of every interaction, as the seed data names them. */
export const activeTemplateIds: readonly string[] = Object.freeze(interactionCodes.map((code) => `tpl-${code.toLowerCase().replaceAll('_', '-')}-v2`))

/** An endless round-robin over `items`. */
export function cycle<T>(items: readonly T[]): () => T {
  if (items.length === 0) throw new Error('cycle() needs at least one item')
  let i = 0
  return () => items[i++ % items.length]
}

// Parameters the seed templates iterate over or join; everything else is text.
const listParameters = new Set(['values', 'goals', 'actions', 'current_kpis', 'strategies', 'focus_areas', 'business_priorities', 'core_values'])

/**
 * Parameters that satisfy an interaction's required and optional parameters, varied by
 * `variant` (a user id, a request number) so distinct variants render distinct prompts.
 * The two interactions with hand-written samples use them.
 */
export function parametersFor(interactionCode: string, variant: string): Record<string, unknown> {
  if (interactionCode === 'ALIGNMENT_ANALYSIS') return { ...sampleParameters.simple, goal_text: `${sampleParameters.simple.goal_text} (${variant})` }
  if (interactionCode === 'ALIGNMENT_SUGGESTIONS') return { ...sampleParameters.complex, goal: `${sampleParameters.complex.goal} (${variant})` }
  const definition = interactions[interactionCode]
  if (!definition) throw new Error(`Unknown interaction ${interactionCode}`)
  const parameters: Record<string, unknown> = {}
  for (const name of [...definition.requiredParameters, ...definition.optionalParameters]) {
    parameters[name] = listParameters.has(name)
      ? [`${name} one for ${variant}`, `${name} two`, `${name} three`]
      : `${name.replaceAll('_', ' ')} of ${variant}: a sentence or two of realistic length for a coaching prompt.`
  }
  return parameters
}
