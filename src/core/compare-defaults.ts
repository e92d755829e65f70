import { compareDefaults, verdictFloor } from '../stats/index.js'

/** Budget of `perftrack compare` and `perftrack calibrate`; flags override. */
export const compareBudgetDefaults = {
  /**
   * Processes per side; each yields one value per metric. Eight, because with 40 metrics
   * corrected together (Benjamini–Hochberg) the smallest exact Mann–Whitney p-value at n per
   * side, 2/C(2n, n), must stay well below 0.05/40: n = 8 gives 1.6e-4, n = 6 only 2.2e-3.
   * @default 8
   */
  processes: 8,
  /** Rounds inside each process. @default 1 */
  rounds: 1,
  /**
   * Time budget of a round, ms of wall time. The noise that limits a verdict is between
   * processes, not inside one (README: per-process CV), so a longer round buys little. At 75 ms
   * after a 25 ms warm-up a whole-suite compare took a median 173 s on a 2-core machine
   * (150 + 100 ms: 257 s; 100 + 50 ms: 183–193 s).
   * @default 75
   */
  time: 75,
  /** Least warm-up before each benchmark, ms; it goes on until the benchmark is steady. @default 25 */
  warmup: 25,
  /**
   * Longest warm-up of a benchmark that does not settle, ms. @default 300
   */
  maxWarmup: 300,
  /**
   * Run each base/head pair of processes at the same time, one per core (`--no-duet`: one after
   * the other). @default true
   */
  duet: true,
  /**
   * compare: processes per side, at most, for the metrics still inconclusive after `processes`
   * whose CI more processes could bring wholly inside or beyond the threshold
   * (comparison.ts, `extensionCandidates`). Measured on the bundled suite: a ≈10% slowdown of
   * cached resolution is caught in 11 of 20 compares with 8 processes, because one process in
   * a slow spell on either side lifts the rank test's p above what 24 metrics corrected
   * together allow (README, "How often compare cries wolf").
   * @default 16
   */
  maxProcesses: 16,
  /**
   * compare: extra pairs of processes run only while the next one is expected to end within
   * this many seconds of the start of measuring (worktrees in place). 8 whole-suite pairs take
   * about 120 s here; 170 s keeps a compare under 3 minutes.
   * @default 170
   */
  maxTime: 170,
  /** Least timed calls (batches) of a round, past `time` when needed. @default 10 */
  minIterations: 10,
  /** @default 60_000 */
  timeout: 60_000,
} as const

/** The A/B budget from flags over the defaults. */
export function compareBudget(flags: { processes?: number; rounds?: number; time?: number; warmup?: number; 'max-warmup'?: number; duet?: boolean; 'max-processes'?: number; 'max-time'?: number }) {
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
