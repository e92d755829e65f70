/**
 * Measures how often `perftrack compare` cries wolf (A/A) and how often it catches a known
 * slowdown (power), on a copy of this repository's committed tree plus a `demo` plugin whose
 * `work` benchmark does a fixed amount of arithmetic. Not a test: it takes minutes.
 *
 *   npx tsx test/experiments/verdict-rates.ts --mode aa --count 20
 *   npx tsx test/experiments/verdict-rates.ts --mode power --effect 0.10 --count 20
 *   npx tsx test/experiments/verdict-rates.ts --mode power --effect 0.05 --count 20 -- --plugin demo
 *   npx tsx test/experiments/verdict-rates.ts --mode power --effect 0.10 --calibrate -- --plugin demo
 *
 * With --calibrate, `perftrack calibrate` runs once on the base commit first, so the
 * compares use measured per-metric thresholds instead of the 5% default (the intended use).
 * Arguments after `--` go to `perftrack compare`. Prints one JSON summary line at the end.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'

const repo = path.resolve(import.meta.dirname, '..', '..')
const { values, positionals } = parseArgs({
  options: {
    mode: { type: 'string', default: 'aa' },
    effect: { type: 'string', default: '0.10' },
    count: { type: 'string', default: '20' },
    loops: { type: 'string', default: '200000' },
    calibrate: { type: 'boolean', default: false },
  },
  allowPositionals: true,
})
const count = Number(values.count)
const loops = Number(values.loops)
const effect = Number(values.effect)

const demo = (n: number) => `function spin(n: number): number {
  let x = 0
  for (let i = 0; i < n; i++) x = (x * 31 + i) % 1000003
  return x
}
export default { name: 'demo', benchmarks: [{ name: 'work', kind: 'latency', fn: () => spin(${n}) }] }
`

const sh = (cwd: string, cmd: string, ...args: string[]) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
const dir = mkdtempSync(path.join(os.tmpdir(), 'perftrack-verdicts-'))
// The committed tree of this repository, as a new repository with the demo plugin added.
execFileSync('bash', ['-c', `git -C "${repo}" archive HEAD | tar -x -C "${dir}"`])
symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'))
sh(dir, 'git', 'init', '-q', '-b', 'main')
sh(dir, 'git', 'config', 'user.email', 'bench@example.com')
sh(dir, 'git', 'config', 'user.name', 'bench')
writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n')
mkdirSync(path.join(dir, 'plugins', 'demo'), { recursive: true })
writeFileSync(path.join(dir, 'plugins', 'demo', 'index.ts'), demo(loops))
sh(dir, 'git', 'add', '-A')
sh(dir, 'git', 'commit', '-q', '-m', 'base')
let range = 'HEAD..HEAD'
if (values.mode === 'power') {
  writeFileSync(path.join(dir, 'plugins', 'demo', 'index.ts'), demo(Math.round(loops * (1 + effect))))
  sh(dir, 'git', 'commit', '-q', '-am', `demo/work ${effect * 100}% more work`)
  range = 'HEAD~1..HEAD'
}

const db = path.join(dir, '..', `${path.basename(dir)}.sqlite`)
const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(repo, 'bin', 'run.js'), ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
let thresholds: Record<string, number> | undefined
if (values.calibrate) {
  const base = values.mode === 'power' ? 'HEAD~1' : 'HEAD'
  const c = cli('calibrate', base, '--json', '--db', db, ...positionals)
  if (c.status !== 0) throw new Error(`calibrate failed (${c.status}): ${c.stderr.slice(-2000)}`)
  const metrics = (JSON.parse(c.stdout) as { metrics: Array<{ plugin: string; benchmark: string; threshold: number }> }).metrics
  thresholds = Object.fromEntries(metrics.map((m) => [`${m.plugin}/${m.benchmark}`, m.threshold]))
  console.error(`calibrated thresholds: ${JSON.stringify(thresholds)}`)
}
const tally = { compares: 0, metricComparisons: 0, regressed: 0, improved: 0, unchanged: 0, inconclusive: 0, target: { regressed: 0, other: 0 }, otherRegressed: [] as string[], seconds: [] as number[] }
for (let i = 0; i < count; i++) {
  const started = Date.now()
  const r = cli('compare', range, '--json', '--fail-on', 'none', '--db', db, ...positionals)
  const seconds = (Date.now() - started) / 1000
  if (r.status !== 0) throw new Error(`compare failed (${r.status}): ${r.stderr.slice(-2000)}`)
  const out = JSON.parse(r.stdout) as { comparisons: Array<{ plugin: string; benchmark: string; verdict: 'regressed' | 'improved' | 'unchanged' | 'inconclusive'; change: number | null }> }
  tally.compares++
  tally.seconds.push(seconds)
  for (const c of out.comparisons) {
    tally.metricComparisons++
    tally[c.verdict]++
    const isTarget = c.plugin === 'demo' && c.benchmark === 'work'
    if (values.mode === 'power' && isTarget) tally.target[c.verdict === 'regressed' ? 'regressed' : 'other']++
    else if (c.verdict === 'regressed') tally.otherRegressed.push(`${c.plugin}/${c.benchmark} ${c.change}`)
  }
  const target = out.comparisons.find((c) => c.plugin === 'demo')
  console.error(`${i + 1}/${count} ${seconds.toFixed(1)} s; demo/work ${target?.verdict} ${target?.change?.toFixed(4)}; regressed so far ${tally.regressed}`)
}
console.log(JSON.stringify({ mode: values.mode, effect: values.mode === 'power' ? effect : 0, args: positionals, thresholds, ...tally }))
