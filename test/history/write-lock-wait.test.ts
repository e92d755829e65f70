import path from 'node:path'

import sqlite3 from 'sqlite3'
import { describe, expect, it } from 'vitest'

import { HistoryStore } from '../../src/history/store.js'
import { fixture, runCli, tempDir } from '../helpers/cli.js'

const exec = (db: sqlite3.Database, sql: string) => new Promise<void>((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())))

describe('a history whose write lock another process holds', () => {
  it('says what the command waits for, then goes on once the lock is released', async () => {
    const file = path.join(tempDir(), 'history.sqlite')
    // A migrated history, then another connection (standing in for another perftrack process) holding its write lock.
    await (await HistoryStore.open({ kind: 'sqlite', file, isDefault: false })).close()
    const holder = new sqlite3.Database(file)
    await exec(holder, 'BEGIN EXCLUSIVE')
    // Released after SQLite's 15 s busy timeout has run out once, so the wait is certain to have been announced.
    const release = new Promise<void>((resolve) => setTimeout(() => void exec(holder, 'COMMIT').then(() => holder.close(() => resolve())), 20_000))
    const run = await runCli([
      'run',
      '--quick',
      '--plugin-path',
      fixture('plugins', 'json-codec'),
      '--plugin',
      'json-codec',
      '--no-baseline',
      '--db',
      file,
      '--json',
    ])
    await release
    expect(run.stderr).toContain(`perftrack: waiting for another process that is writing the history ${file}`)
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout).run.status).toBe('complete')
  }, 120_000)
})
