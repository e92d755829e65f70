import { randomUUID } from 'node:crypto'

import { type AbBudget, assertHasPlugins, runInterleaved, type Side, type SideOutcome } from './ab-runner.js'
import { compareSides, type ComparisonEntry, type MetricValues } from './comparison.js'
import type { PerftrackConfig } from './config.js'
import { PerftrackError } from './errors.js'
import { environmentDifferences, type Fingerprint } from './fingerprint.js'
import { thresholdLookup } from './thresholds.js'
import { pooledRounds } from '../history/baseline.js'
import { latestThresholds } from '../history/calibrations.js'
import type { HistoryStore } from '../history/store.js'
import type { RunRecord } from '../history/types.js'
import { gitState } from '../git/repo.js'
import { ensureWorktree, parseRange, prepareDependencies, removeWorktree, repoRoot, resolveRef } from '../git/worktree.js'
import { type ResultJson, resultJson } from '../report/json.js'

export interface CompareSideJson {
  ref: string
  sha: string | null
  runId: string | null
}

/** DESIGN.md's `compare --json` shape. */
export interface CompareOutput {
  base: CompareSideJson
  head: CompareSideJson
  comparisons: ComparisonEntry[]
  /** The head side's results (targets evaluated on them). */
  results: ResultJson[]
  /** How the numbers were obtained: `interleaved` processes now, or stored runs. */
  mode: 'interleaved' | 'history'
  processes?: number
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

const valuesOf = (outcome: SideOutcome): MetricValues[] =>
  outcome.results.flatMap((r) => (r.status === 'completed' ? [{ plugin: r.plugin, benchmark: r.benchmark, unit: r.unit, direction: r.direction, values: r.rounds }] : []))

async function storeSide(store: HistoryStore, outcome: SideOutcome, groupId: string): Promise<RunRecord> {
  const fingerprint = { ...(outcome.fingerprint as Fingerprint), gitSha: outcome.side.sha ?? outcome.fingerprint?.gitSha ?? null }
  const run = await store.createRun({ fingerprint, kind: 'compare', groupId, label: outcome.side.label })
  for (const r of outcome.results) await store.addResult(run.id, r)
  await store.finishRun(run.id, 'complete', `compare ${outcome.side.label}: ${outcome.side.ref}`)
  return run
}

/** Measures both revisions now, interleaved in separate processes, stores both runs and compares them. */
async function measureNow(o: CompareJobOptions, root: string, refs: [string, string]): Promise<CompareOutput> {
  const [shaA, shaB] = [await resolveRef(root, refs[0]), o.workingTree ? null : await resolveRef(root, refs[1])]
  const worktrees: Array<{ dir: string; created: boolean }> = []
  let succeeded = false
  try {
    const sideFor = async (label: Side['label'], ref: string, sha: string | null): Promise<Side> => {
      if (sha === null) return { label, ref, sha: (await gitState(root)).sha, dir: root }
      const wt = await ensureWorktree(root, sha)
      worktrees.push(wt)
      return { label, ref, sha, dir: wt.dir }
    }
    const sides: [Side, Side] = [await sideFor('base', refs[0], shaA), await sideFor('head', o.workingTree ? 'working tree' : refs[1], shaB)]
    for (const side of sides) {
      assertHasPlugins(side)
      o.onProgress?.(`${side.label}: ${side.ref} in ${side.dir} (dependencies: ${await prepareDependencies(side.dir, root, `the ${side.label} side (${side.ref})`)})`)
    }
    const outcomes = await runInterleaved({ sides, budget: o.budget, profile: o.profile, plugins: o.plugins, bench: o.bench, signal: o.signal, onProgress: o.onProgress })
    const groupId = randomUUID()
    const [baseRun, headRun] = [await storeSide(o.store, outcomes[0], groupId), await storeSide(o.store, outcomes[1], groupId)]
    const envHash = outcomes[1].environmentHash ?? ''
    const thresholds = thresholdLookup(await latestThresholds(o.store, envHash, o.profile), o.config)
    succeeded = true
    return {
      base: { ref: refs[0], sha: shaA, runId: baseRun.id },
      head: { ref: sides[1].ref, sha: sides[1].sha, runId: headRun.id },
      comparisons: compareSides(valuesOf(outcomes[0]), valuesOf(outcomes[1]), thresholds),
      results: outcomes[1].results.map(resultJson),
      mode: 'interleaved',
      processes: o.budget.processes,
    }
  } finally {
    // A failed compare leaves no worktree it made; --clean removes them after a good one too.
    for (const wt of worktrees) if (o.clean || (!succeeded && wt.created)) await removeWorktree(root, wt.dir)
  }
}

/** Compares stored runs of the two commits (no measuring). */
async function fromHistory(o: CompareJobOptions, root: string, refs: [string, string]): Promise<CompareOutput> {
  const shas = [await resolveRef(root, refs[0]), await resolveRef(root, refs[1])]
  const sides = await Promise.all(
    shas.map(async (sha, i) => {
      const runs = await o.store.listRuns({ sha, status: 'complete', limit: 5 })
      if (runs.length === 0) {
        throw new PerftrackError('NO_STORED_RUNS', `No complete run of ${refs[i]} (${sha.slice(0, 12)}) is stored in the history.`, {
          suggestions: ['Drop --from-history to measure both sides now, or run `perftrack run` on that commit first.'],
        })
      }
      return runs
    }),
  )
  const [baseRuns, headRuns] = sides
  const sameEnv = baseRuns.filter((r) => r.environmentHash === headRuns[0].environmentHash)
  if (sameEnv.length === 0 && !o.force) {
    throw new PerftrackError('BASELINE_ENVIRONMENT_MISMATCH', `The stored runs of ${refs[0]} were measured in another environment than those of ${refs[1]} (${environmentDifferences(headRuns[0].fingerprint, baseRuns[0].fingerprint).join('; ')}).`, {
      suggestions: ['Drop --from-history to measure both sides on this machine now, or pass --force-baseline.'],
    })
  }
  const base = o.force ? baseRuns : sameEnv
  const toValues = async (runs: RunRecord[]) =>
    [...pooledRounds(await Promise.all(runs.map((r) => o.store.resultsOf(r.id)))).entries()].map(([k, v]) => {
      const [plugin, ...rest] = k.split('/')
      return { plugin, benchmark: rest.join('/'), unit: v.unit, direction: v.direction, values: v.values }
    })
  const thresholds = thresholdLookup(await latestThresholds(o.store, headRuns[0].environmentHash, headRuns[0].profile), o.config)
  return {
    base: { ref: refs[0], sha: shas[0], runId: base[0].id },
    head: { ref: refs[1], sha: shas[1], runId: headRuns[0].id },
    comparisons: compareSides(await toValues(base), await toValues(headRuns), thresholds),
    results: (await o.store.resultsOf(headRuns[0].id)).map(resultJson),
    mode: 'history',
  }
}

export async function compareJob(o: CompareJobOptions): Promise<CompareOutput> {
  const root = await repoRoot(o.cwd)
  const refs = parseRange(o.range)
  return o.fromHistory ? fromHistory(o, root, refs) : measureNow(o, root, refs)
}
