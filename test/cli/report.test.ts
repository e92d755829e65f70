import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

import { chromium } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'

import { runCli, tempDir } from '../helpers/cli.js'
import { seedDb, threeMetrics } from '../history/seed-history.js'

const injected = '<img src=x onerror=alert(1)>'
const chromiumPath = '/usr/bin/chromium'

describe('perftrack report over a seeded history', () => {
  const dir = tempDir('perftrack-report-cmd-')
  const db = path.join(dir, 'h.sqlite')
  const out = path.join(dir, 'site')
  let report: any
  let stdout: string

  beforeAll(async () => {
    await seedDb(db, { runs: 45, metrics: threeMetrics, seed: 7, message: (i) => (i === 40 ? `perf: ${injected}` : `commit ${i}`) })
    const r = await runCli(['report', '--out', out, '--db', db, '--title', 'Nightly <perf>', '--json'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    report = JSON.parse(r.stdout)
    stdout = (await runCli(['report', '--out', path.join(dir, 'site2'), '--db', db], { cwd: dir })).stdout
  })

  it('writes index.html and one page per metric, and prints the index path and size', () => {
    expect(report).toMatchObject({ index: path.join(out, 'index.html'), files: 7, metrics: 3, runs: 45 })
    const files = [
      'index.html',
      'metrics/cache-cached-resolution.html',
      'metrics/cache-throughput.html',
      'metrics/templates-document-size.html',
      'assets/uplot.js',
      'assets/runs.js',
      'assets/chart.js',
    ]
    const bytes = files.reduce((n, f) => n + statSync(path.join(out, f)).size, 0)
    expect(bytes).toBe(report.bytes)
    expect(stdout).toMatch(
      new RegExp(`^wrote ${path.join(dir, 'site2', 'index.html').replace(/[.\\/]/g, '\\$&')} \\(7 files, [\\d.]+ KiB; 3 metrics over 45 runs\\)`),
    )
  })

  it('lists every metric on the index, with the escaped title', () => {
    const index = readFileSync(path.join(out, 'index.html'), 'utf8')
    for (const name of ['cached-resolution', 'throughput', 'document-size']) expect(index).toContain(name)
    expect(index).toContain('Nightly &lt;perf&gt;')
  })

  it('shows a commit message with markup as text, never as markup', () => {
    // The messages live once in assets/runs.js, as JSON strings that chart.js puts in the DOM as text.
    const runs = readFileSync(path.join(out, 'assets', 'runs.js'), 'utf8')
    expect(runs).toContain('perf: \\u003cimg src=x onerror=alert(1)\\u003e')
    for (const file of [
      'index.html',
      'metrics/cache-cached-resolution.html',
      'metrics/cache-throughput.html',
      'metrics/templates-document-size.html',
      'assets/runs.js',
    ]) {
      expect(readFileSync(path.join(out, file), 'utf8')).not.toContain(injected)
    }
  })

  it.skipIf(!existsSync(chromiumPath))('loads in headless Chromium without errors or dialogs (needs /usr/bin/chromium)', async () => {
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    try {
      const errors: string[] = []
      const dialogs: string[] = []
      for (const file of ['index.html', 'metrics/cache-cached-resolution.html']) {
        const page = await browser.newPage()
        page.on('pageerror', (e) => errors.push(e.message))
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
        page.on('dialog', (d) => {
          dialogs.push(d.message())
          void d.dismiss()
        })
        await page.goto(pathToFileURL(path.join(out, file)).href, { waitUntil: 'load' })
        if (file === 'index.html') expect(await page.locator('svg.sparkline').count()).toBe(3)
        else await expect.poll(() => page.locator('#chart canvas').count()).toBe(1)
        await page.close()
      }
      expect(errors).toEqual([])
      expect(dialogs).toEqual([])
    } finally {
      await browser.close()
    }
  })

  it('gives latency metrics the p95 of the same runs for the band, and no other metric', () => {
    const chart = (file: string) => JSON.parse(/id="chart-data">([^<]*)</.exec(readFileSync(path.join(out, 'metrics', file), 'utf8'))![1])
    const latency = chart('cache-cached-resolution.html')
    expect(latency.upper).toBe('p95')
    expect(latency.points).toHaveLength(45)
    for (const p of latency.points) expect(p[3]).toBeGreaterThanOrEqual(p[1])
    expect(chart('cache-throughput.html').upper).toBe('')
  })

  it('refuses a --repo-url that is not an http(s) URL (exit 2)', async () => {
    const r = await runCli(['report', '--out', path.join(dir, 'bad-url'), '--db', db, '--repo-url', 'javascript:alert(1)'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain('--repo-url javascript:alert(1) is not an http(s) URL.')
  })

  it('refuses a branch without runs (exit 2)', async () => {
    const r = await runCli(['report', '--out', path.join(dir, 'empty'), '--db', db, '--branch', 'nope'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain('No complete run of branch nope matches, so there is nothing to report.')
    expect(existsSync(path.join(dir, 'empty'))).toBe(false)
  })

  it('--since limits the report to recent runs', async () => {
    const r = await runCli(['report', '--out', path.join(dir, 'recent'), '--db', db, '--since', '2025-02-05', '--json'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    // Runs are daily from 2025-01-01: 2025-02-05 is run 35, so 10 runs remain.
    expect(JSON.parse(r.stdout)).toMatchObject({ runs: 10, metrics: 3 })
  })
})

describe('perftrack report --out writes only into its own folder (exit 2 otherwise, nothing touched)', () => {
  const dir = tempDir('perftrack-report-out-')
  const db = path.join(dir, 'h.sqlite')
  const report = (out: string, ...extra: string[]) => runCli(['report', '--out', out, '--db', db, ...extra], { cwd: dir })

  beforeAll(async () => {
    await seedDb(db, { runs: 5, metrics: threeMetrics, seed: 8 })
  })

  it("refuses '' and '/'", async () => {
    const empty = await report('')
    expect(empty.code).toBe(2)
    expect(empty.errors).toContain("--out '' names no folder.")
    const root = await report('/', '--force')
    expect(root.code).toBe(2)
    expect(root.errors).toContain('--out / is the root of the file system; perftrack writes a report only into its own folder.')
    expect(readdirSync(dir).sort()).toEqual(['h.sqlite'])
  })

  it('refuses a file path', async () => {
    const file = path.join(dir, 'notes.html')
    writeFileSync(file, 'my notes')
    const r = await report(file)
    expect(r.code).toBe(2)
    expect(r.errors).toContain(`--out ${file} is a file, not a folder; the report is a folder of pages (index.html, metrics/, assets/).`)
    expect(readFileSync(file, 'utf8')).toBe('my notes')
  })

  it('refuses a folder of other files unless --force; an earlier report is replaced; other files are kept', async () => {
    const site = path.join(dir, 'docs')
    mkdirSync(site)
    writeFileSync(path.join(site, 'index.html'), '<p>my home page</p>')
    const refused = await report(site)
    expect(refused.code).toBe(2)
    expect(refused.errors).toContain(`--out ${site} holds other files (index.html) and no perftrack report; perftrack will not write over them.`)
    expect(refused.errors).toContain('--force')
    expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toBe('<p>my home page</p>')
    const forced = await report(site, '--force')
    expect(forced.code, forced.stderr).toBe(0)
    expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toContain('<meta name="generator" content="perftrack">')

    // A folder with an earlier report is rewritten without --force; a file of the user's in it stays.
    const own = path.join(dir, 'perf')
    expect((await report(own)).code).toBe(0)
    writeFileSync(path.join(own, 'CNAME'), 'perf.example.org')
    const again = await report(own, '--title', 'second')
    expect(again.code, again.stderr).toBe(0)
    expect(readFileSync(path.join(own, 'index.html'), 'utf8')).toContain('<title>second</title>')
    expect(readFileSync(path.join(own, 'CNAME'), 'utf8')).toBe('perf.example.org')
  })

  it('never writes through a symbolic link, also with --force', async () => {
    const outside = path.join(dir, 'outside')
    mkdirSync(outside)
    const secret = path.join(outside, 'secret.txt')
    writeFileSync(secret, 'keep me')
    const site = path.join(dir, 'linked')
    expect((await report(site)).code).toBe(0)
    rmSync(path.join(site, 'metrics'), { recursive: true })
    symlinkSync(outside, path.join(site, 'metrics'))
    rmSync(path.join(site, 'assets', 'runs.js'))
    symlinkSync(secret, path.join(site, 'assets', 'runs.js'))
    const r = await report(site, '--force')
    expect(r.code).toBe(2)
    expect(r.errors).toContain(
      `--out ${site}: metrics -> outside, assets/runs.js -> outside/secret.txt are symbolic links; perftrack never writes through one.`,
    )
    expect(readdirSync(outside)).toEqual(['secret.txt'])
    expect(readFileSync(secret, 'utf8')).toBe('keep me')
  })
})
