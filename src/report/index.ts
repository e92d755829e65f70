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

/** A report file that could not be written: the flag (or variable) that named it and why. */
export interface ReportWriteFailure {
  flag: string
  file: string
  reason: string
}

export interface FileReportsWritten {
  written: string[]
  failed: ReportWriteFailure[]
}

/** Node's error codes in words a user can act on. */
function writeFailureReason(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code
  const dir = path.dirname(path.resolve(file))
  if (file === '') return 'the path is empty'
  if (code === 'ENOENT') return `directory ${dir} does not exist`
  if (code === 'EISDIR') return 'it is a directory; name a file in it'
  if (code === 'ENOTDIR') return `a part of ${dir} is a file, not a directory`
  if (code === 'ENOSPC') return 'no space left on the device'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'EROFS') return 'the file system is read-only'
  return error instanceof Error ? error.message : String(error)
}

function attempt(failed: ReportWriteFailure[], flag: string, file: string, write: () => void): boolean {
  try {
    if (file === '') throw new Error('empty path')
    write()
    return true
  } catch (error) {
    failed.push({ flag, file, reason: writeFailureReason(file, error) })
    return false
  }
}

/**
 * Writes each requested report. The Markdown is appended to `$GITHUB_STEP_SUMMARY` when that
 * is set (also when --markdown names it: the summary collects every step's output, so it is
 * never overwritten). A file that cannot be written does not stop the others: it is returned
 * in `failed` for the command to report (the run is stored by then).
 */
export function writeFileReports(flags: FileReportFlags, report: CiReport, env: NodeJS.ProcessEnv = process.env): FileReportsWritten {
  const written: string[] = []
  const failed: ReportWriteFailure[] = []
  const summary = env.GITHUB_STEP_SUMMARY
  for (const [name, render] of Object.entries(fileRenderers) as Array<[keyof typeof fileRenderers, (report: CiReport) => string]>) {
    const file = flags[name]
    if (file === undefined) continue
    if (summary && name === 'markdown' && sameFile(file, summary)) continue
    if (attempt(failed, `--${name}`, file, () => writeFileSync(file, render(report)))) written.push(file)
  }
  if (summary && flags.markdown !== undefined) attempt(failed, '$GITHUB_STEP_SUMMARY', summary, () => appendFileSync(summary, renderMarkdown(report)))
  return { written, failed }
}

/** One line per report that could not be written, saying what is stored anyway. */
export function describeWriteFailures(failed: ReportWriteFailure[], stored: string): string[] {
  return failed.map(
    (f) => `✗ ${f.flag} ${f.file === '' ? "''" : f.file}: cannot write the report (${f.reason}); ${stored}. Pass a writable file path to ${f.flag}.`,
  )
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
