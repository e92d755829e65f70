import { createHash } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type CliOptions, fixture, quickArgs, runCli, tempDir } from '../helpers/cli.js'
import { seedDb, threeMetrics } from '../history/seed-history.js'

/**
 * A history this user may not write (a CI cache restored read-only, a file of another user) is
 * still read by list, show, trend, report and export; a command that stores says why it cannot;
 * one it may not read is named. Root ignores file modes, so as root the CLI runs as nobody.
 */
const asRoot = process.getuid?.() === 0
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

describe('a history this user may not write or read', () => {
  const dir = tempDir('perftrack-readonly-')
  const db = path.join(dir, 'h.sqlite')
  // Where the CLI may write: its HOME, the report and the export.
  const scratch = tempDir('perftrack-readonly-out-')
  let ids: string[]
  let before: string
  const cli = (args: string[]) => {
    const options: CliOptions = { cwd: scratch, env: { HOME: scratch } }
    if (asRoot) options.user = { uid: 65534, gid: 65534 }
    return runCli(args, options)
  }

  beforeAll(async () => {
    ;({ ids } = await seedDb(db, { runs: 8, metrics: threeMetrics, seed: 31 }))
    chmodSync(scratch, 0o777)
    chmodSync(dir, asRoot ? 0o755 : 0o555) // nobody may not create the -wal and -shm files beside it
    chmodSync(db, 0o444)
    before = sha(db)
  })
  afterAll(() => {
    chmodSync(dir, 0o755)
    chmodSync(db, 0o644)
  })

  it('list, show, trend, report and export read it, and leave it byte-identical with no journal beside it', async () => {
    const list = await cli(['history', 'list', '--db', db, '--json'])
    expect(list.code, list.stderr).toBe(0)
    expect(JSON.parse(list.stdout).runs).toHaveLength(8)
    const show = await cli(['history', 'show', ids[3], '--db', db, '--json'])
    expect(show.code, show.stderr).toBe(0)
    expect(JSON.parse(show.stdout).results).toHaveLength(3)
    const trend = await cli(['trend', '--db', db, '--json'])
    expect(trend.code, trend.stderr).toBe(0)
    expect(JSON.parse(trend.stdout).runs).toBe(8)
    const report = await cli(['report', '--out', path.join(scratch, 'site'), '--db', db, '--json'])
    expect(report.code, report.stderr).toBe(0)
    expect(JSON.parse(report.stdout)).toMatchObject({ metrics: 3, runs: 8 })
    const file = path.join(scratch, 'export.json')
    const exported = await cli(['history', 'export', file, '--db', db])
    expect(exported.code, exported.stderr).toBe(0)
    expect(JSON.parse(readFileSync(file, 'utf8')).runs).toHaveLength(8)
    expect(sha(db)).toBe(before)
    expect(existsSync(`${db}-wal`) || existsSync(`${db}-shm`)).toBe(false)
  }, 180_000)

  it('commands that store say it is read-only and why; nothing is run or changed', async () => {
    const file = path.join(scratch, 'import.json')
    writeFileSync(file, JSON.stringify({ format: 'perftrack-history', version: 1, exportedAt: '2025-01-01T00:00:00Z', runs: [] }))
    for (const args of [
      ['run', ...quickArgs, '--plugin-path', fixture('plugins', 'json-codec'), '--bench', 'parse', '--no-baseline'],
      ['history', 'prune', '--keep', '1'],
      ['history', 'import', file],
      ['trend', 'ack', ids[5], '--metric', 'cache/throughput'],
    ]) {
      const r = await cli([...args, '--db', db])
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.errors, args.join(' ')).toContain(
        `History database ${db} is read-only (this user may not write the file); this command stores to it, so nothing was run or changed.`,
      )
      expect(r.errors, args.join(' ')).toContain('Reading works as it is: perftrack history list, show, export, trend and report.')
    }
    expect(sha(db)).toBe(before)
  }, 180_000)

  it('one it may not read is refused naming the permission, exit 2', async () => {
    chmodSync(db, 0o000)
    try {
      for (const args of [
        ['history', 'list'],
        ['run', ...quickArgs, '--plugin-path', fixture('plugins', 'json-codec'), '--bench', 'parse', '--no-baseline'],
      ]) {
        const r = await cli([...args, '--db', db])
        expect(r.code, args[0]).toBe(2)
        expect(r.errors, args[0]).toContain(`History database ${db} cannot be read: permission denied for this user; perftrack did not change it.`)
        expect(r.errors, args[0]).toContain(`Check its owner and mode (ls -l ${db})`)
      }
    } finally {
      chmodSync(db, 0o444)
    }
    expect(sha(db)).toBe(before)
  }, 180_000)
})
