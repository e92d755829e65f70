import { constants, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { dirname, join, parse, relative, resolve } from 'node:path'

import { PerftrackError } from '../../core/errors.js'

/** In the head of every page perftrack writes: how `report --out` knows a folder holds its own report. */
export const generatorMeta = '<meta name="generator" content="perftrack">'

const lstat = (file: string) => {
  try {
    return lstatSync(file)
  } catch {
    return undefined
  }
}

function writtenByPerftrack(dir: string): boolean {
  try {
    return readFileSync(join(dir, 'index.html'), 'utf8').includes(generatorMeta)
  } catch {
    return false
  }
}

/**
 * Refuses an output folder that writing the report could harm, before anything is queried or
 * written: '' and a file-system root, a path that is a file, a folder that holds other files
 * and no perftrack report (unless `force`), and any symlink among the paths the report writes
 * (never, also with `force`: a link could lead out of the folder).
 */
export function checkReportDir(out: string, relativePaths: readonly string[], options: { force?: boolean } = {}): string {
  if (out.trim() === '') {
    throw new PerftrackError('REPORT_OUT_INVALID', "--out '' names no folder.", {
      suggestions: ['Pass the folder to write the report into, e.g. --out perf-report.'],
    })
  }
  const root = resolve(out)
  if (parse(root).root === root) {
    throw new PerftrackError('REPORT_OUT_INVALID', `--out ${out} is the root of the file system; perftrack writes a report only into its own folder.`, {
      suggestions: ['Pass a folder for the report, e.g. --out perf-report.'],
    })
  }
  const stat = lstat(root)
  if (stat?.isSymbolicLink()) {
    const target = realpathSync(root)
    if (!lstatSync(target).isDirectory())
      throw new PerftrackError('REPORT_OUT_INVALID', `--out ${out} is a link to ${target}, which is not a folder.`, {
        suggestions: ['Pass a folder for the report.'],
      })
  } else if (stat && !stat.isDirectory()) {
    throw new PerftrackError('REPORT_OUT_INVALID', `--out ${out} is a file, not a folder; the report is a folder of pages (index.html, metrics/, assets/).`, {
      suggestions: [`Pass a folder, e.g. --out ${join(dirname(out), 'perf-report')}.`],
    })
  }
  if (!stat) return root
  const entries = readdirSync(root)
  if (entries.length > 0 && !writtenByPerftrack(root) && !options.force) {
    const shown = entries.length > 5 ? `${entries.slice(0, 5).join(', ')}, …` : entries.join(', ')
    throw new PerftrackError('REPORT_OUT_NOT_EMPTY', `--out ${out} holds other files (${shown}) and no perftrack report; perftrack will not write over them.`, {
      suggestions: ['Pass an empty or new folder, or --force to write the report into this one (files of the same names are replaced).'],
    })
  }
  // The folders and files the report writes: none may be a link (mkdir and writeFile follow links).
  const links = [...new Set(relativePaths.flatMap((p) => [p, ...ancestors(p)]))].filter((p) => lstat(join(root, p))?.isSymbolicLink())
  if (links.length > 0) {
    throw new PerftrackError(
      'REPORT_OUT_SYMLINK',
      `--out ${out}: ${links.map((p) => `${p} -> ${realpathOrDangling(join(root, p))}`).join(', ')} ${links.length === 1 ? 'is a symbolic link' : 'are symbolic links'}; perftrack never writes through one.`,
      {
        suggestions: ['Remove the link(s) or pass another folder.'],
      },
    )
  }
  return root
}

function ancestors(relativePath: string): string[] {
  const out: string[] = []
  for (let dir = dirname(relativePath); dir !== '.' && dir !== ''; dir = dirname(dir)) out.push(dir)
  return out
}

function realpathOrDangling(file: string): string {
  try {
    return relative(process.cwd(), realpathSync(file)) || '.'
  } catch {
    return '(nothing)'
  }
}

/** Writes a file, failing (ELOOP) instead of following a symlink put there since the check. */
export async function writeNoFollow(file: string, content: Buffer): Promise<void> {
  const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644)
  try {
    await handle.writeFile(content)
  } finally {
    await handle.close()
  }
}
