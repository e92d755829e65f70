import { Flags } from '@oclif/core'
import { instructionDefaults } from '../core/defaults.js'
import { PerftrackError } from '../core/errors.js'
import { type Measure, measureValues } from '../core/vocabulary.js'
import { compareBudget } from '../jobs/compare-budget.js'

/** `--measure` and `--operations`, shared by run, compare and calibrate. */
export const measureFlags = {
  measure: Flags.option({
    options: measureValues,
    description:
      'What to measure: wall time, or CPU instructions per operation counted under Valgrind (CPU-bound benchmarks only; I/O-bound and value benchmarks are skipped with the reason). [default: time]',
  })(),
  operations: Flags.integer({ description: `--measure instructions: operations counted per round. [default: ${instructionDefaults.operations}]`, min: 1 }),
}

/** Budget of compare and calibrate in instruction mode: counts barely vary between processes, so fewer, longer-counted rounds. */
export const instructionCompareDefaults = {
  /** Processes per side. @default 2 */
  processes: 2,
  /** Counted rounds per process; with 2 processes, 10 pairs (exact signed-rank p down to 0.002: a lone regression among 25 metrics can be flagged). @default 5 */
  rounds: 5,
} as const

type CompareFlags = Parameters<typeof compareBudget>[0] & { measure?: Measure; operations?: number }

/**
 * compare/calibrate budget over the measure's defaults. `minProcesses` applies to time only:
 * there the process is the sample unit; instruction counts need only 1–2 processes a side.
 */
export function measuredCompareBudget(flags: CompareFlags, minProcesses: number) {
  const measure = flags.measure ?? 'time'
  if (measure === 'time' && flags.processes !== undefined && flags.processes < minProcesses) {
    throw new PerftrackError(
      'BAD_FLAG',
      `--processes ${flags.processes}: measuring time needs at least ${minProcesses} processes per side (the process is the sample unit).`,
      {
        suggestions: [`Pass --processes ${minProcesses} or more, or --measure instructions, where 1–2 processes per side suffice.`],
      },
    )
  }
  if (measure === 'time') return { ...compareBudget(flags), measure }
  const budget = compareBudget({
    ...flags,
    processes: flags.processes ?? instructionCompareDefaults.processes,
    rounds: flags.rounds ?? instructionCompareDefaults.rounds,
  })
  return {
    ...budget,
    // No extension stage: two processes count a round the same to 0.01% (README, "Instruction
    // counts"), so more processes would only repeat the same values, under Valgrind.
    maxProcesses: budget.processes,
    // Set-up under Valgrind is slow (the cache plugin's production volume: over 60 s).
    timeout: instructionDefaults.timeout,
    measure,
    operations: flags.operations,
  }
}
