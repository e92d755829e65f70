import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { jsonForScript } from '../escape.js'
import { firstLine, formatDate, shortSha } from '../format.js'
import { loadChartAssets } from './assets.js'
import { chartScript, type SharedRun, sharedRunsGlobal } from './chart-script.js'
import { type MetricEntry, renderIndexPage } from './index-page.js'
import { renderMetricPage } from './metric-page.js'
import { checkReportDir, writeNoFollow } from './out-dir.js'
import { metricSlugs } from './slug.js'
import type { HtmlReportResult, ReportData } from './types.js'

export type { HtmlReportResult, ReportChangePoint, ReportData, ReportMetric, ReportPoint, ReportTarget } from './types.js'

/** The report's shared files, relative to its root; pages in metrics/ load them as `../assets/…`. */
export const sharedFiles = { uplot: 'assets/uplot.js', runs: 'assets/runs.js', chart: 'assets/chart.js' } as const

/** Every run of any metric once, oldest first (by date, then first appearance). */
function sharedRuns(data: ReportData): { runs: SharedRun[]; index: Map<string, number> } {
  const seen = new Map<string, { date: string; sha: string | null; message: string | null | undefined; order: number }>()
  for (const m of data.metrics)
    for (const p of m.points) if (!seen.has(p.runId)) seen.set(p.runId, { date: p.date, sha: p.sha, message: p.message, order: seen.size })
  const ordered = [...seen.entries()].sort((a, b) => (a[1].date < b[1].date ? -1 : a[1].date > b[1].date ? 1 : a[1].order - b[1].order))
  const runs = ordered.map(
    ([runId, r], i): SharedRun => ({
      label: r.sha ? shortSha(r.sha) : `#${i + 1}`,
      sha: r.sha ? shortSha(r.sha) : '',
      commit: r.sha ?? '',
      date: formatDate(r.date),
      runId,
      message: firstLine(r.message),
    }),
  )
  return { runs, index: new Map(runs.map((r, i) => [r.runId, i])) }
}

/**
 * Writes a static HTML trend report: `index.html`, one `metrics/<slug>.html` per metric, and
 * the files every page shares (`assets/uplot.js`, `assets/chart.js`, `assets/runs.js`: uPlot,
 * the chart code and the runs' commits, dates and messages, written once instead of per page).
 * Plain `<script src>` files, so the report still opens offline from `file://`.
 * Pure rendering — the caller queries history; the same data gives the same bytes.
 * `outDir` must be new, empty or hold an earlier perftrack report (or `force`), and no path the
 * report writes may be a symlink ({@link checkReportDir}). Existing files of the same names are
 * replaced, others left alone.
 */
export async function renderHtmlReport(data: ReportData, outDir: string, options: { force?: boolean } = {}): Promise<HtmlReportResult> {
  const root = resolve(outDir)
  const assets = await loadChartAssets()
  const entries: MetricEntry[] = metricSlugs(data.metrics).map((slug, i) => ({ metric: data.metrics[i], href: `metrics/${slug}.html` }))
  const { runs, index } = sharedRuns(data)
  const scripts = [sharedFiles.uplot, sharedFiles.runs, sharedFiles.chart].map((f) => `../${f}`)

  const pages = [
    { path: 'index.html', html: renderIndexPage(data, entries) },
    ...entries.map((entry) => ({ path: entry.href, html: renderMetricPage({ report: data, metric: entry.metric, assets, runIndex: index, scripts }) })),
    { path: sharedFiles.uplot, html: `${assets.script}\n` },
    { path: sharedFiles.runs, html: `window.${sharedRunsGlobal} = ${jsonForScript(runs)};\n` },
    { path: sharedFiles.chart, html: `${chartScript}\n` },
  ]

  checkReportDir(
    root,
    pages.map((p) => p.path),
    { force: options.force },
  )
  await mkdir(join(root, 'metrics'), { recursive: true })
  await mkdir(join(root, 'assets'), { recursive: true })
  let bytes = 0
  const files: string[] = []
  for (const page of pages) {
    const file = join(root, page.path)
    const content = Buffer.from(page.html, 'utf8')
    await writeNoFollow(file, content)
    files.push(file)
    bytes += content.byteLength
  }
  return { files, bytes }
}
