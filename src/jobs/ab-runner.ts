import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { median } from 'simple-statistics'
import { z } from 'zod'

import { configFileNames } from '../core/config.js'
import { compareBudgetDefaults, defaultPluginDirs } from '../core/defaults.js'
import { PerftrackError } from '../core/errors.js'
import { describeJsonIssues } from '../core/json-issues.js'
import { combineLoads, type MachineLoad } from '../core/machine-load.js'
import { metricKey } from '../core/metric-key.js'
import type { BenchmarkResult } from '../core/result.js'
import { type ResultJson, type RunJson, resultJsonSchema, runJsonSchema } from '../core/result-json.js'
import { shortSha } from '../core/short-id.js'
import type { Stats } from '../core/summary.js'
import { evaluateTargets } from '../core/targets.js'
import type { Measure } from '../core/vocabulary.js'
import { OthersMeter } from '../runner/load-meter.js'
import { MachineClaims } from '../runner/machine-claims.js'
import { compareDefaults } from '../stats/index.js'
import { loadPairedSides, type ProcessRun, processLogRatios, runPairedProcess, settledMetrics } from './paired-process.js'

/** One side of an A/B comparison: a directory holding a revision's plugins and code. */
export interface Side {
  label: 'base' | 'head'
  ref: string
  sha: string | null
  dir: string
}

export interface AbBudget {
  /** Processes per side; each process yields one value per metric (the sample unit). */
  processes: number
  rounds: number
  time: number
  warmup: number
  maxWarmup: number
  minIterations: number
  timeout: number
  /** @default 'time' */
  measure?: Measure
  /** `measure: 'instructions'`: operations counted per round. */
  operations?: number
  /**
   * Run each base/head pair at the same time, one process per core ("duet benchmarking",
   * Bulej et al., ICPE 2020): half the wall time, and whatever disturbs the machine at that
   * moment falls on both sides of the pair.
   */
  duet: boolean
  /**
   * Measure both revisions in one process, their rounds alternating (README, "Paired in one
   * process"): each process yields a value per side and the log ratio of the two, which a
   * slow spell of the process cannot bias because it falls on both. Time only.
   */
  paired?: boolean
  /** paired: rounds of a value benchmark per side. @default compareBudgetDefaults.pairedValueRounds */
  valueRounds?: number
  /** paired: rounds of a CPU-bound throughput benchmark per side. @default rounds × compareBudgetDefaults.pairedThroughputFactor */
  throughputRounds?: number
  /** paired: round time of an I/O-bound latency benchmark, ms. @default time × compareBudgetDefaults.pairedIoLatencyTimeFactor */
  ioLatencyTime?: number
  /**
   * paired: after this many processes, value metrics that gave each side one value throughout
   * are settled and not measured again (paired-process.ts, `settledMetrics`; 0: never).
   * @default compareBudgetDefaults.settleAfter
   */
  settleAfter?: number
  /** paired: V8 flags of the measuring process. @default compareBudgetDefaults.pairedNodeFlags */
  nodeFlags?: readonly string[]
  /** compare only: processes per side, at most, for metrics still inconclusive after `processes` (no more when ≤ `processes`). */
  maxProcesses?: number
  /** compare only: the measuring phase ends extra pairs by this many seconds after it started (0: no extra pairs). */
  maxTime?: number
}

export interface AbOptions {
  sides: [Side, Side]
  budget: AbBudget
  profile: string
  plugins?: string[]
  bench?: string[]
  signal?: AbortSignal
  onProgress?: (message: string) => void
  /**
   * Called once after the first `budget.processes` pairs with both sides' outcomes so far; when
   * it names metrics, more pairs of processes run that measure only those, one pair at a time
   * while the next pair is expected to end before `deadline` (ms since the epoch) and at most
   * `maxPairs` more. What to extend is decided once, from the first pairs; how many more pairs
   * run depends on time alone, never on the values they yield.
   */
  extend?: (first: [SideOutcome, SideOutcome]) => Promise<Extension | undefined> | Extension | undefined
}

/** Metrics to measure in more pairs of processes, and the limits on those pairs. */
export interface Extension {
  /** `plugin/benchmark` keys. */
  metrics: string[]
  deadline: number
  maxPairs: number
}

/** Metrics settled after the first processes (paired: the same value on each side in every one), measured in those only. */
export interface SettledOutcome {
  metrics: string[]
  processes: number
}

/** What the extension stage did: the metrics, how many pairs it added, and its wall time. */
export interface ExtensionOutcome {
  metrics: string[]
  pairs: number
  ms: number
}

export interface SideOutcome {
  side: Side
  /** Per metric, as stored: rounds = one value per process, stats = per-statistic median over processes. */
  results: BenchmarkResult[]
  environmentHash: string | null
  fingerprint: RunJson['fingerprint'] | null
  /** How busy the machine was, over all of this side's processes (the mean of theirs). */
  load: MachineLoad
  /**
   * Paired processes (the head side's outcome): per metric, each process's median of
   * log(head round i / base round i) over its round pairs.
   */
  logRatios?: Map<string, number[]>
}

const binRun = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

/** After an interrupt, how long a side's `perftrack run` gets to store its run as aborted (its own plugin child gets 2 s). */
const abortKillMs = 10_000

/** A side must carry perftrack plugins of its own. */
export function assertHasPlugins(side: Side): void {
  const hasDir = defaultPluginDirs.some((d) => existsSync(path.join(side.dir, d)))
  const hasConfig = configFileNames.some((n) => existsSync(path.join(side.dir, n)))
  if (!hasDir && !hasConfig) {
    throw new PerftrackError(
      'SIDE_WITHOUT_PERFTRACK',
      `The ${side.label} side (${side.ref}${side.sha ? ` @ ${shortSha(side.sha)}` : ''}) has no perftrack plugins: no ${defaultPluginDirs.join('/ or ')}/ folder and no perftrack.config.ts.`,
      {
        suggestions: ['Pick a revision that has perftrack plugins, or add them to that revision first.'],
      },
    )
  }
}

/**
 * What the ab-runner reads of a side's `perftrack run --json`: the run and its results, in the
 * shapes of core/result-json.ts (the rest of the output, such as a comparison, is not needed).
 */
const childRunSchema = z.object({ run: runJsonSchema, results: z.array(resultJsonSchema) })
type ChildRun = z.output<typeof childRunSchema>

/** How a side's `perftrack run --json` process ended. */
export interface ChildExit {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * A side's run read from its process's output, checked against the `--json` schema: a process
 * that failed, printed no JSON or printed JSON of another shape is a PerftrackError naming the
 * side and what was wrong, never results taken on trust.
 */
export function readChildRun(side: Side, exit: ChildExit): ChildRun {
  const where = `the ${side.label} side (${side.ref}) in ${side.dir}`
  const failed = (detail: string) =>
    new PerftrackError('SIDE_RUN_FAILED', `perftrack run failed on ${where}: ${detail.slice(0, 2000)}`, {
      suggestions: ['Run `perftrack run --quick` in that revision to see the error.'],
    })
  const stderrTail = exit.stderr.trim().split('\n').slice(-6).join(' | ')
  let parsed: unknown
  try {
    parsed = JSON.parse(exit.stdout)
  } catch (error) {
    throw failed(stderrTail || `its output is not JSON (${(error as Error).message}; exit code ${exit.code})`)
  }
  const reported = parsed as { run?: unknown; error?: { message?: unknown } } | null
  if (exit.code === 2 || typeof reported !== 'object' || reported === null || reported.run === undefined) {
    const message = typeof reported?.error?.message === 'string' ? reported.error.message : ''
    throw failed(stderrTail || message || `exit code ${exit.code}`)
  }
  const checked = childRunSchema.safeParse(parsed)
  if (!checked.success) {
    throw new PerftrackError(
      'SIDE_OUTPUT_INVALID',
      `perftrack run --json on ${where} printed a run that is not in perftrack's --json shape — ${describeJsonIssues(parsed, checked.error.issues)}; its values were not used.`,
      {
        suggestions: [
          'Run `perftrack run --json` in that revision and look at its output; something other than perftrack may be writing to its stdout.',
          "If the output is perftrack's own, report it as a bug with that output.",
        ],
      },
    )
  }
  return checked.data
}

function runChild(side: Side, args: string[], signal?: AbortSignal): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binRun, 'run', ...args], {
      cwd: side.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PERFTRACK_DB: undefined },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    let killer: NodeJS.Timeout | undefined
    // SIGINT lets the run store itself as aborted; a child that does not end in time is killed.
    const stop = () => {
      child.kill('SIGINT')
      killer = setTimeout(() => child.kill('SIGKILL'), abortKillMs)
    }
    signal?.addEventListener('abort', stop, { once: true })
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(killer)
      signal?.removeEventListener('abort', stop)
      if (signal?.aborted) return reject(new PerftrackError('ABORTED', 'interrupted', { exit: 130 }))
      try {
        resolve(readChildRun(side, { code, stdout, stderr }))
      } catch (error) {
        reject(error)
      }
    })
  })
}

/** Per-statistic median over processes: a robust "typical process" summary for the stored side run. */
function mergeStats(all: Stats[]): Stats {
  const pick = (k: keyof Stats) => median(all.map((s) => s[k]))
  return {
    n: all.reduce((sum, s) => sum + s.n, 0),
    mean: pick('mean'),
    median: pick('median'),
    p95: pick('p95'),
    p99: pick('p99'),
    min: pick('min'),
    max: pick('max'),
    sd: pick('sd'),
  }
}

function aggregate(
  side: Side,
  runs: ProcessRun[],
  measure: Measure = 'time',
  extra: ProcessRun[] = [],
  extended: ReadonlySet<string> = new Set(),
): SideOutcome {
  const byMetric = new Map<string, ResultJson[]>()
  const add = (r: ResultJson) => byMetric.set(metricKey(r), [...(byMetric.get(metricKey(r)) ?? []), r])
  for (const run of runs) for (const r of run.results) add(r)
  // A filtered extra process may measure a namesake in another selected plugin: only the
  // metrics chosen for the extension take its values.
  for (const run of extra) for (const r of run.results) if (extended.has(metricKey(r))) add(r)
  const results: BenchmarkResult[] = []
  for (const list of byMetric.values()) {
    const first = list[0]
    const base = {
      plugin: first.plugin,
      benchmark: first.benchmark,
      kind: first.kind,
      unit: first.unit,
      direction: first.direction,
    }
    const done = list.filter((r) => r.status === 'completed' && r.stats)
    if (done.length === 0) {
      const skipped = list.find((r) => r.status === 'skipped')
      results.push(
        skipped
          ? { ...base, targets: [], status: 'skipped', reason: skipped.skipped ?? 'skipped' }
          : { ...base, targets: [], status: 'errored', error: list.find((r) => r.error)?.error ?? 'no completed measurement' },
      )
      continue
    }
    const stats = mergeStats(done.map((r) => r.stats!))
    // The process is the sample unit: rounds inside one process share its JIT state, heap
    // layout and CPU placement, so they understate the process-to-process noise.
    // Instruction counts are the exception: their rounds differ between processes by no more
    // than inside one (README: instruction counts), so every round is a value.
    const rounds = measure === 'instructions' ? done.flatMap((r) => r.rounds) : done.map((r) => median(r.rounds))
    const targets = evaluateTargets(
      first.targets.map(({ stat, op, value }) => ({ stat, op, value })),
      stats,
    )
    results.push({ ...base, status: 'completed', stats, rounds, samples: [], targets })
  }
  const fp = runs[0]?.run.fingerprint ?? null
  const load = combineLoads([...runs, ...extra].map((r) => r.run.load))
  return { side, results, environmentHash: fp?.environmentHash ?? null, fingerprint: fp, load }
}

/** The head outcome carries the paired processes' log ratios (none when not paired). */
function withRatios(outcomes: [SideOutcome, SideOutcome], ratios: Map<string, number[]> | false | undefined): [SideOutcome, SideOutcome] {
  return ratios ? [outcomes[0], { ...outcomes[1], logRatios: ratios }] : outcomes
}

function mergeRatios(first: Map<string, number[]>, more: Map<string, number[]>): Map<string, number[]> {
  const merged = new Map(first)
  for (const [k, v] of more) merged.set(k, [...(merged.get(k) ?? []), ...v])
  return merged
}

/**
 * Runs both sides in separate processes, interleaved A B B A A B … (or, with `duet`, each pair
 * at the same time), so slow drifts of the machine (thermal state, other load) fall on both
 * sides alike. With `extend`, the metrics it names get more pairs afterwards (see AbOptions).
 */
type Interleaved = [SideOutcome, SideOutcome] & { extension?: ExtensionOutcome; settled?: SettledOutcome; othersFraction?: number }

export async function runInterleaved(o: AbOptions): Promise<Interleaved> {
  // The CPU everything but this process and the sides used while they measured (core/machine-load.ts busyRule).
  const others = new OthersMeter()
  others.start()
  const paired = o.budget.paired && (o.budget.measure ?? 'time') === 'time' ? await loadPairedSides(o.sides, o) : undefined
  // Two paired processes side by side: a benchmark declared `alone` measures while the other waits.
  const machine = paired && o.budget.duet ? new MachineClaims() : undefined
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'perftrack-ab-'))
  const runs: [ProcessRun[], ProcessRun[]] = [[], []]
  const extra: [ProcessRun[], ProcessRun[]] = [[], []]
  let pairIndex = 0
  /** Measures one more pair of processes (paired: one or, with duet, two paired processes); returns how many values per side it added. */
  const runPair = async (
    into: [ProcessRun[], ProcessRun[]],
    filter: { plugins?: string[]; bench?: string[]; skip?: readonly string[] },
    label: string,
    want: number,
  ): Promise<number> => {
    if (paired) {
      const width = Math.min(want, o.budget.duet ? 2 : 1)
      o.onProgress?.(
        `[${label}] base (${o.sides[0].ref}) and head (${o.sides[1].ref}) paired in ${width === 1 ? 'one process' : `each of ${width} processes side by side`}`,
      )
      const units = await Promise.allSettled(
        Array.from({ length: width }, () => runPairedProcess(paired, { ...o, ...filter, headFirst: pairIndex++ % 2 === 1, claim: machine?.claim })),
      )
      const failed = units.find((u) => u.status === 'rejected')
      if (failed) throw failed.reason
      for (const u of units) for (const s of [0, 1]) into[s].push((u as PromiseFulfilledResult<[ProcessRun, ProcessRun]>).value[s])
      return width
    }
    const i = pairIndex++
    const order = i % 2 === 0 ? [0, 1] : [1, 0]
    const argsOf = (s: number) => {
      const side = o.sides[s]
      return [
        '--json',
        '--fail-on',
        'none',
        '--db',
        path.join(tmp, `${side.label}-${i}.sqlite`),
        '--profile',
        o.profile,
        '--rounds',
        String(o.budget.rounds),
        '--time',
        String(o.budget.time),
        '--warmup',
        String(o.budget.warmup),
        '--max-warmup',
        String(o.budget.maxWarmup),
        '--min-iterations',
        String(o.budget.minIterations),
        '--timeout',
        String(o.budget.timeout),
        ...(o.budget.measure && o.budget.measure !== 'time' ? ['--measure', o.budget.measure] : []),
        ...(o.budget.operations ? ['--operations', String(o.budget.operations)] : []),
        ...(filter.plugins ?? []).flatMap((p) => ['--plugin', p]),
        ...(filter.bench ?? []).flatMap((b) => ['--bench', b]),
      ]
    }
    if (o.budget.duet) {
      o.onProgress?.(`[${label}] base (${o.sides[0].ref}) and head (${o.sides[1].ref}) side by side`)
      // Settled, not Promise.all: when one side fails, its partner must still finish before the
      // temporary directory holding both histories is removed.
      const pair = await Promise.allSettled(order.map((s) => runChild(o.sides[s], argsOf(s), o.signal)))
      const failed = pair.find((p) => p.status === 'rejected')
      if (failed) throw failed.reason
      order.forEach((s, k) => into[s].push((pair[k] as PromiseFulfilledResult<ChildRun>).value))
      return 1
    }
    for (const s of order) {
      o.onProgress?.(`[${label}] ${o.sides[s].label} (${o.sides[s].ref})`)
      into[s].push(await runChild(o.sides[s], argsOf(s), o.signal))
    }
    return 1
  }
  let extension: ExtensionOutcome | undefined
  let settled: SettledOutcome | undefined
  let firstRatios: Map<string, number[]> | false | undefined
  // 0 turns settling off; it never comes before a paired verdict can be reached, or a settled
  // metric would be left inconclusive for want of processes.
  const settleWanted = o.budget.settleAfter ?? compareBudgetDefaults.settleAfter
  const settleAfter = paired && settleWanted > 0 ? Math.max(settleWanted, compareDefaults.minSamples) : 0
  try {
    const firstStarted = Date.now()
    while (runs[0].length < o.budget.processes) {
      const done = runs[0].length
      await runPair(runs, { plugins: o.plugins, bench: o.bench, skip: settled?.metrics }, `${done + 1}/${o.budget.processes}`, o.budget.processes - done)
      if (paired && settleAfter > 0 && !settled && runs[0].length >= settleAfter && runs[0].length < o.budget.processes) {
        settled = { metrics: settledMetrics(paired, runs[0], runs[1], settleAfter), processes: runs[0].length }
        if (settled.metrics.length > 0) {
          o.onProgress?.(
            `settled after ${settled.processes} processes, the same value on each side in every one, so not measured again: ${settled.metrics.join(', ')}`,
          )
        }
      }
    }
    const pairMs = (Date.now() - firstStarted) / Math.max(1, o.budget.processes)
    firstRatios = paired && processLogRatios(runs[0], runs[1])
    const plan = await o.extend?.(withRatios([aggregate(o.sides[0], runs[0], o.budget.measure), aggregate(o.sides[1], runs[1], o.budget.measure)], firstRatios))
    if (plan && plan.metrics.length > 0 && plan.maxPairs > 0) {
      const metrics = [...plan.metrics].sort()
      const filter = {
        plugins: [...new Set(metrics.map((m) => m.slice(0, m.indexOf('/'))))],
        bench: [...new Set(metrics.map((m) => m.slice(m.indexOf('/') + 1)))],
      }
      o.onProgress?.(
        `still inconclusive after ${o.budget.processes} ${paired ? 'processes' : 'pairs'}: ${metrics.join(', ')}; more ${paired ? 'processes' : 'pairs'} of those while time allows`,
      )
      const started = Date.now()
      // Until one has run, a pair of the chosen metrics alone is guessed at half a whole pair.
      let last = pairMs / 2
      let pairs = 0
      while (pairs < plan.maxPairs && Date.now() + last <= plan.deadline) {
        const t0 = Date.now()
        pairs += await runPair(extra, filter, `+${pairs + 1}`, plan.maxPairs - pairs)
        last = Date.now() - t0
      }
      extension = { metrics, pairs, ms: Date.now() - started }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
  const chosen = new Set(extension?.metrics ?? [])
  const ratios = firstRatios && mergeRatios(firstRatios, processLogRatios(extra[0], extra[1], chosen))
  const out = withRatios(
    [aggregate(o.sides[0], runs[0], o.budget.measure, extra[0], chosen), aggregate(o.sides[1], runs[1], o.budget.measure, extra[1], chosen)],
    ratios,
  ) as Interleaved
  if (extension) out.extension = extension
  if (settled && settled.metrics.length > 0) out.settled = settled
  const othersFraction = others.stop()
  if (othersFraction !== undefined) out.othersFraction = othersFraction
  return out
}
