import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { PerftrackError } from '../../src/core/errors.js'
import { loadSqlite3 } from '../../src/history/sqlite-binding.js'
import { repoRoot, tempDir } from '../helpers/cli.js'

/**
 * The real sqlite3 package, as pnpm 10 or `npm install --ignore-scripts` leaves it: its
 * JavaScript and its `bindings` lookup, but no compiled build/ folder.
 */
function sqlite3WithoutBuild(): string {
  const dir = tempDir('perftrack-nobinding-')
  const from = path.join(repoRoot, 'node_modules')
  const to = path.join(dir, 'node_modules')
  mkdirSync(path.join(to, 'sqlite3'), { recursive: true })
  cpSync(path.join(from, 'sqlite3', 'package.json'), path.join(to, 'sqlite3', 'package.json'))
  cpSync(path.join(from, 'sqlite3', 'lib'), path.join(to, 'sqlite3', 'lib'), { recursive: true })
  for (const dep of ['bindings', 'file-uri-to-path']) cpSync(path.join(from, dep), path.join(to, dep), { recursive: true })
  writeFileSync(path.join(dir, 'package.json'), '{"name":"service","private":true}\n')
  return dir
}

describe('sqlite3 without its native addon', () => {
  it('is one error with exit 2 that names the cause and the fixes for npm and pnpm', async () => {
    const dir = sqlite3WithoutBuild()
    const requireThere = createRequire(path.join(dir, 'index.js'))
    const error = await loadSqlite3(async () => requireThere('sqlite3')).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(PerftrackError)
    const e = error as PerftrackError
    expect(e.code).toBe('SQLITE_BINDING_MISSING')
    expect(e.exit).toBe(2)
    expect(e.message).toMatch(/\(Could not locate the bindings file\)/)
    expect(e.message.split('\n')).toHaveLength(1)
    expect(e.suggestions.join('\n')).toMatch(/npm rebuild sqlite3/)
    expect(e.suggestions.join('\n')).toMatch(/"onlyBuiltDependencies": \["sqlite3"\]/)
  })

  it('passes other load errors through unchanged', async () => {
    const other = new Error('EACCES: permission denied')
    await expect(loadSqlite3(async () => Promise.reject(other))).rejects.toBe(other)
  })

  it('loads the real, built sqlite3 here', async () => {
    await expect(loadSqlite3()).resolves.toBeUndefined()
  })
})
