import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { repoRoot, runCli, tempDir } from '../helpers/cli.js'
import { makeDemoRepo } from '../helpers/git-repo.js'

// These tests pin the threshold arithmetic, not the machine's state: --allow-busy, because the
// suite runs on a shared, busy machine where calibrate would (rightly) refuse to store
// thresholds (test/cli/busy-machine.test.ts tests that refusal).
describe('perftrack calibrate', () => {
  it('measures A/A noise per metric, stores it, and later comparisons use it as the threshold', async () => {
    const { dir } = makeDemoRepo()
    const db = path.join(dir, '..', `${path.basename(dir)}-calibrate.sqlite`)
    const r = await runCli(['calibrate', 'HEAD~1', '--processes', '4', '--time', '40', '--allow-busy', '--db', db, '--json'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out).toMatchObject({ ref: 'HEAD~1', processes: 4, profile: 'local' })
    const answer = out.metrics.find((m: any) => m.benchmark === 'answer')
    // A constant metric has no noise: the threshold is the 1% floor.
    // Nothing in a constant metric can be an outlier (stats/outliers.ts: no scale to judge by).
    expect(answer).toMatchObject({ cv: 0, change: 0, ci: [0, 0], threshold: 0.01, n: 4, outliers: 0 })
    const work = out.metrics.find((m: any) => m.benchmark === 'work')
    expect(work.threshold).toBeGreaterThanOrEqual(0.01)
    expect(work.ci[0]).toBeLessThanOrEqual(work.ci[1])
    expect(work.minimumDetectableRegression).toBeGreaterThan(work.threshold)
    expect(Number.isInteger(work.outliers) && work.outliers >= 0 && work.outliers <= 8).toBe(true)
    expect(work).toMatchObject({ calibrationsPooled: 1, pooledHalfWidth: work.ciHalfWidth })
    expect(work.threshold).toBeCloseTo(Math.max(0.01, 1.5 * work.ciHalfWidth), 12)

    // A second calibration pools its half-width with the first one's (root mean square).
    const again = await runCli(['calibrate', 'HEAD~1', '--processes', '4', '--time', '40', '--allow-busy', '--db', db, '--json'], { cwd: dir })
    expect(again.code, again.stderr).toBe(0)
    const work2 = JSON.parse(again.stdout).metrics.find((m: any) => m.benchmark === 'work')
    expect(work2.calibrationsPooled).toBe(2)
    expect(work2.pooledHalfWidth).toBeCloseTo(Math.sqrt((work.ciHalfWidth ** 2 + work2.ciHalfWidth ** 2) / 2), 12)
    expect(work2.threshold).toBeCloseTo(Math.max(0.01, 1.5 * work2.pooledHalfWidth), 12)

    const list = JSON.parse((await runCli(['history', 'list', '--db', db, '--json'], { cwd: dir })).stdout)
    expect(list.runs.map((x: any) => x.kind)).toEqual(['calibrate', 'calibrate', 'calibrate', 'calibrate'])

    // Each revision in processes of its own, as calibrate measures: a paired compare's budget is
    // another environment, where thresholds calibrated this way do not apply.
    const compare = await runCli(['compare', 'HEAD~1..HEAD', '--no-paired', '--processes', '4', '--time', '40', '--db', db, '--json'], { cwd: dir })
    const comparisons = JSON.parse(compare.stdout).comparisons
    expect(comparisons.find((c: any) => c.benchmark === 'work').threshold).toBe(work2.threshold)
    expect(comparisons.find((c: any) => c.benchmark === 'answer').threshold).toBe(0.01)
  }, 180_000)
})

describe('perftrack calibrate on the bundled suite', () => {
  it('stores a calibration for every completed metric, the constant ones included', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'calibrate.sqlite')
    const r = await runCli(['calibrate', 'HEAD', '--working-tree', '--processes', '3', '--rounds', '1', '--time', '10', '--allow-busy', '--db', db, '--json'], {
      cwd: repoRoot,
    })
    expect(r.code, r.errors.slice(-2000)).toBe(0)
    const out = JSON.parse(r.stdout)
    const stored = JSON.parse((await runCli(['history', 'list', '--db', db, '--json'], { cwd: dir })).stdout).runs
    const runs = await Promise.all(
      stored.map(async (run: any) => JSON.parse((await runCli(['history', 'show', run.id, '--db', db, '--json'], { cwd: dir })).stdout)),
    )
    const completed = new Set(
      runs.flatMap((run: any) => run.results.filter((x: any) => x.status === 'completed').map((x: any) => `${x.plugin}/${x.benchmark}`)),
    )
    // A metric completed on both sides is calibrated; the bundled suite has more than 25 of them.
    expect(completed.size).toBeGreaterThan(25)
    expect(new Set(out.metrics.map((m: any) => `${m.plugin}/${m.benchmark}`))).toEqual(completed)
    expect(out.metrics.find((m: any) => m.benchmark === 's3-call-rate')).toMatchObject({ plugin: 'template-rendering', cv: 0, threshold: 0.01 })
    for (const m of out.metrics) expect(Number.isFinite(m.cv), `${m.plugin}/${m.benchmark} cv`).toBe(true)
    // Six runs of the whole bundled suite (setup included): minutes on a busy 2-core machine.
  }, 1_200_000)
})
