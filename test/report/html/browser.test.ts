import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatValue, shortSha } from '../../../src/report/format.js'
import { type HtmlReportResult, renderHtmlReport } from '../../../src/report/html/index.js'
import { buildFixture, xss } from './fixture.js'

const chromiumPath = '/usr/bin/chromium'
const hasChromium = existsSync(chromiumPath)
const screenshots = fileURLToPath(new URL('../../test-results/', import.meta.url))
const data = buildFixture()

let outDir: string
let result: HtmlReportResult
let browser: Browser | undefined

/** What one page load did: console errors, uncaught errors, dialogs and every request. */
interface Visit {
  page: Page
  errors: string[]
  requests: string[]
  dialogs: string[]
}

async function visit(file: string): Promise<Visit> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } })
  const visit: Visit = { page, errors: [], requests: [], dialogs: [] }
  page.on('console', (msg) => {
    if (msg.type() === 'error') visit.errors.push(msg.text())
  })
  page.on('pageerror', (error) => visit.errors.push(error.message))
  page.on('request', (request) => visit.requests.push(request.url()))
  page.on('dialog', (dialog) => {
    visit.dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
  return visit
}

describe('HTML report in headless Chromium', () => {
  beforeAll(async () => {
    if (!hasChromium) return
    outDir = await mkdtemp(join(tmpdir(), 'perftrack-report-browser-'))
    result = await renderHtmlReport(data, outDir)
    await mkdir(screenshots, { recursive: true })
    browser = await chromium.launch({
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
  })

  afterAll(async () => {
    await browser?.close()
    if (outDir) await rm(outDir, { recursive: true, force: true })
  })

  // Skipped, not passed, where the browser is missing: the assertions below need a real one.
  it.skipIf(!hasChromium)('draws the metric chart, shows a tooltip on hover, runs no injected code and fetches nothing (needs /usr/bin/chromium)', async () => {
    const { page, errors, requests, dialogs } = await visit(result.files[1])

    const canvas = page.locator('#chart canvas')
    await expect.poll(() => canvas.count()).toBe(1)
    const drawn = await canvas.evaluate((el: HTMLCanvasElement) => {
      const pixels = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data
      let painted = 0
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++
      return { width: el.width, height: el.height, painted }
    })
    expect(drawn.width).toBeGreaterThan(300)
    expect(drawn.height).toBeGreaterThan(200)
    expect(drawn.painted).toBeGreaterThan(1000)

    // The right edge of the plot area is nearest to the last run.
    const over = await page.locator('.u-over').boundingBox()
    expect(over).not.toBeNull()
    await page.mouse.move(over!.x + over!.width - 2, over!.y + over!.height / 2)
    const tooltip = page.locator('#chart-tooltip')
    await expect.poll(() => tooltip.isVisible()).toBe(true)
    const last = data.metrics[0].points[59]
    const text = await tooltip.innerText()
    expect(text).toContain(shortSha(last.sha))
    expect(text).toContain(formatValue(last.value, 'ms'))
    expect(text).toContain(xss.runId)
    expect(text).toContain('2025-03-01 02:00')
    await page.screenshot({ path: join(screenshots, 'report-metric.png'), fullPage: true })

    // Hovering the commit with the injected message shows it as text.
    const x40 = await page.evaluate(() => {
      const over = document.querySelector('.u-over')!.getBoundingClientRect()
      return over.left + (40 / 59) * over.width
    })
    await page.mouse.move(x40, over!.y + over!.height / 2)
    await expect.poll(() => tooltip.innerText()).toContain(xss.message)

    await page.mouse.move(5, 5)
    await expect.poll(() => tooltip.isVisible()).toBe(false)

    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined()
    expect(dialogs).toEqual([])
    expect(errors).toEqual([])
    // The page and the report's three shared files, nothing else.
    const assets = ['uplot', 'runs', 'chart'].map((f) => pathToFileURL(join(outDir, 'assets', `${f}.js`)).href)
    expect(requests).toEqual([pathToFileURL(result.files[1]).href, ...assets])
    await page.close()
  })

  it.skipIf(!hasChromium)('renders the index without errors, scripts or requests, and links to the metric pages (needs /usr/bin/chromium)', async () => {
    const { page, errors, requests, dialogs } = await visit(result.files[0])
    await expect.poll(() => page.locator('svg.sparkline').count()).toBe(3)
    expect(await page.locator('h1').innerText()).toBe(data.title)
    expect(await page.locator('header.page').innerText()).toContain(xss.branch)
    await page.screenshot({ path: join(screenshots, 'report-index.png'), fullPage: true })

    await page.locator('a', { hasText: 'lru get hit' }).first().click()
    await page.waitForURL(/cache-lru-get-hit\.html$/)
    await expect.poll(() => page.locator('#chart canvas').count()).toBe(1)
    await page.screenshot({ path: join(screenshots, 'report-metric-target.png'), fullPage: true })
    await page.locator('a.back').click()
    await page.waitForURL(/index\.html$/)

    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined()
    expect(dialogs).toEqual([])
    expect(errors).toEqual([])
    const local = new Set(result.files.map((f) => pathToFileURL(f).href))
    expect(requests.filter((url) => !local.has(url))).toEqual([])
    await page.close()
  })

  it.skipIf(!hasChromium)('draws a single run and a series with a missing value without errors (needs /usr/bin/chromium)', async () => {
    const [metric] = data.metrics
    const single = { ...metric, benchmark: 'single', points: metric.points.slice(0, 1), changePoints: [] }
    const gappy = { ...metric, benchmark: 'gappy', points: metric.points.map((p, i) => (i === 10 ? { ...p, value: Number.NaN } : p)) }
    const dir = await mkdtemp(join(tmpdir(), 'perftrack-report-browser-'))
    try {
      const edge = await renderHtmlReport({ ...data, metrics: [single, gappy] }, dir)
      for (const file of edge.files.slice(1).filter((f) => f.endsWith('.html'))) {
        const { page, errors } = await visit(file)
        await expect.poll(() => page.locator('#chart canvas').count()).toBe(1)
        const over = (await page.locator('.u-over').boundingBox())!
        await page.mouse.move(over.x + over.width / 2, over.y + over.height / 2)
        await expect.poll(() => page.locator('#chart-tooltip').isVisible()).toBe(true)
        expect(errors).toEqual([])
        await page.close()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it.skipIf(!hasChromium)(
    'fills the runs table from the shared runs, links commits with --repo-url, labels the x-axis by commit (needs /usr/bin/chromium)',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'perftrack-report-browser-'))
      try {
        const linked = await renderHtmlReport({ ...data, repoUrl: 'https://github.com/example/perftrack' }, dir)
        const { page, errors } = await visit(linked.files[1])
        await page.locator('details summary').click()
        const rows = page.locator('#runs-body tr')
        await expect.poll(() => rows.count()).toBe(60)
        const points = data.metrics[0].points
        const newest = await rows.first().locator('td').allInnerTexts()
        expect(newest.slice(0, 5)).toEqual(['60', shortSha(points[59].sha), '2025-03-01 02:00', formatValue(points[59].value, 'ms'), xss.runId])
        expect(await rows.first().locator('a').getAttribute('href')).toBe(`https://github.com/example/perftrack/commit/${points[59].sha}`)
        // The injected message is text in its cell, never markup.
        expect(
          await rows
            .nth(59 - 40)
            .locator('td')
            .last()
            .innerText(),
        ).toBe(xss.message)
        expect(await page.locator('#runs-body img').count()).toBe(0)
        // Change points link to their commit too (server-rendered).
        expect(await page.locator('section.card table a[href*="/commit/"]').count()).toBeGreaterThan(60)
        // Axis labels: commits in run order, not dates.
        // uPlot keeps the labels it drew last on each axis (`_values`).
        const labels = await page.evaluate(
          () => (window as unknown as { perftrackChart: { axes: Array<{ _values: string[] }> } }).perftrackChart.axes[0]._values,
        )
        expect(labels.length).toBeGreaterThan(2)
        const shas = new Set(points.map((p) => shortSha(p.sha)))
        for (const label of labels) expect(shas.has(label), label).toBe(true)
        expect(errors).toEqual([])
        await page.close()
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    },
  )

  it.skipIf(!hasChromium)('draws the p95 as a band above the median and a p95 target against it (needs /usr/bin/chromium)', async () => {
    const [metric] = data.metrics
    const p95 = metric.points.map((p, i) => (i === 7 ? null : p.value * 1.4))
    const banded = { ...metric, p95, targets: [{ stat: 'p95', op: '<' as const, value: 30 }] }
    const dir = await mkdtemp(join(tmpdir(), 'perftrack-report-browser-'))
    try {
      const r = await renderHtmlReport({ ...data, metrics: [banded] }, dir)
      const { page, errors } = await visit(r.files[1])
      await expect.poll(() => page.locator('#chart canvas').count()).toBe(1)
      const chart = await page.evaluate(() => {
        const u = (
          window as unknown as { perftrackChart: { series: Array<{ label: string }>; data: Array<Array<number | null>>; bands?: Array<{ series: number[] }> } }
        ).perftrackChart
        return { labels: u.series.map((x) => x.label), p95: u.data[2], bands: (u.bands ?? []).map((b) => b.series) }
      })
      expect(chart.labels).toEqual(['Run', 'median', 'p95', 'target p95 < 30.00 ms'])
      expect(chart.p95).toEqual(p95)
      expect(chart.bands).toEqual([[2, 1]])
      expect(await page.locator('.chart-legend').innerText()).toContain('median–p95')
      const over = (await page.locator('.u-over').boundingBox())!
      await page.mouse.move(over.x + over.width - 2, over.y + over.height / 2)
      await expect.poll(() => page.locator('#chart-tooltip').innerText()).toContain(`p95 ${formatValue(p95[59]!, 'ms')}`)
      expect(errors).toEqual([])
      await page.screenshot({ path: join(screenshots, 'report-metric-band.png') })
      await page.close()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it.skipIf(!hasChromium)('fits a phone-sized screen without horizontal scrolling (needs /usr/bin/chromium)', async () => {
    const page = await browser!.newPage({ viewport: { width: 390, height: 800 } })
    for (const file of result.files.slice(0, 2)) {
      await page.goto(pathToFileURL(file).href)
      // The runs table open too: its rows are the widest content.
      if (await page.locator('details summary').count()) await page.locator('details summary').click()
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      expect(overflow).toBeLessThanOrEqual(0)
    }
    await page.screenshot({ path: join(screenshots, 'report-metric-narrow.png'), fullPage: true })
    await page.close()
  })
})
