import path from 'node:path'

import { describe, expect, it } from 'vitest'
import { fixture, quickArgs, runCli, tempDir } from '../helpers/cli.js'
import { commit, demoPlugin, git } from '../helpers/git-repo.js'

// A plugin runs in a supervised child process: whatever it does, perftrack records it and goes on.
const hostile = (name: string) => fixture('plugins-hostile', name)
const codec = fixture('plugins', 'json-codec')
const codecBenchmarks = ['parse', 'stringify', 'parse-throughput', 'document-size']

async function storedRun(db: string, cwd: string) {
  const list = JSON.parse((await runCli(['history', 'list', '--db', db, '--json'], { cwd })).stdout)
  return JSON.parse((await runCli(['history', 'show', list.runs[0].id, '--db', db, '--json'], { cwd })).stdout)
}

const statuses = (results: Array<{ benchmark: string; status: string }>) => Object.fromEntries(results.map((r) => [r.benchmark, r.status]))

describe('a plugin can never take perftrack down with it', () => {
  it('a plugin whose setup mutates its benchmarks is measured as loaded, with a warning naming what changed', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'h.sqlite')
    const r = await runCli(['run', ...quickArgs, '--no-baseline', '--plugin-path', hostile('mutates-benchmarks'), '--db', db, '--json'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout)
    // No raw TypeError for the removed fn, and no result stored under the name setup gave it.
    expect(statuses(out.results)).toEqual({ 'loses-fn': 'completed', 'gets-renamed': 'completed', untouched: 'completed' })
    const warning = 'mutates-benchmarks: setup changed its benchmark definitions (loses-fn.fn, gets-renamed.name); they are measured as loaded.'
    expect(r.errors).toContain(warning)
    const stored = await storedRun(db, dir)
    expect(stored.run.note).toContain(warning)
    expect(stored.results.map((x: any) => x.benchmark)).toEqual(['loses-fn', 'gets-renamed', 'untouched'])
  }, 120_000)

  it('a benchmark that busy-waits is killed at --timeout, recorded as errored, and the run goes on', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'h.sqlite')
    const r = await runCli(['run', ...quickArgs, '--timeout', '500', '--plugin-path', hostile('busy-wait'), '--plugin-path', codec, '--db', db, '--json'], {
      cwd: dir,
    })
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout)
    expect(out.run.status).toBe('complete')
    const spins = out.results.find((x: any) => x.benchmark === 'spins')
    expect(spins).toMatchObject({
      status: 'errored',
      error: 'busy-wait/spins round 1 did not finish within 500 ms (timeout); its process was stopped. Raise --timeout if it is expected to be slow',
    })
    // The plugin's other benchmark ran in a fresh process, and the next plugin ran too.
    expect(statuses(out.results)).toMatchObject({ 'after-spin': 'completed', ...Object.fromEntries(codecBenchmarks.map((b) => [b, 'completed'])) })
    expect(r.stderr).toContain('busy-wait: a new process (setup again) measures the benchmarks after spins')
    const stored = await storedRun(db, dir)
    expect(stored.run.status).toBe('complete')
    expect(stored.results).toHaveLength(6)
  }, 120_000)

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during a busy-wait stops the run at once and stores it as aborted`, async () => {
      const dir = tempDir()
      const db = path.join(dir, 'h.sqlite')
      let sent = false
      // --timeout is far away: only the signal can end this run early.
      const r = await runCli(['run', ...quickArgs, '--timeout', '600000', '--plugin-path', hostile('busy-wait'), '--db', db, '--json'], {
        cwd: dir,
        onStderr: (text, child) => {
          if (!sent && text.includes('▶ busy-wait')) {
            sent = true
            setTimeout(() => child.kill(signal), 300)
          }
        },
      })
      expect(sent).toBe(true)
      expect(r.code).toBe(signal === 'SIGINT' ? 130 : 143)
      expect(r.stderr).toContain(`${signal}: stopping; the run will be stored as aborted.`)
      expect((await storedRun(db, dir)).run.status).toBe('aborted')
    }, 60_000)
  }

  it('process.exit(0) in a benchmark errors that benchmark with the reason; the rest runs and the exit code is 1', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'h.sqlite')
    const r = await runCli(['run', ...quickArgs, '--plugin-path', hostile('exit-in-benchmark'), '--plugin-path', codec, '--db', db, '--json'], { cwd: dir })
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout)
    expect(out.results.find((x: any) => x.benchmark === 'exits')).toMatchObject({
      status: 'errored',
      error: 'its process exited with code 0 before finishing (process.exit() in the plugin or in the code under test?)',
    })
    expect(statuses(out.results)).toMatchObject({ 'before-exit': 'completed', 'after-exit': 'completed', parse: 'completed', 'document-size': 'completed' })
    expect((await storedRun(db, dir)).run.status).toBe('complete')
  }, 120_000)

  it('process.exit(0) in setup errors every benchmark of that plugin as a failed setup; the others run', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'h.sqlite')
    const r = await runCli(['run', ...quickArgs, '--plugin-path', hostile('exit-in-setup'), '--plugin-path', codec, '--db', db, '--json'], { cwd: dir })
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout)
    expect(out.results[0]).toMatchObject({
      benchmark: 'never-measured',
      status: 'errored',
      error: 'setup failed: its process exited with code 0 before finishing (process.exit() in the plugin or in the code under test?)',
    })
    expect(out.results.slice(1).map((x: any) => x.status)).toEqual(['completed', 'completed', 'completed', 'completed'])
  }, 120_000)

  it('process.exit(0) at import is a load failure naming the file (exit 2); the other plugins run', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'h.sqlite')
    const r = await runCli(['run', ...quickArgs, '--plugin-path', hostile('exit-at-import'), '--plugin-path', codec, '--db', db, '--json'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toMatch(/exit-at-import[/\\]index\.ts: cannot be loaded — it called process\.exit\(0\) while being imported; remove the call/)
    const out = JSON.parse(r.stdout)
    expect(out.results.map((x: any) => x.benchmark)).toEqual(codecBenchmarks)
    expect((await storedRun(db, dir)).run).toMatchObject({ status: 'complete', note: expect.stringContaining('exit-at-import') })
  }, 120_000)

  it('an unhandled rejection in plugin code errors the benchmark it hit; the rest runs', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'h.sqlite')
    const r = await runCli(['run', ...quickArgs, '--plugin-path', hostile('unhandled-rejection'), '--plugin-path', codec, '--db', db, '--json'], { cwd: dir })
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout)
    expect(out.results.find((x: any) => x.benchmark === 'rejects')).toMatchObject({
      status: 'errored',
      error: 'unhandled rejection in plugin code: cache warm-up failed: connection refused',
    })
    expect(statuses(out.results)).toMatchObject({ 'after-rejection': 'completed', parse: 'completed', 'document-size': 'completed' })
    expect(r.stderr).not.toMatch(/^\s+at /m)
  }, 120_000)

  it('console.log in plugin code goes to stderr: run --json stdout is the JSON alone', async () => {
    const dir = tempDir()
    const r = await runCli(['run', ...quickArgs, '--plugin-path', hostile('console-log'), '--db', path.join(dir, 'h.sqlite'), '--json'], { cwd: dir })
    expect(r.code).toBe(0)
    expect(r.stdout.trimStart().startsWith('{')).toBe(true)
    expect(JSON.parse(r.stdout).results.map((x: any) => x.status)).toEqual(['completed', 'completed'])
    for (const text of ['console-log plugin: imported', 'console-log plugin: setup', '{"not": "perftrack output"}', 'handled request', 'measuring']) {
      expect(r.stdout).not.toContain(text)
      expect(r.stderr).toContain(text)
    }
  }, 120_000)

  it('compare is not broken by a plugin that logs to stdout on both sides', async () => {
    const dir = tempDir('perftrack-repo-')
    git(dir, 'init', '-q', '-b', 'main')
    git(dir, 'config', 'user.email', 'test@example.com')
    git(dir, 'config', 'user.name', 'test')
    const logging = (loops: number) =>
      demoPlugin(loops).replace(
        'export default {',
        "console.log('service started')\nexport default {\n  setup: () => { console.log('setup done'); return {} },",
      )
    commit(dir, { 'plugins/demo/index.ts': logging(20_000) }, 'c1')
    commit(dir, { 'plugins/demo/index.ts': logging(20_001) }, 'c2')
    const r = await runCli(
      ['compare', 'HEAD~1..HEAD', '--processes', '2', '--time', '20', '--db', path.join(dir, '..', `${path.basename(dir)}.sqlite`), '--json', '--clean'],
      { cwd: dir },
    )
    expect(r.errors).not.toContain('SIDE_RUN_FAILED')
    expect(r.code).not.toBe(2)
    const out = JSON.parse(r.stdout)
    expect(out.comparisons.map((c: any) => c.benchmark).sort()).toEqual(['answer', 'work'])
  }, 240_000)
})
