/** What an interaction (one kind of LLM call) needs from its caller. */
export interface InteractionDefinition {
  readonly code: string
  readonly requiredParameters: readonly string[]
  readonly optionalParameters: readonly string[]
}

function interaction(code: string, requiredParameters: string[], optionalParameters: string[] = []): InteractionDefinition {
  return { code, requiredParameters, optionalParameters }
}

/** The interaction registry, seeded from the original service. Keys are interaction codes. */
export const interactions: Readonly<Record<string, InteractionDefinition>> = Object.freeze(
  Object.fromEntries(
    [
      interaction('ALIGNMENT_ANALYSIS', ['goal_text', 'purpose', 'values'], ['context', 'constraints']),
      interaction('STRATEGY_ANALYSIS', ['current_strategy'], ['industry', 'business_type', 'goals']),
      interaction('KPI_ANALYSIS', ['current_kpis'], ['goals', 'strategies']),
      interaction('COACHING_RESPONSE', ['conversation_context', 'user_message'], ['topic', 'phase']),
      interaction('ALIGNMENT_EXPLANATION', ['goal', 'business_foundation', 'alignment_score']),
      interaction('ALIGNMENT_SUGGESTIONS', ['goal', 'business_foundation', 'alignment_score']),
      interaction('STRATEGIC_ALIGNMENT', ['actions', 'goals', 'business_foundation']),
      interaction('ROOT_CAUSE_ANALYSIS', ['issue_title', 'issue_description'], ['business_impact']),
      interaction('ACTION_SUGGESTIONS', ['issue'], ['constraints', 'context']),
      interaction('PRIORITIZATION_SUGGESTIONS', ['actions'], ['goals', 'business_priorities']),
      interaction('SCHEDULING_SUGGESTIONS', ['actions'], ['team_capacity', 'constraints']),
      interaction('INSIGHTS_GENERATION', ['conversation_history', 'business_data'], ['focus_areas']),
      interaction('ONBOARDING_SUGGESTIONS', ['user_input'], ['business_context']),
      interaction('WEBSITE_SCAN', ['website_url', 'website_content']),
    ].map((definition) => [definition.code, Object.freeze(definition)]),
  ),
)

/** All interaction codes, in registry order. */
export const interactionCodes: readonly string[] = Object.freeze(Object.keys(interactions))

export function findInteraction(code: string): InteractionDefinition | undefined {
  return Object.hasOwn(interactions, code) ? interactions[code] : undefined
}
