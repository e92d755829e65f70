import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { fixture, quickArgs, runCli, tempDir } from '../helpers/cli.js'

describe('several processes writing one SQLite history', () => {
  it('four runs started at once all finish and are all stored complete', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'shared.sqlite')
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => runCli(['run', ...quickArgs, '--plugin-path', fixture('plugins', 'json-codec'), '--db', db, '--json'], { cwd: dir })),
    )
    for (const r of runs) expect(r.code, r.stderr).toBe(0)
    const ids = runs.map((r) => JSON.parse(r.stdout).run.id)
    const list = JSON.parse((await runCli(['history', 'list', '--db', db, '--json'], { cwd: dir })).stdout)
    expect(list.runs.map((r: any) => r.id).sort()).toEqual([...ids].sort())
    expect(list.runs.every((r: any) => r.status === 'complete')).toBe(true)
    for (const id of ids) {
      const show = JSON.parse((await runCli(['history', 'show', id, '--db', db, '--json'], { cwd: dir })).stdout)
      expect(show.results).toHaveLength(4)
    }
  })
})
