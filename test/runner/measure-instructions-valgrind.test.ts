import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { fixture, runCli, tempDir } from '../helpers/cli.js'

const valgrind = spawnSync('valgrind', ['--version']).status === 0
const title = `--measure instructions under real valgrind${valgrind ? '' : ' (skipped: valgrind is not installed; .ci/run installs it with apt-get install -y valgrind)'}`

interface Result {
  benchmark: string
  status: string
  unit: string
  direction: string
  rounds: number[]
  skipped?: string
}
interface RunOut {
  run: { id: string; fingerprint: { measure?: string } }
  results: Result[]
  comparison?: { comparisons: Array<{ benchmark: string; verdict: string; change: number }> }
}

// A temp cwd without plugins/: only the fixture is loaded (a JSON.parse of a ~200-byte document per operation).
const plugin = fixture('plugins-instructions', 'counted')
const args = (db: string, extra: string[] = []) => [
  'run',
  '--measure',
  'instructions',
  '--plugin-path',
  plugin,
  '--rounds',
  '6',
  '--operations',
  '100',
  '--db',
  db,
  '--json',
  ...extra,
]

async function run(cwd: string, db: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<RunOut> {
  // --fail-on none: a regression found is data here, not exit 1.
  const out = await runCli(args(db, [...extra, '--fail-on', 'none']), { cwd, env })
  if (out.code !== 0) throw new Error(`exit ${out.code}: ${out.stderr.slice(-2000)}`)
  return JSON.parse(out.stdout) as RunOut
}

describe.skipIf(!valgrind)(title, () => {
  it('counts CPU-bound benchmarks per operation, skips I/O-bound and value ones with the reason, repeats across processes and flags a real change', async () => {
    const cwd = tempDir()
    const db = path.join(cwd, 'history.sqlite')
    const first = await run(cwd, db, ['--no-baseline'])
    expect(first.run.fingerprint.measure).toBe('instructions')
    const byName = new Map(first.results.map((r) => [r.benchmark, r]))
    for (const name of ['parse', 'parse-pairs']) {
      const r = byName.get(name)!
      expect(r).toMatchObject({ status: 'completed', unit: 'instructions', direction: 'lower' })
      expect(r.rounds).toHaveLength(6)
      // A JSON.parse of this document is thousands of instructions, not zero and not Node's start-up.
      for (const v of r.rounds) expect(v).toBeGreaterThan(1_000)
      for (const v of r.rounds) expect(v).toBeLessThan(1_000_000)
    }
    expect(byName.get('sleepy')).toMatchObject({ status: 'skipped' })
    expect(byName.get('sleepy')!.skipped).toMatch(/declared bound: 'io'/)
    expect(byName.get('document-size')!.skipped).toMatch(/value benchmark/)

    // A second process (A/A): the median count per operation within 0.1% of the first's (measured:
    // 0.001%; single rounds differ by up to 1%, when a GC falls into one), and no regression.
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]
    const second = await run(cwd, db, ['--baseline', first.run.id])
    for (const name of ['parse', 'parse-pairs']) {
      const a = median(byName.get(name)!.rounds)
      const b = median(second.results.find((r) => r.benchmark === name)!.rounds)
      expect(Math.abs(b / a - 1)).toBeLessThan(0.001)
      expect(second.comparison!.comparisons.find((c) => c.benchmark === name)!.verdict).not.toBe('regressed')
    }

    // Twice the parsing per operation: `regressed`, by about +100%.
    const doubled = await run(cwd, db, ['--baseline', first.run.id], { COUNTED_EXTRA_PARSES: '1' })
    const ab = doubled.comparison!.comparisons.find((c) => c.benchmark === 'parse')!
    expect(ab.verdict).toBe('regressed')
    expect(ab.change).toBeGreaterThan(0.5)
  }, 600_000)
})

describe('--measure instructions without valgrind', () => {
  it('exits 2 naming what to install, and stores nothing', async () => {
    const cwd = tempDir()
    const db = path.join(cwd, 'history.sqlite')
    // PATH without valgrind: the real "not installed" case, whatever this machine has.
    const out = await runCli(args(db, ['--no-baseline']), { cwd, env: { PATH: '/nonexistent' } })
    expect(out.code).toBe(2)
    const { error } = JSON.parse(out.stdout) as { error: { code: string; message: string; suggestions: string[] } }
    expect(error.code).toBe('VALGRIND_MISSING')
    expect(error.message).toContain('Valgrind, which is not installed')
    expect(error.suggestions.join(' ')).toContain('apt-get install -y valgrind')
    expect(existsSync(db)).toBe(false)
  })
})
