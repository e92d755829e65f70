import type { RunnerOptions } from '../../src/runner/runner.js'

/** Runner options for unit tests of the runner: 4 short rounds, no warm-up, a silent logger. */
export const shortRounds = (over: Partial<RunnerOptions> = {}): RunnerOptions => ({
  rounds: 4,
  time: 2,
  warmupTime: 0,
  maxWarmupTime: 0,
  timeout: 2000,
  minIterations: 3,
  storedSamplesPerRound: 16,
  profile: 'local',
  quick: false,
  logger: { info: () => undefined, warn: () => undefined, debug: () => undefined },
  ...over,
})
