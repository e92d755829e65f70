import { describe, expect, it } from 'vitest'

import { environmentDifferences, environmentHash, type Fingerprint } from '../../src/core/fingerprint.js'
import type { BenchmarkResult } from '../../src/core/result.js'
import { selectBaseline } from '../../src/history/baseline.js'
import { loadBranchSeries } from '../../src/history/series.js'
import { toBmf } from '../../src/report/benchmark-formats.js'
import { backends, freshStore } from './backends.js'
import { fingerprintFor, runId } from './seed-history.js'

const sha = 'c'.repeat(40)
const stats = (v: number) => ({ n: 3, mean: v, median: v, p95: v, p99: v, min: v, max: v, sd: 0 })

function fingerprintOf(measure: 'time' | 'instructions'): Fingerprint {
  const fp = { ...fingerprintFor({ sha, branch: 'main', message: 'm', commitTime: '2025-01-01T00:00:00Z' }), measure }
  return { ...fp, environmentHash: environmentHash(fp) }
}

function result(unit: string, value: number): BenchmarkResult {
  return {
    plugin: 'p',
    benchmark: 'b',
    kind: 'latency',
    unit,
    direction: 'lower',
    targets: [],
    status: 'completed',
    stats: stats(value),
    rounds: [value, value, value],
    samples: [],
  }
}

describe('the measure is part of the environment', () => {
  it('a time run hashes as before the measure existed; an instruction run hashes apart', () => {
    const time = fingerprintOf('time')
    const { measure: _omitted, ...legacy } = time
    void _omitted
    expect(environmentHash(legacy)).toBe(environmentHash(time))
    expect(environmentHash(fingerprintOf('instructions'))).not.toBe(environmentHash(time))
    expect(environmentDifferences(time, fingerprintOf('instructions'))).toEqual(['measure: time ≠ instructions'])
  })
})

for (const backend of backends) {
  describe.skipIf(!backend.available)(`wall time and instruction counts are never mixed (${backend.name})`, () => {
    it('baselines, forced or not, and branch series keep to the run’s measure; the run row carries it', async () => {
      const { store, done } = await freshStore(backend)
      try {
        const time = await store.createRun({ id: runId(1), fingerprint: fingerprintOf('time') })
        await store.addResult(time.id, result('ms', 0.02))
        await store.finishRun(time.id, 'complete')
        const counted = await store.createRun({ id: runId(2), fingerprint: fingerprintOf('instructions'), startedAt: '2030-01-01T00:00:00Z' })
        await store.addResult(counted.id, result('instructions', 12_000))
        await store.finishRun(counted.id, 'complete')

        expect((await store.knex('runs').select('id', 'measure').orderBy('id')).map((r) => [r.id, r.measure]).sort()).toEqual(
          [
            [runId(1), 'time'],
            [runId(2), 'instructions'],
          ].sort(),
        )
        const current = (await store.findRun(counted.id))!
        const options = { current, force: true, resolveRef: async () => sha }
        expect((await selectBaseline(store, { kind: 'branch', name: 'main' }, options)).runs).toEqual([])
        expect((await selectBaseline(store, { kind: 'ref', ref: 'HEAD' }, options)).runs).toEqual([])
        await expect(selectBaseline(store, { kind: 'run', id: time.id }, options)).rejects.toThrow(
          /measured time, this run measured instructions; the two are never compared/,
        )
        expect(await store.listRuns({ measure: 'instructions' })).toHaveLength(1)

        // The latest run is the instruction run, yet the default (time) series holds only the time run, and vice versa.
        const timeSeries = await loadBranchSeries(store, { branch: 'main', stat: 'median', sameEnvironment: false })
        expect(timeSeries.metrics.flatMap((m) => m.points.map((p) => p.value))).toEqual([0.02])
        const countSeries = await loadBranchSeries(store, { branch: 'main', stat: 'median', measure: 'instructions' })
        expect(countSeries.metrics.flatMap((m) => m.points.map((p) => p.value))).toEqual([12_000])

        // Exports: BMF's built-in `instructions` measure, not `latency` in nanoseconds.
        const bmf = toBmf({ ...current, results: await store.resultsOf(counted.id) })
        expect(bmf).toEqual({ 'p/b': { instructions: { value: 12_000, lower_value: 12_000, upper_value: 12_000 } } })
      } finally {
        await done()
      }
    })
  })
}
