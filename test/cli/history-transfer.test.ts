import { createHash } from 'node:crypto'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { beforeAll, describe, expect, it } from 'vitest'

import { medianInterval } from '../../src/report/benchmark-formats.js'
import { runCli, tempDir } from '../helpers/cli.js'
import { seedDb, threeMetrics } from '../history/seed-history.js'

const json = async (args: string[], cwd: string) => {
  const r = await runCli([...args, '--json'], { cwd })
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout)
}

describe('history export, import and merge carry a history between CI jobs', () => {
  const dir = tempDir('perftrack-transfer-')
  const db = path.join(dir, 'h.sqlite')
  let ids: string[]

  beforeAll(async () => {
    ;({ ids } = await seedDb(db, { runs: 8, metrics: threeMetrics, seed: 5 }))
    await seedDb(db, { runs: 2, metrics: threeMetrics, seed: 6, branch: 'feature/x', start: '2025-03-01T02:00:00Z' })
  })

  it('exports every run losslessly to JSON; importing it twice adds the runs once', async () => {
    const file = path.join(dir, 'history.json')
    expect(await json(['history', 'export', file, '--db', db], dir)).toMatchObject({ format: 'json', file, runs: 10, results: 30, samples: 30 })
    const target = path.join(dir, 'imported.sqlite')
    const first = await json(['history', 'import', file, '--db', target], dir)
    expect(first).toMatchObject({ runs: { imported: 10, skipped: 0 }, results: 30, samples: 30 })
    const second = await json(['history', 'import', file, '--db', target], dir)
    expect(second).toMatchObject({ runs: { imported: 0, skipped: 10 }, results: 0, samples: 0 })
    const again = path.join(dir, 'again.json')
    await json(['history', 'export', again, '--db', target], dir)
    const strip = (f: string) => ({ ...JSON.parse(readFileSync(f, 'utf8')), exportedAt: '' })
    expect(strip(again)).toEqual(strip(file))
    const shown = await json(['history', 'show', ids[3].slice(0, 8), '--db', target], dir)
    const original = await json(['history', 'show', ids[3].slice(0, 8), '--db', db], dir)
    expect(shown).toEqual(original)
  })

  it('filters the JSON export by --branch and --since', async () => {
    const file = path.join(dir, 'feature.json')
    expect(await json(['history', 'export', file, '--branch', 'feature/x', '--db', db], dir)).toMatchObject({ runs: 2 })
    expect(await json(['history', 'export', file, '--since', '2025-01-07', '--db', db], dir)).toMatchObject({ runs: 4 })
  })

  it('exports the latest run as Bencher Metric Format, latency in nanoseconds', async () => {
    const file = path.join(dir, 'bmf.json')
    expect(await json(['history', 'export', file, '--format', 'bmf', '--branch', 'main', '--db', db], dir)).toMatchObject({
      format: 'bmf',
      runs: 1,
      results: 3,
    })
    const bmf = JSON.parse(readFileSync(file, 'utf8'))
    const run = await json(['history', 'show', ids[7].slice(0, 8), '--db', db], dir)
    const latency = run.results[0].stats
    const rounds = run.results[0].rounds as number[]
    const ci = medianInterval(rounds)
    expect(bmf['cache/cached-resolution'].latency).toEqual({
      value: latency.median * 1e6,
      lower_value: Math.min(ci.lower, latency.median) * 1e6,
      upper_value: Math.max(ci.upper, latency.median) * 1e6,
    })
    // Not min..max of all samples: inside the range of the rounds.
    expect(bmf['cache/cached-resolution'].latency.upper_value).toBeLessThanOrEqual(Math.max(latency.median, ...rounds) * 1e6)
    expect(bmf['cache/throughput'].throughput.value).toBe(run.results[1].stats.median)
    // A value metric is a measure of its own, named after the benchmark and its unit.
    expect(Object.keys(bmf['templates/document-size'])).toEqual(['document-size-bytes'])
  })

  it('exports one run for github-action-benchmark, one direction per file', async () => {
    const lower = path.join(dir, 'gab-lower.json')
    const r = await runCli(['history', 'export', lower, '--format', 'gab', '--run', ids[2].slice(0, 8), '--db', db, '--json'], { cwd: dir })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'gab', results: 2, leftOut: 1 })
    expect(r.stderr).toContain('1 metric(s) where higher is better left out; export them with --direction higher')
    const entries = JSON.parse(readFileSync(lower, 'utf8'))
    expect(entries.map((e: any) => e.name)).toEqual(['cache/cached-resolution', 'templates/document-size'])
    expect(entries[0]).toMatchObject({ unit: 'ms', range: expect.stringMatching(/^± [\d.,]+(e-\d+)?$/), extra: expect.stringContaining(`run ${ids[2]}`) })
    expect(entries[0].range.length).toBeLessThan(12) // rounded, not a 17-digit standard deviation
    const shown = await json(['history', 'show', ids[2].slice(0, 8), '--db', db], dir)
    const { n } = shown.results[0].stats
    const rounds = shown.results[0].rounds.length
    expect(entries[0].extra).toMatch(n === rounds ? new RegExp(`^median of ${n} rounds;`) : new RegExp(`^median of ${n} samples in ${rounds} rounds;`))
    const higher = path.join(dir, 'gab-higher.json')
    await json(['history', 'export', higher, '--format', 'gab', '--direction', 'higher', '--db', db], dir)
    expect(JSON.parse(readFileSync(higher, 'utf8')).map((e: any) => e.name)).toEqual(['cache/throughput'])
  })

  it('merges the runs of another SQLite history, once', async () => {
    const other = path.join(dir, 'other.sqlite')
    await seedDb(other, { runs: 3, metrics: threeMetrics, seed: 11, start: '2025-04-01T02:00:00Z' })
    const target = path.join(dir, 'merged.sqlite')
    copyFileSync(db, target)
    const first = await json(['history', 'merge', other, '--db', target], dir)
    expect(first).toMatchObject({ sourceRuns: 3, runs: { imported: 3, skipped: 0 }, results: 9 })
    const second = await json(['history', 'merge', other, '--db', target], dir)
    expect(second).toMatchObject({ runs: { imported: 0, skipped: 3 } })
    expect((await json(['history', 'list', '--limit', '100', '--db', target], dir)).runs).toHaveLength(13)
  })

  it('prunes to the newest runs; --dry-run only lists them', async () => {
    const target = path.join(dir, 'pruned.sqlite')
    copyFileSync(db, target)
    const dry = await runCli(['history', 'prune', '--keep', '7', '--dry-run', '--db', target], { cwd: dir })
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('would remove 3 run(s), 9 result(s), 9 sample round(s); 7 run(s) kept.')
    expect(dry.stdout).toContain(ids[0].slice(0, 8))
    expect((await json(['history', 'list', '--db', target], dir)).runs).toHaveLength(10)
    const done = await json(['history', 'prune', '--keep', '7', '--db', target], dir)
    expect(done.removed.map((r: any) => r.id)).toEqual([ids[2], ids[1], ids[0]])
    expect((await json(['history', 'list', '--db', target], dir)).runs).toHaveLength(7)
  })
})

describe('history export, import, merge and prune refuse bad input (exit 2)', () => {
  const dir = tempDir('perftrack-transfer-bad-')
  const db = path.join(dir, 'h.sqlite')
  beforeAll(async () => {
    await seedDb(db, { runs: 1, metrics: threeMetrics })
  })

  it('a missing import file', async () => {
    const r = await runCli(['history', 'import', 'nope.json', '--db', db], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain(`Import file ${path.join(dir, 'nope.json')} does not exist or is a directory.`)
  })

  it('an import file that is not JSON', async () => {
    writeFileSync(path.join(dir, 'broken.json'), '{ "format": ')
    const r = await runCli(['history', 'import', 'broken.json', '--db', db], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain(`Import file ${path.join(dir, 'broken.json')} is not JSON:`)
  })

  it('JSON that is not a perftrack export names the field', async () => {
    const file = path.join(dir, 'bmf.json')
    expect((await runCli(['history', 'export', file, '--format', 'bmf', '--db', db], { cwd: dir })).code).toBe(0)
    const r = await runCli(['history', 'import', file, '--db', db], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain(`Import file ${file} is not a perftrack history export — format:`)
    expect(r.errors).toContain('bmf and gab exports cannot be imported')
    const doc = JSON.parse(
      readFileSync(
        (await runCli(['history', 'export', path.join(dir, 'h.json'), '--db', db, '--json'], { cwd: dir })).stdout.match(/"file": "([^"]+)"/)![1],
        'utf8',
      ),
    )
    doc.runs[0].results[0].stats.median = 'fast'
    writeFileSync(path.join(dir, 'bad-stats.json'), JSON.stringify(doc))
    const bad = await runCli(['history', 'import', 'bad-stats.json', '--db', db], { cwd: dir })
    expect(bad.code).toBe(2)
    const r0 = doc.runs[0]
    expect(bad.errors).toContain(`runs[0] (run ${r0.id}).results[0] (${r0.results[0].plugin}/${r0.results[0].benchmark}).stats.median: `)
  })

  it('an import is validated field by field, naming the run and the field, before anything is written', async () => {
    const exported = path.join(dir, 'valid.json')
    expect((await runCli(['history', 'export', exported, '--db', db], { cwd: dir })).code).toBe(0)
    const target = path.join(dir, 'import-target.sqlite')
    await seedDb(target, { runs: 2, metrics: threeMetrics })
    const before = JSON.parse((await runCli(['history', 'list', '--db', target, '--json'], { cwd: dir })).stdout).runs
    const cases: Array<[string, (doc: any) => void, string]> = [
      ['bad-date', (doc) => (doc.runs[0].startedAt = 'not a date'), 'startedAt: must be an ISO 8601 date and time, e.g. 2026-05-01T12:00:00.000Z'],
      ['bad-finished', (doc) => (doc.runs[0].finishedAt = '2026-13-45T99:00:00Z'), 'finishedAt: must be an ISO 8601 date and time'],
      ['negative-n', (doc) => (doc.runs[0].results[0].stats.n = -3), '.stats.n: '],
      ['fractional-n', (doc) => (doc.runs[0].results[0].stats.n = 2.5), '.stats.n: '],
      [
        'sample-count',
        (doc) => (doc.runs[0].results[0].samples[0].count = 0),
        '.samples[0].values: values must hold at most count samples, and some when count is above 0',
      ],
      ['duplicate-result', (doc) => doc.runs[0].results.push({ ...doc.runs[0].results[0] }), 'appears twice in this run'],
    ]
    for (const [name, spoil, message] of cases) {
      const doc = JSON.parse(readFileSync(exported, 'utf8'))
      // A second, valid run first: nothing at all may be imported when one run is bad.
      doc.runs.unshift({ ...JSON.parse(JSON.stringify(doc.runs[0])), id: 'valid-run-imported-first' })
      doc.runs.reverse()
      spoil(doc)
      const file = path.join(dir, `${name}.json`)
      writeFileSync(file, JSON.stringify(doc))
      const r = await runCli(['history', 'import', file, '--db', target], { cwd: dir })
      expect(r.code, name).toBe(2)
      expect(r.errors, name).toContain(`Import file ${file} is not a perftrack history export — runs[0] (run ${doc.runs[0].id})`)
      expect(r.errors, name).toContain(message)
    }
    const after = JSON.parse((await runCli(['history', 'list', '--db', target, '--json'], { cwd: dir })).stdout).runs
    expect(after).toEqual(before)
  })

  it("history export to a directory is refused; '-' writes the export to stdout", async () => {
    const r = await runCli(['history', 'export', dir, '--db', db], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain(`Export target ${dir} is a directory; nothing was written.`)
    const out = await runCli(['history', 'export', '-', '--db', db], { cwd: dir })
    expect(out.code).toBe(0)
    const doc = JSON.parse(out.stdout)
    expect(doc).toMatchObject({ format: 'perftrack-history', version: 1 })
    expect(doc.runs).toHaveLength(1)
    expect(out.stderr).toContain('wrote stdout: 1 run(s)')
    const both = await runCli(['history', 'export', '-', '--db', db, '--json'], { cwd: dir })
    expect(both.code).toBe(2)
    expect(JSON.parse(both.stdout).error.message).toBe('history export - writes the export to stdout, where --json would write its summary too.')
  })

  it('a merge source that is not SQLite, or missing', async () => {
    writeFileSync(path.join(dir, 'notes.txt'), 'not a database at all, just text')
    const r = await runCli(['history', 'merge', 'notes.txt', '--db', db], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain(`Merge source ${path.join(dir, 'notes.txt')} is not a SQLite file.`)
    const missing = await runCli(['history', 'merge', 'absent.sqlite', '--db', db], { cwd: dir })
    expect(missing.code).toBe(2)
    expect(missing.errors).toContain(`Merge source ${path.join(dir, 'absent.sqlite')} does not exist or is a directory.`)
  })

  it('a --keep that is neither N nor Nd', async () => {
    const r = await runCli(['history', 'prune', '--keep', '3 weeks', '--db', db], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain("--keep '3 weeks' is not a positive number of runs (e.g. 200) or of days (e.g. 90d).")
  })

  it('an unknown --run for export', async () => {
    const r = await runCli(['history', 'export', path.join(dir, 'x.json'), '--format', 'bmf', '--run', 'ffffffff', '--db', db], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain("No run with id 'ffffffff' in the history.")
  })
})

describe('history merge refuses a damaged or foreign source before writing (exit 2, target byte-identical)', () => {
  const dir = tempDir('perftrack-merge-bad-')
  const target = path.join(dir, 'target.sqlite')
  const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')
  let before: string
  const exec = async (file: string, statements: string) => {
    const { default: sqlite3 } = await import('sqlite3')
    await new Promise<void>((resolve, reject) => {
      const handle = new sqlite3.Database(file, (err) => {
        if (err) return reject(err)
        handle.exec(`${statements}; PRAGMA wal_checkpoint(TRUNCATE);`, (e) => handle.close(() => (e ? reject(e) : resolve())))
      })
    })
  }
  const merge = (source: string) => runCli(['history', 'merge', source, '--db', target], { cwd: dir })

  beforeAll(async () => {
    await seedDb(target, { runs: 2, metrics: threeMetrics, seed: 21 })
    before = sha(target)
  })

  it('a source damaged in the middle of the file', async () => {
    const source = path.join(dir, 'damaged.sqlite')
    await seedDb(source, { runs: 60, metrics: threeMetrics, seed: 22 })
    const bytes = readFileSync(source)
    // Pages in the middle only: the header and the schema page still read, the damage shows when the pages do.
    const pages = bytes.length / 4096
    for (let page = Math.floor(pages / 2); page < Math.floor(pages / 2) + 3; page++) for (let i = 8; i < 4096; i += 61) bytes[page * 4096 + i] ^= 0x5a
    writeFileSync(source, bytes)
    const r = await merge(source)
    expect(r.code).toBe(2)
    expect(r.errors).toContain(`Merge source ${source} is damaged (`)
    expect(r.errors).toContain('nothing was merged')
    expect(r.errors).not.toMatch(/\n\s+at /)
    expect(sha(target)).toBe(before)
  })

  it('tables named runs, results and samples with other columns', async () => {
    const source = path.join(dir, 'lookalike.sqlite')
    await exec(
      source,
      "CREATE TABLE runs (id TEXT, name TEXT); CREATE TABLE results (id INTEGER, run_id TEXT, score REAL); CREATE TABLE samples (result_id INTEGER, blob BLOB); INSERT INTO runs VALUES ('r1', 'someone else')",
    )
    const r = await merge(source)
    expect(r.code).toBe(2)
    expect(r.errors).toContain(`Merge source ${source} has tables named like a perftrack history's but not its columns (runs lacks status, kind,`)
    expect(r.errors).toContain('samples lacks round, count, values); nothing was merged.')
    expect(sha(target)).toBe(before)
  })

  it('a run whose fingerprint is not JSON, and a run whose date is not a date', async () => {
    const source = path.join(dir, 'bad-fingerprint.sqlite')
    const { ids } = await seedDb(source, { runs: 3, metrics: threeMetrics, seed: 23 })
    await exec(source, `UPDATE runs SET fingerprint = '{"gitSha": "abc", ' WHERE id = '${ids[1]}'`)
    const r = await merge(source)
    expect(r.code).toBe(2)
    expect(r.errors).toContain(`Merge source ${source}: run ${ids[1]}: column fingerprint is not JSON (`)
    expect(r.errors).toContain('nothing was merged')
    expect(sha(target)).toBe(before)

    const dated = path.join(dir, 'bad-date.sqlite')
    const seeded = await seedDb(dated, { runs: 3, metrics: threeMetrics, seed: 24 })
    await exec(dated, `UPDATE runs SET started_at = 'yesterday' WHERE id = '${seeded.ids[2]}'`)
    const d = await merge(dated)
    expect(d.code).toBe(2)
    expect(d.errors).toContain(`Merge source ${dated} holds runs that are not valid — runs[2] (run ${seeded.ids[2]}).startedAt:`)
    expect(sha(target)).toBe(before)
    // Nothing half-merged: the target still lists its own two runs only.
    expect((await json(['history', 'list', '--db', target], dir)).runs).toHaveLength(2)
  })
})
