import { mkdirSync } from 'node:fs'
import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { fixture, quickArgs, runCli, tempDir } from '../helpers/cli.js'

/**
 * A report file that cannot be written comes after the run is measured and stored: each is named
 * with its flag and reason, exit 2, and the run is kept in the history.
 */
describe('perftrack run: report files that cannot be written', () => {
  it('names each flag and why, exits 2, keeps the --json output and the stored run', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'h.sqlite')
    const summaryDir = path.join(dir, 'summary-dir')
    mkdirSync(summaryDir)
    const missing = path.join(dir, 'no-such-dir', 'perf.xml')
    const r = await runCli(
      [
        'run',
        ...quickArgs,
        '--plugin-path',
        fixture('plugins', 'json-codec'),
        '--bench',
        'parse',
        '--no-baseline',
        '--db',
        db,
        '--json',
        '--junit',
        missing,
        '--markdown',
        dir,
        '--pr-comment',
        '/dev/full',
      ],
      { cwd: dir, env: { GITHUB_ACTIONS: undefined, GITHUB_STEP_SUMMARY: summaryDir } },
    )
    expect(r.code).toBe(2)
    const out = JSON.parse(r.stdout)
    expect(out.run.status).toBe('complete')
    const stored = `run ${out.run.id} is stored in the history all the same (perftrack history show ${out.run.id})`
    expect(r.errors).toContain(
      `✗ --junit ${missing}: cannot write the report (directory ${path.dirname(missing)} does not exist); ${stored}. Pass a writable file path to --junit.`,
    )
    expect(r.errors).toContain(`✗ --markdown ${dir}: cannot write the report (it is a directory; name a file in it); ${stored}.`)
    expect(r.errors).toContain(`✗ --pr-comment /dev/full: cannot write the report (no space left on the device); ${stored}.`)
    expect(r.errors).toContain(`✗ $GITHUB_STEP_SUMMARY ${summaryDir}: cannot write the report (it is a directory; name a file in it); ${stored}.`)
    expect(r.errors).not.toMatch(/\n\s+at /) // no stack trace

    const list = await runCli(['history', 'list', '--db', db, '--json'], { cwd: dir })
    expect(JSON.parse(list.stdout).runs).toEqual([expect.objectContaining({ id: out.run.id, status: 'complete' })])
    const show = JSON.parse((await runCli(['history', 'show', out.run.id, '--db', db, '--json'], { cwd: dir })).stdout)
    expect(show.results).toEqual([expect.objectContaining({ benchmark: 'parse', status: 'completed' })])
  }, 120_000)
})
