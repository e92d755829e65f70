import { readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { instructionDefaults, instructionThresholds } from '../core/defaults.js'
import { type Benchmark, skip } from '../core/plugin-api.js'
import { type CallgrindHooks, callgrindHooks } from './callgrind-addon.js'
import type { RoundBudget, RoundOutcome } from './measure.js'

/**
 * A calibrated threshold in this mode. Rounds are pooled across processes (ab-runner.ts), so
 * the CI half-width alone misses a constant offset between two processes: the A/A change
 * itself counts too, both with the safety factor of the time mode (k = 1.5, noise.ts).
 */
export function instructionThreshold(noise: { change: number; ciHalfWidth: number }, pooledHalfWidth: number): number {
  return Math.max(instructionThresholds.floor, 1.5 * (Math.abs(noise.change) + Math.max(noise.ciHalfWidth, pooledHalfWidth)))
}

/** The measure's unit and direction, whatever the benchmark's kind. */
export const instructionUnit = { unit: 'instructions', direction: 'lower' } as const

/** Why a benchmark is not counted in this mode, or undefined when it is. */
export function instructionSkipReason(b: Pick<Benchmark, 'kind' | 'bound' | 'ratioOf'>): string | undefined {
  if (b.ratioOf)
    return `a ratio of ${b.ratioOf.numerator} over ${b.ratioOf.denominator} in time; instruction counts have no ratio of it (measure it with --measure time)`
  if (b.kind === 'value') return 'a value benchmark reports its own observation; there are no operations to count (measure it with --measure time)'
  if (b.bound === 'io') return "declared bound: 'io' — its time goes to I/O or waiting, which instruction counts do not see (measure it with --measure time)"
  return undefined
}

/**
 * Reads the dump `endCount(label)` just wrote: callgrind's `totals:` line of the main thread
 * (`callgrind.<pid>.<dump>-01`), in instructions, and removes the dumps of that count. Other
 * threads (libuv's pool running SQLite writes, say) are counted apart and left out: when they
 * run depends on I/O, not on the measured code.
 */
export function readDump(outDir: string, pid: number, label: string): number {
  const pattern = new RegExp(`^callgrind\\.${pid}\\.(\\d+)(?:-(\\d+))?$`)
  const dumps = readdirSync(outDir).flatMap((f) => {
    const m = pattern.exec(f)
    return m ? [{ file: f, dump: Number(m[1]), thread: m[2] === undefined ? 1 : Number(m[2]) }] : []
  })
  const latest = Math.max(...dumps.map((d) => d.dump))
  const main = dumps.find((d) => d.dump === latest && d.thread === 1)
  if (!main) throw new Error(`callgrind wrote no dump to ${outDir} (is this process running under valgrind --tool=callgrind?)`)
  const text = readFileSync(path.join(outDir, main.file), 'utf8')
  for (const d of dumps.filter((d) => d.dump === latest)) rmSync(path.join(outDir, d.file), { force: true })
  if (!text.includes(`Client Request: ${label}`)) throw new Error(`the latest callgrind dump (${main.file}) is not the one of '${label}'`)
  const totals = /^totals:\s+(\d+)/m.exec(text) ?? /^summary:\s+(\d+)/m.exec(text)
  if (!totals) throw new Error(`callgrind dump ${main.file} has no totals line`)
  return Number(totals[1])
}

let counter = 0

/**
 * One round: `operations` calls of `fn` (concurrency > 1: batches of that many in flight),
 * counted from the first to the last call; `beforeEach` runs with collection paused. Before a
 * benchmark's first round, uninstrumented: the warm-up, one full GC, and the warm-up again;
 * before every round, one uninstrumented pass of the same calls and one uncounted scavenge.
 * The scavenge makes the young generation the same at the start of every round in every
 * process: without it, when V8 last scavenged depended on what set-up allocated, and with it
 * which objects were still young while a round ran (most likely through the write barrier,
 * whose cost depends on that; not established). No GC ran inside any counted round of the
 * CPU-bound suite with or without it (node:v8's GCProfiler around each round, 10 rounds).
 * No full GC is forced between rounds (chosen with TurboFan on, before `--no-opt`): a full GC deoptimizes optimized code that embeds objects
 * which died ("weak objects"), and V8 then re-optimized it inside later counted rounds
 * (measured with --trace-opt --trace-deopt: cached-resolution rounds of 5.1k, 13k, 57k and
 * 12k instructions per operation in one process). The GC after the first warm-up collects what
 * set-up left behind; the second warm-up re-optimizes whatever that GC deoptimized.
 *
 * Marking is not incremental in this mode (`--no-incremental-marking`,
 * `instructionDefaults.nodeFlags`): its steps ran inside counted rounds unseen. A round during
 * which a GC pause runs still counts it: counting such a round again (node:v8's GCProfiler
 * around the counted window, one more uncounted pass, a recount) was tried and taken out, as
 * it changed nothing the rank verdict does not already absorb and added a pass to one process
 * and not the other.
 */
async function countRound(
  b: Benchmark,
  state: unknown,
  budget: RoundBudget & { operations?: number },
  hooks: CallgrindHooks,
  outDir: string,
): Promise<RoundOutcome> {
  const reason = instructionSkipReason(b)
  if (reason) skip(reason)
  const operations = budget.operations ?? instructionDefaults.operations
  const fn = b.fn!
  const beforeEach = b.beforeEach
  const width = b.concurrency ?? 1
  const batches = Math.ceil(operations / width)
  const op = width > 1 ? () => Promise.all(Array.from({ length: width }, () => fn(state))) : () => fn(state)
  const pass = async (n: number, counted: boolean) => {
    for (let i = 0; i < n; i++) {
      if (beforeEach) {
        if (counted) hooks.toggleCollect()
        await beforeEach(state)
        if (counted) hooks.toggleCollect()
      }
      await op()
    }
  }
  const gc = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc
  const count = async () => {
    const label = `perftrack ${b.name} ${++counter}`
    // Every round starts from the same young generation: empty, the survivors of the pass
    // before it just copied once (README, "A round, and why").
    gc?.({ type: 'minor' })
    hooks.startInstrumentation()
    try {
      hooks.beginCount()
      await pass(batches, true)
      hooks.endCount(label)
    } finally {
      hooks.stopInstrumentation()
    }
    return readDump(outDir, process.pid, label)
  }
  if (budget.warmupTime > 0) {
    const warmup = Math.ceil(instructionDefaults.warmupOperations / width)
    await pass(warmup, false)
    gc?.()
    await pass(warmup, false)
  }
  // The same calls once more, uninstrumented, so a round starts as the one before it ended.
  // Round 1 still counts differently from the later ones, the same in every process
  // (cached-resolution: 4,845 against 5,201–5,232 per operation; one round counted and thrown
  // away before it changed nothing: 4,847 without, 4,845 with); compare pairs rounds by index
  // (instructionCompareOptions), so it does not widen a verdict.
  await pass(batches, false)
  return { value: (await count()) / (batches * width) }
}

/** The instruction-count round of each kind: the same signature as `benchmarkKinds[kind].round` (measure.ts). */
export function countInstructions(b: Benchmark, state: unknown, budget: RoundBudget, outDir: string): Promise<RoundOutcome> {
  const reason = instructionSkipReason(b)
  if (reason) skip(reason)
  return countRound(b, state, budget, callgrindHooks(), outDir)
}
