import path from 'node:path'

import { beforeAll, describe, expect, it } from 'vitest'

import { runCli, tempDir } from '../helpers/cli.js'
import { type SyntheticMetric, seedDb, threeMetrics } from '../history/seed-history.js'

const day = (i: number) => new Date(Date.parse('2025-01-01T02:00:00Z') + i * 86_400_000).toISOString()

describe('perftrack trend over a seeded SQLite history', () => {
  const dir = tempDir('perftrack-trend-')
  const db = path.join(dir, 'h.sqlite')
  let ids: string[]
  let shas: string[]

  beforeAll(async () => {
    // Five older runs from another machine: they must be left out of the series.
    await seedDb(db, { runs: 5, metrics: threeMetrics, seed: 99, environment: 'env-other', start: '2024-11-01T02:00:00Z' })
    ;({ ids, shas } = await seedDb(db, { runs: 60, metrics: threeMetrics, seed: 7 }))
  })

  it('reports the planted steps with commit, date, means, change and p-value, and exits 1 on the regression', async () => {
    const r = await runCli(['trend', '--db', db, '--json'], { cwd: dir })
    expect(r.code, r.stderr).toBe(1)
    const out = JSON.parse(r.stdout)
    expect(out).toMatchObject({ branch: 'main', runs: 60, otherEnvironmentRuns: 5, environmentHash: 'env-synthetic-01', stat: 'median' })
    const [latency, throughput, size] = out.metrics
    expect(latency).toMatchObject({
      plugin: 'cache',
      benchmark: 'cached-resolution',
      unit: 'ms',
      direction: 'lower',
      points: 60,
      latest: { runId: ids[59], sha: shas[59], pass: false },
    })
    expect(latency.changePoints).toHaveLength(1)
    expect(latency.changePoints[0]).toMatchObject({ index: 30, runId: ids[30], sha: shas[30], date: day(30), regression: true, acknowledged: false })
    expect(latency.changePoints[0].change).toBeGreaterThan(0.15)
    expect(latency.changePoints[0].after / latency.changePoints[0].before).toBeCloseTo(1.2, 1)
    expect(latency.changePoints[0].pValue).toBeLessThanOrEqual(0.01)
    expect(throughput.changePoints).toMatchObject([{ index: 20, runId: ids[20], regression: false }])
    expect(throughput.latest.pass).toBe(true)
    expect(size).toMatchObject({ changePoints: [], latest: { pass: null } })
    expect(out.regressions).toMatchObject([{ plugin: 'cache', benchmark: 'cached-resolution', runId: ids[30] }])
  })

  it('prints per metric the change points, the environment filter and how to acknowledge', async () => {
    const r = await runCli(['trend', '--db', db], { cwd: dir })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain("60 complete run(s) measured in environment env-synthetic-01 (the latest run's); 5 run(s) from other environments left out")
    expect(r.stdout).toMatch(
      new RegExp(`${shas[30].slice(0, 8)}\\s+${ids[30].slice(0, 8)}\\s+2025-01-31\\s+1\\.\\d+\\s+2\\.\\d+\\s+\\+\\d+\\.\\d%\\s+0\\.\\d+\\s+REGRESSION`),
    )
    expect(r.stdout).toContain('improvement')
    expect(r.stdout).toContain('TARGET FAILED: median < 2.20')
    expect(r.stdout).toContain('perftrack trend ack <run>')
  })

  it('with --new-since, a step already detectable before then does not fail the job; one that appeared since does', async () => {
    const old = await runCli(['trend', '--db', db, '--new-since', day(50), '--json'], { cwd: dir })
    expect(old.code).toBe(0)
    expect(old.stderr).not.toContain('deprecated')
    const oldJson = JSON.parse(old.stdout)
    expect(oldJson.metrics[0].changePoints[0]).toMatchObject({ regression: true, new: false })
    expect(oldJson.since).toBe(day(50))
    const fresh = await runCli(['trend', '--db', db, '--new-since', day(30), '--json'], { cwd: dir })
    expect(fresh.code).toBe(1)
    expect(JSON.parse(fresh.stdout).regressions).toHaveLength(1)
    const text = await runCli(['trend', '--db', db, '--new-since', day(50)], { cwd: dir })
    expect(text.stdout).toContain('regression (before --new-since)')
  })

  it('takes the old spelling --since as --new-since, with a warning on stderr naming the new one (also with --json and --since=)', async () => {
    const warning =
      'perftrack trend --since is now spelled --new-since (same value, same meaning); the old spelling still works but is deprecated: use --new-since.'
    for (const args of [
      ['--since', day(50), '--json'],
      [`--since=${day(50)}`, '--json'],
    ]) {
      const r = await runCli(['trend', '--db', db, ...args], { cwd: dir })
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout).metrics[0].changePoints[0]).toMatchObject({ regression: true, new: false })
      expect(r.errors).toContain(warning)
    }
    const fresh = await runCli(['trend', '--db', db, '--since', day(30)], { cwd: dir })
    expect(fresh.code).toBe(1)
    expect(fresh.errors).toContain(warning)
  })

  it('filters by --plugin and --metric glob and forms the series of --stat', async () => {
    const byPlugin = JSON.parse((await runCli(['trend', '--db', db, '--plugin', 'templates', '--json'], { cwd: dir })).stdout)
    expect(byPlugin.metrics.map((m: any) => m.benchmark)).toEqual(['document-size'])
    const byGlob = await runCli(['trend', '--db', db, '--metric', 'cache/thr*', '--json'], { cwd: dir })
    expect(byGlob.code).toBe(0)
    expect(JSON.parse(byGlob.stdout).metrics.map((m: any) => m.benchmark)).toEqual(['throughput'])
    const p95 = JSON.parse((await runCli(['trend', '--db', db, '--metric', 'cached-resolution', '--stat', 'p95', '--json'], { cwd: dir })).stdout)
    const median = JSON.parse((await runCli(['trend', '--db', db, '--metric', 'cached-resolution', '--json'], { cwd: dir })).stdout)
    expect(p95.metrics[0].stat).toBe('p95')
    expect(p95.metrics[0].latest.value).toBeGreaterThan(median.metrics[0].latest.value)
  })

  it('refuses a --new-since that is neither a date nor a duration (exit 2)', async () => {
    const r = await runCli(['trend', '--db', db, '--new-since', 'yesterday'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain("--new-since 'yesterday' is neither an ISO date nor a duration.")
  })
})

describe('perftrack trend ack', () => {
  const twoSteps: SyntheticMetric[] = [
    { plugin: 'resolve', benchmark: 'cold', kind: 'latency', unit: 'ms', direction: 'lower', level: 10, cv: 0.02, steps: [{ at: 25, change: 0.25 }] },
    { plugin: 'resolve', benchmark: 'warm', kind: 'latency', unit: 'ms', direction: 'lower', level: 1, cv: 0.02, steps: [{ at: 25, change: 0.3 }] },
    { plugin: 'render', benchmark: 'flat', kind: 'latency', unit: 'ms', direction: 'lower', level: 3, cv: 0.02, steps: [] },
  ]

  it('acknowledges a change point so trend exits 0, asking for --metric when several metrics step at that run', async () => {
    const dir = tempDir('perftrack-ack-')
    const db = path.join(dir, 'h.sqlite')
    const { ids } = await seedDb(db, { runs: 50, metrics: twoSteps, seed: 3 })
    const before = await runCli(['trend', '--db', db, '--json'], { cwd: dir })
    expect(before.code).toBe(1)
    expect(JSON.parse(before.stdout).regressions.map((r: any) => `${r.benchmark}@${r.index}`)).toEqual(['cold@25', 'warm@25'])

    const ambiguous = await runCli(['trend', 'ack', ids[25].slice(0, 8), '--db', db], { cwd: dir })
    expect(ambiguous.code).toBe(2)
    expect(ambiguous.errors).toContain(`Several metrics have a change point at run ${ids[25].slice(0, 8)}: resolve/cold, resolve/warm.`)

    const ack = await runCli(['trend', 'ack', ids[25].slice(0, 8), '--metric', 'resolve/cold', '--note', 'expected: colder cache', '--db', db, '--json'], {
      cwd: dir,
    })
    expect(ack.code, ack.stderr).toBe(0)
    expect(JSON.parse(ack.stdout).acknowledgement).toMatchObject({
      plugin: 'resolve',
      benchmark: 'cold',
      branch: 'main',
      runId: ids[25],
      note: 'expected: colder cache',
    })
    // Acknowledging it again is idempotent: nothing stored, the first note kept, said so.
    const again = await runCli(['trend', 'ack', ids[25], '--metric', 'resolve/cold', '--note', 'another note', '--db', db], { cwd: dir })
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(
      new RegExp(
        `^already acknowledged resolve/cold change point at run ${ids[25].slice(0, 8)} \\(.*\\) on main on \\d{4}-\\d{2}-\\d{2}, note: expected: colder cache; nothing changed\\.`,
      ),
    )
    expect(again.stderr).toContain('--note was not stored: the change point keeps the note it was acknowledged with.')
    const againJson = JSON.parse((await runCli(['trend', 'ack', ids[25], '--metric', 'resolve/cold', '--db', db, '--json'], { cwd: dir })).stdout)
    expect(againJson).toMatchObject({
      alreadyAcknowledged: true,
      acknowledgement: { id: JSON.parse(ack.stdout).acknowledgement.id, note: 'expected: colder cache' },
    })
    const exported = JSON.parse((await runCli(['history', 'export', '-', '--db', db], { cwd: dir })).stdout)
    expect(exported.acknowledgements.filter((a: any) => a.benchmark === 'cold')).toHaveLength(1)
    const half = JSON.parse((await runCli(['trend', '--db', db, '--json'], { cwd: dir })).stdout)
    expect(half.regressions.map((r: any) => r.benchmark)).toEqual(['warm'])
    expect(half.metrics.find((m: any) => m.benchmark === 'cold').changePoints[0].acknowledged).toBe(true)

    expect((await runCli(['trend', 'ack', ids[25], '--metric', 'resolve/warm', '--db', db], { cwd: dir })).code).toBe(0)
    const after = await runCli(['trend', '--db', db], { cwd: dir })
    expect(after.code).toBe(0)
    expect(after.stdout).toContain('regression (acknowledged)')
    expect(after.stdout).toContain('No unacknowledged regression.')
  }, 180_000)

  it('refuses an unknown run, a run without a change point and a metric without one there (exit 2)', async () => {
    const dir = tempDir('perftrack-ack-')
    const db = path.join(dir, 'h.sqlite')
    const { ids } = await seedDb(db, { runs: 50, metrics: twoSteps, seed: 3 })
    const unknown = await runCli(['trend', 'ack', 'ffffffff', '--db', db], { cwd: dir })
    expect(unknown.code).toBe(2)
    expect(unknown.errors).toContain("No run with id 'ffffffff' in the history.")
    const none = await runCli(['trend', 'ack', ids[5], '--db', db], { cwd: dir })
    expect(none.code).toBe(2)
    expect(none.errors).toContain(`No change point at run ${ids[5].slice(0, 8)} on branch main.`)
    const wrongMetric = await runCli(['trend', 'ack', ids[25], '--metric', 'render/flat', '--db', db], { cwd: dir })
    expect(wrongMetric.code).toBe(2)
    expect(wrongMetric.errors).toContain(`Metric render/flat has no change point at run ${ids[25].slice(0, 8)} on branch main.`)
    expect(wrongMetric.errors).toContain('Change points at this run: resolve/cold, resolve/warm.')
  })
})
