import { median } from 'simple-statistics'

import { loadConfig } from '../core/config.js'
import { compareBudgetDefaults, runnerDefaults } from '../core/defaults.js'
import { PerftrackError } from '../core/errors.js'
import { type Fingerprint, fingerprint as takeFingerprint } from '../core/fingerprint.js'
import { benchMatcher } from '../core/glob.js'
import type { MachineLoad } from '../core/machine-load.js'
import { metricKey } from '../core/metric-key.js'
import type { ResultJson } from '../core/result-json.js'
import { gitState } from '../git/repo.js'
import { freshResultJson } from '../report/json.js'
import { loadFromCounters } from '../runner/load-meter.js'
import { discoverPluginFiles, type LoadedPlugin, loadPlugins, selectPlugins } from '../runner/plugin-loader.js'
import type { RunnerOptions } from '../runner/runner.js'
import { PluginProcess, supervisePluginSides } from '../runner/supervisor.js'
import type { AbBudget, Side } from './ab-runner.js'

/** What one measuring process gave for one side: its results, and the run's fingerprint and load. */
export interface ProcessRun {
  run: { fingerprint: Fingerprint; load?: MachineLoad }
  results: ResultJson[]
}

/** Both sides' plugins, loaded once for all paired processes, and each side's fingerprint. */
export interface PairedSides {
  /** Per plugin name: the base and the head side's plugin (undefined where a side lacks it). */
  plugins: Array<[LoadedPlugin | undefined, LoadedPlugin | undefined]>
  fingerprints: [Fingerprint, Fingerprint]
  pluginOptions?: Record<string, Record<string, unknown>>
}

/**
 * Loads each side's plugins as `perftrack run` would in that side's directory (its config,
 * its plugin folders, `--plugin`), so one process can measure both. A plugin that fails to load
 * on a side, or a `--bench` that matches nothing there, is SIDE_RUN_FAILED (exit 2), as that
 * side's `perftrack run` fails with `--no-paired`.
 */
export async function loadPairedSides(
  sides: [Side, Side],
  o: { profile: string; plugins?: string[]; bench?: string[]; budget: AbBudget },
): Promise<PairedSides> {
  const loaded: LoadedPlugin[][] = []
  const fingerprints: Fingerprint[] = []
  let pluginOptions: Record<string, Record<string, unknown>> | undefined
  for (const side of sides) {
    const config = await loadConfig(side.dir)
    const set = selectPlugins(await loadPlugins(discoverPluginFiles({ cwd: side.dir, config })), o.plugins)
    // As with --no-paired, where that side's `perftrack run` fails: nothing is measured or stored.
    if (set.failures.length > 0) {
      throw new PerftrackError(
        'SIDE_RUN_FAILED',
        `A plugin of the ${side.label} side (${side.ref}) in ${side.dir} could not be loaded: ${set.failures.map((f) => f.message).join('; ')}`,
        { suggestions: ['Run `perftrack run --quick` in that revision to see the error.'] },
      )
    }
    loaded.push(set.plugins)
    // The head's options, as the revision under review states them.
    pluginOptions = config.pluginOptions
    fingerprints.push(
      takeFingerprint(
        o.profile,
        set.plugins.map((p) => p.plugin),
        { ...pairedRunnerBudget(o.budget), quick: false, paired: true, nodeFlags: pairedNodeFlags(o.budget) },
        await gitState(side.dir),
      ),
    )
  }
  // As `perftrack run` refuses it: sides that measure nothing would be stored as complete runs.
  const matches = benchMatcher(o.bench)
  for (const [i, side] of sides.entries()) {
    if (!loaded[i].some(({ plugin }) => plugin.benchmarks.some((b) => matches(plugin.name, b.name)))) {
      const what = o.bench ? `No benchmark matches --bench ${o.bench.join(', ')} in` : 'No plugin could be loaded from'
      throw new PerftrackError('SIDE_RUN_FAILED', `${what} the ${side.label} side (${side.ref}) in ${side.dir}; nothing was measured or stored.`, {
        suggestions: ["Run `perftrack plugins` in that revision to list its benchmarks; a glob matches 'name' or 'plugin/name'."],
      })
    }
  }
  const names = [...new Set(loaded.flatMap((list) => list.map((p) => p.plugin.name)))]
  return {
    plugins: names.map((n) => [loaded[0].find((p) => p.plugin.name === n), loaded[1].find((p) => p.plugin.name === n)]),
    fingerprints: [fingerprints[0], fingerprints[1]],
    pluginOptions,
  }
}

/** The runner budget of a paired process: `budget` with the paired defaults for what it leaves unset. */
export function pairedRunnerBudget(budget: AbBudget) {
  return {
    rounds: budget.rounds,
    valueRounds: budget.valueRounds ?? compareBudgetDefaults.pairedValueRounds,
    throughputRounds: budget.throughputRounds ?? budget.rounds * compareBudgetDefaults.pairedThroughputFactor,
    time: budget.time,
    ioLatencyTime: budget.ioLatencyTime ?? budget.time * compareBudgetDefaults.pairedIoLatencyTimeFactor,
    warmupTime: budget.warmup,
    maxWarmupTime: budget.maxWarmup,
    minIterations: budget.minIterations,
    measure: 'time' as const,
  }
}

/** The V8 flags of a paired process: `budget.nodeFlags`, or the paired default. */
export function pairedNodeFlags(budget: AbBudget): readonly string[] {
  return budget.nodeFlags ?? compareBudgetDefaults.pairedNodeFlags
}

/**
 * One paired process: every selected plugin in a supervised child that sets up both sides and
 * measures them with their rounds alternating. `headFirst` sets which side is set up and
 * measured first in this process; a compare alternates it from process to process, so that
 * being first or second in a process (A/A ratio medians 0.984–1.015 with the base always first)
 * is no side's bias.
 */
export async function runPairedProcess(
  paired: PairedSides,
  o: {
    budget: AbBudget
    profile: string
    bench?: string[]
    plugins?: string[]
    /** Metric keys not to measure (`settledMetrics`). */
    skip?: readonly string[]
    signal?: AbortSignal
    headFirst: boolean
    /** Shared with the process measuring beside this one (RunnerOptions.claim, machine-claims.ts). */
    claim?: RunnerOptions['claim']
  },
): Promise<[ProcessRun, ProcessRun]> {
  const order = o.headFirst ? ([1, 0] as const) : ([0, 1] as const)
  const entries = paired.plugins.filter(([b, h]) => !o.plugins || o.plugins.includes((b ?? h)!.plugin.name)).map((entry) => order.map((s) => entry[s]))
  const options: RunnerOptions = {
    ...pairedRunnerBudget(o.budget),
    timeout: o.budget.timeout,
    storedSamplesPerRound: runnerDefaults.storedSamplesPerRound,
    profile: o.profile,
    quick: false,
    bench: o.bench,
    ...(o.skip && o.skip.length > 0 ? { skip: o.skip } : {}),
    pluginOptions: paired.pluginOptions,
    signal: o.signal,
    logger: { info: () => undefined, warn: () => undefined, debug: () => undefined },
    ...(o.claim ? { claim: o.claim } : {}),
  }
  const processes = new PluginProcess('time', pairedNodeFlags(o.budget))
  const outcome = await supervisePluginSides(entries, 2, options, { processes })
  // Closed by now; its CPU time must be this process's children's before the others' share is read.
  await processes.exited()
  if (o.signal?.aborted) throw new PerftrackError('ABORTED', 'interrupted', { exit: 130 })
  const load = loadFromCounters(outcome.load)
  const runOf = (side: 0 | 1): ProcessRun => ({
    run: { fingerprint: paired.fingerprints[side], load },
    results: outcome.sides[order.indexOf(side)].map(freshResultJson),
  })
  return [runOf(0), runOf(1)]
}

/**
 * Per metric, each paired process's log ratio: the median over its round pairs of
 * log(head round i / base round i). A pair where both sides are 0 is no change; one where a
 * side is 0 or below has no ratio and is left out; a metric measured differently by the two
 * revisions (kind, unit or number of rounds) has none. Processes are index-aligned across sides.
 */
export function processLogRatios(base: readonly ProcessRun[], head: readonly ProcessRun[], only?: ReadonlySet<string>): Map<string, number[]> {
  const ratios = new Map<string, number[]>()
  for (const [i, run] of head.entries()) {
    for (const h of run.results) {
      const key = metricKey(h)
      const b = base[i]?.results.find((r) => metricKey(r) === key)
      if ((only && !only.has(key)) || h.status !== 'completed' || b?.status !== 'completed') continue
      // A benchmark whose kind or unit changed between the revisions has no ratio; nor has one
      // whose rounds differ in number, measured by one revision (`measure()`, one round) and
      // computed by the other from its parts' paired rounds (`ratioOf`).
      if (b.kind !== h.kind || b.unit !== h.unit || b.rounds.length !== h.rounds.length) continue
      const pairs = h.rounds.flatMap((value, k) => {
        const from = b.rounds[k]
        if (from === 0 && value === 0) return [0]
        return from > 0 && value > 0 ? [Math.log(value / from)] : []
      })
      ratios.set(key, [...(ratios.get(key) ?? []), pairs.length > 0 ? median(pairs) : Number.NaN])
    }
  }
  return ratios
}

/**
 * The value metrics settled by the paired processes so far: on each side, every process gave
 * the same value, to the last digit, in every round (a count the code computes the same way each
 * time, such as a hit rate over a seeded workload), in at least `least` processes. More processes
 * cannot change such a metric's verdict (its log ratios are all one value: p is 0 or 1 and the
 * interval that value), so a compare stops measuring it (`compareBudgetDefaults.settleAfter`).
 * Latencies and throughputs never settle, nor do `ratioOf` values and the benchmarks they are
 * computed from (a ratio needs its parts' rounds in every process).
 */
export function settledMetrics(paired: PairedSides, base: readonly ProcessRun[], head: readonly ProcessRun[], least: number): string[] {
  if (least < 1 || base.length < least || head.length < least) return []
  // `ratioOf` values and their parts: a ratio is computed in each process from its parts' rounds.
  const ratios = new Set<string>()
  for (const loaded of paired.plugins.flat()) {
    for (const b of loaded?.plugin.benchmarks ?? []) {
      if (!b.ratioOf) continue
      for (const name of [b.name, b.ratioOf.numerator, b.ratioOf.denominator]) ratios.add(metricKey({ plugin: loaded!.plugin.name, benchmark: name }))
    }
  }
  const constant = (runs: readonly ProcessRun[], key: string) => {
    const values: number[] = []
    for (const run of runs) {
      const r = run.results.find((x) => metricKey(x) === key)
      if (r?.status !== 'completed' || r.kind !== 'value' || r.rounds.length === 0) return false
      values.push(...r.rounds)
    }
    return values.every((v) => Object.is(v, values[0]))
  }
  const keys = [...new Set(head[0].results.map(metricKey))]
  return keys.filter((key) => !ratios.has(key) && constant(base, key) && constant(head, key))
}
