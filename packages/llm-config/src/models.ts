/** An LLM the system may be configured to call. */
export interface ModelDefinition {
  readonly code: string
  readonly maxTokens: number
  /** US dollars per 1,000 tokens. */
  readonly costPer1kTokens: number
}

/** The model registry, seeded from the original service. Keys are model codes. */
export const models: Readonly<Record<string, ModelDefinition>> = Object.freeze({
  CLAUDE_3_SONNET: Object.freeze({ code: 'CLAUDE_3_SONNET', maxTokens: 4096, costPer1kTokens: 0.003 }),
  CLAUDE_3_HAIKU: Object.freeze({ code: 'CLAUDE_3_HAIKU', maxTokens: 4096, costPer1kTokens: 0.00025 }),
  CLAUDE_3_5_SONNET: Object.freeze({ code: 'CLAUDE_3_5_SONNET', maxTokens: 8192, costPer1kTokens: 0.003 }),
})

export const modelCodes: readonly string[] = Object.freeze(Object.keys(models))

export function findModel(code: string): ModelDefinition | undefined {
  return Object.hasOwn(models, code) ? models[code] : undefined
}
