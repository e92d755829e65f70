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
   * Time budget of a round, ms: wall time since the runner stopped letting sub-µs benchmarks
   * overrun it. The noise that limits a verdict is between processes, not inside one, so a
   * longer round buys little; 100 ms keeps a whole-suite compare near 2.5 minutes.
   * @default 100
   */
  time: 100,
  /** Warm-up before each benchmark, ms. @default 50 */
  warmup: 50,
  /** @default 60_000 */
  timeout: 60_000,
} as const

/** The A/B budget from flags over the defaults. */
export function compareBudget(flags: { processes?: number; rounds?: number; time?: number }) {
  return {
    processes: flags.processes ?? compareBudgetDefaults.processes,
    rounds: flags.rounds ?? compareBudgetDefaults.rounds,
    time: flags.time ?? compareBudgetDefaults.time,
    warmup: compareBudgetDefaults.warmup,
    timeout: compareBudgetDefaults.timeout,
  }
}
