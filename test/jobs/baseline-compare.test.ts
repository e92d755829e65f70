import path from 'node:path'

import { beforeAll, describe, expect, it } from 'vitest'

import { HistoryStore } from '../../src/history/store.js'
import { runCli } from '../helpers/cli.js'
import { git, makeDemoRepo } from '../helpers/git-repo.js'

const budget = ['--rounds', '4', '--time', '60']

describe('perftrack run against a baseline', () => {
  const { dir, shas } = makeDemoRepo()
  const db = path.join(dir, '..', `${path.basename(dir)}-baseline.sqlite`)
  const main: any[] = []

  beforeAll(async () => {
    git(dir, 'checkout', '-q', shas[1])
    git(dir, 'branch', '-f', 'main', shas[1])
    git(dir, 'checkout', '-q', 'main')
    // Three runs of main before the one compared: the run is the sample unit, and a prediction
    // interval needs at least three earlier runs.
    for (let i = 0; i < 4; i++) {
      const r = await runCli(['run', ...budget, '--db', db, '--json'], { cwd: dir })
      expect(r.code, r.stderr).toBe(0)
      main.push(JSON.parse(r.stdout))
    }
  }, 120_000)

  it('the first run on main has no baseline and says why', () => {
    expect(main[0].comparison).toBeUndefined()
    expect(main[0].run.branch).toBe('main')
  })

  it('a second run on main has one earlier run: too few for a verdict, and it says so', () => {
    const work = main[1].comparison.comparisons.find((c: any) => c.benchmark === 'work')
    expect(work).toMatchObject({ verdict: 'inconclusive', nBaseline: 1, nCurrent: 1 })
    expect(work.reason).toContain('need 3 baseline runs and 1 current')
  })

  it('a later run on main is compared with the earlier runs of main, one value per run', () => {
    expect(main[3].comparison.base.runIds).toEqual([main[2].run.id, main[1].run.id, main[0].run.id])
    const answer = main[3].comparison.comparisons.find((c: any) => c.benchmark === 'answer')
    expect(answer).toMatchObject({ verdict: 'unchanged', baseline: 42, current: 42, change: 0, nBaseline: 3, nCurrent: 1 })
  })

  it('a feature branch that doubles the work is regressed against main, exit 1', async () => {
    git(dir, 'checkout', '-q', '-b', 'feature', shas[2])
    const r = await runCli(['run', ...budget, '--db', db, '--json'], { cwd: dir })
    expect(r.code, r.stderr).toBe(1)
    const out = JSON.parse(r.stdout)
    expect(out.run.branch).toBe('feature')
    expect(out.comparison.base.ref).toBe('branch main (latest 4 runs)')
    const work = out.comparison.comparisons.find((c: any) => c.benchmark === 'work')
    expect(work).toMatchObject({ verdict: 'regressed', nBaseline: 4, nCurrent: 1 })
    expect(work.change).toBeGreaterThan(0.5)
    const text = await runCli(['run', ...budget, '--db', db, '--fail-on', 'target'], { cwd: dir })
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/against branch main \(latest \d runs\):\n[\s\S]*demo\/work .*✗ regressed/)
  }, 60_000)

  it('--baseline with a git ref uses the stored runs of that commit', async () => {
    const r = await runCli(['run', ...budget, '--db', db, '--json', '--baseline', shas[1].slice(0, 10)], { cwd: dir })
    const out = JSON.parse(r.stdout)
    expect(out.comparison.base.sha).toBe(shas[1])
    expect(out.comparison.comparisons.find((c: any) => c.benchmark === 'work').verdict).toBe('regressed')
  }, 60_000)

  it('an unknown --baseline ref is refused before measuring, and no run is stored', async () => {
    const before = JSON.parse((await runCli(['history', 'list', '--db', db, '--json', '--limit', '100'], { cwd: dir })).stdout).runs.length
    const r = await runCli(['run', ...budget, '--db', db, '--baseline', 'no-such-ref'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain("Git ref 'no-such-ref' does not exist")
    expect(r.stderr).not.toContain('▶ demo')
    const after = JSON.parse((await runCli(['history', 'list', '--db', db, '--json', '--limit', '100'], { cwd: dir })).stdout).runs.length
    expect(after).toBe(before)
  })

  it('an explicit baseline from another environment is refused, naming the fields, unless forced', async () => {
    const store = await HistoryStore.open({ kind: 'sqlite', file: db, isDefault: false })
    let foreignId: string
    try {
      const original = await store.getRun(main[0].run.id)
      const fingerprint = { ...original.fingerprint, cpuModel: 'Imaginary CPU 9000', cpuCount: 64, environmentHash: 'ffffffffffffffff' }
      const foreign = await store.createRun({ fingerprint })
      for (const r of original.results) {
        await store.addResult(foreign.id, {
          plugin: r.plugin,
          benchmark: r.benchmark,
          kind: r.kind,
          unit: r.unit,
          direction: r.direction,
          targets: r.targets,
          status: 'completed',
          stats: r.stats!,
          rounds: r.rounds,
          samples: [],
        })
      }
      await store.finishRun(foreign.id, 'complete')
      foreignId = foreign.id
    } finally {
      await store.close()
    }
    const refused = await runCli(['run', ...budget, '--db', db, '--baseline', foreignId], { cwd: dir })
    expect(refused.code).toBe(2)
    expect(refused.errors).toMatch(/Baseline run \w{8} was measured in another environment \(cpuModel: .* ≠ Imaginary CPU 9000; cpuCount: \d+ ≠ 64\)/)
    expect(refused.errors).toContain('--force-baseline')
    const forced = await runCli(['run', ...budget, '--db', db, '--json', '--baseline', foreignId, '--force-baseline'], { cwd: dir })
    expect(JSON.parse(forced.stdout).comparison.base.runId).toBe(foreignId)
  }, 60_000)
})

describe('perftrack run: the measuring budget is part of the environment', () => {
  const { dir, shas } = makeDemoRepo()
  const db = path.join(dir, '..', `${path.basename(dir)}-budget.sqlite`)

  it('a --quick run is never the baseline of a full run, nor the other way round', async () => {
    git(dir, 'checkout', '-q', shas[1])
    git(dir, 'branch', '-f', 'main', shas[1])
    git(dir, 'checkout', '-q', 'main')
    for (let i = 0; i < 3; i++) expect((await runCli(['run', '--quick', '--db', db, '--json'], { cwd: dir })).code).toBe(0)
    const full = JSON.parse((await runCli(['run', ...budget, '--db', db, '--json'], { cwd: dir })).stdout)
    expect(full.comparison).toBeUndefined()
    expect(full.run.fingerprint.budget).toBe('time/batched: 4 × 60 ms (≥ 10 samples), warm-up 200–1000 ms')
    const quick = JSON.parse((await runCli(['run', '--quick', '--db', db, '--json'], { cwd: dir })).stdout)
    expect(quick.run.fingerprint.budget).toContain(', quick')
    expect(quick.comparison.base.runIds).toHaveLength(3)
    const named = await runCli(['run', ...budget, '--db', db, '--baseline', quick.run.id], { cwd: dir })
    expect(named.code).toBe(2)
    expect(named.errors).toContain(
      'another environment (budget: time/batched: 4 × 60 ms (≥ 10 samples), warm-up 200–1000 ms ≠ time/batched: 3 × 100 ms (≥ 10 samples), warm-up 50–300 ms, quick)',
    )
  }, 120_000)
})
