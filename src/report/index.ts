import { appendFileSync, writeFileSync } from 'node:fs'

import { renderJunit } from './junit.js'
import { renderMarkdown } from './markdown.js'
import type { MetricRow } from './metric-rows.js'

/** File renderers for CI, looked up by flag name (STYLE.md: registries, not switches). */
export const fileRenderers = {
  markdown: renderMarkdown,
  junit: renderJunit,
} satisfies Record<string, (title: string, rows: MetricRow[]) => string>

export type FileReportFlags = Partial<Record<keyof typeof fileRenderers, string>>

/** Writes each requested report; with --markdown, the table is also appended to `$GITHUB_STEP_SUMMARY` when that is set. */
export function writeFileReports(flags: FileReportFlags, title: string, rows: MetricRow[], env: NodeJS.ProcessEnv = process.env): string[] {
  const written: string[] = []
  for (const [name, render] of Object.entries(fileRenderers) as Array<[keyof typeof fileRenderers, (typeof fileRenderers)[keyof typeof fileRenderers]]>) {
    const file = flags[name]
    if (!file) continue
    writeFileSync(file, render(title, rows))
    written.push(file)
  }
  const summary = env.GITHUB_STEP_SUMMARY
  if (summary && flags.markdown && flags.markdown !== summary) appendFileSync(summary, renderMarkdown(title, rows))
  return written
}
