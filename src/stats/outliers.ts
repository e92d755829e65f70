import { median } from 'simple-statistics'

/** Modified z-score beyond which a value counts as an outlier (Iglewicz & Hoaglin, 1993). */
export const outlierDefaults = { z: 3.5 } as const

/**
 * How many of one side's values lie far from that side's median: modified z-score
 * 0.6745 × |x − median| / MAD above `z` (Iglewicz & Hoaglin, "How to Detect and Handle
 * Outliers", 1993), on log values when all are positive, as timing noise is multiplicative.
 * The median and the MAD tolerate up to half the values being outliers, so three slow
 * processes of eight are still counted. Measured on this repository's suite
 * (docs/measurements.md, "Slow spells"): one process in a slow spell reads 1.3–2.7× its side's
 * median while the others sit within a few percent, and two or three of them among eight are
 * enough to leave a 10% regression `inconclusive` or to set a calibrated threshold at 60%.
 * A side whose values mostly repeat one value (MAD 0: counts, hit rates) has no scale to
 * judge by, so nothing in it is counted.
 */
export function countOutliers(values: readonly number[], z: number = outlierDefaults.z): number {
  if (values.length < 3) return 0
  const xs = values.every((v) => v > 0) ? values.map(Math.log) : [...values]
  const m = median(xs)
  const mad = median(xs.map((x) => Math.abs(x - m)))
  if (!(mad > 0)) return 0
  return xs.filter((x) => (0.6745 * Math.abs(x - m)) / mad > z).length
}
