import { z } from 'zod'

import type { Fingerprint } from './fingerprint.js'
import { benchmarkKindValues, directionValues, resultStatusValues, runKindValues, runStatusValues, summaryStatValues, targetOpValues } from './vocabulary.js'

// A result and its run as they travel as JSON: the `--json` output (README, "Machine-readable
// output"), a side's `perftrack run --json` read back by jobs/ab-runner.ts, and the history file of
// `history export` (history/transfer.ts). One schema each, the TypeScript types inferred from it,
// so what is printed, what is read back and what is imported cannot drift apart
// (docs/architecture.md, "Result shapes").

// JSON has no NaN: a statistic that a history written before non-finite statistics were refused
// holds as NULL is NaN in memory (shown as —) and null on the wire. The schema reads null back as
// NaN, and takes NaN itself too, so an export checked in memory before it is written (a merge) passes.
const statValue = z.union([z.number(), z.nan(), z.null()]).transform((v) => v ?? Number.NaN)

/** A result's summary statistics (core/summary.ts's Stats). */
export const statsJsonSchema = z.object({
  n: z.number().int().min(0),
  mean: statValue,
  median: statValue,
  p95: statValue,
  p99: statValue,
  min: statValue,
  max: statValue,
  sd: statValue,
})

/** A target as evaluated when the result was made (core/targets.ts's TargetResult). */
export const targetResultJsonSchema = z.object({
  stat: z.enum(summaryStatValues),
  op: z.enum(targetOpValues),
  value: z.number(),
  actual: z.number(),
  pass: z.boolean(),
})

/** How a benchmark's warm-up went in the process that measured it. */
export const warmupJsonSchema = z.object({
  /** Calls timed together per sample. */
  batch: z.number().int().min(1),
  /** Wall time of the warm-up, ms. */
  ms: z.number().min(0),
  /** False when `maxWarmupTime` ended it before the benchmark settled. */
  steady: z.boolean(),
})

/**
 * A result as it is stored and printed, whatever made it: the runner's BenchmarkResult through
 * `resultFields()` (core/result.ts), a stored row through history/rows.ts, a history file's entry.
 * An errored result's error and a skipped one's reason are both in `error`.
 */
export const resultFieldsSchema = z.object({
  plugin: z.string().min(1),
  benchmark: z.string().min(1),
  kind: z.enum(benchmarkKindValues),
  unit: z.string(),
  direction: z.enum(directionValues),
  status: z.enum(resultStatusValues),
  /** Error message, or the reason of a skip. */
  error: z.string().nullable(),
  stats: statsJsonSchema.nullable(),
  targets: z.array(targetResultJsonSchema),
  /** Each round's primary value: the sample unit of comparisons. */
  rounds: z.array(z.number()),
})
export type ResultFields = z.output<typeof resultFieldsSchema>

/** A completed result has its statistics: the one rule every form of a result keeps (`.refine(...completedHasStats)`). */
export const completedHasStats: [check: (r: { status: string; stats: unknown }) => boolean, params: { message: string; path: PropertyKey[] }] = [
  (r) => r.status !== 'completed' || r.stats !== null,
  { message: 'a completed result needs its stats', path: ['stats'] },
]

/**
 * One result of the `--json` output: the result's fields, with the error of an errored result in
 * `error` and the reason of a skipped one in `skipped` (so a script tells them apart without
 * reading `status`), and, for a result fresh from the runner, its warm-up.
 */
export const resultJsonSchema = resultFieldsSchema
  .omit({ error: true })
  .extend({
    error: z.string().optional(),
    skipped: z.string().optional(),
    warmup: warmupJsonSchema.optional(),
  })
  .refine(...completedHasStats)
  .refine((r) => r.status !== 'errored' || r.error !== undefined, { message: 'an errored result needs its error', path: ['error'] })
  .refine((r) => r.status !== 'skipped' || r.skipped !== undefined, { message: 'a skipped result needs its reason', path: ['skipped'] })
export type ResultJson = z.output<typeof resultJsonSchema>

/** A run's fingerprint, as written: one of an older or newer perftrack may lack or add fields (core/fingerprint.ts). */
export const fingerprintJsonSchema = z.record(z.string(), z.unknown()).transform((v) => v as unknown as Fingerprint)

/** A run of the `--json` output (`run`, `history list`, `history show`). */
/** How busy the machine was while a run measured (machine-load.ts), as JSON and in the history file. */
export const machineLoadSchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('measured'),
    waitFraction: z.number().min(0).max(1),
    stealFraction: z.number().min(0).max(1),
    othersFraction: z.number().min(0).max(1).optional(),
  }),
  z.object({ state: z.literal('unavailable'), reason: z.string() }),
])

export const runJsonSchema = z.object({
  id: z.string().min(1),
  status: z.enum(runStatusValues),
  gitSha: z.string().nullable(),
  branch: z.string().nullable(),
  dirty: z.boolean().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  fingerprint: fingerprintJsonSchema,
  profile: z.string(),
  kind: z.enum(runKindValues),
  note: z.string().nullable(),
  /** How busy the machine was while the run measured; absent from the output of an older perftrack. */
  load: machineLoadSchema.optional(),
})
export type RunJson = z.output<typeof runJsonSchema>
