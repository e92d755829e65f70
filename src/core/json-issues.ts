import type { z } from 'zod'

// Where a JSON document fails its schema, in words a person can find in the file: used for a
// history file (history/transfer.ts) and a side's `perftrack run --json` output (jobs/ab-runner.ts).

/** A problem's place, naming the run by id and the result by metric: `runs[4] (run 3f2a…).results[2] (cache/l2-hit).stats.n`. */
function describeJsonPath(value: unknown, issuePath: PropertyKey[]): string {
  if (issuePath.length === 0) return '(top level)'
  let node: unknown = value
  let out = ''
  for (const key of issuePath) {
    node = (node as Record<PropertyKey, unknown> | null | undefined)?.[key]
    if (typeof key !== 'number') {
      out += out ? `.${String(key)}` : String(key)
      continue
    }
    const item = node as { id?: unknown; plugin?: unknown; benchmark?: unknown } | null | undefined
    const label = typeof item?.id === 'string' ? ` (run ${item.id})` : typeof item?.plugin === 'string' ? ` (${item.plugin}/${String(item.benchmark)})` : ''
    out += `[${key}]${label}`
  }
  return out
}

/** The first few problems of a document that failed its schema, each with its place. */
export const describeJsonIssues = (value: unknown, issues: readonly z.core.$ZodIssue[], max = 3): string =>
  issues
    .slice(0, max)
    .map((i) => `${describeJsonPath(value, i.path)}: ${i.message}`)
    .join('; ')
