import { compareBudgetDefaults } from '../core/defaults.js'
import type { Measure } from '../core/vocabulary.js'
import { compareDefaults, verdictFloor } from '../stats/index.js'

/** The A/B budget from flags over the defaults. */
export function compareBudget(flags: {
  processes?: number
  rounds?: number
  time?: number
  warmup?: number
  'max-warmup'?: number
  duet?: boolean
  /** compare only; calibrate measures each side in processes of its own. */
  paired?: boolean
  'max-processes'?: number
  'max-time'?: number
  /** compare, paired: false measures every metric in every process. */
  settle?: boolean
}) {
  const processes = flags.processes ?? compareBudgetDefaults.processes
  const paired = flags.paired ?? false
  return {
    processes,
    // Never fewer than `processes`; twice `processes` when only --processes is given.
    maxProcesses: Math.max(processes, flags['max-processes'] ?? (flags.processes === undefined ? compareBudgetDefaults.maxProcesses : 2 * processes)),
    maxTime: flags['max-time'] ?? compareBudgetDefaults.maxTime,
    rounds: flags.rounds ?? (paired ? compareBudgetDefaults.pairedRounds : compareBudgetDefaults.rounds),
    time: flags.time ?? (paired ? compareBudgetDefaults.pairedTime : compareBudgetDefaults.time),
    warmup: flags.warmup ?? compareBudgetDefaults.warmup,
    maxWarmup: flags['max-warmup'] ?? compareBudgetDefaults.maxWarmup,
    minIterations: compareBudgetDefaults.minIterations,
    duet: flags.duet ?? compareBudgetDefaults.duet,
    paired,
    settleAfter: flags.settle === false ? 0 : compareBudgetDefaults.settleAfter,
    timeout: compareBudgetDefaults.timeout,
  }
}

/**
 * A warning when no metric can come out `regressed` or `improved` with this budget: the exact
 * test's p-value has a floor, and Benjamini–Hochberg multiplies a lone regression's p by the
 * number of metrics. Measuring time, the process is the unit (Mann–Whitney over processes);
 * counting instructions, every round of every process is one pair of the signed-rank test
 * (processes × rounds pairs). Without `metrics` (before measuring), one metric.
 */
export function processCountWarning(
  budget: { processes: number; rounds: number; measure?: Measure; paired?: boolean },
  metrics = 1,
  alpha: number = compareDefaults.alpha,
): string | undefined {
  // Paired in one process, the t test of the processes' log ratios has no floor on its p-value,
  // but it needs three processes.
  if (budget.paired && budget.measure !== 'instructions') {
    const least = compareDefaults.minSamples
    return budget.processes < least
      ? `With ${budget.processes} process${budget.processes === 1 ? '' : 'es'} no metric can come out regressed, improved or unchanged: a paired compare needs ${least} or more. Use --processes ${least} or more.`
      : undefined
  }
  const paired = budget.measure === 'instructions'
  const units = paired ? budget.processes * budget.rounds : budget.processes
  const floor = verdictFloor(units, metrics, alpha, paired ? 'paired' : 'independent')
  if (floor.possible) return undefined
  const what = metrics > 1 ? `, and a lone regression among ${metrics} metrics corrected together needs p < ${(alpha / metrics).toPrecision(2)}` : ''
  const p = floor.smallestP.toPrecision(2)
  if (paired) {
    const rounds = Math.ceil(floor.needed / budget.processes)
    return `With ${units} paired rounds (${budget.processes} process${budget.processes === 1 ? '' : 'es'} × ${budget.rounds} rounds a side) the smallest possible p-value is ${p}${what}: no metric can come out regressed or improved. Use --rounds ${rounds} or more.`
  }
  return `With ${units} processes per side the smallest possible p-value is ${p}${what}: no metric can come out regressed or improved. Use --processes ${floor.needed} or more.`
}
