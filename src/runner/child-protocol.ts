import type { BenchmarkResult, RunnerEvent } from '../core/result.js'
import type { LoadCounters } from './load-meter.js'
import type { RunnerOptions } from './runner.js'

/**
 * Messages between perftrack and the process that measures one plugin. They travel over the
 * IPC channel only: the child's stdout and stderr are perftrack's stderr, so nothing a plugin
 * or the code under test prints can be mistaken for a message (or end up in `--json` output).
 */

/** The budget and context a child needs; the functions of RunnerOptions stay in the parent. */
export type ChildRunnerOptions = Pick<
  RunnerOptions,
  | 'rounds'
  | 'valueRounds'
  | 'throughputRounds'
  | 'time'
  | 'ioLatencyTime'
  | 'warmupTime'
  | 'maxWarmupTime'
  | 'timeout'
  | 'minIterations'
  | 'storedSamplesPerRound'
  | 'measure'
  | 'operations'
  | 'profile'
  | 'quick'
  | 'pluginOptions'
>

/**
 * `pairFile`: the same plugin in another revision, set up in this process beside `file` and
 * measured with it, their rounds alternating (a paired compare), `pairBenchmarks` of it; results
 * then carry `side` (0: `file`, 1: `pairFile`). `claims`: the parent coordinates this process
 * with another measuring at the same time (machine-claims.ts): before each benchmark's `prepare`
 * and rounds the child sends `claim` and waits for `granted`, and sends `release` after them.
 */
export type ParentMessage =
  | { type: 'start'; file: string; benchmarks: string[]; pairFile?: string; pairBenchmarks?: string[]; options: ChildRunnerOptions; claims?: boolean }
  | { type: 'abort' }
  | { type: 'granted' }

export type ChildMessage =
  | { type: 'loaded' }
  | { type: 'event'; event: RunnerEvent }
  | { type: 'result'; result: BenchmarkResult; side: number }
  | { type: 'log'; level: 'info' | 'warn' | 'debug'; message: string }
  | { type: 'teardown' }
  | { type: 'claim'; alone: boolean }
  | { type: 'release' }
  /** `load`: how busy the machine was during this plugin's rounds, measured on the child's measuring thread. */
  | { type: 'done'; warnings: string[]; load: LoadCounters }
  /** Plugin code threw or rejected outside any awaited call; the child exits right after. */
  | { type: 'fatal'; origin: 'uncaught exception' | 'unhandled rejection'; message: string }
