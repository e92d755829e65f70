import { readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'

import { callgrindHooks, type CallgrindHooks } from './callgrind-addon.js'
import type { RoundBudget, RoundOutcome } from './measure.js'
import { type Benchmark, skip } from './plugin-api.js'

/** Defaults of `--measure instructions` (README: "Instruction counts"). */
export const instructionDefaults = {
  /** Operations counted per round; a round's value is its instructions ÷ this. @default 100 */
  operations: 100,
  /** Uncounted, uninstrumented operations before a benchmark's first round, so the JIT has tiered up. @default 1000 */
  warmupOperations: 1000,
  /**
   * V8 flags of the process under Valgrind (measured: README, "Instruction counts"). Fixed
   * seeds: V8 seeds its string hashes and Math.random per process, and a different hash-table
   * layout costs a different number of instructions (without them two processes differed by
   * 0.1–0.3%, with them by 0.0003%). `--single-threaded`: no background compiler or GC thread
   * whose work lands inside the counted window by chance. `--expose-gc`: a full GC before each
   * round, so every round starts from a collected heap.
   */
  nodeFlags: ['--single-threaded', '--expose-gc', '--random-seed=1', '--hash-seed=1'] as string[],
} as const

/**
 * Noise thresholds of instruction counts (relative change). Set from the A/A spread measured
 * in this mode (README: "Instruction counts"), not from wall-time noise.
 */
export const instructionThresholds = {
  /** Threshold of a metric not calibrated in this mode. @default 0.005 */
  default: 0.005,
  /** Never calibrate below this. @default 0.002 */
  floor: 0.002,
} as const

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
export function instructionSkipReason(b: Pick<Benchmark, 'kind' | 'bound'>): string | undefined {
  if (b.kind === 'value') return "a value benchmark reports its own observation; there are no operations to count (measure it with --measure time)"
  if (b.bound === 'io') return "declared bound: 'io' — its time goes to I/O or waiting, which instruction counts do not see (measure it with --measure time)"
  return undefined
}

/** Reads and removes the dump `endCount(label)` just wrote: callgrind's `totals:` line, in instructions. */
export function readDump(outDir: string, pid: number, label: string): number {
  const prefix = `callgrind.${pid}.`
  const files = readdirSync(outDir).filter((f) => f.startsWith(prefix))
  const latest = files.sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length))).at(-1)
  if (!latest) throw new Error(`callgrind wrote no dump to ${outDir} (is this process running under valgrind --tool=callgrind?)`)
  const file = path.join(outDir, latest)
  const text = readFileSync(file, 'utf8')
  rmSync(file, { force: true })
  if (!text.includes(`Client Request: ${label}`)) throw new Error(`the latest callgrind dump (${latest}) is not the one of '${label}'`)
  const totals = /^totals:\s+(\d+)/m.exec(text) ?? /^summary:\s+(\d+)/m.exec(text)
  if (!totals) throw new Error(`callgrind dump ${latest} has no totals line`)
  return Number(totals[1])
}

let counter = 0

/**
 * One round: `operations` calls of `fn` (concurrency > 1: batches of that many in flight),
 * counted from the first to the last call; `beforeEach` runs with collection paused. The first
 * round is preceded by an uninstrumented warm-up and one counted-but-discarded round.
 */
async function countRound(b: Benchmark, state: unknown, budget: RoundBudget & { operations?: number }, hooks: CallgrindHooks, outDir: string): Promise<RoundOutcome> {
  const reason = instructionSkipReason(b)
  if (reason) skip(reason)
  const operations = budget.operations ?? instructionDefaults.operations
  const fn = b.fn!
  const beforeEach = b.beforeEach
  const width = b.concurrency ?? 1
  const batches = Math.ceil(operations / width)
  const op = width > 1 ? () => Promise.all(Array.from({ length: width }, () => fn(state))) : () => fn(state)
  const gc = (globalThis as { gc?: () => void }).gc
  const pass = async (counted: boolean) => {
    for (let i = 0; i < batches; i++) {
      if (beforeEach) {
        if (counted) hooks.toggleCollect()
        await beforeEach(state)
        if (counted) hooks.toggleCollect()
      }
      await op()
    }
  }
  if (budget.warmupTime > 0) {
    for (let i = 0; i < Math.ceil(instructionDefaults.warmupOperations / width); i++) {
      if (beforeEach) await beforeEach(state)
      await op()
    }
  }
  hooks.startInstrumentation()
  try {
    if (budget.warmupTime > 0) {
      hooks.beginCount()
      await pass(true)
      hooks.endCount(`perftrack warm-up ${b.name}`)
      readDump(outDir, process.pid, `perftrack warm-up ${b.name}`)
    }
    gc?.()
    const label = `perftrack ${b.name} ${++counter}`
    hooks.beginCount()
    await pass(true)
    hooks.endCount(label)
    return { value: readDump(outDir, process.pid, label) / (batches * width) }
  } finally {
    hooks.stopInstrumentation()
  }
}

/** The instruction-count round of each kind: the same signature as `benchmarkKinds[kind].round` (measure.ts). */
export function countInstructions(b: Benchmark, state: unknown, budget: RoundBudget, outDir: string): Promise<RoundOutcome> {
  const reason = instructionSkipReason(b)
  if (reason) skip(reason)
  return countRound(b, state, budget, callgrindHooks(), outDir)
}
