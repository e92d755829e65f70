import { compareMetrics, type CompareOptions, type Verdict } from '../stats/index.js'
import type { Direction } from './plugin-api.js'

/** One metric's values on one side: the sample unit of the comparison (rounds, processes or runs). */
export interface MetricValues {
  plugin: string
  benchmark: string
  unit: string
  direction: Direction
  values: number[]
}

/** A comparison entry of the `--json` output (README, "Machine-readable output"), plus the threshold used and why the verdict is what it is. */
export interface ComparisonEntry {
  plugin: string
  benchmark: string
  unit: string
  direction: Direction
  baseline: number | null
  current: number | null
  change: number | null
  ci: [number, number] | null
  pValue: number | null
  qValue: number | null
  verdict: Verdict
  threshold: number
  nBaseline: number
  nCurrent: number
  reason: string
}

export type ThresholdLookup = (plugin: string, benchmark: string) => number | undefined

const key = (m: { plugin: string; benchmark: string }) => `${m.plugin}/${m.benchmark}`

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
