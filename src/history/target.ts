import path from 'node:path'

import { defaultDbPath } from '../core/defaults.js'

export type DbTarget = { kind: 'sqlite'; file: string; isDefault: boolean } | { kind: 'postgres'; url: string }

/** `--db` over `PERFTRACK_DB` over the config's `db` over `history/perftrack.sqlite`. */
export function resolveDbTarget(cwd: string, flag?: string, config?: string, env: NodeJS.ProcessEnv = process.env): DbTarget {
  const value = flag ?? env.PERFTRACK_DB ?? config
  if (value && /^postgres(ql)?:\/\//.test(value)) return { kind: 'postgres', url: value }
  if (!value) return { kind: 'sqlite', file: path.resolve(cwd, defaultDbPath), isDefault: true }
  return { kind: 'sqlite', file: path.resolve(cwd, value), isDefault: false }
}

/** For messages: never print a password. */
export function describeTarget(target: DbTarget): string {
  if (target.kind === 'sqlite') return target.file
  try {
    const url = new URL(target.url)
    if (url.password) url.password = '***'
    return url.toString()
  } catch {
    return 'postgres://(unparseable URL)'
  }
}
