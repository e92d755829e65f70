import { PerftrackError } from '../core/errors.js'
import type { Benchmark, BenchmarkKind, Direction } from '../core/plugin-api.js'
import type { Measure } from '../core/vocabulary.js'
import { benchmarkKinds, type RoundBudget, type RoundOutcome } from './measure.js'
import { countInstructions, instructionSkipReason, instructionUnit } from './measure-instructions.js'
import { callgrindOutEnv, stableMemcmpEnv, stableMemcmpLoaded } from './valgrind.js'

/** How one measure takes a round of a benchmark of a given kind. */
export interface MeasureKindSpec {
  unit: string | undefined
  direction: Direction | undefined
  /** Does the result's distribution come from pooled raw samples (latency time) or from the round values? */
  pooled: boolean
  round: (bench: Benchmark, state: unknown, budget: RoundBudget) => Promise<RoundOutcome>
  /** The unit and direction are the measure's, whatever the benchmark declares (instructions). */
  ownUnit?: boolean
  /** Why this measure does not apply to a benchmark: it is recorded as skipped without setting its plugin up. */
  skipReason?: (bench: Benchmark) => string | undefined
}

/** Read once per process, before the first counted round (reading /proc/self/maps allocates). */
let memcmpLoaded: boolean | undefined

function instructionsKind(): MeasureKindSpec {
  return {
    ...instructionUnit,
    pooled: false,
    ownUnit: true,
    skipReason: instructionSkipReason,
    round(b, state, budget) {
      const outDir = process.env[callgrindOutEnv]
      if (!outDir) {
        throw new PerftrackError(
          'NOT_UNDER_VALGRIND',
          '--measure instructions must run under Valgrind; `perftrack run --measure instructions` starts it itself.',
          {
            suggestions: ['Run it through the perftrack CLI, which re-runs itself under valgrind --tool=callgrind.'],
          },
        )
      }
      memcmpLoaded ??= stableMemcmpLoaded(process.env[stableMemcmpEnv])
      if (!memcmpLoaded) {
        throw new PerftrackError(
          'INSTRUCTIONS_UNAVAILABLE',
          `The address-independent memcmp (${process.env[stableMemcmpEnv] ?? 'not built'}) is not loaded in the counted process; counts taken with libc's memcmp differ between processes.`,
          {
            suggestions: [
              'Run it through the perftrack CLI, which preloads it; if it does, check that the file exists and that the loader printed no LD_PRELOAD error above.',
            ],
          },
        )
      }
      return countInstructions(b, state, budget, outDir)
    },
  }
}

/**
 * One measurement abstraction, a registry with one implementation per measure: `time` is
 * tinybench's wall clock (measure.ts), `instructions` callgrind's instruction counts
 * (measure-instructions.ts). The runner looks a benchmark's round up here.
 */
export const measures: Record<Measure, Record<BenchmarkKind, MeasureKindSpec>> = {
  time: benchmarkKinds,
  instructions: { latency: instructionsKind(), throughput: instructionsKind(), value: instructionsKind() },
}
