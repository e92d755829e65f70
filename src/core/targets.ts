import type { Target, TargetOp } from './plugin-api.js'
import type { Stats } from './summary.js'

export interface TargetResult extends Target {
  actual: number
  pass: boolean
}

const compare: Record<TargetOp, (actual: number, limit: number) => boolean> = {
  '<': (a, l) => a < l,
  '<=': (a, l) => a <= l,
  '>': (a, l) => a > l,
  '>=': (a, l) => a >= l,
}

export function evaluateTargets(targets: Target[] | undefined, stats: Stats): TargetResult[] {
  return (targets ?? []).map((t) => {
    const actual = stats[t.stat]
    return { ...t, actual, pass: compare[t.op](actual, t.value) }
  })
}

/**
 * How far inside (>1) or outside (<1) its limit a value is, as a factor: for an upper bound
 * limit/actual, for a lower bound actual/limit.
 */
export function margin(t: TargetResult): number {
  const upper = t.op === '<' || t.op === '<='
  if (upper) return t.actual === 0 ? Number.POSITIVE_INFINITY : t.value / t.actual
  return t.value === 0 ? Number.POSITIVE_INFINITY : t.actual / t.value
}
