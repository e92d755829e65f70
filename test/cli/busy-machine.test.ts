import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { afterEach, describe, expect, it } from 'vitest'

import { machineLoadDefaults } from '../../src/core/defaults.js'
import { binRun, type CliResult, fixture, runCli, tempDir } from '../helpers/cli.js'
import { makeDemoRepo } from '../helpers/git-repo.js'

// Real measurements, not injected ones: perftrack and a busy loop of the same priority share
// one core (taskset), so the measuring thread waits for the CPU about half the time it wants
// it — far over the limit, whatever else the machine is doing. (Nothing here asserts that a
// machine is quiet: that would depend on the machine; test/jobs/busy-calibration.test.ts pins
// the quiet side with fixed figures.)
const limit = machineLoadDefaults.busyWaitFraction
const pinnable = process.platform === 'linux' && spawnSync('taskset', ['-c', '0', 'true']).status === 0

const loops: ChildProcess[] = []
afterEach(() => {
  for (const loop of loops.splice(0)) loop.kill('SIGKILL')
})

/** A busy loop on core 0, at this process's priority (nice is inherited). */
function busyLoop(): void {
  loops.push(spawn('taskset', ['-c', '0', process.execPath, '-e', 'for(;;){}'], { stdio: 'ignore' }))
}

/** The CLI pinned to core 0 (its children inherit the affinity). */
function runPinned(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', '0', process.execPath, binRun, ...args], {
      cwd,
      env: { ...process.env, PERFTRACK_DB: undefined, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, errors: stderr.replace(/\n ›\s+/g, ' ').replace(/[ \t]+/g, ' ') }))
  })
}

/** Busy loops, one per core, unpinned, at this process's priority. */
function busyEverywhere(): void {
  for (let i = 0; i < os.availableParallelism(); i++) loops.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }))
}

describe('how busy the machine was, through the CLI', () => {
  it('run --json carries the load at run level, stores it with the run, and leaves the results as they were', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'h.sqlite')
    const r = await runCli(['run', '--plugin-path', fixture('plugins', 'json-codec'), '--quick', '--no-baseline', '--json', '--db', db], { cwd: dir })
    expect(r.code, r.errors).toBe(0)
    const out = JSON.parse(r.stdout)
    if (process.platform === 'linux') {
      expect(out.run.load.state).toBe('measured')
      expect(out.run.load.waitFraction).toBeGreaterThanOrEqual(0)
      expect(out.run.load.waitFraction).toBeLessThanOrEqual(1)
      expect(out.run.load.stealFraction).toBeGreaterThanOrEqual(0)
    } else expect(out.run.load.state).toBe('unavailable')
    for (const result of out.results) expect(result).not.toHaveProperty('load')
    const shown = JSON.parse((await runCli(['history', 'show', out.run.id, '--db', db, '--json'], { cwd: dir })).stdout)
    expect(shown.run.load).toEqual(out.run.load)
  }, 120_000)

  it.runIf(process.platform === 'linux')(
    'compare side by side judges by the CPU other processes used, and says so',
    async () => {
      const { dir } = makeDemoRepo()
      const db = path.join(dir, '..', `${path.basename(dir)}-duet.sqlite`)
      // Busy loops on every core take about half the machine from the two sides, whatever else runs.
      busyEverywhere()
      const md = path.join(dir, '..', `${path.basename(dir)}-duet.md`)
      const budget = ['--processes', '3', '--rounds', '1', '--time', '20', '--warmup', '10', '--max-warmup', '50', '--max-time', '0', '--db', db]
      const r = await runCli(['compare', 'HEAD~1..HEAD', ...budget, '--fail-on', 'none', '--json', '--markdown', md], { cwd: dir })
      expect(r.code, r.errors).toBe(0)
      const cmp = JSON.parse(r.stdout)
      expect(cmp.load.othersFraction).toBeGreaterThan(machineLoadDefaults.busyOthersFraction)
      expect(cmp.load.othersFraction).toBeLessThanOrEqual(1)
      const line = `other processes used ${Math.round(cmp.load.othersFraction * 100)}% of the machine's CPU while both sides ran side by side`
      expect(r.errors).toContain(`warning: the machine was busy: ${line}`)
      expect(readFileSync(md, 'utf8')).toContain(`> ⚠️ The machine was busy: ${line}`)
    },
    300_000,
  )

  describe.runIf(pinnable)('on a busy core', () => {
    it('run says so on the console and in its Markdown report, with the figure', async () => {
      const dir = tempDir()
      busyLoop()
      const md = path.join(dir, 'report.md')
      const args = ['run', '--plugin-path', fixture('plugins', 'json-codec'), '--quick', '--no-baseline', '--json', '--db', path.join(dir, 'h.sqlite')]
      const r = await runPinned([...args, '--markdown', md], dir)
      expect(r.code, r.errors).toBe(0)
      const load = JSON.parse(r.stdout).run.load
      expect(load.state).toBe('measured')
      expect(load.waitFraction).toBeGreaterThan(limit)
      const percent = `${Math.round(load.waitFraction * 100)}%`
      expect(r.errors).toContain(`warning: the machine was busy: the measuring process waited for a CPU ${percent} of the time`)
      expect(readFileSync(md, 'utf8')).toContain(`> ⚠️ The machine was busy: the measuring process waited for a CPU ${percent} of the time`)
    }, 120_000)

    it('calibrate stores its runs but not its thresholds (exit 2) unless --allow-busy; compare shows the figure per side and in its report', async () => {
      const { dir } = makeDemoRepo()
      const db = path.join(dir, '..', `${path.basename(dir)}-busy.sqlite`)
      // One process at a time: side by side (the default) the figure includes the two processes'
      // contention with each other, and side by side the verdict rests on other processes' CPU instead (core/machine-load.ts busyRule).
      const budget = ['--processes', '3', '--rounds', '1', '--time', '20', '--warmup', '10', '--max-warmup', '50', '--no-duet', '--db', db]
      busyLoop()
      const refused = await runPinned(['calibrate', 'HEAD~1', ...budget], dir)
      expect(refused.code, refused.errors).toBe(2)
      expect(refused.errors).toContain('The thresholds were not stored: the machine was busy: the measuring processes waited for a CPU')
      expect(refused.errors).toContain('--allow-busy')
      const runs = JSON.parse((await runCli(['history', 'list', '--db', db, '--json'], { cwd: dir })).stdout).runs
      expect(runs.map((run: { kind: string }) => run.kind)).toEqual(['calibrate', 'calibrate'])
      for (const run of runs) expect(run.load.waitFraction).toBeGreaterThan(limit)

      const allowed = await runPinned(['calibrate', 'HEAD~1', ...budget, '--allow-busy', '--json'], dir)
      expect(allowed.code, allowed.errors).toBe(0)
      const out = JSON.parse(allowed.stdout)
      expect(out.load.waitFraction).toBeGreaterThan(limit)
      expect(out.base.load.state).toBe('measured')
      expect(out.head.load.state).toBe('measured')
      expect(allowed.errors).toContain('(stored anyway: --allow-busy)')
      // The refused calibration stored no thresholds: this one is the first to be pooled.
      expect(out.metrics.find((m: { benchmark: string }) => m.benchmark === 'work').calibrationsPooled).toBe(1)

      const md = path.join(dir, '..', `${path.basename(dir)}-busy.md`)
      const compare = await runPinned(['compare', 'HEAD~1..HEAD', ...budget, '--max-time', '0', '--fail-on', 'none', '--json', '--markdown', md], dir)
      expect(compare.code, compare.errors).toBe(0)
      const cmp = JSON.parse(compare.stdout)
      expect(cmp.base.load.waitFraction).toBeGreaterThan(limit)
      expect(cmp.head.load.waitFraction).toBeGreaterThan(limit)
      expect(cmp.load.waitFraction).toBeCloseTo((cmp.base.load.waitFraction + cmp.head.load.waitFraction) / 2, 12)
      const line = `the measuring processes waited for a CPU ${Math.round(cmp.load.waitFraction * 100)}% of the time`
      expect(compare.errors).toContain(`warning: the machine was busy: ${line}`)
      expect(readFileSync(md, 'utf8')).toContain(`> ⚠️ The machine was busy: ${line}`)
      expect(readFileSync(md, 'utf8')).toContain('timing verdicts from this compare are less reliable')
    }, 600_000)
  })
})
