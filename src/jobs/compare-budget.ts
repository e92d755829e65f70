import { compareBudgetDefaults } from '../core/defaults.js'
import { compareDefaults, verdictFloor } from '../stats/index.js'

/** The A/B budget from flags over the defaults. */
export function compareBudget(flags: {
  processes?: number
  rounds?: number
  time?: number
  warmup?: number
  'max-warmup'?: number
  duet?: boolean
  'max-processes'?: number
  'max-time'?: number
}) {
  const processes = flags.processes ?? compareBudgetDefaults.processes
  return {
    processes,
    // Never fewer than `processes`; twice `processes` when only --processes is given.
    maxProcesses: Math.max(processes, flags['max-processes'] ?? (flags.processes === undefined ? compareBudgetDefaults.maxProcesses : 2 * processes)),
    maxTime: flags['max-time'] ?? compareBudgetDefaults.maxTime,
    rounds: flags.rounds ?? compareBudgetDefaults.rounds,
    time: flags.time ?? compareBudgetDefaults.time,
    warmup: flags.warmup ?? compareBudgetDefaults.warmup,
    maxWarmup: flags['max-warmup'] ?? compareBudgetDefaults.maxWarmup,
    minIterations: compareBudgetDefaults.minIterations,
    duet: flags.duet ?? compareBudgetDefaults.duet,
    timeout: compareBudgetDefaults.timeout,
  }
}

/**
 * A warning when no metric can come out `regressed` or `improved` with this many processes a
 * side: the exact Mann–Whitney p-value has a floor, and Benjamini–Hochberg multiplies a lone
 * regression's p by the number of metrics. Without `metrics` (before measuring), one metric.
 */
export function processCountWarning(processes: number, metrics = 1, alpha: number = compareDefaults.alpha): string | undefined {
  const floor = verdictFloor(processes, metrics, alpha)
  if (floor.possible) return undefined
  const what = metrics > 1 ? `, and a lone regression among ${metrics} metrics corrected together needs p < ${(alpha / metrics).toPrecision(2)}` : ''
  return `With ${processes} processes per side the smallest possible p-value is ${floor.smallestP.toPrecision(2)}${what}: no metric can come out regressed or improved. Use --processes ${floor.needed} or more.`
}
