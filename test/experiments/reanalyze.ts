/**
 * Re-analyses the compares that verdict-rates.ts stored: per-metric noise over all of them,
 * and the verdicts `perftrack compare` gives on the same stored values under thresholds
 * calibrated the way `perftrack calibrate` calibrates them.
 *
 *   npx tsx test/experiments/reanalyze.ts --db /tmp/perftrack-verdicts-XXXX.sqlite
 *   npx tsx test/experiments/reanalyze.ts --db power.sqlite --calibrate-from aa.sqlite --calibrations 5
 *   npx tsx test/experiments/reanalyze.ts --db sut.sqlite --design paired
 *   npx tsx test/experiments/reanalyze.ts --db sut.sqlite --calibrate-from cal1.sqlite,cal2.sqlite,cal3.sqlite --calibrations 3
 *   npx tsx test/experiments/reanalyze.ts --db sut.sqlite --calibrate-from sut.sqlite --calibrations 2 --k 2
 *
 * `--design paired` analyses compares run side by side (duet) as pairs: process i of each side
 * ran at the same moment, so the verdict rests on the per-pair ratios (stats/wilcoxon.ts,
 * `pairedRankTest`) instead of two independent samples.
 *
 * `--calibrate-from` reads A/A compares and `perftrack calibrate` runs, from one history or several
 * (comma-separated). An A/A compare is the same procedure as one `perftrack calibrate` (8 against 8 interleaved
 * processes of one revision), so with --calibrate-from the first N A/A compares of that
 * history stand in for N calibrations: per metric, threshold = max(1%, 1.5 × the half-widths
 * pooled by poolHalfWidths), exactly as calibrate-job.ts computes it. Those N compares are
 * then left out of the tally when --db is the same file. Prints one JSON line.
 */
import { parseArgs } from 'node:util'
import { HistoryStore } from '../../src/history/store.js'
import { compareSides, type MetricValues } from '../../src/stats/comparison.js'
import { estimateNoise, poolHalfWidths, thresholdFromHalfWidth } from '../../src/stats/index.js'

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    'calibrate-from': { type: 'string' },
    calibrations: { type: 'string', default: '5' },
    design: { type: 'string', default: 'independent' },
    /** The calibration's safety factor (noise.ts, noiseDefaults.k), to see what another would give. */
    k: { type: 'string', default: '1.5' },
  },
})
if (!values.db) throw new Error('--db <verdict-rates history> is required')

type Verdict = 'regressed' | 'improved' | 'unchanged' | 'inconclusive'
interface Group {
  base: MetricValues[]
  head: MetricValues[]
}

async function loadGroups(file: string): Promise<Group[]> {
  const store = await HistoryStore.open({ kind: 'sqlite', file, isDefault: false })
  try {
    const runs = (await store.listRuns({ limit: 100_000 })).filter((r) => r.kind === 'compare' || r.kind === 'calibrate').reverse()
    const byGroup = new Map<string, Partial<Record<string, string>>>()
    for (const r of runs) byGroup.set(r.groupId!, { ...byGroup.get(r.groupId!), [r.label!]: r.id })
    const values = async (id: string): Promise<MetricValues[]> =>
      (await store.resultsOf(id))
        .filter((r) => r.status === 'completed')
        .map((r) => ({ plugin: r.plugin, benchmark: r.benchmark, unit: r.unit, direction: r.direction, values: r.rounds }))
    const groups: Group[] = []
    for (const g of byGroup.values()) if (g.base && g.head) groups.push({ base: await values(g.base), head: await values(g.head) })
    return groups
  } finally {
    await store.close()
  }
}

const key = (m: { plugin: string; benchmark: string }) => `${m.plugin}/${m.benchmark}`
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

let groups = await loadGroups(values.db)
let thresholds: Map<string, number> | undefined
if (values['calibrate-from']) {
  const count = Number(values.calibrations)
  // One file or several, comma-separated (each `perftrack calibrate` run or A/A compare is a group).
  const calibration: Group[] = []
  for (const file of values['calibrate-from'].split(',')) calibration.push(...(await loadGroups(file)))
  calibration.splice(count)
  if (calibration.length < count) throw new Error(`${values['calibrate-from']} holds ${calibration.length} compares, fewer than --calibrations ${count}`)
  const halfWidths = new Map<string, Array<{ ciHalfWidth: number; n: number }>>()
  for (const g of calibration) {
    for (const a of g.base) {
      const b = g.head.find((h) => key(h) === key(a))
      if (!b || a.values.length < 2 || b.values.length < 2) continue
      const n = Math.min(a.values.length, b.values.length)
      halfWidths.set(key(a), [...(halfWidths.get(key(a)) ?? []), { ciHalfWidth: estimateNoise(a.values, b.values).ciHalfWidth, n }])
    }
  }
  thresholds = new Map([...halfWidths].map(([k, list]) => [k, thresholdFromHalfWidth(poolHalfWidths(list, list[0].n), { k: Number(values.k) })]))
  if (values['calibrate-from'] === values.db) groups = groups.slice(count)
}

const perMetric = new Map<string, { verdicts: Record<Verdict, number>; cv: number[]; halfWidth: number[]; change: number[] }>()
for (const g of groups) {
  const entries = compareSides(g.base, g.head, (plugin, benchmark) => thresholds?.get(`${plugin}/${benchmark}`), {
    design: values.design as 'independent' | 'paired',
  })
  for (const e of entries) {
    const m = perMetric.get(key(e)) ?? { verdicts: { regressed: 0, improved: 0, unchanged: 0, inconclusive: 0 }, cv: [], halfWidth: [], change: [] }
    m.verdicts[e.verdict]++
    if (e.ci) m.halfWidth.push((e.ci[1] - e.ci[0]) / 2)
    if (e.change !== null) m.change.push(e.change)
    for (const side of [g.base, g.head]) {
      const v = side.find((x) => key(x) === key(e))?.values ?? []
      const mean = v.reduce((a, b) => a + b, 0) / v.length
      if (v.length > 1 && mean !== 0) m.cv.push(Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) / Math.abs(mean))
    }
    perMetric.set(key(e), m)
  }
}

const metrics = Object.fromEntries(
  [...perMetric]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, m]) => [
      k,
      {
        ...m.verdicts,
        threshold: thresholds?.get(k) ?? null,
        medianCv: m.cv.length ? median(m.cv) : null,
        medianHalfWidth: m.halfWidth.length ? median(m.halfWidth) : null,
        medianChange: m.change.length ? median(m.change) : null,
      },
    ]),
)
for (const [k, m] of Object.entries(metrics)) {
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`)
  console.error(
    `${k.padEnd(52)} cv ${pct(m.medianCv).padStart(6)}  h ${pct(m.medianHalfWidth).padStart(6)}  change ${pct(m.medianChange).padStart(6)}  threshold ${pct(m.threshold).padStart(6)}  R ${m.regressed} I ${m.improved} U ${m.unchanged} ? ${m.inconclusive}`,
  )
}
console.log(
  JSON.stringify({
    db: values.db,
    design: values.design,
    compares: groups.length,
    calibratedFrom: values['calibrate-from'] ?? null,
    calibrations: thresholds ? Number(values.calibrations) : 0,
    k: Number(values.k),
    metrics,
  }),
)
