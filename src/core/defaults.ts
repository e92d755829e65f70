/** Every runner default in one place. Flags and `perftrack.config.ts` override them. */
export const runnerDefaults = {
  /** Rounds per benchmark: each round is a separate tinybench run, so a result carries a distribution of round statistics. @default 5 */
  rounds: 5,
  /** Time budget of one round, ms. @default 500 */
  time: 500,
  /** Warm-up before the first round, ms. @default 200 */
  warmupTime: 200,
  /** Minimum iterations of one round. @default 10 */
  minIterations: 10,
  /** A round that has not finished after this many ms is stopped and the benchmark recorded as errored. @default 60_000 */
  timeout: 60_000,
  /** `--quick`: rounds. @default 3 */
  quickRounds: 3,
  /** `--quick`: time budget of one round, ms. @default 100 */
  quickTime: 100,
  /** `--quick`: warm-up, ms. @default 50 */
  quickWarmupTime: 50,
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

/** Where the history lives unless `--db` or `PERFTRACK_DB` says otherwise. */
export const defaultDbPath = 'history/perftrack.sqlite'

/** Branch whose runs are the default baseline. */
export const defaultBaseBranch = 'main'

/** The supervised child process that measures each plugin (src/core/supervisor.ts). */
export const supervisorDefaults = {
  /** A child silent this long past --timeout is killed; the child's own timer normally fires first and keeps its state. @default 2000 */
  killGraceMs: 2000,
  /** After Ctrl-C or SIGTERM, the child gets this long to stop its benchmark and tear down before it is killed. @default 2000 */
  abortGraceMs: 2000,
  /** Loading a plugin in its child (compiling TypeScript, importing the code under test) may take this long whatever --timeout says. @default 60_000 */
  loadTimeoutMs: 60_000,
} as const
