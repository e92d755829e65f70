import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { fixture, quickArgs, runCli, tempDir } from '../helpers/cli.js'

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')
const codec = fixture('plugins', 'json-codec')

describe('bad input: a clear error, exit code 2, nothing lost', () => {
  it('unknown --plugin names the plugin and the known ones', async () => {
    const dir = tempDir()
    const r = await runCli(['run', ...quickArgs, '--plugin-path', codec, '--plugin', 'nope', '--db', path.join(dir, 'h.sqlite')], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain('Unknown plugin: nope. Known: json-codec.')
    expect(existsSync(path.join(dir, 'h.sqlite'))).toBe(false)
  })

  it('a plugin file with a syntax error is named; the other plugins still run and are stored', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'h.sqlite')
    const r = await runCli(['run', ...quickArgs, '--plugin-path', fixture('plugins-bad', 'syntax-error'), '--plugin-path', codec, '--db', db, '--json'], {
      cwd: dir,
    })
    expect(r.code).toBe(2)
    expect(r.errors).toMatch(/syntax-error[/\\]index\.ts: cannot be loaded — [\s\S]*index\.ts:5:\d+: ERROR: Expected "}" but found "]"/)
    const out = JSON.parse(r.stdout)
    expect(out.results.map((x: any) => x.benchmark)).toEqual(['parse', 'stringify', 'parse-throughput', 'document-size'])
    expect(out.pluginErrors[0].file).toContain('syntax-error')
    const list = JSON.parse((await runCli(['history', 'list', '--db', db, '--json'], { cwd: dir })).stdout)
    expect(list.runs[0]).toMatchObject({ status: 'complete', note: expect.stringContaining('syntax-error') })
  })

  it('a plugin without benchmarks is refused naming the file and the field', async () => {
    const dir = tempDir()
    const r = await runCli(['plugins', '--plugin-path', fixture('plugins-bad', 'no-benchmarks')], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toMatch(/no-benchmarks[/\\]index\.ts: invalid plugin — benchmarks: /)
  })

  it('a value benchmark without direction is refused naming the field', async () => {
    const dir = tempDir()
    const r = await runCli(['run', ...quickArgs, '--plugin-path', fixture('plugins-bad', 'value-no-direction'), '--db', path.join(dir, 'h.sqlite')], {
      cwd: dir,
    })
    expect(r.code).toBe(2)
    expect(r.errors).toContain("value-no-direction/index.ts: invalid plugin — benchmarks[0] (hit-rate).direction: is required for kind 'value'")
    expect(r.errors).toContain('No plugin could be loaded')
  })

  it('--db in a missing directory says which directory and what to do', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'no', 'such', 'dir', 'h.sqlite')
    const r = await runCli(['run', ...quickArgs, '--plugin-path', codec, '--db', db], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain(`directory ${path.dirname(db)} does not exist`)
    expect(r.errors).toContain('mkdir -p')
  })

  it('--db naming a file that is not SQLite is refused and the file is not overwritten', async () => {
    const dir = tempDir()
    const notes = path.join(dir, 'notes.txt')
    writeFileSync(notes, 'my precious notes\n'.repeat(100))
    const before = sha(notes)
    const r = await runCli(['run', ...quickArgs, '--plugin-path', codec, '--db', notes], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain(`${notes} is not a SQLite file; perftrack will not overwrite it`)
    expect(sha(notes)).toBe(before)
  })

  it("another program's SQLite database as --db is refused, untouched (no perftrack tables, no WAL)", async () => {
    const dir = tempDir()
    const foreign = path.join(dir, 'app.sqlite')
    const { default: sqlite3 } = await import('sqlite3')
    await new Promise<void>((resolve, reject) => {
      const db = new sqlite3.Database(foreign, (err) => {
        if (err) return reject(err)
        db.exec(
          "CREATE TABLE runs (id INTEGER PRIMARY KEY, owner TEXT); INSERT INTO runs (owner) VALUES ('someone else'); CREATE TABLE notes (body TEXT);",
          (e) => db.close(() => (e ? reject(e) : resolve())),
        )
      })
    })
    const before = sha(foreign)
    for (const args of [
      ['run', ...quickArgs, '--plugin-path', codec],
      ['history', 'list'],
    ]) {
      const r = await runCli([...args, '--db', foreign], { cwd: dir })
      expect(r.code).toBe(2)
      expect(r.errors).toContain(
        `History database ${foreign} is a SQLite database of something else (tables: notes, runs) and not a perftrack history; perftrack did not change it.`,
      )
      expect(r.errors).toContain('Pass a new file or an existing perftrack history to --db')
    }
    expect(sha(foreign)).toBe(before)
    expect(existsSync(`${foreign}-wal`)).toBe(false)
  })

  it('a --bench that matches nothing is an error, and no empty run is stored', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'h.sqlite')
    const r = await runCli(['run', ...quickArgs, '--plugin-path', codec, '--plugin', 'json-codec', '--bench', 'no-such-*', '--db', db], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain('No benchmark matches --bench no-such-* in the plugins json-codec; nothing was run or stored.')
    expect(existsSync(db)).toBe(false)
  })

  it('budget flags beyond their bounds are refused (a timeout past 2^31 − 1 ms would fire after 1 ms)', async () => {
    const dir = tempDir()
    for (const [flag, value, max] of [
      ['--timeout', '3000000000', '2147483647'],
      ['--time', '99999999999', '3600000'],
      ['--warmup', '3600001', '3600000'],
      ['--rounds', '100000000', '10000'],
    ]) {
      const r = await runCli(['run', '--plugin-path', codec, flag, value, '--db', path.join(dir, 'h.sqlite')], { cwd: dir })
      expect(r.code, flag).toBe(2)
      expect(r.errors, flag).toContain(`Expected an integer less than or equal to ${max} but received: ${value}`)
    }
    expect(existsSync(path.join(dir, 'h.sqlite'))).toBe(false)
  })

  it('a history written by a newer perftrack says so, and is left as it was', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'h.sqlite')
    expect((await runCli(['history', 'list', '--db', db], { cwd: dir })).code).toBe(0)
    const { default: sqlite3 } = await import('sqlite3')
    await new Promise<void>((resolve, reject) => {
      const handle = new sqlite3.Database(db, (err) => {
        if (err) return reject(err)
        handle.exec(
          "INSERT INTO perftrack_migrations (name, batch, migration_time) VALUES ('999_from_the_future', 99, 0); PRAGMA wal_checkpoint(TRUNCATE);",
          (e) => handle.close(() => (e ? reject(e) : resolve())),
        )
      })
    })
    const before = sha(db)
    const r = await runCli(['history', 'list', '--db', db], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain(`History database ${db} was written by a newer perftrack (schema migrations 999_from_the_future are unknown to this version`)
    expect(r.errors).toContain('Upgrade perftrack')
    expect(r.errors).not.toContain('corrupt')
    expect(sha(db)).toBe(before)
  })

  it('a malformed postgres:// URL is an error, not a connection to 127.0.0.1:5432', async () => {
    const dir = tempDir()
    for (const [url, problem] of [
      ['postgres://', 'names no host'],
      ['postgres://perftrack:hunter2@127.0.0.1:5432', 'names no database'],
      ['postgres://perftrack:hunter2@:5432/perftrack', 'is not a valid URL'],
    ]) {
      const r = await runCli(['history', 'list', '--db', url], { cwd: dir })
      expect(r.code, url).toBe(2)
      expect(r.errors, url).toContain(problem)
      expect(r.errors, url).toContain('Use postgres://USER:PASSWORD@HOST:PORT/DATABASE')
      expect(r.errors, url).not.toContain('hunter2')
    }
  })

  it("knex's connection-error stack never reaches stdout (--json stays parseable)", async () => {
    const dir = tempDir()
    // Port 1 refuses at once: the driver's error, as a PerftrackError, is all the user sees.
    const r = await runCli(['history', 'list', '--db', 'postgres://perftrack:perftrack@127.0.0.1:1/perftrack', '--json'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stdout).not.toContain('Acquire connection error')
    expect(r.stderr).not.toContain('Acquire connection error')
    // With --json the error itself is the JSON on stdout.
    expect(JSON.parse(r.stdout).error.message).toContain('Cannot open history database postgres://perftrack:***@127.0.0.1:1/perftrack: connect ECONNREFUSED')
  })

  it('a --plugin-path directory that holds no plugin is an error naming what it holds', async () => {
    const dir = tempDir()
    const loose = path.join(dir, 'loose')
    mkdirSync(loose)
    writeFileSync(path.join(loose, 'a.mjs'), "export default { name: 'a', benchmarks: [] }\n")
    writeFileSync(path.join(loose, 'b.mjs'), "export default { name: 'b', benchmarks: [] }\n")
    const r = await runCli(['plugins', '--plugin-path', loose], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain(
      `Plugin path ${loose} (from --plugin-path) holds no plugin: no index.ts/index.mts/index.js/index.mjs in it or in its subdirectories (it has a.mjs, b.mjs).`,
    )
    expect(r.errors).toContain(`Pass each plugin file itself, e.g. --plugin-path ${path.join(loose, 'a.mjs')}`)
  })

  it('a corrupt history file is reported and left as it was', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'h.sqlite')
    const first = await runCli(['run', ...quickArgs, '--plugin-path', codec, '--db', db], { cwd: dir })
    expect(first.code).toBe(0)
    // Checkpointed by the clean close; damage the b-tree pages but keep the header.
    const bytes = readFileSync(db)
    for (let i = 4096 + 8; i < bytes.length; i += 97) bytes[i] = (bytes[i] + 0x5a) & 0xff
    writeFileSync(db, bytes)
    const damaged = path.join(dir, 'damaged-copy.sqlite')
    copyFileSync(db, damaged)
    const before = sha(damaged)
    const r = await runCli(['history', 'list', '--db', damaged], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toMatch(/History database .*damaged-copy\.sqlite is damaged .*perftrack did not write to it/)
    expect(sha(damaged)).toBe(before)
  })

  it('outside a git repository the run works and the fingerprint says so', async () => {
    const dir = tempDir()
    const r = await runCli(['run', ...quickArgs, '--plugin-path', codec, '--bench', 'parse', '--db', path.join(dir, 'h.sqlite'), '--json'], { cwd: dir })
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.run).toMatchObject({ gitSha: null, branch: null, dirty: null })
    expect(out.run.fingerprint.isGitRepo).toBe(false)
  })

  it('an unknown flag is a usage error with exit code 2', async () => {
    const r = await runCli(['run', '--no-such-flag'], { cwd: tempDir() })
    expect(r.code).toBe(2)
    expect(r.errors).toMatch(/Nonexistent flag: --no-such-flag/)
  })

  it('a run id that does not exist is named', async () => {
    const dir = tempDir()
    const r = await runCli(['history', 'show', 'deadbeef', '--db', path.join(dir, 'h.sqlite')], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain("No run with id 'deadbeef' in the history.")
  })
})
