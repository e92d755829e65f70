import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { runCli } from '../helpers/cli.js'
import { makeDemoRepo } from './git-repo.js'

describe('perftrack calibrate', () => {
  it('measures A/A noise per metric, stores it, and later comparisons use it as the threshold', async () => {
    const { dir } = makeDemoRepo()
    const db = path.join(dir, '..', `${path.basename(dir)}-calibrate.sqlite`)
    const r = await runCli(['calibrate', 'HEAD~1', '--processes', '4', '--time', '40', '--db', db, '--json'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out).toMatchObject({ ref: 'HEAD~1', processes: 4, profile: 'local' })
    const answer = out.metrics.find((m: any) => m.benchmark === 'answer')
    // A constant metric has no noise: the threshold is the 1% floor.
    expect(answer).toMatchObject({ cv: 0, change: 0, ci: [0, 0], threshold: 0.01, n: 4 })
    const work = out.metrics.find((m: any) => m.benchmark === 'work')
    expect(work.threshold).toBeGreaterThanOrEqual(0.01)
    expect(work.ci[0]).toBeLessThanOrEqual(work.ci[1])
    expect(work.minimumDetectableRegression).toBeGreaterThan(work.threshold)

    const list = JSON.parse((await runCli(['history', 'list', '--db', db, '--json'], { cwd: dir })).stdout)
    expect(list.runs.map((x: any) => x.kind)).toEqual(['calibrate', 'calibrate'])

    const compare = await runCli(['compare', 'HEAD~1..HEAD', '--processes', '4', '--time', '40', '--db', db, '--json'], { cwd: dir })
    const comparisons = JSON.parse(compare.stdout).comparisons
    expect(comparisons.find((c: any) => c.benchmark === 'work').threshold).toBe(work.threshold)
    expect(comparisons.find((c: any) => c.benchmark === 'answer').threshold).toBe(0.01)
  }, 180_000)
})
