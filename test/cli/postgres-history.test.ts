import { existsSync } from 'node:fs'
import path from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { fixture, quickArgs, runCli, tempDir } from '../helpers/cli.js'
import { createTestDatabase, pgUrl } from '../history/pg.js'
import { seedDb, threeMetrics } from '../history/seed-history.js'

const json = async (args: string[], cwd: string, code = 0) => {
  const r = await runCli([...args, '--json'], { cwd })
  expect(r.code, r.stderr).toBe(code)
  return JSON.parse(r.stdout)
}

describe.skipIf(!pgUrl)('every command on a shared PostgreSQL history (PERFTRACK_TEST_PG_URL)', () => {
  const dir = tempDir('perftrack-pg-cli-')
  let url: string
  let drop: () => Promise<void>

  beforeAll(async () => {
    ;({ url, drop } = await createTestDatabase(pgUrl as string))
  })
  afterAll(async () => {
    await drop?.()
  })

  it('four `perftrack run` processes started at once all land complete', async () => {
    const runs = await Promise.all(
      Array.from({ length: 4 }, () =>
        runCli(['run', ...quickArgs, '--plugin-path', fixture('plugins', 'json-codec'), '--no-baseline', '--db', url, '--json'], { cwd: dir }),
      ),
    )
    for (const r of runs) expect(r.code, r.stderr).toBe(0)
    const ids = runs.map((r) => JSON.parse(r.stdout).run.id)
    const list = await json(['history', 'list', '--db', url], dir)
    expect(list.runs.map((r: any) => r.id).sort()).toEqual([...ids].sort())
    expect(list.runs.every((r: any) => r.status === 'complete')).toBe(true)
    for (const id of ids) expect((await json(['history', 'show', id.slice(0, 8), '--db', url], dir)).results).toHaveLength(4)
  })

  it('trend, trend ack and report work on PostgreSQL as on SQLite', async () => {
    const { ids } = await seedDb(url, { runs: 40, metrics: threeMetrics, seed: 7, branch: 'nightly' })
    const trend = await json(['trend', '--branch', 'nightly', '--db', url], dir, 1)
    expect(trend).toMatchObject({ runs: 40, regressions: [{ benchmark: 'cached-resolution', runId: ids[30] }] })
    await json(['trend', 'ack', ids[30].slice(0, 8), '--db', url], dir)
    expect((await json(['trend', '--branch', 'nightly', '--db', url], dir)).regressions).toEqual([])
    const out = path.join(dir, 'site')
    expect(await json(['report', '--branch', 'nightly', '--out', out, '--db', url], dir)).toMatchObject({ files: 7, metrics: 3, runs: 40 })
    expect(existsSync(path.join(out, 'index.html'))).toBe(true)
  })

  it('export, import, merge and prune work on PostgreSQL', async () => {
    const file = path.join(dir, 'pg.json')
    const exported = await json(['history', 'export', file, '--db', url], dir)
    expect(exported.runs).toBe(44)
    expect(await json(['history', 'import', file, '--db', url], dir)).toMatchObject({
      runs: { imported: 0, skipped: 44 },
      acknowledgements: { imported: 0, skipped: 1 },
    })
    const other = path.join(dir, 'other.sqlite')
    await seedDb(other, { runs: 3, metrics: threeMetrics, seed: 12, branch: 'side', start: '2026-01-01T02:00:00Z' })
    expect(await json(['history', 'merge', other, '--db', url], dir)).toMatchObject({ runs: { imported: 3, skipped: 0 } })
    expect(await json(['history', 'merge', other, '--db', url], dir)).toMatchObject({ runs: { imported: 0, skipped: 3 } })
    // A copy of the PostgreSQL history as SQLite, through the JSON export: the artifact round trip.
    const local = path.join(dir, 'copy.sqlite')
    expect(await json(['history', 'import', file, '--db', local], dir)).toMatchObject({ runs: { imported: 44 } })
    const pruned = await json(['history', 'prune', '--keep', '10', '--db', url], dir)
    expect(pruned).toMatchObject({ kept: 10 })
    expect(pruned.removed).toHaveLength(37)
    expect((await json(['history', 'list', '--limit', '100', '--db', url], dir)).runs).toHaveLength(10)
  })
})
