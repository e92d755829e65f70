import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
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
    const r = await runCli(['run', ...quickArgs, '--plugin-path', fixture('plugins-bad', 'syntax-error'), '--plugin-path', codec, '--db', db, '--json'], { cwd: dir })
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

  it("a value benchmark without direction is refused naming the field", async () => {
    const dir = tempDir()
    const r = await runCli(['run', ...quickArgs, '--plugin-path', fixture('plugins-bad', 'value-no-direction'), '--db', path.join(dir, 'h.sqlite')], { cwd: dir })
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
        db.exec("CREATE TABLE runs (id INTEGER PRIMARY KEY, owner TEXT); INSERT INTO runs (owner) VALUES ('someone else'); CREATE TABLE notes (body TEXT);", (e) => db.close(() => (e ? reject(e) : resolve())))
      })
    })
    const before = sha(foreign)
    for (const args of [['run', ...quickArgs, '--plugin-path', codec], ['history', 'list']]) {
      const r = await runCli([...args, '--db', foreign], { cwd: dir })
      expect(r.code).toBe(2)
      expect(r.errors).toContain(`History database ${foreign} is a SQLite database of something else (tables: notes, runs) and not a perftrack history; perftrack did not change it.`)
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
    for (const [flag, value, max] of [['--timeout', '3000000000', '2147483647'], ['--time', '99999999999', '3600000'], ['--warmup', '3600001', '3600000'], ['--rounds', '100000000', '10000']]) {
      const r = await runCli(['run', '--plugin-path', codec, flag, value, '--db', path.join(dir, 'h.sqlite')], { cwd: dir })
      expect(r.code, flag).toBe(2)
      expect(r.errors, flag).toContain(`Expected an integer less than or equal to ${max} but received: ${value}`)
    }
    expect(existsSync(path.join(dir, 'h.sqlite'))).toBe(false)
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
