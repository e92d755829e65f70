import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { fixture, quickArgs, runCli, tempDir } from '../helpers/cli.js'

const overflowing = fixture('plugins-hostile', 'overflowing-value')

async function sql(db: string, statement: string): Promise<void> {
  const { default: sqlite3 } = await import('sqlite3')
  await new Promise<void>((resolve, reject) => {
    const handle = new sqlite3.Database(db, (err) => {
      if (err) return reject(err)
      handle.exec(statement, (e) => handle.close(() => (e ? reject(e) : resolve())))
    })
  })
}

describe('statistics near and past the largest double', () => {
  it('a mean whose sum overflows is stored and exported faithfully; an sd past the range errors with the reason', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'h.sqlite')
    const r = await runCli(['run', ...quickArgs, '--no-baseline', '--plugin-path', overflowing, '--db', db, '--json'], { cwd: dir })
    expect(r.code).toBe(1) // spread errored
    const out = JSON.parse(r.stdout)
    const byName = Object.fromEntries(out.results.map((x: any) => [x.benchmark, x]))
    expect(byName.huge).toMatchObject({ status: 'completed', stats: { n: 2, mean: 1.5e308, median: 1.5e308, max: 1.5e308, sd: 0 } })
    expect(byName.spread).toMatchObject({
      status: 'errored',
      error: expect.stringContaining('its sd (Infinity) cannot be stored: outside the range of a double'),
    })
    expect(byName.spread.error).toContain('measure in a larger unit')
    expect(byName.plain).toMatchObject({ status: 'completed', stats: { mean: 42 } })

    const show = JSON.parse((await runCli(['history', 'show', out.run.id, '--db', db, '--json'], { cwd: dir })).stdout)
    expect(show.results.find((x: any) => x.benchmark === 'huge').stats).toMatchObject({ mean: 1.5e308, sd: 0 })
    const file = path.join(dir, 'export.json')
    expect((await runCli(['history', 'export', file, '--db', db], { cwd: dir })).code).toBe(0)
    const exported = JSON.parse(readFileSync(file, 'utf8'))
    expect(exported.runs[0].results.find((x: any) => x.benchmark === 'huge').stats).toMatchObject({ mean: 1.5e308, sd: 0 })
  }, 120_000)

  it('a statistic stored as NULL by an older perftrack exports as null, never 0, and imports back as it was', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'h.sqlite')
    expect((await runCli(['run', ...quickArgs, '--no-baseline', '--plugin-path', overflowing, '--bench', 'plain', '--db', db], { cwd: dir })).code).toBe(0)
    // What a run stored before non-finite statistics were refused holds: Infinity became NULL.
    await sql(db, "UPDATE results SET mean = NULL, sd = NULL WHERE benchmark = 'plain'; PRAGMA wal_checkpoint(TRUNCATE);")
    const file = path.join(dir, 'export.json')
    expect((await runCli(['history', 'export', file, '--db', db], { cwd: dir })).code).toBe(0)
    const exported = JSON.parse(readFileSync(file, 'utf8'))
    expect(exported.runs[0].results[0].stats).toMatchObject({ mean: null, sd: null, median: 42 })
    writeFileSync(file, JSON.stringify(exported))
    const other = path.join(dir, 'other.sqlite')
    const imported = await runCli(['history', 'import', file, '--db', other], { cwd: dir })
    expect(imported.code, imported.stderr).toBe(0)
    const show = JSON.parse((await runCli(['history', 'show', exported.runs[0].id, '--db', other, '--json'], { cwd: dir })).stdout)
    expect(show.results[0].stats).toMatchObject({ mean: null, sd: null, median: 42 })
  }, 120_000)
})
