import { appendFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import type { CiReport } from './ci-report.js'
import { githubAnnotations, githubOutputs, writeGithubOutputs } from './github.js'
import { renderJunit } from './junit.js'
import { renderMarkdown, renderPrComment } from './markdown.js'

/** File renderers for CI, looked up by flag name (a registry, not a switch). */
export const fileRenderers = {
  markdown: renderMarkdown,
  junit: renderJunit,
  'pr-comment': renderPrComment,
} satisfies Record<string, (report: CiReport) => string>

export type FileReportFlags = Partial<Record<keyof typeof fileRenderers, string>>

const sameFile = (a: string, b: string) => path.resolve(a) === path.resolve(b)

/**
 * Writes each requested report. The Markdown is appended to `$GITHUB_STEP_SUMMARY` when that
 * is set (also when --markdown names it: the summary collects every step's output, so it is
 * never overwritten).
 */
export function writeFileReports(flags: FileReportFlags, report: CiReport, env: NodeJS.ProcessEnv = process.env): string[] {
  const written: string[] = []
  const summary = env.GITHUB_STEP_SUMMARY
  for (const [name, render] of Object.entries(fileRenderers) as Array<[keyof typeof fileRenderers, (report: CiReport) => string]>) {
    const file = flags[name]
    if (!file) continue
    if (summary && name === 'markdown' && sameFile(file, summary)) continue
    writeFileSync(file, render(report))
    written.push(file)
  }
  if (summary && flags.markdown) appendFileSync(summary, renderMarkdown(report))
  return written
}

/**
 * Inside GitHub Actions (`GITHUB_ACTIONS=true`): annotations on `write` (stdout, or stderr
 * when stdout carries --json) and step outputs appended to `$GITHUB_OUTPUT`.
 */
export function emitGithub(report: CiReport, write: (line: string) => void, extra: Record<string, string> = {}, env: NodeJS.ProcessEnv = process.env): void {
  if (env.GITHUB_ACTIONS !== 'true') return
  for (const line of githubAnnotations(report)) write(line)
  if (env.GITHUB_OUTPUT) writeGithubOutputs(env.GITHUB_OUTPUT, githubOutputs(report, extra))
}
