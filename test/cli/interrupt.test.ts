import { type ChildProcess, execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { fixture, quickArgs, runCli, tempDir } from '../helpers/cli.js'

/** The status of the one run in a history, read without writing to it; undefined until it exists. */
async function storedStatus(db: string): Promise<string | undefined> {
  if (!existsSync(db)) return undefined
  const { default: sqlite3 } = await import('sqlite3')
  return new Promise((resolve) => {
    const handle = new sqlite3.Database(db, sqlite3.OPEN_READONLY, (err) => {
      if (err) return resolve(undefined)
      handle.all('SELECT status FROM runs', (e, rows: Array<{ status: string }> | undefined) =>
        handle.close(() => resolve(e || !rows?.length ? undefined : rows[0].status)),
      )
    })
  })
}

describe('SIGINT during a run', () => {
  it('stores the run as aborted, keeps the finished results and leaves the database intact', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'h.sqlite')
    let sent = false
    const r = await runCli(['run', '--plugin-path', fixture('plugins', 'slow'), '--rounds', '3', '--time', '300', '--db', db, '--json'], {
      cwd: dir,
      // Interrupt once the first benchmark is stored and the second is under way.
      onStderr: (text, child) => {
        if (!sent && /✓ sleep-0/.test(text)) {
          sent = true
          setTimeout(() => child.kill('SIGINT'), 100)
        }
      },
    })
    expect(sent).toBe(true)
    expect(r.code).toBe(130)
    expect(r.stderr).toContain('SIGINT: stopping; the run will be stored as aborted.')
    const list = await runCli(['history', 'list', '--db', db, '--json'], { cwd: dir })
    expect(list.code).toBe(0)
    const [run] = JSON.parse(list.stdout).runs
    expect(run.status).toBe('aborted')
    const show = JSON.parse((await runCli(['history', 'show', run.id, '--db', db, '--json'], { cwd: dir })).stdout)
    expect(show.results[0]).toMatchObject({ benchmark: 'sleep-0', status: 'completed' })
    expect(show.results.length).toBeLessThan(6)
  })

  it('after the last benchmark, says the run is stored as complete, and it is', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'h.sqlite')
    // A named pipe as --markdown holds the run at its reports, after the run is stored, until read.
    const fifo = path.join(dir, 'summary.md')
    execFileSync('mkfifo', [fifo])
    let child: ChildProcess | undefined
    const done = runCli(
      ['run', ...quickArgs, '--plugin-path', fixture('plugins', 'json-codec'), '--bench', 'parse', '--no-baseline', '--markdown', fifo, '--db', db, '--json'],
      {
        cwd: dir,
        env: { GITHUB_STEP_SUMMARY: undefined, GITHUB_ACTIONS: undefined },
        onSpawn: (c) => (child = c),
      },
    )
    let status: string | undefined
    for (let i = 0; i < 1200 && status !== 'complete'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      status = await storedStatus(db)
    }
    expect(status).toBe('complete')
    child!.kill('SIGINT')
    const markdown = await readFile(fifo, 'utf8')
    const r = await done
    expect(markdown).toContain('perftrack run')
    expect(r.code).toBe(130)
    expect(r.stderr).toContain('SIGINT: every benchmark had finished and the run is stored as complete; finishing its reports, then exiting.')
    expect(r.stderr).not.toContain('stored as aborted')
    expect(JSON.parse(r.stdout).run.status).toBe('complete')
    expect(await storedStatus(db)).toBe('complete')
  }, 180_000)
})
