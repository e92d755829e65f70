import { type MetricId, metricKey } from '../core/metric-key.js'
import type { Direction } from '../core/plugin-api.js'
import { type CompareOptions, compareMetrics, type InconclusiveComparison, type Verdict } from './index.js'

/** One metric's values on one side: the sample unit of the comparison (rounds, processes or runs). */
export interface MetricValues {
  plugin: string
  benchmark: string
  unit: string
  direction: Direction
  values: number[]
  /** The head side of a paired compare: each process's log ratio of head over base (`design: 'ratios'`). */
  logRatios?: number[]
}

/**
 * A comparison entry of the `--json` output (README, "Machine-readable output"): the metric, and
 * the verdict's numbers as stats/verdict.ts computes them (null where an inconclusive one could
 * not), the threshold used and why the verdict is what it is.
 */
export type ComparisonEntry = MetricId & { unit: string; direction: Direction; verdict: Verdict } & Pick<
    InconclusiveComparison,
    'baseline' | 'current' | 'change' | 'ci' | 'pValue' | 'qValue' | 'threshold' | 'nBaseline' | 'nCurrent' | 'reason'
  >

export type ThresholdLookup = (plugin: string, benchmark: string) => number | undefined

const key = metricKey

/**
 * Compares every metric present on either side. The p-values of all metrics are corrected
 * together (Benjamini–Hochberg), so a large suite does not cry wolf; a metric missing on one
 * side is `inconclusive`, never a silent pass.
 */
export function compareSides(base: MetricValues[], head: MetricValues[], thresholds: ThresholdLookup, options: CompareOptions = {}): ComparisonEntry[] {
  const baseByKey = new Map(base.map((m) => [key(m), m]))
  const headByKey = new Map(head.map((m) => [key(m), m]))
  const keys = [...new Set([...head.map(key), ...base.map(key)])]
  const pairs = keys.map((k) => {
    const b = baseByKey.get(k)
    const h = headByKey.get(k)
    const meta = (h ?? b)!
    return { meta, b, h }
  })
  const compared = compareMetrics(
    pairs.map(({ meta, b, h }) => ({
      name: key(meta),
      baseline: b?.values ?? [],
      current: h?.values ?? [],
      direction: meta.direction,
      threshold: thresholds(meta.plugin, meta.benchmark),
      ...(h?.logRatios ? { logRatios: h.logRatios } : {}),
    })),
    options,
  )
  return pairs.map(({ meta, b, h }, i) => {
    const c = compared[i]
    const reason = !b ? 'no baseline measurement for this metric' : !h ? 'not measured on this side' : c.reason
    return {
      plugin: meta.plugin,
      benchmark: meta.benchmark,
      unit: meta.unit,
      direction: meta.direction,
      baseline: c.baseline,
      current: c.current,
      change: c.change,
      ci: c.ci,
      pValue: c.pValue,
      qValue: c.qValue,
      verdict: c.verdict,
      threshold: c.threshold,
      nBaseline: c.nBaseline,
      nCurrent: c.nCurrent,
      reason,
    }
  })
}

export function countVerdicts(entries: ComparisonEntry[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { regressed: 0, improved: 0, unchanged: 0, inconclusive: 0 }
  for (const e of entries) counts[e.verdict]++
  return counts
}

/**
 * The inconclusive metrics that more processes could decide: with `maxProcesses` per side
 * instead of `processes`, the CI's half-width would shrink by about √(processes / maxProcesses);
 * a metric qualifies when its CI so narrowed around the same centre would lie wholly inside
 * ±threshold (`unchanged` within reach) or wholly beyond it (a change the test has not yet had
 * the power to confirm). Metrics too noisy for that stay `inconclusive` without spending the
 * time; so do those without a CI (too few values, a zero baseline).
 */
export function extensionCandidates(entries: readonly ComparisonEntry[], processes: number, maxProcesses: number): string[] {
  if (!(maxProcesses > processes)) return []
  const shrink = Math.sqrt(processes / maxProcesses)
  return entries
    .filter((e) => e.verdict === 'inconclusive' && e.ci !== null && Number.isFinite(e.ci[0]) && Number.isFinite(e.ci[1]))
    .filter((e) => {
      const [lo, hi] = e.ci!
      const centre = (lo + hi) / 2
      const half = ((hi - lo) / 2) * shrink
      return Math.abs(centre) + half < e.threshold || Math.abs(centre) - half > e.threshold
    })
    .map(key)
}
