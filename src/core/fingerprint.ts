import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import os from 'node:os'

import { instructionDefaults } from './defaults.js'
import type { Plugin } from './plugin-api.js'
import type { Measure } from './vocabulary.js'

export interface GitState {
  /** False when `cwd` is not inside a git work tree (or git is missing). */
  isRepo: boolean
  sha: string | null
  branch: string | null
  dirty: boolean | null
  /** Committer date of HEAD, ISO 8601. */
  commitTime: string | null
  message: string | null
}

/** Where a run came from: enough to trace any number back. */
export interface Fingerprint {
  gitSha: string | null
  branch: string | null
  dirty: boolean | null
  commitTime: string | null
  commitMessage: string | null
  isGitRepo: boolean
  node: string
  os: string
  arch: string
  cpuModel: string
  cpuCount: number
  memoryGiB: number
  perftrackVersion: string
  profile: string
  /** What the run measured: numbers of different measures are never compared. Absent in runs stored before it existed: time. */
  measure?: Measure
  /**
   * How the run measured: method, rounds, round time, warm-up, `--quick`. Part of the
   * environment: a `--quick` run and a full run measure different things (smaller data sets,
   * shorter warm-ups) and are never each other's baseline or trend point. Runs stored before
   * it existed have none, so they match no new run.
   */
  budget?: string
  /** Hash of plugin and benchmark names: which metrics the run could have produced. */
  pluginSetHash: string
  /** Hash of the fields that make two runs' numbers comparable (see {@link environmentKeys}). */
  environmentHash: string
}

/** The fields that must match for two runs to be compared without `--force-baseline`. */
export const environmentKeys = ['node', 'os', 'arch', 'cpuModel', 'cpuCount', 'memoryGiB', 'perftrackVersion', 'profile', 'budget'] as const

/** What a run's measurements depend on besides the machine (see {@link Fingerprint.budget}). */
export interface MeasuringBudget {
  rounds: number
  time: number
  warmupTime: number
  maxWarmupTime: number
  minIterations: number
  quick: boolean
  /** @default 'time' */
  measure?: Measure
  /** `measure: 'instructions'`: operations counted per round. */
  operations?: number
  /** Both revisions measured in one process, rounds alternating (a paired compare's sides). */
  paired?: boolean
  /** Rounds of value benchmarks, where they differ from `rounds`. */
  valueRounds?: number
  /** Rounds of CPU-bound throughput benchmarks, where they differ from `rounds`. */
  throughputRounds?: number
  /** Round time of I/O-bound latency benchmarks, where it differs from `time`. */
  ioLatencyTime?: number
  /** V8 flags of the measuring process, where it has any (a paired compare's: `compareBudgetDefaults.pairedNodeFlags`). */
  nodeFlags?: readonly string[]
}

/** The budget as one comparable string; `time/batched` names the measuring method (batched calls, steady-state warm-up). */
export function budgetKey(b: MeasuringBudget): string {
  if (b.measure === 'instructions') return instructionBudgetKey(b)
  // Paired, another revision's code shares the process (its heap, its compiled library code).
  return `time/batched: ${b.rounds} × ${b.time} ms (≥ ${b.minIterations} samples), warm-up ${b.warmupTime}–${b.maxWarmupTime} ms${b.quick ? ', quick' : ''}${b.valueRounds === undefined ? '' : `, value benchmarks ${b.valueRounds} × measure()`}${b.throughputRounds === undefined || b.throughputRounds === b.rounds ? '' : `, throughput benchmarks ${b.throughputRounds} rounds`}${b.ioLatencyTime === undefined || b.ioLatencyTime === b.time ? '' : `, I/O-bound latency ${b.ioLatencyTime} ms rounds`}${b.paired ? ', paired in one process' : ''}${b.nodeFlags?.length ? `, node ${b.nodeFlags.join(' ')}` : ''}`
}

/**
 * The budget part of the environment fingerprint (fingerprint.ts) in this mode: what the
 * counts depend on. Round time and time warm-up do not apply here.
 */
export function instructionBudgetKey(b: { rounds: number; operations?: number; quick: boolean }): string {
  const flags = instructionDefaults.nodeFlags.join(' ')
  // The preloaded memcmp (src/runner/valgrind.ts) and the scavenge before each round (measure-instructions.ts) change
  // the counts: runs counted without them do not share a baseline with these.
  return `instructions/callgrind: ${b.rounds} × ${b.operations ?? instructionDefaults.operations} operations, warm-up ${instructionDefaults.warmupOperations} operations, node ${flags}, memcmp address-independent, scavenge before each round${b.quick ? ', quick' : ''}`
}

export function perftrackVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16)
}

export function pluginSetHash(plugins: Plugin[]): string {
  return hash(plugins.map((p) => [p.name, p.benchmarks.map((b) => b.name).sort()]).sort())
}

/**
 * The measure is part of the environment, so baselines, calibrations, trends and history
 * compares, which all match on this hash, never mix wall time with instruction counts. A time
 * run hashes as before the measure existed, so older histories keep their baselines.
 */
export function environmentHash(fp: Pick<Fingerprint, (typeof environmentKeys)[number] | 'measure'>): string {
  const values: unknown[] = environmentKeys.map((k) => fp[k])
  if (fp.measure && fp.measure !== 'time') values.push(fp.measure)
  return hash(values)
}

/** What a run measured; runs stored before measures existed measured time. */
export function measureOf(fp: Partial<Pick<Fingerprint, 'measure'>> | undefined): Measure {
  return fp?.measure ?? 'time'
}

/** Names of the environment fields in which two fingerprints differ. */
export function environmentDifferences(a: Partial<Fingerprint>, b: Partial<Fingerprint>): string[] {
  const differences = environmentKeys.filter((k) => a[k] !== b[k]).map((k) => `${k}: ${String(a[k])} ≠ ${String(b[k])}`)
  if ((a.measure ?? 'time') !== (b.measure ?? 'time')) differences.push(`measure: ${a.measure ?? 'time'} ≠ ${b.measure ?? 'time'}`)
  return differences
}

/** The fingerprint of a run about to be measured; `git` is the checkout's state (git/repo.ts reads it). */
export function fingerprint(profile: string, plugins: Plugin[], budget: MeasuringBudget, git: GitState): Fingerprint {
  const state = git
  const cpus = os.cpus()
  const env = {
    node: process.version,
    os: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    perftrackVersion: perftrackVersion(),
    profile,
    measure: budget.measure ?? 'time',
    budget: budgetKey(budget),
  }
  return {
    gitSha: state.sha,
    branch: state.branch,
    dirty: state.dirty,
    commitTime: state.commitTime,
    commitMessage: state.message,
    isGitRepo: state.isRepo,
    ...env,
    pluginSetHash: pluginSetHash(plugins),
    environmentHash: environmentHash(env),
  }
}
