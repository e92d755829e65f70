import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'

import { afterEach, describe, expect, it } from 'vitest'

import { PerftrackError } from '../../src/core/errors.js'
import type { BenchmarkResult } from '../../src/core/result.js'
import { addAcknowledgement, listAcknowledgements } from '../../src/history/acknowledgements.js'
import { parseKeep, pruneRuns } from '../../src/history/prune.js'
import { HistoryStore } from '../../src/history/store.js'
import { exportHistory, importHistory, readHistoryFile } from '../../src/history/transfer.js'
import { analyseTrend } from '../../src/jobs/trend-job.js'
import { tempDir } from '../helpers/cli.js'
import { backends, freshStore } from './backends.js'
import { fingerprintFor, runId, seedHistory, threeMetrics } from './seed-history.js'

describe.each(backends)('history store on $name', (backend) => {
  describe.runIf(backend.available)('(server available)', () => {
    const cleanups: Array<() => Promise<void>> = []
    const open = async () => {
      const fresh = await freshStore(backend)
      cleanups.push(fresh.done)
      return fresh
    }
    afterEach(async () => {
      while (cleanups.length > 0) await cleanups.pop()?.()
    })

    it('round-trips a run: create, add results, finish, list, get, samples', async () => {
      const { store } = await open()
      const { ids } = await seedHistory(store, { runs: 2, metrics: threeMetrics })
      const runs = await store.listRuns({ branch: 'main' })
      expect(runs.map((r) => r.id)).toEqual([ids[1], ids[0]])
      expect(runs[0]).toMatchObject({ status: 'complete', kind: 'run', dirty: false, branch: 'main', environmentHash: 'env-synthetic-01' })
      expect(runs[0].fingerprint.cpuModel).toBe('Synthetic CPU')
      const run = await store.getRun(ids[0])
      expect(run.results.map((r) => `${r.plugin}/${r.benchmark}`)).toEqual(['cache/cached-resolution', 'cache/throughput', 'templates/document-size'])
      const latency = run.results[0]
      expect(typeof latency.stats?.median).toBe('number')
      expect(latency.rounds).toHaveLength(3)
      expect(latency.targets[0]).toMatchObject({ stat: 'median', op: '<', value: 2.2, pass: true })
      const samples = await store.samplesOf(latency.id)
      expect(samples).toHaveLength(3)
      expect(samples[1].values).toEqual([latency.rounds[1] * 0.98, latency.rounds[1], latency.rounds[1] * 1.01, latency.rounds[1] * 1.05])
      expect(await store.samplesOf(run.results[1].id)).toEqual([])
    })

    it('stores how busy the machine was with the run, reads it back, and carries it through export and import', async () => {
      const { store } = await open()
      const fp = fingerprintFor({ sha: 'd'.repeat(40), branch: 'main', message: 'm', commitTime: '2025-01-01T00:00:00Z' })
      const busy = await store.createRun({ fingerprint: fp })
      // Not known until the run has measured: a running run's load is unavailable.
      expect((await store.findRun(busy.id))?.load.state).toBe('unavailable')
      await store.finishRun(busy.id, 'complete', undefined, { state: 'measured', waitFraction: 0.3125, stealFraction: 0.015625 })
      const quiet = await store.createRun({ fingerprint: fp })
      await store.finishRun(quiet.id, 'complete', undefined, { state: 'unavailable', reason: '/proc/thread-self/schedstat cannot be read (not Linux?)' })
      expect((await store.findRun(busy.id))?.load).toEqual({ state: 'measured', waitFraction: 0.3125, stealFraction: 0.015625 })
      // NULL columns: not measured (macOS, or a run of an older perftrack).
      expect((await store.findRun(quiet.id))?.load.state).toBe('unavailable')
      const doc = await exportHistory(store)
      expect(doc.runs.find((r) => r.id === busy.id)?.load).toEqual({ state: 'measured', waitFraction: 0.3125, stealFraction: 0.015625 })
      const target = await open()
      await importHistory(target.store, doc)
      expect((await target.store.findRun(busy.id))?.load).toEqual({ state: 'measured', waitFraction: 0.3125, stealFraction: 0.015625 })
      // A history file written before perftrack recorded the load still reads and imports.
      const file = path.join(tempDir(), 'old.json')
      writeFileSync(file, JSON.stringify({ ...doc, runs: doc.runs.map(({ load: _load, ...run }) => ({ ...run, id: `${run.id.slice(0, 30)}-old` })) }))
      await importHistory(target.store, readHistoryFile(file))
      expect((await target.store.findRun(`${busy.id.slice(0, 30)}-old`))?.load.state).toBe('unavailable')
    })

    it('refuses a result with a non-finite statistic (the driver would store NULL, read back as 0)', async () => {
      const { store } = await open()
      const run = await store.createRun({
        fingerprint: fingerprintFor({ sha: 'c'.repeat(40), branch: 'main', message: 'm', commitTime: '2025-01-01T00:00:00Z' }),
      })
      const stats = { n: 2, mean: Infinity, median: 1, p95: 1, p99: 1, min: 1, max: 1, sd: Number.NaN }
      const result: BenchmarkResult = {
        plugin: 'p',
        benchmark: 'b',
        kind: 'value',
        unit: 'x',
        direction: 'lower',
        status: 'completed',
        stats,
        rounds: [1, 1],
        samples: [],
        targets: [],
      }
      await expect(store.addResult(run.id, result)).rejects.toMatchObject({
        code: 'RESULT_NOT_FINITE',
        message: 'p/b: mean = Infinity, sd = NaN cannot be stored (the history holds finite numbers only).',
      })
      expect((await store.getRun(run.id)).results).toEqual([])
    })

    it('finds a run by a unique id prefix and refuses an ambiguous or unknown one', async () => {
      const { store } = await open()
      const { ids } = await seedHistory(store, { runs: 3, metrics: threeMetrics.slice(2) })
      expect((await store.getRun(ids[2].slice(0, 8))).id).toBe(ids[2])
      const fp = fingerprintFor({ sha: 'b'.repeat(40), branch: 'main', message: 'm', commitTime: '2025-01-01T00:00:00Z' })
      await store.createRun({ id: 'abcd0001-0000-4000-8000-000000000000', fingerprint: fp })
      await store.createRun({ id: 'abcd0002-0000-4000-8000-000000000000', fingerprint: fp })
      await expect(store.findRun('abcd')).rejects.toMatchObject({ code: 'RUN_AMBIGUOUS' })
      expect((await store.getRun('abcd0002')).id).toBe('abcd0002-0000-4000-8000-000000000000')
      await expect(store.getRun('ffffffff')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' })
      // LIKE wildcards and '' are no id prefix: they must not match every run.
      expect(await store.findRun('%')).toBeUndefined()
      expect(await store.findRun('')).toBeUndefined()
    })

    it('marks a run left running by a dead process of this host as failed when the history is opened', async () => {
      const { store, target } = await open()
      const fp = fingerprintFor({ sha: 'a'.repeat(40), branch: 'main', message: 'm', commitTime: '2025-01-01T00:00:00Z' })
      const run = await store.createRun({ id: runId(1), fingerprint: fp })
      const deadPid = spawnSync(process.execPath, ['-e', '0']).pid as number
      await store.knex('runs').where({ id: run.id }).update({ pid: deadPid })
      const live = await store.createRun({ id: runId(2), fingerprint: fp })
      const reopened = await HistoryStore.open(target)
      try {
        expect((await reopened.getRun(run.id)).status).toBe('failed')
        expect((await reopened.getRun(run.id)).note).toContain('ended before the run finished')
        expect((await reopened.getRun(live.id)).status).toBe('running')
      } finally {
        await reopened.close()
      }
    })

    it('imports an export losslessly, and a second import changes nothing', async () => {
      const source = await open()
      await seedHistory(source.store, { runs: 6, metrics: threeMetrics, message: (i) => `commit ${i} <b>bold</b>` })
      await addAcknowledgement(source.store, {
        plugin: 'cache',
        benchmark: 'throughput',
        branch: 'main',
        gitSha: null,
        runId: runId(3),
        changePointDate: '2025-01-04T02:00:00.000Z',
        note: 'fine',
      })
      const doc = await exportHistory(source.store)
      expect(doc.runs).toHaveLength(6)
      const target = await open()
      const first = await importHistory(target.store, doc)
      expect(first).toEqual({ runs: { imported: 6, skipped: 0 }, results: 18, samples: 18, acknowledgements: { imported: 1, skipped: 0 } })
      const second = await importHistory(target.store, doc)
      expect(second).toEqual({ runs: { imported: 0, skipped: 6 }, results: 0, samples: 0, acknowledgements: { imported: 0, skipped: 1 } })
      const again = await exportHistory(target.store)
      expect({ ...again, exportedAt: '' }).toEqual({ ...doc, exportedAt: '' })
      expect(await listAcknowledgements(target.store, 'main')).toHaveLength(1)
    })

    it('prunes to the newest N runs or N days, with their results and samples; --dry-run removes nothing', async () => {
      const { store } = await open()
      const { ids } = await seedHistory(store, { runs: 10, metrics: threeMetrics })
      const dry = await pruneRuns(store, parseKeep('4'), { dryRun: true })
      expect(dry.removed.map((r) => r.id)).toEqual(ids.slice(0, 6).reverse())
      expect(dry).toMatchObject({ dryRun: true, kept: 4, results: 18, samples: 18 })
      expect(await store.listRuns()).toHaveLength(10)
      const done = await pruneRuns(store, parseKeep('4'))
      expect(done.removed).toHaveLength(6)
      expect((await store.listRuns()).map((r) => r.id)).toEqual(ids.slice(6).reverse())
      expect(Number((await store.knex('results').count({ n: '*' }))[0].n)).toBe(12)
      expect(Number((await store.knex('samples').count({ n: '*' }))[0].n)).toBe(12)
      // Runs start daily from 2025-01-01; "now" is 2025-01-10T12:00Z: 3 days keep runs 7, 8, 9.
      const byDays = await pruneRuns(store, parseKeep('3d'), { now: new Date('2025-01-10T12:00:00Z') })
      expect(byDays.removed.map((r) => r.id)).toEqual([ids[6]])
      expect(byDays.kept).toBe(3)
    })

    it('refuses a --keep that is not N or Nd', () => {
      for (const bad of ['0', '-3', '3w', 'ten', '']) expect(() => parseKeep(bad)).toThrow(PerftrackError)
      expect(() => parseKeep('ten')).toThrow("--keep 'ten' is not a positive number of runs (e.g. 200) or of days (e.g. 90d).")
    })

    it('forms the same series and change points as on every backend: a 20 % latency step at run 30', async () => {
      const { store } = await open()
      const { ids } = await seedHistory(store, { runs: 60, metrics: threeMetrics, seed: 7 })
      const analysis = await analyseTrend(store, { branch: 'main', stat: 'median' })
      expect(analysis.runs).toBe(60)
      const latency = analysis.metrics.find((m) => m.benchmark === 'cached-resolution')
      expect(latency?.changePoints).toHaveLength(1)
      expect(latency?.changePoints[0]).toMatchObject({ index: 30, runId: ids[30], regression: true, acknowledged: false, new: true })
      expect(analysis.regressions.map((r) => r.benchmark)).toEqual(['cached-resolution'])
      const throughput = analysis.metrics.find((m) => m.benchmark === 'throughput')
      expect(throughput?.changePoints[0]).toMatchObject({ index: 20, regression: false })
      expect(analysis.metrics.find((m) => m.benchmark === 'document-size')?.changePoints).toEqual([])
    })
  })
})
