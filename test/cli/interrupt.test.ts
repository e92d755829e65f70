import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { fixture, runCli, tempDir } from '../helpers/cli.js'

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
})
