/**
 * Benjamini–Hochberg adjusted p-values (q-values), as R's `p.adjust(p, method = "BH")`:
 * q(i) = min over j ≥ i of m·p(j)/j on the sorted p-values, capped at 1, returned in input
 * order. NaN entries (no test was possible) are left out of the family and stay NaN.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const result = pValues.map(() => Number.NaN)
  const order = pValues
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => !Number.isNaN(p))
    .sort((a, b) => b.p - a.p)
  const m = order.length
  let runningMin = 1
  order.forEach(({ p, i }, k) => {
    const rank = m - k
    runningMin = Math.min(runningMin, (m * p) / rank)
    result[i] = runningMin
  })
  return result
}
