import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'

import { describe, expect, it } from 'vitest'
import { fixture, runCli, tempDir } from '../helpers/cli.js'
import { commit, git } from '../helpers/git-repo.js'

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

async function run(cwd: string, db: string, extra: string[] = []): Promise<RunOut> {
  // --fail-on none: a regression found is data here, not exit 1.
  const out = await runCli(args(db, [...extra, '--fail-on', 'none']), { cwd })
  if (out.code !== 0) throw new Error(`exit ${out.code}: ${out.stderr.slice(-2000)}`)
  return JSON.parse(out.stdout) as RunOut
}

/** The fixture's CPU-bound benchmarks as plain data (no import), `parses` JSON.parse calls per `parse` operation. */
function countedPlugin(parses: number): string {
  return `// no imports: the plugin shape is plain data
const doc = JSON.stringify({ items: Array.from({ length: 5 }, (_, i) => ({ id: i, name: 'item-' + i, tags: ['a', 'b', String(i)] })) })
let sink = 0
export default {
  name: 'counted',
  benchmarks: [
    { name: 'parse', kind: 'latency', fn: () => { for (let i = 0; i < ${parses}; i++) sink += JSON.parse(doc).items.length } },
    { name: 'parse-pairs', kind: 'throughput', concurrency: 2, fn: async () => JSON.parse(doc) },
  ],
}
`
}

describe.skipIf(!valgrind)(title, () => {
  it('counts CPU-bound benchmarks per operation, skips I/O-bound and value ones with the reason, and two processes count the same', async () => {
    const cwd = tempDir()
    // Two processes at once (A/A), each with its own history.
    const [first, second] = await Promise.all([
      run(cwd, path.join(cwd, 'a.sqlite'), ['--no-baseline']),
      run(cwd, path.join(cwd, 'b.sqlite'), ['--no-baseline']),
    ])
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

    // The second process (A/A): its median count per operation within 0.1% of the first's.
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]
    for (const name of ['parse', 'parse-pairs']) {
      const a = median(byName.get(name)!.rounds)
      const b = median(second.results.find((r) => r.benchmark === name)!.rounds)
      expect(Math.abs(b / a - 1)).toBeLessThan(0.001)
    }
  }, 600_000)

  it('compare --measure instructions: twice the parsing per operation is regressed, the unchanged benchmark is not', async () => {
    const dir = tempDir('perftrack-repo-')
    git(dir, 'init', '-q', '-b', 'main')
    git(dir, 'config', 'user.email', 'test@example.com')
    git(dir, 'config', 'user.name', 'test')
    commit(dir, { 'plugins/counted/index.ts': countedPlugin(1) }, 'c1')
    commit(dir, { 'plugins/counted/index.ts': countedPlugin(2) }, 'c2: twice the parsing')
    // One process per side, 8 rounds: 8 pairs for the signed-rank test (instruction counts
    // repeat across processes). 6 would not do: its smallest p, 2/2⁶ = 0.031, doubled by the
    // correction over the 2 benchmarks, is above 0.05 (compare warns so).
    const db = path.join(dir, '..', `${path.basename(dir)}.sqlite`)
    const r = await runCli(
      ['compare', 'HEAD~1..HEAD', '--measure', 'instructions', '--processes', '1', '--rounds', '8', '--db', db, '--json', '--fail-on', 'none', '--clean'],
      { cwd: dir },
    )
    if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr.slice(-2000)}`)
    const out = JSON.parse(r.stdout) as { comparisons: Array<{ benchmark: string; unit: string; verdict: string; change: number }> }
    const parse = out.comparisons.find((c) => c.benchmark === 'parse')!
    expect(parse).toMatchObject({ unit: 'instructions', verdict: 'regressed' })
    expect(parse.change).toBeGreaterThan(0.5)
    expect(out.comparisons.find((c) => c.benchmark === 'parse-pairs')!.verdict).not.toBe('regressed')
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
