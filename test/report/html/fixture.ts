import type { ReportChangePoint, ReportData, ReportMetric, ReportPoint } from '../../../src/report/html/index.js'
import { createRandom } from '../../../src/stats/random.js'

/** Payloads that must show up as text, never as markup or script. */
export const xss = {
  branch: 'feature/<img src=x onerror=alert(1)>',
  message: `perf: inline helpers <img src=x onerror="window.__xss=1"> & "quotes" 'too'`,
  runId: `run-59</script><img src=x onerror="window.__xss=2">`,
}

/** perftrack's own seeded PRNG, so the fixture is the same on every run. */
const random = createRandom

function sha(rand: () => number): string {
  let out = ''
  for (let i = 0; i < 40; i++) out += Math.floor(rand() * 16).toString(16)
  return out
}

const pointCount = 60
const start = Date.UTC(2025, 0, 1, 2, 0, 0)
const day = 24 * 60 * 60 * 1000

/** Commits shared by all metrics, as in one nightly series of runs. */
function commits(): Array<Omit<ReportPoint, 'value'>> {
  const rand = random(42)
  return Array.from({ length: pointCount }, (_, i) => ({
    runId: `run-${String(i).padStart(3, '0')}`,
    sha: sha(rand),
    date: new Date(start + i * day).toISOString(),
    message: `commit number ${i}`,
  }))
}

/** A noisy series stepping from `before` to `after` at `stepAt`. */
function series(seed: number, before: number, after: number, stepAt: number, noise: number): number[] {
  const rand = random(seed)
  return Array.from({ length: pointCount }, (_, i) => (i < stepAt ? before : after) * (1 + (rand() - 0.5) * 2 * noise))
}

function changePoint(points: ReportPoint[], index: number, before: number, after: number, regression: boolean): ReportChangePoint {
  return { index, sha: points[index].sha, date: points[index].date, before, after, change: (after - before) / before, pValue: 0.0004, regression }
}

/** Two plugins, three metrics of 60 runs: a regression, an improvement under a passing target, a failing target. */
export function buildFixture(): ReportData {
  const base = commits()
  base[40].message = xss.message
  base[59].runId = xss.runId
  const withValues = (values: number[]): ReportPoint[] => base.map((c, i) => ({ ...c, value: values[i] }))

  const renderPoints = withValues(series(1, 12, 15.6, 40, 0.03))
  const render: ReportMetric = {
    plugin: 'template-rendering',
    benchmark: 'render invoice',
    kind: 'latency',
    unit: 'ms',
    direction: 'lower',
    stat: 'median',
    targets: [],
    latest: { value: renderPoints[pointCount - 1].value, pass: null },
    points: renderPoints,
    changePoints: [changePoint(renderPoints, 40, 12, 15.6, true)],
  }

  const compilePoints = withValues(series(2, 10_000, 11_500, 25, 0.02))
  const compile: ReportMetric = {
    plugin: 'template-rendering',
    benchmark: 'compile <T> partials',
    kind: 'throughput',
    unit: 'ops/s',
    direction: 'higher',
    stat: 'mean',
    targets: [
      { stat: 'mean', op: '>=', value: 9_000 },
      { stat: 'p99', op: '>=', value: 7_000 },
    ],
    latest: { value: compilePoints[pointCount - 1].value, pass: true },
    points: compilePoints,
    changePoints: [changePoint(compilePoints, 25, 10_000, 11_500, false)],
  }

  const heapPoints = withValues(series(3, 42, 42, 0, 0.01))
  const heap: ReportMetric = {
    plugin: 'cache',
    benchmark: 'lru get hit',
    kind: 'memory',
    unit: 'MB',
    direction: 'lower',
    stat: 'max',
    targets: [{ stat: 'max', op: '<', value: 40 }],
    latest: { value: heapPoints[pointCount - 1].value, pass: false },
    points: heapPoints,
    changePoints: [],
  }

  return {
    title: 'perftrack trend report',
    branch: xss.branch,
    generatedAt: new Date(start + pointCount * day).toISOString(),
    metrics: [render, compile, heap],
  }
}
