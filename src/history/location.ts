import path from 'node:path'

import { defaultDbPath } from '../core/defaults.js'
import { PerftrackError } from '../core/errors.js'

export type HistoryLocation = { kind: 'sqlite'; file: string; isDefault: boolean } | { kind: 'postgres'; url: string }

/** `--db` over `PERFTRACK_DB` over the config's `db` over `history/perftrack.sqlite`. */
export function resolveHistoryLocation(cwd: string, flag?: string, config?: string, env: NodeJS.ProcessEnv = process.env): HistoryLocation {
  const value = flag ?? env.PERFTRACK_DB ?? config
  if (value && /^postgres(ql)?:\/\//.test(value)) return { kind: 'postgres', url: checkPostgresUrl(value) }
  if (!value) return { kind: 'sqlite', file: path.resolve(cwd, defaultDbPath), isDefault: true }
  return { kind: 'sqlite', file: path.resolve(cwd, value), isDefault: false }
}

/** For messages: never print a password. */
export function describeLocation(target: HistoryLocation): string {
  if (target.kind === 'sqlite') return target.file
  try {
    const url = new URL(target.url)
    if (url.password) url.password = '***'
    return url.toString()
  } catch {
    return 'postgres://(unparseable URL)'
  }
}

/** A URL the pg driver would quietly read as 127.0.0.1:5432 (no host) or as another database is an error. */
function checkPostgresUrl(value: string): string {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  const problem = !url ? 'is not a valid URL' : !url.hostname ? 'names no host' : url.pathname.length <= 1 ? 'names no database' : undefined
  if (problem) {
    const shown = value.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@]*@/, '$1:***@')
    throw new PerftrackError('HISTORY_BAD_URL', `History database URL ${shown} ${problem}.`, {
      suggestions: ['Use postgres://USER:PASSWORD@HOST:PORT/DATABASE, e.g. postgres://perftrack:secret@db.example:5432/perftrack.'],
    })
  }
  return value
}
