import { createHash } from 'node:crypto'

import type { Fingerprint } from '../../src/core/fingerprint.js'
import type { BenchmarkResult } from '../../src/core/result.js'
import { summarize } from '../../src/core/summary.js'
import { evaluateTargets } from '../../src/core/targets.js'
import type { HistoryStore } from '../../src/history/store.js'
import { createRandom, deriveSeed, randomNormal } from '../../src/stats/index.js'

const hex = (text: string) => createHash('sha256').update(text).digest('hex')

/** A planted step: from run `at` on, the metric's level is multiplied by (1 + change). */
export interface Step {
  at: number
  change: number
}

export interface SyntheticMetric {
  plugin: string
  benchmark: string
  kind: 'latency' | 'throughput' | 'value'
  unit: string
  direction: 'lower' | 'higher'
  level: number
  /** Relative noise (CV) of the per-run statistic. */
  cv: number
  steps: Step[]
  targets?: Array<{ stat: 'median' | 'p95'; op: '<' | '>'; value: number }>
}

export interface SeedOptions {
  runs: number
  metrics: SyntheticMetric[]
  seed?: number
  branch?: string
  /** First run's start; one run a day after it. @default 2025-01-01T02:00:00Z */
  start?: string
  /** Commit message of run i. */
  message?: (i: number) => string
  environment?: string
  /** Rounds per result (and raw samples stored for latency). @default 3 */
  rounds?: number
}

export function fingerprintFor(o: { sha: string; branch: string; message: string; commitTime: string; environment?: string }): Fingerprint {
  return {
    gitSha: o.sha,
    branch: o.branch,
    dirty: false,
    commitTime: o.commitTime,
    commitMessage: o.message,
    isGitRepo: true,
    node: 'v20.17.0',
    os: 'linux 6.1.0',
    arch: 'x64',
    cpuModel: 'Synthetic CPU',
    cpuCount: 2,
    memoryGiB: 8,
    perftrackVersion: '0.1.0',
    profile: 'local',
    pluginSetHash: 'synthetic',
    environmentHash: o.environment ?? 'env-synthetic-01',
  }
}

/** Deterministic run ids whose 8-character prefixes differ, as real UUIDs' do. */
export const runId = (i: number, seed = 1) => `${hex(`run:${seed}:${i}`).slice(0, 8)}-0000-4000-8000-${String(i).padStart(12, '0')}`

const shaOf = (seed: number, i: number) => hex(`commit:${seed}:${i}`).slice(0, 40)

/** The value of a metric's statistic at run i, noise included (deterministic for a seed). */
export function syntheticSeries(metric: SyntheticMetric, runs: number, seed: number, index: number): number[] {
  const random = createRandom(deriveSeed(seed, index))
  return Array.from({ length: runs }, (_, i) => {
    const factor = metric.steps.filter((s) => i >= s.at).reduce((f, s) => f * (1 + s.change), 1)
    return metric.level * factor * (1 + metric.cv * randomNormal(random))
  })
}

/** Writes a nightly history through HistoryStore: complete runs with fingerprints, results, rounds and samples. */
export async function seedHistory(store: HistoryStore, o: SeedOptions): Promise<{ ids: string[]; shas: string[]; series: number[][] }> {
  const seed = o.seed ?? 1
  const branch = o.branch ?? 'main'
  const start = Date.parse(o.start ?? '2025-01-01T02:00:00Z')
  const rounds = o.rounds ?? 3
  const series = o.metrics.map((m, k) => syntheticSeries(m, o.runs, seed, k))
  const ids: string[] = []
  const shas: string[] = []
  for (let i = 0; i < o.runs; i++) {
    const startedAt = new Date(start + i * 86_400_000).toISOString()
    const sha = shaOf(seed, i)
    const run = await store.createRun({
      id: runId(i, seed),
      startedAt,
      fingerprint: fingerprintFor({ sha, branch, message: o.message?.(i) ?? `commit ${i}`, commitTime: startedAt, environment: o.environment }),
    })
    for (const [k, m] of o.metrics.entries()) {
      const centre = series[k][i]
      // Rounds spread ±0.5 % around the run's value, so the median is the series value.
      const roundValues = Array.from({ length: rounds }, (_, r) => centre * (1 + ((r - (rounds - 1) / 2) * 0.01) / Math.max(1, rounds - 1)))
      const stats = summarize(roundValues)
      const result: BenchmarkResult = {
        plugin: m.plugin,
        benchmark: m.benchmark,
        kind: m.kind,
        unit: m.unit,
        direction: m.direction,
        status: 'completed',
        stats,
        rounds: roundValues,
        samples: m.kind === 'latency' ? roundValues.map((v) => ({ count: 4, values: [v * 0.98, v, v * 1.01, v * 1.05] })) : [],
        targets: evaluateTargets(m.targets, stats),
      }
      await store.addResult(run.id, result)
    }
    await store.finishRun(run.id, 'complete')
    ids.push(run.id)
    shas.push(sha)
  }
  return { ids, shas, series }
}

/** Three metrics, one of each kind: a latency regression at run 30, a throughput improvement at run 20, a flat value. */
export const threeMetrics: SyntheticMetric[] = [
  {
    plugin: 'cache',
    benchmark: 'cached-resolution',
    kind: 'latency',
    unit: 'ms',
    direction: 'lower',
    level: 2,
    cv: 0.02,
    steps: [{ at: 30, change: 0.2 }],
    targets: [{ stat: 'median', op: '<', value: 2.2 }],
  },
  {
    plugin: 'cache',
    benchmark: 'throughput',
    kind: 'throughput',
    unit: 'ops/s',
    direction: 'higher',
    level: 5000,
    cv: 0.02,
    steps: [{ at: 20, change: 0.15 }],
    targets: [{ stat: 'median', op: '>', value: 4000 }],
  },
  { plugin: 'templates', benchmark: 'document-size', kind: 'value', unit: 'bytes', direction: 'lower', level: 4096, cv: 0.01, steps: [] },
]

/** Seeds a history database (SQLite file or postgres:// URL) and closes it again. */
export async function seedDb(db: string, o: SeedOptions): Promise<Awaited<ReturnType<typeof seedHistory>>> {
  const { HistoryStore } = await import('../../src/history/store.js')
  const store = await HistoryStore.open(/^postgres/.test(db) ? { kind: 'postgres', url: db } : { kind: 'sqlite', file: db, isDefault: false })
  try {
    return await seedHistory(store, o)
  } finally {
    await store.close()
  }
}
