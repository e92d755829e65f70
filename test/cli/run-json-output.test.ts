import path from 'node:path'

import { beforeAll, describe, expect, it } from 'vitest'

import { fixture, quickArgs, runCli, tempDir } from '../helpers/cli.js'

describe('perftrack run --json', () => {
  const dir = tempDir()
  const db = path.join(dir, 'history.sqlite')
  let output: any
  let code: number | null

  beforeAll(async () => {
    const result = await runCli(['run', ...quickArgs, '--plugin-path', fixture('plugins', 'json-codec'), '--db', db, '--json'], { cwd: dir })
    code = result.code
    output = JSON.parse(result.stdout)
  })

  it('prints the run and its results in the documented shape and exits 0', () => {
    expect(code).toBe(0)
    expect(output.run).toMatchObject({ status: 'complete', profile: 'local', gitSha: null, dirty: null })
    expect(output.run.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(Date.parse(output.run.finishedAt)).toBeGreaterThanOrEqual(Date.parse(output.run.startedAt))
    expect(output.run.fingerprint).toMatchObject({ isGitRepo: false, node: process.version, cpuCount: expect.any(Number), perftrackVersion: '0.1.0' })
    expect(output.results.map((r: any) => r.benchmark)).toEqual(['parse', 'stringify', 'parse-throughput', 'document-size'])
    for (const r of output.results) {
      expect(Object.keys(r.stats).sort()).toEqual(['max', 'mean', 'median', 'min', 'n', 'p95', 'p99', 'sd'])
      expect(r.stats.min).toBeLessThanOrEqual(r.stats.median)
      expect(r.stats.median).toBeLessThanOrEqual(r.stats.p95)
      expect(r.stats.p95).toBeLessThanOrEqual(r.stats.p99)
      expect(r.stats.p99).toBeLessThanOrEqual(r.stats.max)
    }
  })

  it('evaluates targets on the named statistic', () => {
    const parse = output.results.find((r: any) => r.benchmark === 'parse')
    expect(parse).toMatchObject({ kind: 'latency', unit: 'ms', direction: 'lower' })
    expect(parse.targets).toEqual([{ stat: 'p95', op: '<', value: 5, actual: parse.stats.p95, pass: parse.stats.p95 < 5 }])
    const throughput = output.results.find((r: any) => r.benchmark === 'parse-throughput')
    expect(throughput).toMatchObject({ kind: 'throughput', unit: 'ops/s', direction: 'higher' })
    expect(throughput.stats.n).toBe(2) // one observation per round
    const size = output.results.find((r: any) => r.benchmark === 'document-size')
    expect(size.stats.median).toBeGreaterThan(2000)
    expect(size.stats.sd).toBe(0)
  })

  it('stores the run: history list and history show return it', async () => {
    const list = await runCli(['history', 'list', '--db', db, '--json'], { cwd: dir })
    expect(list.code).toBe(0)
    const { runs } = JSON.parse(list.stdout)
    expect(runs.map((r: any) => r.id)).toEqual([output.run.id])
    const show = await runCli(['history', 'show', output.run.id.slice(0, 8), '--db', db, '--json'], { cwd: dir })
    expect(show.code).toBe(0)
    const shown = JSON.parse(show.stdout)
    expect(shown.results.map((r: any) => [r.benchmark, r.stats.median])).toEqual(output.results.map((r: any) => [r.benchmark, r.stats.median]))
  })

  it('plugins --json lists benchmarks, kinds, units and targets', async () => {
    const result = await runCli(['plugins', '--plugin-path', fixture('plugins', 'json-codec'), '--json'], { cwd: dir })
    expect(result.code).toBe(0)
    const { plugins } = JSON.parse(result.stdout)
    expect(plugins).toHaveLength(1)
    expect(plugins[0].benchmarks[0]).toEqual({
      name: 'parse',
      kind: 'latency',
      unit: 'ms',
      direction: 'lower',
      concurrency: null,
      targets: [{ stat: 'p95', op: '<', value: 5 }],
    })
    expect(plugins[0].benchmarks[3]).toMatchObject({ name: 'document-size', kind: 'value', unit: 'bytes', direction: 'lower' })
  })

  it('prints a table grouped by plugin without --json, with target margins', async () => {
    const result = await runCli(['run', ...quickArgs, '--plugin-path', fixture('plugins', 'json-codec'), '--db', db, '--bench', 'parse'], { cwd: dir })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^json-codec\n/)
    expect(result.stdout).toMatch(/parse\s+\d+\s.*✓ p95 \S+ ms < 5\.00 ms, [\d,.]+x/)
    expect(result.stdout).not.toMatch(/stringify/)
    expect(result.stderr).toMatch(/▶ json-codec \(1 benchmark\)/)
  })
})
