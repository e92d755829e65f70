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

/** The supervised child process that measures each plugin (src/core/supervisor.ts). */
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
