import { z } from 'zod'

import { PerftrackError } from './errors.js'
import type { Plugin } from './plugin-api.js'
import { benchmarkKindValues, directionValues, summaryStatValues, targetOpValues } from './vocabulary.js'

const fn = z.custom<(...args: unknown[]) => unknown>((value) => typeof value === 'function', { message: 'must be a function' })

const target = z.object({
  stat: z.enum(summaryStatValues),
  op: z.enum(targetOpValues),
  value: z.number().finite(),
})

const benchmark = z
  .object({
    name: z
      .string()
      .min(1)
      .regex(/^[\w.:-]+$/, 'use letters, digits, ".", ":", "_" or "-"'),
    kind: z.enum(benchmarkKindValues),
    description: z.string().optional(),
    fn: fn.optional(),
    beforeEach: fn.optional(),
    prepare: fn.optional(),
    concurrency: z.number().int().min(1).optional(),
    measure: fn.optional(),
    ratioOf: z
      .object(
        { numerator: z.string().min(1), denominator: z.string().min(1) },
        { message: 'must be { numerator, denominator }: names of benchmarks listed before this one' },
      )
      .strict()
      .optional(),
    unit: z.string().min(1).optional(),
    direction: z.enum(directionValues).optional(),
    targets: z.array(target).optional(),
    bound: z.enum(['cpu', 'io'], { message: "must be 'cpu' or 'io' (I/O or waiting: skipped by --measure instructions)" }).optional(),
    alone: z.boolean({ message: 'must be true or false (true: measured while no other measuring process runs)' }).optional(),
  })
  .superRefine((b, ctx) => {
    const need = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message })
    if (b.kind === 'value') {
      if (!b.measure && !b.ratioOf) need('measure', "is required for kind 'value' (one observation per round), unless it has ratioOf")
      if (b.measure && b.ratioOf) need('ratioOf', 'and measure exclude each other: a value is either measured or computed from two benchmarks')
      if (!b.unit) need('unit', "is required for kind 'value'")
      if (!b.direction) need('direction', "is required for kind 'value' ('lower' or 'higher' is better)")
    } else if (!b.fn) {
      need('fn', `is required for kind '${b.kind}' (one operation)`)
    }
    if (b.concurrency !== undefined && b.kind !== 'throughput') need('concurrency', "applies to kind 'throughput' only")
    if (b.ratioOf && b.kind !== 'value') need('ratioOf', "applies to kind 'value' only")
  })

const plugin = z.object({
  name: z
    .string()
    .min(1)
    .regex(/^[\w.-]+$/, 'use letters, digits, ".", "_" or "-"'),
  description: z.string().optional(),
  setup: fn.optional(),
  teardown: fn.optional(),
  benchmarks: z
    .array(benchmark)
    .min(1, 'must list at least one benchmark')
    .superRefine((list, ctx) => {
      // A ratio is computed from rounds measured before it in the same plugin.
      for (const [i, b] of list.entries()) {
        if (!b.ratioOf) continue
        const issue = (part: 'numerator' | 'denominator', message: string) => ctx.addIssue({ code: 'custom', path: [i, 'ratioOf', part], message })
        const sources = { numerator: b.ratioOf.numerator, denominator: b.ratioOf.denominator }
        const found: Partial<Record<'numerator' | 'denominator', (typeof list)[number]>> = {}
        for (const [part, name] of Object.entries(sources) as Array<['numerator' | 'denominator', string]>) {
          const source = list.slice(0, i).find((x) => x.name === name)
          if (!source) issue(part, `names '${name}', which is not a benchmark listed before '${b.name}' in this plugin`)
          else if (source.kind === 'value') issue(part, `names '${name}', a value benchmark; a ratio is of two latency or throughput benchmarks`)
          else found[part] = source
        }
        const { numerator, denominator } = found
        if (!numerator || !denominator) continue
        if (numerator === denominator) issue('denominator', 'names the numerator again; a ratio is of two different benchmarks')
        else if (numerator.kind !== denominator.kind) {
          issue(
            'denominator',
            `names '${denominator.name}', a ${denominator.kind} benchmark, under a ${numerator.kind} numerator; both parts must be of one kind (ms over ms, ops/s over ops/s)`,
          )
        }
      }
    }),
})

function fieldPath(path: PropertyKey[], value: unknown): string {
  let out = ''
  let node: unknown = value
  for (const key of path) {
    if (typeof key === 'number') {
      const name = (node as unknown[] | undefined)?.[key] as { name?: unknown } | undefined
      out += typeof name?.name === 'string' ? `[${key}] (${name.name})` : `[${key}]`
    } else {
      out += out ? `.${String(key)}` : String(key)
    }
    node = (node as Record<PropertyKey, unknown> | undefined)?.[key]
  }
  return out || '(default export)'
}

/** Validates a plugin module's default export; the error names the file and the field. */
export function validatePlugin(value: unknown, file: string): Plugin {
  if (value === null || typeof value !== 'object') {
    throw new PerftrackError(
      'PLUGIN_INVALID',
      `${file}: the default export must be a plugin object (definePlugin({...})), got ${value === null ? 'null' : typeof value}`,
      {
        suggestions: ["export default definePlugin({ name: 'my-plugin', benchmarks: [...] })"],
      },
    )
  }
  const parsed = plugin.safeParse(value)
  if (parsed.success) {
    assertUniqueBenchmarks(value as Plugin, file)
    return value as Plugin
  }
  const problems = parsed.error.issues.map((issue) => `${fieldPath(issue.path, value)}: ${issue.message}`)
  const duplicates = duplicateNames(value as Plugin)
  throw new PerftrackError('PLUGIN_INVALID', `${file}: invalid plugin — ${[...problems, ...duplicates].join('; ')}`, {
    suggestions: ['See the plugin contract in README.md ("Writing a plugin").'],
  })
}

function duplicateNames(value: Plugin): string[] {
  if (!Array.isArray(value.benchmarks)) return []
  const seen = new Set<string>()
  const out: string[] = []
  for (const b of value.benchmarks) {
    if (seen.has(b?.name)) out.push(`benchmarks: duplicate name '${b.name}'`)
    seen.add(b?.name)
  }
  return out
}

function assertUniqueBenchmarks(value: Plugin, file: string): void {
  const duplicates = duplicateNames(value)
  if (duplicates.length > 0) throw new PerftrackError('PLUGIN_INVALID', `${file}: invalid plugin — ${duplicates.join('; ')}`)
}
