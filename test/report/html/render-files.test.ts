import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shortSha } from '../../../src/report/format.js'
import { type HtmlReportResult, renderHtmlReport } from '../../../src/report/html/index.js'
import { buildFixture, xss } from './fixture.js'

const data = buildFixture()
let outDir: string
let result: HtmlReportResult
const read = (file: string) => readFile(file, 'utf8')
const pages = (r: HtmlReportResult) => r.files.filter((f) => f.endsWith('.html'))
/** The shared runs of `assets/runs.js`, parsed back from its `window.perftrackRuns = …;` line. */
const sharedRuns = async (r: HtmlReportResult) =>
  JSON.parse(/^window\.perftrackRuns = (.*);\n$/s.exec(await read(r.files.find((f) => f.endsWith('assets/runs.js'))!))![1])

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'perftrack-report-'))
  result = await renderHtmlReport(data, outDir)
})

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true })
})

describe('renderHtmlReport on the fixture', () => {
  it('writes index.html and one page per metric, and reports their total size', async () => {
    expect(result.files.map((f) => f.slice(outDir.length + 1))).toEqual([
      'index.html',
      'metrics/template-rendering-render-invoice.html',
      'metrics/template-rendering-compile-t-partials.html',
      'metrics/cache-lru-get-hit.html',
      'assets/uplot.js',
      'assets/runs.js',
      'assets/chart.js',
    ])
    const sizes = await Promise.all(result.files.map(async (f) => (await stat(f)).size))
    expect(result.bytes).toBe(sizes.reduce((a, b) => a + b, 0))
  })

  it('lists every metric on the index, grouped by plugin, with a link and a sparkline', async () => {
    const index = await read(result.files[0])
    expect(index.match(/<section class="card plugin">\n<h2>([^<]*)<\/h2>/g)).toEqual([
      '<section class="card plugin">\n<h2>template-rendering</h2>',
      '<section class="card plugin">\n<h2>cache</h2>',
    ])
    expect(index).toContain('>render invoice</a>')
    expect(index).toContain('>compile &lt;T&gt; partials</a>')
    expect(index).toContain('>lru get hit</a>')
    for (const file of pages(result).slice(1)) expect(index).toContain(`href="${file.slice(outDir.length + 1)}"`)
    expect(index.match(/<svg class="sparkline"/g)).toHaveLength(3)
    expect(index).toContain('<span class="badge pass"')
    expect(index).toContain('<span class="badge fail"')
    expect(index).toContain('<span class="badge none"')
  })

  it('lists the regression on the index with commit, date and change', async () => {
    const index = await read(result.files[0])
    const section = index.slice(index.indexOf('id="regressions"'), index.indexOf('class="card plugin"'))
    const cp = data.metrics[0].changePoints[0]
    expect(section).toContain(shortSha(cp.sha))
    expect(section).toContain('2025-02-10 02:00')
    expect(section).toContain('+30.0%')
    // The improvement of the second metric is a change point, not a regression.
    expect(section).not.toContain(shortSha(data.metrics[1].changePoints[0].sha))
  })

  it('never emits history text as markup', async () => {
    for (const file of pages(result)) {
      const html = await read(file)
      expect(html).not.toContain('<img src=x')
      expect(html).not.toContain('onerror="window')
      // One closing tag per script element: the JSON data and the three shared files.
      expect(html.match(/<\/script>/g)?.length ?? 0).toBe(file.endsWith('index.html') ? 0 : 4)
    }
    const index = await read(result.files[0])
    expect(index).toContain('feature/&lt;img src=x onerror=alert(1)&gt;')
    // The injected message is the title of the change point's commit; in runs.js it is JSON text.
    const page = await read(result.files[1])
    expect(page).toContain('perf: inline helpers &lt;img src=x onerror=&quot;window.__xss=1&quot;&gt; &amp; &quot;quotes&quot; &#39;too&#39;')
    expect(await read(result.files.find((f) => f.endsWith('runs.js'))!)).not.toMatch(/<\/?(script|img)/i)
  })

  it('shares the runs once: each page embeds run indexes and values, runs.js parses back to the original strings', async () => {
    const page = await read(result.files[1])
    const json = /<script type="application\/json" id="chart-data">([^<]*)<\/script>/.exec(page)?.[1]
    expect(json).toBeDefined()
    const chart = JSON.parse(json!)
    expect(chart.points).toHaveLength(60)
    const runs = await sharedRuns(result)
    expect(runs[chart.points[59][0]].runId).toBe(xss.runId)
    expect(runs[chart.points[40][0]].message).toBe(xss.message)
    expect(chart.points[59][1]).toBe(data.metrics[0].points[59].value)
    expect(chart.changePoints).toEqual([{ index: 40, regression: true, label: '+30.0%' }])
    // Axis labels are commits (run order), not days.
    expect(runs[chart.points[59][0]].label).toBe(shortSha(data.metrics[0].points[59].sha))
  })

  it('shares one copy of uPlot and loads nothing from elsewhere', async () => {
    const uplot = await readFile(join('node_modules', 'uplot', 'dist', 'uPlot.iife.min.js'), 'utf8')
    expect(await read(join(outDir, 'assets', 'uplot.js'))).toBe(`${uplot}\n`)
    for (const file of pages(result)) {
      const html = await read(file)
      expect(html).not.toContain(uplot.slice(0, 200))
      for (const [, src] of html.matchAll(/<script[^>]+src="([^"]*)"/gi)) expect(src).toMatch(/^\.\.\/assets\/(uplot|runs|chart)\.js$/)
      expect(html).not.toMatch(/<link[^>]+stylesheet/i)
      expect(html).toContain(`Content-Security-Policy" content="default-src 'none'`)
      expect(html).not.toMatch(/script-src[^;]*(https?:|\*)/)
    }
  })

  it('plots only the targets on the plotted statistic', async () => {
    const page = await read(result.files[2])
    const chart = JSON.parse(/id="chart-data">([^<]*)</.exec(page)![1])
    expect(chart.targets).toEqual([{ label: 'target mean >= 9,000 ops/s', value: 9000, onUpper: false }])
    expect(page).toContain('<code>p99 &gt;= 7,000 ops/s</code>')
  })

  it('writes the same bytes for the same data', async () => {
    const again = await mkdtemp(join(tmpdir(), 'perftrack-report-'))
    try {
      const second = await renderHtmlReport(buildFixture(), again)
      expect(second.bytes).toBe(result.bytes)
      for (let i = 0; i < result.files.length; i++) {
        expect(await read(second.files[i])).toBe(await read(result.files[i]))
      }
    } finally {
      await rm(again, { recursive: true, force: true })
    }
  })
})

describe('renderHtmlReport edge cases', () => {
  it('renders an empty report and metrics without runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'perftrack-report-'))
    try {
      const empty = await renderHtmlReport({ ...data, metrics: [] }, dir)
      expect(pages(empty)).toHaveLength(1)
      expect(await read(empty.files[0])).toContain('No metrics recorded yet.')

      const metric = { ...data.metrics[0], points: [], changePoints: [], latest: null }
      const noRuns = await renderHtmlReport({ ...data, metrics: [metric] }, dir)
      const page = await read(noRuns.files[1])
      expect(page).toContain('No runs recorded yet.')
      expect(page).not.toContain('<script')
      expect(await read(noRuns.files[0])).toContain('aria-label="no data"')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
