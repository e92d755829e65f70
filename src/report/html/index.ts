import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { loadChartAssets } from './assets.js'
import { renderIndexPage, type MetricEntry } from './index-page.js'
import { renderMetricPage } from './metric-page.js'
import { metricSlugs } from './slug.js'
import type { HtmlReportResult, ReportData } from './types.js'

export type { HtmlReportResult, ReportChangePoint, ReportData, ReportMetric, ReportPoint, ReportTarget } from './types.js'
export { escapeHtml, jsonForScript } from './escape.js'

/**
 * Writes a static, self-contained HTML trend report: `index.html` and one
 * `metrics/<slug>.html` per metric, with uPlot inlined so it opens offline.
 * Pure rendering — the caller queries history; the same data gives the same bytes.
 * Existing files of the same names in `outDir` are overwritten, others left alone.
 */
export async function renderHtmlReport(data: ReportData, outDir: string): Promise<HtmlReportResult> {
  const root = resolve(outDir)
  const assets = await loadChartAssets()
  const entries: MetricEntry[] = metricSlugs(data.metrics).map((slug, i) => ({ metric: data.metrics[i], href: `metrics/${slug}.html` }))

  const pages = [
    { path: 'index.html', html: renderIndexPage(data, entries) },
    ...entries.map((entry) => ({ path: entry.href, html: renderMetricPage({ report: data, metric: entry.metric, assets }) })),
  ]

  await mkdir(join(root, 'metrics'), { recursive: true })
  let bytes = 0
  const files: string[] = []
  for (const page of pages) {
    const file = join(root, page.path)
    const content = Buffer.from(page.html, 'utf8')
    await writeFile(file, content)
    files.push(file)
    bytes += content.byteLength
  }
  return { files, bytes }
}
