import path from 'node:path'

import { beforeAll, describe, expect, it } from 'vitest'

import { type ComparisonEntry, extensionCandidates } from '../../src/stats/comparison.js'
import { type CliResult, runCli, tempDir } from '../helpers/cli.js'
import { commit, git } from '../helpers/git-repo.js'

/**
 * `moved` is 20% higher on the head commit, with a little jitter from the process id (values
 * 100–104 against 120–124); `steady` is a constant. Both are value metrics, so the numbers are
 * the same on any machine, however busy.
 */
function extPlugin(level: number): string {
  return `export default {
  name: 'ext',
  benchmarks: [
    { name: 'moved', kind: 'value', unit: 'ms', direction: 'lower', measure: () => ${level} + (process.pid % 5) },
    { name: 'steady', kind: 'value', unit: 'count', direction: 'higher', measure: () => 7 },
  ],
}
`
}

function makeRepo(): string {
  const dir = tempDir('perftrack-ext-repo-')
  git(dir, 'init', '-q', '-b', 'main')
  git(dir, 'config', 'user.email', 'test@example.com')
  git(dir, 'config', 'user.name', 'test')
  commit(dir, { 'plugins/ext/index.ts': extPlugin(100) }, 'c1: ext plugin')
  commit(dir, { 'plugins/ext/index.ts': extPlugin(120) }, 'c2: moved 20% up')
  return dir
}

describe('compare: more processes for metrics still inconclusive after the first ones', () => {
  const dir = makeRepo()
  const db = path.join(dir, '..', `${path.basename(dir)}-history.sqlite`)
  let extended: CliResult
  let plain: CliResult

  beforeAll(async () => {
    // Each revision in processes of its own (--no-paired), 3 processes a side: the smallest
    // Mann–Whitney p is 0.1, so `moved` cannot be decided;
    // 6 a side: 2/924 ≈ 0.0022.
    extended = await runCli(['compare', 'HEAD~1..HEAD', '--no-paired', '--processes', '3', '--max-processes', '6', '--db', db, '--json', '--fail-on', 'none'], {
      cwd: dir,
    })
    plain = await runCli(
      ['compare', 'HEAD~1..HEAD', '--no-paired', '--processes', '3', '--max-processes', '6', '--max-time', '0', '--db', db, '--json', '--fail-on', 'none'],
      { cwd: dir },
    )
  }, 240_000)

  it('runs more pairs of only the undecided metric and decides it', () => {
    expect(extended.code, extended.stderr).toBe(0)
    const out = JSON.parse(extended.stdout)
    expect(out.processes).toBe(3)
    expect(out.extension).toMatchObject({ metrics: ['ext/moved'], pairs: 3 })
    expect(out.extension.ms).toBeGreaterThan(0)
    const moved = out.comparisons.find((c: any) => c.benchmark === 'moved')
    expect(moved).toMatchObject({ verdict: 'regressed', nBaseline: 6, nCurrent: 6 })
    // Complete separation, 6 a side: 2/924 exact, or the normal approximation when two
    // processes drew the same jitter (a tie): either way far below 0.05.
    expect(moved.pValue).toBeLessThan(0.005)
    // The constant metric was decided by the first pairs and measured no more.
    expect(out.comparisons.find((c: any) => c.benchmark === 'steady')).toMatchObject({ verdict: 'unchanged', nBaseline: 3, nCurrent: 3 })
    expect(extended.stderr).toContain('still inconclusive after 3 pairs: ext/moved; more pairs of those while time allows')
    expect(extended.stderr).toMatch(/\[\+3\] base \(HEAD~1\) and head \(HEAD\) side by side/)
  })

  it('stores the extra processes with the comparison', async () => {
    const out = JSON.parse(extended.stdout)
    const head = JSON.parse((await runCli(['history', 'show', out.head.runId, '--db', db, '--json'], { cwd: dir })).stdout)
    expect(head.results.find((r: any) => r.benchmark === 'moved').rounds).toHaveLength(6)
    expect(head.results.find((r: any) => r.benchmark === 'steady').rounds).toHaveLength(3)
  })

  it('with --max-time 0 runs no extra pairs and leaves the metric inconclusive', () => {
    const out = JSON.parse(plain.stdout)
    expect(out.extension).toBeUndefined()
    const moved = out.comparisons.find((c: any) => c.benchmark === 'moved')
    expect(moved).toMatchObject({ verdict: 'inconclusive', nBaseline: 3, nCurrent: 3 })
    expect(moved.ci[0]).toBeGreaterThan(moved.threshold)
    expect(plain.stderr).not.toContain('still inconclusive')
  })
})

/** `jitter` differs in every process; `steady` is one value on both revisions; `shifted` one value on each, 20% higher on the head. */
function settlePlugin(shifted: number): string {
  return `export default {
  name: 'settle',
  benchmarks: [
    { name: 'jitter', kind: 'value', unit: 'ms', direction: 'lower', measure: () => 100 + Math.random() },
    { name: 'steady', kind: 'value', unit: '%', direction: 'higher', measure: () => 56.9 },
    { name: 'shifted', kind: 'value', unit: 'ms', direction: 'lower', measure: () => ${shifted} },
  ],
}
`
}

describe('compare, paired: metrics settled after the first processes are measured no more', () => {
  let result: CliResult
  let unsettled: CliResult
  let dir: string
  let db: string

  beforeAll(async () => {
    dir = tempDir('perftrack-settle-repo-')
    db = path.join(dir, '..', `${path.basename(dir)}-history.sqlite`)
    git(dir, 'init', '-q', '-b', 'main')
    git(dir, 'config', 'user.email', 'test@example.com')
    git(dir, 'config', 'user.name', 'test')
    commit(dir, { 'plugins/settle/index.ts': settlePlugin(10) }, 'c1: settle plugin')
    commit(dir, { 'plugins/settle/index.ts': settlePlugin(12) }, 'c2: shifted 20% up')
    // Paired (the default), two processes side by side: settled after the second pair (4 processes).
    result = await runCli(['compare', 'HEAD~1..HEAD', '--processes', '6', '--db', db, '--json', '--fail-on', 'none'], { cwd: dir })
    unsettled = await runCli(['compare', 'HEAD~1..HEAD', '--processes', '6', '--no-settle', '--db', db, '--json', '--fail-on', 'none'], { cwd: dir })
  }, 240_000)

  it('settles the constant metrics after 4 processes and decides them from those', () => {
    expect(result.code, result.stderr).toBe(0)
    const out = JSON.parse(result.stdout)
    expect(out.settled).toEqual({ metrics: ['settle/steady', 'settle/shifted'], processes: 4 })
    const of = (b: string) => out.comparisons.find((c: any) => c.benchmark === b)
    expect(of('steady')).toMatchObject({ verdict: 'unchanged', ci: [0, 0], nBaseline: 4, nCurrent: 4 })
    expect(of('shifted')).toMatchObject({ verdict: 'regressed', nBaseline: 4, nCurrent: 4 })
    expect(of('shifted').change).toBeCloseTo(0.2, 10)
    expect(of('jitter')).toMatchObject({ nBaseline: 6, nCurrent: 6 })
    expect(result.stderr).toContain('settled after 4 processes, the same value on each side in every one, so not measured again: settle/steady, settle/shifted')
  })

  it('with --no-settle measures every metric in every process', () => {
    expect(unsettled.code, unsettled.stderr).toBe(0)
    const out = JSON.parse(unsettled.stdout)
    expect(out.settled).toBeUndefined()
    expect(out.comparisons.find((c: any) => c.benchmark === 'steady')).toMatchObject({ verdict: 'unchanged', nBaseline: 6, nCurrent: 6 })
    expect(unsettled.stderr).not.toContain('settled after')
  })

  it('stores the settled metrics with the processes that measured them', async () => {
    const out = JSON.parse(result.stdout)
    const head = JSON.parse((await runCli(['history', 'show', out.head.runId, '--db', db, '--json'], { cwd: dir })).stdout)
    expect(head.results.find((r: any) => r.benchmark === 'steady').rounds).toEqual([56.9, 56.9, 56.9, 56.9])
    expect(head.results.find((r: any) => r.benchmark === 'jitter').rounds).toHaveLength(6)
  })
})

describe('extensionCandidates', () => {
  const entry = (benchmark: string, verdict: ComparisonEntry['verdict'], ci: [number, number] | null, threshold = 0.05): ComparisonEntry => ({
    plugin: 'p',
    benchmark,
    unit: 'ms',
    direction: 'lower',
    baseline: 1,
    current: 1,
    change: ci ? (ci[0] + ci[1]) / 2 : null,
    ci,
    pValue: 0.5,
    qValue: 0.5,
    verdict,
    threshold,
    nBaseline: 8,
    nCurrent: 8,
    reason: '',
  })

  it('picks inconclusive metrics whose CI, narrowed by √(8/16), would lie inside or beyond the threshold', () => {
    const entries = [
      entry('beyond-untested', 'inconclusive', [0.08, 0.12]), // beyond already: the test lacked power
      entry('almost-unchanged', 'inconclusive', [-0.06, 0.06]), // ±6% × 0.707 = ±4.2% < 5%
      entry('straddles', 'inconclusive', [0.0, 0.1]), // centre 5%: never decidable
      entry('too-noisy', 'inconclusive', [-0.4, 0.4]), // ±28% even with twice the processes
      entry('decided', 'regressed', [0.08, 0.12]),
      entry('no-ci', 'inconclusive', null),
      entry('infinite', 'inconclusive', [0.1, Number.POSITIVE_INFINITY]),
    ]
    expect(extensionCandidates(entries, 8, 16)).toEqual(['p/beyond-untested', 'p/almost-unchanged'])
  })

  it('picks nothing when no more processes are allowed', () => {
    expect(extensionCandidates([entry('beyond-untested', 'inconclusive', [0.08, 0.12])], 8, 8)).toEqual([])
  })
})
