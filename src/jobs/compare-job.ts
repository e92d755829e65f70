import { randomUUID } from 'node:crypto'
import type { PerftrackConfig } from '../core/config.js'
import { defaultBaselineRuns } from '../core/defaults.js'
import { PerftrackError } from '../core/errors.js'
import { environmentDifferences, type Fingerprint } from '../core/fingerprint.js'
import { combineLoads, type MachineLoad, withOthers } from '../core/machine-load.js'
import { metricKey, parseMetricKey } from '../core/metric-key.js'
import type { ResultJson } from '../core/result-json.js'
import type { RunKind, RunRecord } from '../core/run-record.js'
import { shortSha } from '../core/short-id.js'
import { parseRange, repoRoot, resolveRef } from '../git/worktree.js'
import { sampleUnits } from '../history/baseline.js'
import { latestThresholds } from '../history/calibrations.js'
import type { HistoryStore } from '../history/store.js'
import { freshResultJson, resultJson } from '../report/json.js'
import { type ComparisonEntry, compareSides, extensionCandidates, type MetricValues } from '../stats/comparison.js'
import type { CompareOptions } from '../stats/index.js'
import { type AbBudget, type ExtensionOutcome, runInterleaved, type SettledOutcome, type SideOutcome } from './ab-runner.js'
import { instructionCompareOptions } from './instruction-verdicts.js'
import { type SideSpec, withSides } from './sides.js'
import { thresholdLookup } from './thresholds.js'

export interface CompareSideJson {
  ref: string
  sha: string | null
  runId: string | null
  /** How busy the machine was while this side measured (the mean over its processes; stored runs: theirs). */
  load: MachineLoad
}

/** The `compare --json` shape (README, "Machine-readable output"). */
export interface CompareOutput {
  base: CompareSideJson
  head: CompareSideJson
  comparisons: ComparisonEntry[]
  /** The head side's results (targets evaluated on them). */
  results: ResultJson[]
  /** How the numbers were obtained: `interleaved` processes now, or stored runs. */
  mode: 'interleaved' | 'history'
  /** Processes per side of the first stage (every metric has at least these; see `nBaseline`/`nCurrent` per metric). */
  processes?: number
  /** Both revisions were measured in each process, rounds alternating (`--paired`, the default for time). */
  paired?: boolean
  /** Metrics still inconclusive after the first stage that got more pairs of processes, how many, and how long it took. */
  extension?: ExtensionOutcome
  /** Paired: value metrics that gave each side one value in every one of the first processes, measured in those only. */
  settled?: SettledOutcome
  /** Both sides together: what the busy-machine note is decided on. */
  load: MachineLoad
}

export interface CompareJobOptions {
  cwd: string
  range: string
  store: HistoryStore
  config: PerftrackConfig
  budget: AbBudget
  profile: string
  plugins?: string[]
  bench?: string[]
  /** Measure the working tree (uncommitted changes included) as the head side. */
  workingTree?: boolean
  /** Compare already-stored runs of the two commits instead of measuring. */
  fromHistory?: boolean
  /** Remove the worktrees afterwards. */
  clean?: boolean
  force?: boolean
  signal?: AbortSignal
  onProgress?: (message: string) => void
}

export const valuesOf = (outcome: SideOutcome): MetricValues[] =>
  outcome.results.flatMap((r) => {
    if (r.status !== 'completed') return []
    const logRatios = outcome.logRatios?.get(metricKey(r))
    return [{ plugin: r.plugin, benchmark: r.benchmark, unit: r.unit, direction: r.direction, values: r.rounds, ...(logRatios ? { logRatios } : {}) }]
  })

/** How a compare measured decides how its values are compared (README, "What a verdict means"). */
function designOf(budget: AbBudget): CompareOptions {
  if (budget.measure === 'instructions') return instructionCompareOptions
  return budget.paired ? { design: 'ratios' } : {}
}

export async function storeSide(store: HistoryStore, outcome: SideOutcome, groupId: string, kind: RunKind): Promise<RunRecord> {
  const fingerprint = { ...(outcome.fingerprint as Fingerprint), gitSha: outcome.side.sha ?? outcome.fingerprint?.gitSha ?? null }
  const run = await store.createRun({ fingerprint, kind, groupId, label: outcome.side.label })
  for (const r of outcome.results) await store.addResult(run.id, r)
  await store.finishRun(run.id, 'complete', `${kind} ${outcome.side.label}: ${outcome.side.ref}`, outcome.load)
  return run
}

/** Measures both revisions now, interleaved in separate processes, stores both runs and compares them (docs/architecture.md, "The life of a compare"). */
async function measureNow(o: CompareJobOptions, root: string, refs: [string, string]): Promise<CompareOutput> {
  const specs: SideSpec[] = [
    { label: 'base', ref: refs[0], sha: await resolveRef(root, refs[0]) },
    { label: 'head', ref: o.workingTree ? 'working tree' : refs[1], sha: o.workingTree ? null : await resolveRef(root, refs[1]) },
  ]
  return withSides(root, specs, o, async ([base, head]) => {
    const started = Date.now()
    const thresholdsOf = async (outcome: SideOutcome) =>
      thresholdLookup(await latestThresholds(o.store, outcome.environmentHash ?? '', o.profile), o.config, o.budget.measure)
    const { processes, maxProcesses = processes, maxTime = 0 } = o.budget
    const extend =
      maxProcesses > processes && maxTime > 0
        ? async (first: [SideOutcome, SideOutcome]) => ({
            metrics: extensionCandidates(
              compareSides(valuesOf(first[0]), valuesOf(first[1]), await thresholdsOf(first[1]), designOf(o.budget)),
              processes,
              maxProcesses,
            ),
            deadline: started + maxTime * 1000,
            maxPairs: maxProcesses - processes,
          })
        : undefined
    const outcomes = await runInterleaved({ ...o, sides: [base, head], extend })
    const groupId = randomUUID()
    const [baseRun, headRun] = [await storeSide(o.store, outcomes[0], groupId, 'compare'), await storeSide(o.store, outcomes[1], groupId, 'compare')]
    const thresholds = await thresholdsOf(outcomes[1])
    return {
      base: { ref: base.ref, sha: base.sha, runId: baseRun.id, load: outcomes[0].load },
      head: { ref: head.ref, sha: head.sha, runId: headRun.id, load: outcomes[1].load },
      comparisons: compareSides(valuesOf(outcomes[0]), valuesOf(outcomes[1]), thresholds, designOf(o.budget)),
      results: outcomes[1].results.map(freshResultJson),
      mode: 'interleaved' as const,
      processes: o.budget.processes,
      ...(o.budget.paired && o.budget.measure !== 'instructions' ? { paired: true } : {}),
      ...(outcomes.extension ? { extension: outcomes.extension } : {}),
      ...(outcomes.settled ? { settled: outcomes.settled } : {}),
      load: withOthers(combineLoads([outcomes[0].load, outcomes[1].load]), outcomes.othersFraction),
    }
  })
}

/** Compares stored runs of the two commits (no measuring). */
async function fromHistory(o: CompareJobOptions, root: string, refs: [string, string]): Promise<CompareOutput> {
  const shas = [await resolveRef(root, refs[0]), await resolveRef(root, refs[1])]
  const sides = await Promise.all(
    shas.map(async (sha, i) => {
      // Only runs of the measure asked for: wall time and instruction counts are never compared.
      const runs = await o.store.listRuns({ sha, status: 'complete', measure: o.budget.measure ?? 'time', limit: defaultBaselineRuns })
      if (runs.length === 0) {
        throw new PerftrackError('NO_STORED_RUNS', `No complete run of ${refs[i]} (${shortSha(sha)}) is stored in the history.`, {
          suggestions: ['Drop --from-history to measure both sides now, or run `perftrack run` on that commit first.'],
        })
      }
      return runs
    }),
  )
  const [baseRuns, headRuns] = sides
  const sameEnv = baseRuns.filter((r) => r.environmentHash === headRuns[0].environmentHash)
  if (sameEnv.length === 0 && !o.force) {
    throw new PerftrackError(
      'BASELINE_ENVIRONMENT_MISMATCH',
      `The stored runs of ${refs[0]} were measured in another environment than those of ${refs[1]} (${environmentDifferences(headRuns[0].fingerprint, baseRuns[0].fingerprint).join('; ')}).`,
      {
        suggestions: ['Drop --from-history to measure both sides on this machine now, or pass --force-baseline.'],
      },
    )
  }
  const base = o.force ? baseRuns : sameEnv
  const toValues = async (runs: RunRecord[]) =>
    [...sampleUnits(await Promise.all(runs.map(async (r) => ({ kind: r.kind, results: await o.store.resultsOf(r.id) })))).entries()].map(([k, v]) => ({
      ...parseMetricKey(k),
      unit: v.unit,
      direction: v.direction,
      values: v.values,
    }))
  const thresholds = thresholdLookup(
    await latestThresholds(o.store, headRuns[0].environmentHash, headRuns[0].profile),
    o.config,
    headRuns[0].fingerprint.measure,
  )
  const [baseLoad, headLoad] = [combineLoads(base.map((r) => r.load)), combineLoads(headRuns.map((r) => r.load))]
  return {
    base: { ref: refs[0], sha: shas[0], runId: base[0].id, load: baseLoad },
    head: { ref: refs[1], sha: shas[1], runId: headRuns[0].id, load: headLoad },
    // Plain runs: one value per run, the head runs against the base runs' prediction interval.
    // Stored compare sides: one value per process, two independent samples as when measured.
    comparisons: compareSides(await toValues(base), await toValues(headRuns), thresholds, {
      design: [...base, ...headRuns].every((r) => r.kind === 'run') ? 'prediction' : 'independent',
    }),
    results: (await o.store.resultsOf(headRuns[0].id)).map(resultJson),
    mode: 'history',
    load: combineLoads([baseLoad, headLoad]),
  }
}

export async function compareJob(o: CompareJobOptions): Promise<CompareOutput> {
  const root = await repoRoot(o.cwd)
  const refs = parseRange(o.range)
  return o.fromHistory ? fromHistory(o, root, refs) : measureNow(o, root, refs)
}
