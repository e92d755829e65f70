// Every default of the tool, named and documented (docs/architecture.md, "Defaults"); the
// statistical parameters live beside their algorithms in src/stats.

/** The runner's budget. Flags and `perftrack.config.ts` override it. */
export const runnerDefaults = {
  /** Rounds per benchmark: each round is a separate tinybench run, so a result carries a distribution of round statistics. @default 5 */
  rounds: 5,
  /** Time budget of one round, ms. @default 500 */
  time: 500,
  /**
   * Least warm-up before the first round, ms. The warm-up then goes on until the benchmark is
   * steady (V8 has finished compiling its hot code; see `warmUp` in measure.ts), at most
   * `maxWarmupTime`. @default 200
   */
  warmupTime: 200,
  /** Longest warm-up, ms, for a benchmark that does not settle (a busy machine). @default 1000 */
  maxWarmupTime: 1000,
  /** Minimum iterations of one round. @default 10 */
  minIterations: 10,
  /** A round that has not finished after this many ms is stopped and the benchmark recorded as errored. @default 60_000 */
  timeout: 60_000,
  /** `--quick`: rounds. @default 3 */
  quickRounds: 3,
  /** `--quick`: time budget of one round, ms. @default 100 */
  quickTime: 100,
  /** `--quick`: least warm-up, ms. @default 50 */
  quickWarmupTime: 50,
  /** `--quick`: longest warm-up, ms. @default 300 */
  quickMaxWarmupTime: 300,
  /** Raw samples stored per round; longer rounds store this many evenly spaced order statistics. @default 256 */
  storedSamplesPerRound: 256,
  /** Latency profile. @default 'local' */
  profile: 'local',
} as const

/** Upper bounds of the budget flags: larger values are mistakes (and past 2^31 − 1 ms, Node's timers fire after 1 ms). */
export const runnerLimits = {
  /** @default 10_000 */
  rounds: 10_000,
  /** One round's time or warm-up, ms: one hour. @default 3_600_000 */
  time: 3_600_000,
  /** The largest delay a Node timer honours, ms (about 24.8 days). @default 2_147_483_647 */
  timeout: 2_147_483_647,
} as const

/** The SQLite history (history/open.ts). */
export const sqliteDefaults = {
  /** How long a statement waits for another process's lock (concurrent runs on one file) before it fails, ms. @default 15_000 */
  busyTimeoutMs: 15_000,
} as const

/** Where the history lives unless `--db` or `PERFTRACK_DB` says otherwise. */
export const defaultDbPath = 'history/perftrack.sqlite'

/**
 * How many of a base's latest complete runs form a baseline. Each run is one value per metric
 * (the median of its rounds) and the test is a prediction interval with n − 1 degrees of
 * freedom: at 10 runs its half-width is 2.37 run standard deviations, at 5 it is 3.04.
 * @default 10
 */
export const defaultBaselineRuns = 10

/** Branch whose runs are the default baseline. */
export const defaultBaseBranch = 'main'

/**
 * Folders scanned for plugins (`<dir>/<name>/index.ts`) when `perftrack.config.ts` has no
 * `pluginDirs`: `perf/` is perftrack's own; `plugins/` is where earlier revisions and this
 * repository keep theirs, so `compare` can still run them. A file there that is not a
 * perftrack plugin (a Fastify or Nuxt plugin) is skipped with a notice, never loaded.
 */
export const defaultPluginDirs = ['perf', 'plugins'] as const

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
   * the other). Paired, the two then claim the machine per benchmark, and one declared
   * `alone` measures while the other waits (runner/machine-claims.ts): over 24 A/A processes
   * load-100-users' spread fell from 6.6% to 1.6%; the bundled three cost a whole-suite compare
   * about 15 s (docs/measurements.md). @default true
   */
  duet: true,
  /**
   * compare: both revisions in each process, their rounds alternating (`--no-paired`: each
   * revision in processes of its own). A process's value is then the median log ratio of its
   * round pairs, and what slows a process for a while falls on both sides of it: over 12 A/A
   * processes on a quiet machine the ratios of the 13 latency and throughput metrics of
   * config-resolution and template-rendering had a CV of 0.8–2.9%, where one side's values in
   * the same processes had 1.2–17% (README, "Paired in one process").
   * @default true
   */
  paired: true,
  /**
   * compare, paired: rounds per side in each process. Many short rounds, so that the pairs
   * follow what changes in the process from moment to moment. @default 30
   */
  pairedRounds: 30,
  /** compare, paired: time budget of a round, ms. @default 2 */
  pairedTime: 2,
  /**
   * compare, paired: a CPU-bound throughput benchmark (not `bound: 'io'`) gets this many times
   * `pairedRounds` a side. Its round is one observation, operations over 2 ms of wall time, and a young-
   * generation GC lands in about a third of them (every ~7 ms for 0.3–1.2 ms in cached
   * resolution; every ~18 ms for 3–6 ms in rendering), so the rounds of one process scatter
   * widely; a latency round is the median of some 80 timed batches. Over 16 A/A processes on
   * 2026-12-07, 90 rounds a side against 30 took the throughputs' spread from 2.5–4.9% to
   * 1.3–2.8%; longer rounds instead made rendering worse (10 ms: 16.7%, a GC in some rounds and
   * not others). About 0.3–0.6 s a benchmark per process. I/O-bound throughputs keep
   * `pairedRounds`: their rounds take about 18 and 34 ms, and they measure `alone`, where three
   * times the rounds took whole-suite compares to 215–231 s (docs/measurements.md, "Throughput rounds").
   * @default 3
   */
  pairedThroughputFactor: 3,
  /**
   * compare, paired: an I/O-bound latency benchmark (`bound: 'io'`) gets rounds this many times
   * `pairedTime` long. Its round is a low quantile of the calls that fit in it, and a SQL query
   * or a Redis round trip is 0.07–0.21 ms: a 2 ms round held 10–14 calls (the `minIterations`
   * floor), whose quantile's
   * sampling error was most of the spread between processes (bootstrap within each process:
   * l2-hit-latency 3.2% of 5.4%). Over 16 A/A processes on 2026-12-07, 6 ms rounds took
   * l2-hit-latency from 5.42% to 2.10% and tier-fallback from 2.65% to 1.83% (10 ms: 1.92%,
   * 1.70%), with no change in the 16 processes' wall time beyond its noise (366, 361, 375 s);
   * in a series of 12 whole-suite compares, l2-hit-latency 2.86% and tier-fallback 1.34%, median
   * 185.7 s against 180.4 s for four compares of the commit before, the same night (about 3 s
   * predicted: 4 ms more in each of 60 rounds, twice for l2-hit-latency, which measures alone).
   * Benchmarks whose calls take milliseconds (production-volume-cold, cold-template-fetch,
   * cold-resolution behind its `beforeEach`) already run `minIterations` calls a round, past
   * 6 ms, and are unchanged (docs/measurements.md, "I/O-bound latency rounds").
   * @default 3
   */
  pairedIoLatencyTimeFactor: 3,
  /**
   * compare, paired: rounds of a value benchmark per side (one `measure()` each, which takes its
   * own samples: the bundled cache plugin's value benchmarks take about 6 s a pair of rounds).
   * Not `ratioOf` values: they are computed from their parts' rounds, `pairedRounds` a side. More
   * was measured and not kept: 4 a side cut cache-speedup's A/A spread from 20% to 3.4% but
   * left cache-speedup-vs-s3 at 13%, and 16 would add about 40 s to a compare
   * (docs/measurements.md, "Value benchmarks in a paired compare").
   * @default 1
   */
  pairedValueRounds: 1,
  /**
   * compare, paired: after this many processes, a value metric that gave each side one value, to
   * the last digit, in every one of them is settled and not measured again: a count the code
   * computes the same way every time (the bundled suite's hit rates over seeded workloads, calls
   * saved, loads per expired key: 8 of its 32 metrics, 3.9–5.1 s of a 44–51 s process). Its log
   * ratios are then all one value, so more processes could not move its verdict (p 0 or 1, the
   * interval that value). 12 whole-suite compares on 2026-12-08 took a median 168.1 s, 4 with
   * `--no-settle` 175.9 s (docs/measurements.md, "Settled metrics"). Three, the
   * fewest a paired verdict takes (src/stats `compareDefaults.minSamples`); side by side, that is
   * after the second pair of processes. 0 (`--no-settle`): measure every metric in every process.
   * @default 3
   */
  settleAfter: 3,
  /**
   * compare, paired: V8 flags of the process that measures both revisions. Two processes
   * measure side by side on two cores, so V8's own background threads (the optimizing
   * compiler's, the GC's helpers) take turns with the measuring thread and with the libuv pool
   * that runs the SQL queries. `--single-threaded`: no such threads; compilation and GC run on
   * the main thread, at points the code reaches, not whenever a background thread gets the
   * core. `--no-lazy-feedback-allocation`: functions record feedback from their first call, not
   * from a point that depends on the order in which set-up's I/O completed, so TurboFan inlines
   * alike from process to process. Over three 16-process A/A runs of config-resolution and
   * template-rendering each on 2026-12-08, against three with V8's defaults, the spread of
   * round-pair log ratios inside a process fell for cold-resolution from 17.6–21.1% to
   * 9.0–12.7%, tier-fallback 11.3–17.7% → 2.9–4.6%, cold-template-fetch 16.1–20.0% →
   * 6.2–11.0%, the CPU-bound throughputs' by a tenth to a third; between processes,
   * cache-speedup 3.02–5.23% → 2.44–2.64% and cache-speedup-vs-s3 2.98–3.20% → 1.74–2.14%. The
   * price: load-100-users, measured alone with the other core idle, spread 35–36% inside a
   * process against 23% (docs/measurements.md, "V8's background threads"). Part of the stored
   * budget: paired runs measured without them are not their baselines.
   */
  pairedNodeFlags: ['--single-threaded', '--no-lazy-feedback-allocation'] as readonly string[],
  /**
   * compare: processes per side, at most, for the metrics still inconclusive after `processes`
   * whose CI more processes could bring wholly inside or beyond the threshold
   * (src/stats/comparison.ts, `extensionCandidates`). Measured on the bundled suite: a ≈10% slowdown of
   * cached resolution is caught in 11 of 20 compares with 8 processes, because one process in
   * a slow spell on either side lifts the rank test's p above what 24 metrics corrected
   * together allow (README, "How often compare cries wolf").
   * @default 16
   */
  maxProcesses: 16,
  /**
   * compare: extra pairs of processes run only while the next one is expected to end within
   * this many seconds of the start of measuring (worktrees in place). Whole-suite compares took
   * a median 168.1 s here on 2026-12-08, one with 4 extra processes for one metric 168.2 s
   * (docs/measurements.md, "Settled metrics"); 170 s keeps a compare near 3 minutes.
   * @default 170
   */
  maxTime: 170,
  /** Least timed calls (batches) of a round, past `time` when needed. @default 10 */
  minIterations: 10,
  /** @default 60_000 */
  timeout: 60_000,
} as const

/** The supervised child process that measures each plugin (src/runner/supervisor.ts). */
export const supervisorDefaults = {
  /** A child silent this long past --timeout is killed; the child's own timer normally fires first and keeps its state. @default 2000 */
  killGraceMs: 2000,
  /** After Ctrl-C or SIGTERM, the child gets this long to stop its benchmark and tear down before it is killed. @default 2000 */
  abortGraceMs: 2000,
  /** Loading a plugin in its child (compiling TypeScript, importing the code under test) may take this long whatever --timeout says. @default 60_000 */
  loadTimeoutMs: 60_000,
  /** After the parent lets it go, the child's longest wait for plugin output still queued for its pipes before it exits. @default 5000 */
  childFlushMs: 5000,
  /**
   * After an interrupt, how long `perftrack run` waits for the benchmark running then to stop
   * before it stores the run as aborted without it. @default 3000
   */
  abandonAfterAbortMs: 3000,
} as const

/** Defaults of `--measure instructions` (README: "Instruction counts"). */
export const instructionDefaults = {
  /** Operations counted per round; a round's value is its instructions ÷ this. @default 100 */
  operations: 100,
  /** Uncounted, uninstrumented operations before a benchmark's first round, twice (before and after a full GC), so the rounds have settled (with TurboFan, 1,000 left compilation inside the counted rounds; with `--no-opt`, 500 left cached-resolution's rounds still falling). @default 10_000 */
  warmupOperations: 10_000,
  /** Time-out of a set-up or a round, ms: everything runs under Valgrind. @default 600_000 */
  timeout: 600_000,
  /**
   * V8 flags of the process under Valgrind (measured: README, "Instruction counts"). Fixed
   * seeds: V8 seeds its string hashes and Math.random per process, and a different hash-table
   * layout costs a different number of instructions (without them two processes differed by
   * 0.1–0.3%, with them by 0.0003%). `--single-threaded`: no background compiler or GC thread
   * whose work lands inside the counted window by chance. `--expose-gc`: one full GC after the
   * first warm-up. `--predictable-gc-schedule`'s parts, with a larger young generation: fixed
   * heap growth and no memory reducer (GC that does not depend on time; two processes' rounds
   * counted the same to the instruction), and 64 MiB semi-spaces instead of its 4 MiB, so no
   * scavenge falls inside a counted round of a few hundred operations. `--no-flush-bytecode`:
   * no recompiling inside a round of a function whose bytecode a GC dropped.
   * `--no-incremental-marking`: a major GC marks in one pause instead of in steps on the main
   * thread between allocations, which landed inside counted rounds unseen (complex-render's
   * fifth round counted 700k–890k per operation against 227k in every process of a
   * whole-suite compare, 63% of it in V8's marking visitor by callgrind's profile, with no GC
   * event in the round; with the flag: 227k). `--no-lazy-feedback-allocation`: functions
   * record type and call-count feedback from their first call, not from a point that depends on
   * what ran before (set-up's I/O callbacks, in the order the I/O completed), so TurboFan makes
   * the same inlining choices in every process: without it cache/production-volume-warm
   * counted 10,460 per operation in 9 processes of 14 and 10,491 in 5 (lru-cache's `get`
   * inlined into its caller or compiled apart, by callgrind's counts mapped to JS functions
   * with --perf-basic-prof); with it 8 of 8 alike (README, "Instruction counts").
   * `--no-opt`: no optimizing compiler (TurboFan), so what is counted is the interpreter's and
   * the baseline compiler's code, the same in every process. With TurboFan, what it inlined
   * still differed between processes whatever the feedback (simple-render 78,740–79,416 per
   * operation in 4 processes: canonical JSON's sha256 and Handlebars' `program` inlined in some
   * and not others), and all render benchmarks of one process could count 0.3% more than
   * another's; with `--no-opt` the CV of the process medians was 0.000–0.087% for every
   * CPU-bound bundled benchmark over 40 processes (README, "Instruction counts"). Counts are
   * 1.7–3.3× the optimized ones.
   */
  nodeFlags: [
    '--no-opt',
    '--single-threaded',
    '--no-incremental-marking',
    '--no-lazy-feedback-allocation',
    '--expose-gc',
    '--min-semi-space-size=64',
    '--max-semi-space-size=64',
    '--heap-growing-percent=30',
    '--no-memory-reducer',
    '--no-flush-bytecode',
    '--random-seed=1',
    '--hash-seed=1',
  ] as string[],
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

/** When the machine counts as busy while perftrack measured (core/machine-load.ts; README, "How busy the machine was"). */
export const machineLoadDefaults = {
  /**
   * Busy above this run-queue wait fraction of the measuring thread, for processes that measured
   * one at a time (side by side: busyOthersFraction, core/machine-load.ts busyRule): every output says so,
   * and `perftrack calibrate` in wall-time mode refuses to store thresholds (unless --allow-busy).
   * Below every busy figure measured here (calibrations that stored inflated thresholds: 27–36%;
   * compares while other jobs ran: 38–56%; README, "How busy the machine was"), with room above
   * the few percent a quiet machine's measuring thread waits for its own process's threads. @default 0.2
   */
  busyWaitFraction: 0.2,
  /**
   * Busy above this share of the machine's CPU used by processes other than perftrack's, for
   * base and head measured side by side (core/machine-load.ts busyRule). Measured here (README,
   * "How busy the machine was"): 0–1% with nothing else running; one busy loop on either core
   * 26–30%, at nice 0 or 19 (it takes the cores whenever a side waits); two Valgrind processes
   * 40%. @default 0.1
   */
  busyOthersFraction: 0.1,
  /** CPU steal (other virtual machines) from this share of the host's CPU time on is named in the busy note. @default 0.01 */
  noteworthyStealFraction: 0.01,
} as const
