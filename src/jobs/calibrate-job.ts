import { randomUUID } from 'node:crypto'
import { busyRule, combineLoads, type MachineLoad, withOthers } from '../core/machine-load.js'
import { metricKey } from '../core/metric-key.js'
import { repoRoot, resolveRef } from '../git/worktree.js'
import { type Calibration, recentHalfWidths, saveCalibrations } from '../history/calibrations.js'
import type { HistoryStore } from '../history/store.js'
import { instructionThreshold } from '../runner/measure-instructions.js'
import { countOutliers, estimateNoise, type NoiseEstimate, noiseDefaults, poolHalfWidths, thresholdFromHalfWidth } from '../stats/index.js'
import { type AbBudget, runInterleaved } from './ab-runner.js'
import { busyCalibrationRefusal } from './busy-calibration.js'
import { storeSide } from './compare-job.js'
import { instructionNoise } from './instruction-verdicts.js'
import { withSides } from './sides.js'

export interface CalibrationEntry extends Omit<Calibration, 'groupId' | 'createdAt' | 'environmentHash' | 'profile'> {
  unit: string
  /** A/A relative change of the medians and its bootstrap 95% CI (should straddle 0). */
  change: number
  ci: [number, number]
  /** The smallest true change that yields `regressed` with 80% power at this sample size. */
  minimumDetectableRegression: number
  /** Half-width pooled over this and earlier calibrations here (rescaled to this n); the threshold is max(1%, 1.5 × it). */
  pooledHalfWidth: number
  /** How many calibrations the pooled half-width comes from, this one included. */
  calibrationsPooled: number
  /**
   * Values of this A/A far from their side's median (stats/outliers.ts): processes in a slow
   * spell. One or two of them among eight can widen the half-width, and so the threshold,
   * tenfold (docs/measurements.md, "Calibrated thresholds, measured").
   */
  outliers: number
}

export interface CalibrateOutput {
  ref: string
  sha: string | null
  environmentHash: string | null
  profile: string
  processes: number
  metrics: CalibrationEntry[]
  /** Each side's stored run and how busy the machine was while it measured. */
  base: { runId: string; load: MachineLoad }
  head: { runId: string; load: MachineLoad }
  /** Both sides together: what a refusal (or, with `allowBusy`, the warning) is decided on. */
  load: MachineLoad
}

export interface CalibrateJobOptions {
  cwd: string
  ref: string
  workingTree: boolean
  store: HistoryStore
  budget: AbBudget
  profile: string
  plugins?: string[]
  bench?: string[]
  clean?: boolean
  /** Store the thresholds even when the machine was busy (wall time only; see busy-calibration.ts). */
  allowBusy?: boolean
  signal?: AbortSignal
  onProgress?: (message: string) => void
}

/**
 * A/A: the same revision against itself, interleaved in separate processes exactly as
 * `compare` runs; each metric's noise becomes its threshold for later comparisons here. The
 * threshold is max(1%, 1.5 × the A/A CI half-width pooled over this calibration and up to four
 * earlier ones of the same environment and profile (see noise.ts for why).
 */
export async function calibrateJob(o: CalibrateJobOptions): Promise<CalibrateOutput> {
  const root = await repoRoot(o.cwd)
  const sha = o.workingTree ? null : await resolveRef(root, o.ref)
  const ref = o.workingTree ? 'working tree' : o.ref
  return withSides(
    root,
    [
      { label: 'base', ref, sha },
      { label: 'head', ref, sha },
    ],
    o,
    async ([a, b]) => {
      const outcomes = await runInterleaved({ ...o, sides: [a, b] })
      const [outA, outB] = outcomes
      const groupId = randomUUID()
      const runA = await storeSide(o.store, outA, groupId, 'calibrate')
      const runB = await storeSide(o.store, outB, groupId, 'calibrate')
      const load = withOthers(combineLoads([outA.load, outB.load]), outcomes.othersFraction)
      const environmentHash = outB.environmentHash ?? ''
      const earlier = await recentHalfWidths(o.store, environmentHash, o.profile, noiseDefaults.pool - 1)
      const metrics: CalibrationEntry[] = []
      for (const ra of outA.results) {
        const rb = outB.results.find((r) => r.plugin === ra.plugin && r.benchmark === ra.benchmark)
        if (ra.status !== 'completed' || rb?.status !== 'completed') continue
        const independent: NoiseEstimate = estimateNoise(ra.rounds, rb.rounds)
        const noise = o.budget.measure === 'instructions' ? instructionNoise(independent, ra.rounds, rb.rounds) : independent
        const n = Math.min(ra.rounds.length, rb.rounds.length)
        const estimates = [{ ciHalfWidth: noise.ciHalfWidth, n }, ...(earlier.get(metricKey(ra)) ?? [])]
        const pooledHalfWidth = poolHalfWidths(estimates, n)
        const threshold = o.budget.measure === 'instructions' ? instructionThreshold(noise, pooledHalfWidth) : thresholdFromHalfWidth(pooledHalfWidth)
        metrics.push({
          plugin: ra.plugin,
          benchmark: ra.benchmark,
          unit: ra.unit,
          cv: noise.cv,
          change: noise.change,
          ci: noise.ci,
          ciHalfWidth: noise.ciHalfWidth,
          pooledHalfWidth,
          calibrationsPooled: estimates.length,
          // Instruction counts have no spells; their rounds differ by design (a GC falls into the same round of every process).
          outliers: o.budget.measure === 'instructions' ? 0 : countOutliers(ra.rounds) + countOutliers(rb.rounds),
          threshold,
          minimumDetectableEffect: noise.minimumDetectableEffect,
          minimumDetectableRegression: threshold + noise.minimumDetectableEffect,
          n,
        })
      }
      const refusal = busyCalibrationRefusal(load, {
        measure: o.budget.measure,
        allowBusy: o.allowBusy,
        runIds: [runA.id, runB.id],
        rule: busyRule(o.budget.duet),
      })
      if (refusal) throw refusal
      const createdAt = new Date().toISOString()
      await saveCalibrations(
        o.store,
        metrics.map((m) => ({ ...m, environmentHash, profile: o.profile, groupId, createdAt })),
      )
      return {
        ref,
        sha: a.sha,
        environmentHash,
        profile: o.profile,
        processes: o.budget.processes,
        metrics,
        base: { runId: runA.id, load: outA.load },
        head: { runId: runB.id, load: outB.load },
        load,
      }
    },
  )
}
