import type { Stats } from '../../src/core/summary.js'
import type { CiReport } from '../../src/report/ci-report.js'
import type { MetricRow } from '../../src/report/metric-rows.js'
import type { ComparisonEntry } from '../../src/stats/comparison.js'

export const stats = (median: number, p95: number, n = 20): Stats => ({
  n,
  mean: median,
  median,
  p95,
  p99: p95,
  min: median / 2,
  max: p95 * 2,
  sd: median / 10,
})

export function comparison(
  benchmark: string,
  verdict: ComparisonEntry['verdict'],
  baseline: number,
  current: number,
  ci: [number, number] | null,
  reason = 'decided',
): ComparisonEntry {
  return {
    plugin: 'cache',
    benchmark,
    unit: 'ms',
    direction: 'lower',
    baseline,
    current,
    change: current / baseline - 1,
    ci,
    pValue: 0.01,
    qValue: 0.02,
    verdict,
    threshold: 0.05,
    nBaseline: 10,
    nCurrent: 10,
    reason,
  }
}

const row = (benchmark: string, extra: Partial<MetricRow>): MetricRow => ({
  plugin: 'cache',
  benchmark,
  unit: 'ms',
  status: 'completed',
  stats: stats(1.2, 2.31),
  targets: [],
  file: 'plugins/cache/index.ts',
  seconds: 1.5,
  ...extra,
})

/** One metric of every kind a CI report has to tell apart. */
export function everyOutcome(): CiReport {
  return {
    title: 'perftrack 1a2b3c4d..5e6f7a8b',
    subtitle: 'main..HEAD, 10 interleaved processes per side',
    rows: [
      row('warm-hit', {
        targets: [{ stat: 'p95', op: '<', value: 5, actual: 2.31, pass: true }],
        comparison: comparison('warm-hit', 'unchanged', 1.2, 1.21, [-0.01, 0.02]),
      }),
      row('cold-miss', { targets: [{ stat: 'p95', op: '<', value: 2, actual: 2.31, pass: false }] }),
      row('regressed <&> "one"', { comparison: comparison('regressed <&> "one"', 'regressed', 1.0, 1.3, [0.2, 0.4]) }),
      row('slow-but-undecided', { comparison: comparison('slow-but-undecided', 'inconclusive', 1.0, 2.09, [-0.1, 2.5], 'the 95% CI straddles the threshold') }),
      row('broken', { status: 'errored', error: 'TypeError: boom', stats: null, seconds: 0.1 }),
      row('needs-redis', { status: 'skipped', error: 'Redis is not reachable', stats: null, seconds: 0 }),
      row('improved', { comparison: comparison('improved', 'improved', 2.0, 1.0, [-0.6, -0.4]) }),
    ],
    loadFailures: [{ file: 'plugins/bad/index.ts', message: "plugins/bad/index.ts: Cannot find module './missing.js'" }],
  }
}

/** A first run or `--no-baseline`: nothing to compare with, values and targets only. */
export function noBaseline(): CiReport {
  return {
    title: 'perftrack run 1a2b3c4d',
    subtitle: 'run 0badcafe on main',
    baselineNote: 'No comparison (--no-baseline): values as measured.',
    rows: [
      row('warm-hit', { targets: [{ stat: 'p95', op: '<', value: 5, actual: 2.31, pass: true }] }),
      { ...row('throughput', { stats: stats(12400, 11000) }), unit: 'ops/s', targets: [{ stat: 'median', op: '>', value: 10000, actual: 12400, pass: true }] },
    ],
    loadFailures: [],
  }
}
