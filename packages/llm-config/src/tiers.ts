/** Subscription tiers that may have their own configuration. `null` means the default configuration. */
export const tiers = Object.freeze(['starter', 'professional', 'enterprise'] as const)

export type Tier = (typeof tiers)[number]

export function isTier(value: unknown): value is Tier {
  return typeof value === 'string' && (tiers as readonly string[]).includes(value)
}
