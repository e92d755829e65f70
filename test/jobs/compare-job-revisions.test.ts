import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { beforeAll, describe, expect, it } from 'vitest'
import { shortSha } from '../../src/core/short-id.js'
import { type CliResult, runCli, tempDir } from '../helpers/cli.js'
import { demoPlugin, makeDemoRepo } from '../helpers/git-repo.js'
import { schemaErrors, xpath } from '../helpers/xml.js'

// Small budget: 5 processes per side is enough for two metrics (5 v 5 gives p ≥ 0.0079).
const budget = ['--processes', '5', '--time', '40']

describe('perftrack compare over a real git repository', () => {
  const { dir, shas } = makeDemoRepo()
  const db = path.join(dir, '..', `${path.basename(dir)}-history.sqlite`)
  const worktrees = path.join(dir, '.perftrack', 'worktrees')
  const reports = tempDir('perftrack-reports-')
  let live: CliResult
  let out: any

  beforeAll(async () => {
    live = await runCli(
      ['compare', 'HEAD~1..HEAD', ...budget, '--db', db, '--json', '--markdown', path.join(reports, 'pr.md'), '--junit', path.join(reports, 'perf.xml')],
      {
        cwd: dir,
        env: { GITHUB_STEP_SUMMARY: path.join(reports, 'summary.md') },
      },
    )
    out = JSON.parse(live.stdout)
  }, 240_000)

  it('flags the doubled work as regressed and exits 1', () => {
    expect(live.code, live.stderr).toBe(1)
    expect(out.base).toMatchObject({ ref: 'HEAD~1', sha: shas[1] })
    expect(out.head).toMatchObject({ ref: 'HEAD', sha: shas[2] })
    expect(out.paired).toBe(true)
    const work = out.comparisons.find((c: any) => c.benchmark === 'work')
    expect(work).toMatchObject({ plugin: 'demo', unit: 'ms', direction: 'lower', verdict: 'regressed', nBaseline: 5, nCurrent: 5 })
    expect(work.change).toBeGreaterThan(0.5)
    expect(work.ci[0]).toBeGreaterThan(work.threshold)
    expect(work.qValue).toBeLessThan(0.05)
  })

  it('calls an identical metric unchanged, with a zero-width interval', () => {
    const answer = out.comparisons.find((c: any) => c.benchmark === 'answer')
    expect(answer).toMatchObject({ verdict: 'unchanged', change: 0, ci: [0, 0], baseline: 42, current: 42 })
  })

  it('measures both revisions in each process, two processes side by side, and stores both runs as one comparison', async () => {
    // Five processes: two side by side, two more, then the fifth alone.
    expect(live.stderr).toMatch(
      /\[1\/5\] base \(HEAD~1\) and head \(HEAD\) paired in each of 2 processes side by side[\s\S]*\[3\/5\][\s\S]*\[5\/5\] base \(HEAD~1\) and head \(HEAD\) paired in one process/,
    )
    const list = JSON.parse((await runCli(['history', 'list', '--db', db, '--json'], { cwd: dir })).stdout)
    const ids = list.runs.map((r: any) => r.id)
    expect(ids).toContain(out.base.runId)
    expect(ids).toContain(out.head.runId)
    for (const r of list.runs) expect(r).toMatchObject({ kind: 'compare', status: 'complete' })
    const head = JSON.parse((await runCli(['history', 'show', out.head.runId, '--db', db, '--json'], { cwd: dir })).stdout)
    expect(head.run.gitSha).toBe(shas[2])
    expect(head.run.fingerprint.budget).toMatch(
      /^time\/batched: 30 × 40 ms .*, value benchmarks 1 × measure\(\), throughput benchmarks 90 rounds, I\/O-bound latency 120 ms rounds, paired in one process, node --single-threaded --no-lazy-feedback-allocation$/,
    )
    // One value per process: the median of its 30 rounds.
    expect(head.results.find((r: any) => r.benchmark === 'work').rounds).toHaveLength(5)
  })

  it('writes the markdown table titled by commits, appends it to the step summary, and writes valid JUnit with a failure', async () => {
    const md = readFileSync(path.join(reports, 'pr.md'), 'utf8')
    expect(md.startsWith(`### perftrack ${shas[1].slice(0, 8)}..${shas[2].slice(0, 8)} — 1 regressed, 0 improved, 1 unchanged, 0 inconclusive`)).toBe(true)
    expect(md).toContain('HEAD~1..HEAD, 5 processes, both revisions in each')
    expect(md).toMatch(/\| 🔴 regressed \| demo\/work \| [\d.]+ ms \| \+\d+\.\d% \[\+[^\]]+\] from [\d.]+ ms \| — \|/)
    expect(readFileSync(path.join(reports, 'summary.md'), 'utf8')).toBe(md)
    const xml = readFileSync(path.join(reports, 'perf.xml'), 'utf8')
    expect(await schemaErrors(xml)).toEqual([])
    expect(await xpath(xml, 'concat(/testsuites/@tests, " ", /testsuites/@failures, " ", /testsuites/@errors)')).toBe('2 1 0')
    expect(await xpath(xml, 'string(//testcase[@name="work"]/failure[@type="regression"]/@message)')).toMatch(/^regressed: \+/)
    expect(await xpath(xml, 'count(//testcase[@name="answer"]/*[self::failure or self::error or self::skipped])')).toBe('0')
    expect(await xpath(xml, 'string(//testcase[@name="answer"]/system-out)')).toContain('unchanged: 0.00%')
  })

  it('keeps the worktrees for reuse, out of git status', () => {
    expect(readdirSync(worktrees).sort()).toEqual([shas[1].slice(0, 12), shas[2].slice(0, 12)].sort())
  })

  it('--from-history compares the stored runs without measuring', async () => {
    const r = await runCli(['compare', 'HEAD~1..HEAD', '--from-history', '--db', db, '--json'], { cwd: dir })
    expect(r.code).toBe(1)
    const fromHistory = JSON.parse(r.stdout)
    expect(fromHistory.mode).toBe('history')
    expect(fromHistory.comparisons.find((c: any) => c.benchmark === 'work').verdict).toBe('regressed')
  })

  it('--working-tree measures uncommitted changes as the head side', async () => {
    // Undo the regression without committing: HEAD (slow) vs working tree (fast) is an improvement.
    writeFileSync(path.join(dir, 'plugins', 'demo', 'index.ts'), demoPlugin(10_000))
    const r = await runCli(['compare', 'HEAD', '--working-tree', ...budget, '--no-paired', '--no-duet', '--db', db, '--json', '--clean'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    // --no-paired --no-duet: each revision in processes of its own, one at a time, interleaved A B B A …
    expect(r.stderr).toMatch(/\[1\/5\] base[\s\S]*\[1\/5\] head[\s\S]*\[2\/5\] head[\s\S]*\[2\/5\] base/)
    const wt = JSON.parse(r.stdout)
    expect(wt.head.ref).toBe('working tree')
    expect(wt.comparisons.find((c: any) => c.benchmark === 'work').verdict).toBe('improved')
    const head = JSON.parse((await runCli(['history', 'show', wt.head.runId, '--db', db, '--json'], { cwd: dir })).stdout)
    expect(head.run.dirty).toBe(true)
    expect(existsSync(path.join(worktrees, shas[2].slice(0, 12)))).toBe(false) // --clean
  }, 240_000)

  it('a ref that does not exist is named, with exit 2, and leaves no worktree or run', async () => {
    const before = JSON.parse((await runCli(['history', 'list', '--db', db, '--json'], { cwd: dir })).stdout).runs.length
    const r = await runCli(['compare', 'no-such-branch..HEAD', '--db', db], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain("Git ref 'no-such-branch' does not exist")
    const after = JSON.parse((await runCli(['history', 'list', '--db', db, '--json'], { cwd: dir })).stdout).runs.length
    expect(after).toBe(before)
  })

  it('a --bench that matches nothing is refused (exit 2) before measuring, and stores no run', async () => {
    const before = JSON.parse((await runCli(['history', 'list', '--db', db, '--json'], { cwd: dir })).stdout).runs.length
    const r = await runCli(['compare', 'HEAD~1..HEAD', '--bench', 'no-such-benchmark', '--db', db], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain('No benchmark matches --bench no-such-benchmark in the base side (HEAD~1)')
    const after = JSON.parse((await runCli(['history', 'list', '--db', db, '--json'], { cwd: dir })).stdout).runs.length
    expect(after).toBe(before)
  })

  it('a side without perftrack plugins is refused and its worktree removed', async () => {
    const r = await runCli(['compare', `${shas[0]}..${shas[1]}`, ...budget, '--db', db], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toContain(`The base side (${shas[0]} @ ${shortSha(shas[0])}) has no perftrack plugins`)
    expect(existsSync(path.join(worktrees, shas[0].slice(0, 12)))).toBe(false)
  })

  it('outside a git repository compare says it needs one', async () => {
    const r = await runCli(['compare', 'main..HEAD', '--db', db], { cwd: path.dirname(dir) })
    expect(r.code).toBe(2)
    expect(r.errors).toContain('is not inside a git repository')
  })
})
