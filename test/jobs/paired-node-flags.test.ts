import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { compareBudgetDefaults } from '../../src/core/defaults.js'
import type { AbBudget, Side } from '../../src/jobs/ab-runner.js'
import { loadPairedSides, runPairedProcess } from '../../src/jobs/paired-process.js'
import { runCli, tempDir } from '../helpers/cli.js'

/** Each value benchmark reports whether the process that measured it runs with one V8 flag. */
const flagsPlugin = `export default {
  name: 'flags',
  benchmarks: [
    { name: 'single-threaded', kind: 'value', unit: 'count', direction: 'higher', measure: () => (process.execArgv.includes('--single-threaded') ? 1 : 0) },
    { name: 'eager-feedback', kind: 'value', unit: 'count', direction: 'higher', measure: () => (process.execArgv.includes('--no-lazy-feedback-allocation') ? 1 : 0) },
  ],
}
`

function pluginDir(): string {
  const dir = tempDir('perftrack-node-flags-')
  mkdirSync(path.join(dir, 'plugins', 'flags'), { recursive: true })
  writeFileSync(path.join(dir, 'plugins', 'flags', 'index.ts'), flagsPlugin)
  return dir
}

const budget: AbBudget = { processes: 1, rounds: 2, time: 5, warmup: 0, maxWarmup: 0, minIterations: 1, timeout: 30_000, duet: false, paired: true }

describe("a paired compare's measuring process: V8 flags of its own", () => {
  const dir = pluginDir()
  // A/A: one checkout on both sides is enough to see which flags each side's process had.
  const sides: [Side, Side] = [
    { label: 'base', ref: 'base', sha: null, dir },
    { label: 'head', ref: 'head', sha: null, dir },
  ]

  it('runs both revisions under compareBudgetDefaults.pairedNodeFlags and names them in the stored budget', async () => {
    expect(compareBudgetDefaults.pairedNodeFlags).toEqual(['--single-threaded', '--no-lazy-feedback-allocation'])
    const paired = await loadPairedSides(sides, { profile: 'local', budget })
    for (const fp of paired.fingerprints) expect(fp.budget).toMatch(/, paired in one process, node --single-threaded --no-lazy-feedback-allocation$/)
    const [base, head] = await runPairedProcess(paired, { budget, profile: 'local', headFirst: false })
    for (const side of [base, head]) {
      expect(side.results.map((r) => [r.benchmark, r.status, r.rounds])).toEqual([
        ['single-threaded', 'completed', [1]],
        ['eager-feedback', 'completed', [1]],
      ])
    }
  }, 60_000)

  it("runs with the budget's own flags instead, none at all when it names none", async () => {
    const own = { ...budget, nodeFlags: ['--no-lazy-feedback-allocation'] }
    const paired = await loadPairedSides(sides, { profile: 'local', budget: own })
    expect(paired.fingerprints[0].budget).toMatch(/, paired in one process, node --no-lazy-feedback-allocation$/)
    const [base] = await runPairedProcess(paired, { budget: own, profile: 'local', headFirst: true })
    expect(base.results.map((r) => r.rounds)).toEqual([[0], [1]])
    const none = { ...budget, nodeFlags: [] }
    const bare = await loadPairedSides(sides, { profile: 'local', budget: none })
    expect(bare.fingerprints[0].budget).toMatch(/, paired in one process$/)
    const [, head] = await runPairedProcess(bare, { budget: none, profile: 'local', headFirst: false })
    expect(head.results.map((r) => r.rounds)).toEqual([[0], [0]])
  }, 60_000)

  it('leaves `perftrack run` without them, and its budget without a node part', async () => {
    const result = await runCli(['run', '--quick', '--no-baseline', '--db', path.join(dir, 'history.sqlite'), '--json'], { cwd: dir })
    expect(result.code, result.stderr).toBe(0)
    const out = JSON.parse(result.stdout)
    expect(out.results.map((r: any) => [r.benchmark, r.rounds.every((v: number) => v === 0)])).toEqual([
      ['single-threaded', true],
      ['eager-feedback', true],
    ])
    expect(out.run.fingerprint.budget).not.toContain('node ')
  }, 60_000)
})
