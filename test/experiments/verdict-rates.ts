/**
 * Measures how often `perftrack compare` cries wolf (A/A) and how often it catches a known
 * slowdown (power), on a copy of this repository's committed tree plus a `demo` plugin whose
 * benchmarks each do a fixed amount of arithmetic. Not a test: it takes minutes per compare.
 *
 *   npx tsx test/experiments/verdict-rates.ts --mode aa --count 20
 *   npx tsx test/experiments/verdict-rates.ts --mode power --effects 0.10,0.05 --count 20
 *   npx tsx test/experiments/verdict-rates.ts --mode power --effects 0.10 --calibrate -- --plugin demo
 *   npx tsx test/experiments/verdict-rates.ts --mode sut --path resolve --count 20
 *   npx tsx test/experiments/verdict-rates.ts --measure instructions --mode sut --path resolve --count 20 -- --bench cached-resolution
 *   npx tsx test/experiments/verdict-rates.ts --measure instructions --mode sut --path resolve --inline --loops 1 --count 20
 *   npx tsx test/experiments/verdict-rates.ts --measure instructions --mode aa --count 20 -- --plugin config-resolution --plugin template-rendering --plugin cache
 *
 * `sut` mode slows the system under test itself, not a demo: the head commit adds a fixed
 * amount of integer arithmetic (`--loops`) to every `ConfigurationService.resolveWithTrace`
 * call (`--path resolve`, 15 loops: ≈10% of a cached resolution) or to every executed render
 * (`--path render`, ≈10% of a simple render), and nothing else. The benchmark named for the
 * path is the target; the metrics that run the patched code too are reported apart (they may
 * rightly move); every other metric is an A/A comparison and any flag on it is false.
 *
 * `--measure instructions` runs every compare (and calibrate) in that mode, and `sut` mode's
 * default extra work is then ≈1% of the target's instructions per operation instead of ≈10% of
 * its time (`instructionLoops`, measured: README, "Instruction counts").
 *
 * The demo plugin has one benchmark per effect (`slower-10pct`, `slower-5pct`, …), identical on
 * both commits in `aa` mode; in `power` mode the head commit makes each of them that much more
 * work and changes nothing else, so every other metric of the suite is an A/A comparison.
 * With --calibrate, `perftrack calibrate` runs once on the base commit first, so the compares
 * use measured per-metric thresholds instead of the 5% default (`--calibrations N`: N calibrations,
 * whose A/A half-widths pool as repeated `perftrack calibrate` runs do). Arguments after `--` go to
 * `perftrack compare`. The history database is kept (its path is printed) for re-analysis.
 * Prints one JSON summary line at the end.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'

const repo = path.resolve(import.meta.dirname, '..', '..')
const { values, positionals } = parseArgs({
  options: {
    mode: { type: 'string', default: 'aa' },
    effects: { type: 'string', default: '0.10' },
    count: { type: 'string', default: '20' },
    loops: { type: 'string', default: '200000' },
    calibrate: { type: 'boolean', default: false },
    calibrations: { type: 'string', default: '1' },
    path: { type: 'string', default: 'resolve' },
    measure: { type: 'string', default: 'time' },
    inline: { type: 'boolean', default: false },
  },
  allowPositionals: true,
})
if (values.measure !== 'time' && values.measure !== 'instructions') throw new Error(`--measure must be time or instructions (got ${values.measure})`)
const measureArgs = values.measure === 'instructions' ? ['--measure', 'instructions'] : []
const count = Number(values.count)
const loops = Number(values.loops)
const effects = values.effects.split(',').map(Number)
if (effects.some((e) => !(e > 0 && e < 10))) throw new Error(`--effects must be comma-separated fractions such as 0.10,0.05 (got ${values.effects})`)
const benchName = (e: number) => `slower-${Math.round(e * 100)}pct`

/** Where `sut` mode adds work, and which metrics run that code. */
const sutPaths = {
  resolve: {
    file: 'configuration-service.ts',
    anchor: '): Promise<{ configuration: Configuration; trace: ResolutionTrace }> {\n',
    loops: 15,
    instructionLoops: 4,
    target: 'config-resolution/cached-resolution',
    affected:
      /^config-resolution\/(sequential-throughput|concurrent-throughput|cache-speedup|mixed-concurrent|cold-resolution|tier-fallback)$|^cache\/(production-volume-warm|production-volume-cold|load-100-users|load-100-users-p99|l2-hit-latency)$/,
  },
  render: {
    file: 'template-service.ts',
    anchor: '      const text = fn(parameters)\n',
    loops: 230,
    instructionLoops: 230,
    target: 'template-rendering/simple-render',
    affected:
      /^template-rendering\/(render-throughput|concurrent-render-throughput|complex-render)$|^cache\/(production-volume-cold|load-100-users|load-100-users-p99)$/,
  },
} as const
const sut = values.mode === 'sut' ? sutPaths[values.path as keyof typeof sutPaths] : undefined
if (values.mode === 'sut' && !sut) throw new Error(`--path must be one of ${Object.keys(sutPaths).join(', ')} (got ${values.path})`)
const sutLoops = values.loops === '200000' ? ((values.measure === 'instructions' ? sut?.instructionLoops : sut?.loops) ?? 0) : Number(values.loops)

/** The file of the system under test named `name` (src/llm, or a workspace package). */
function findSutFile(root: string, name: string): string {
  const found = execFileSync('git', ['-C', root, 'ls-files', `*${name}`], { encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !f.includes('test/'))
  if (found.length !== 1) throw new Error(`expected one ${name} in the tree, found ${found.length}: ${found.join(', ')}`)
  return path.join(root, found[0])
}

/**
 * Adds `loops` iterations of integer arithmetic after `anchor` (the result kept in a module
 * variable, so V8 cannot drop it). With --inline, `loops` times two statements of it in place,
 * no call: the call alone is most of the cost when nothing is optimized (`--no-opt`, the
 * instruction mode's flag), where one call of one iteration added ≈298 instructions (2% of a
 * cached resolution) and the two statements ≈144 (≈1%), by callgrind's totals of 200,000 calls
 * in a script under `--no-opt --single-threaded --no-lazy-feedback-allocation` and the seeds.
 */
function slowDown(file: string, anchor: string, loops: number): void {
  const text = readFileSync(file, 'utf8')
  if (!text.includes(anchor)) throw new Error(`${file}: anchor not found: ${JSON.stringify(anchor)}`)
  const work = values.inline
    ? Array.from({ length: loops }, () => '    perftrackSink = (perftrackSink * 31 + 1) % 1000003\n    perftrackSink = (perftrackSink + 7) % 1000003\n').join(
        '',
      )
    : `    perftrackExtraWork(${loops})\n`
  writeFileSync(
    file,
    `${text.replace(anchor, `${anchor}${work}`)}
let perftrackSink = 0
/** verdict-rates.ts sut mode: extra work on a measured path. */
function perftrackExtraWork(n: number): void {
  let x = perftrackSink
  for (let i = 0; i < n; i++) x = (x * 31 + i) % 1000003
  perftrackSink = x
}
`,
  )
}

const demo = (factor: (e: number) => number) => `function spin(n: number): number {
  let x = 0
  for (let i = 0; i < n; i++) x = (x * 31 + i) % 1000003
  return x
}
export default {
  name: 'demo',
  benchmarks: [
${effects.map((e) => `    { name: '${benchName(e)}', kind: 'latency', fn: () => spin(${Math.round(loops * factor(e))}) },`).join('\n')}
  ],
}
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
if (!sut) {
  mkdirSync(path.join(dir, 'plugins', 'demo'), { recursive: true })
  writeFileSync(
    path.join(dir, 'plugins', 'demo', 'index.ts'),
    demo(() => 1),
  )
}
sh(dir, 'git', 'add', '-A')
sh(dir, 'git', 'commit', '-q', '-m', 'base')
let range = 'HEAD..HEAD'
if (sut) {
  slowDown(findSutFile(dir, sut.file), sut.anchor, sutLoops)
  sh(dir, 'git', 'commit', '-q', '-am', `sut: ${sutLoops} ${values.inline ? 'inline' : 'loops of'} extra work on the ${values.path} path`)
  range = 'HEAD~1..HEAD'
}
if (values.mode === 'power') {
  writeFileSync(
    path.join(dir, 'plugins', 'demo', 'index.ts'),
    demo((e) => 1 + e),
  )
  sh(dir, 'git', 'commit', '-q', '-am', `demo: ${effects.map((e) => `${benchName(e)} ${e * 100}% more work`).join(', ')}`)
  range = 'HEAD~1..HEAD'
}

const db = path.join(dir, '..', `${path.basename(dir)}.sqlite`)
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(repo, 'bin', 'run.js'), ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
let thresholds: Record<string, number> | undefined
const calibrations = Number(values.calibrations)
if (!(Number.isInteger(calibrations) && calibrations >= 1 && calibrations <= 5)) throw new Error(`--calibrations must be 1–5 (got ${values.calibrations})`)
// Each calibration pools its A/A half-width with the earlier ones (up to five), as a user's repeated `perftrack calibrate` does.
for (let i = 0; values.calibrate && i < calibrations; i++) {
  const base = values.mode === 'aa' ? 'HEAD' : 'HEAD~1'
  const c = cli('calibrate', base, '--json', '--db', db, ...measureArgs, ...positionals)
  if (c.status !== 0) throw new Error(`calibrate failed (${c.status}): ${c.stderr.slice(-2000)}`)
  const metrics = (JSON.parse(c.stdout) as { metrics: Array<{ plugin: string; benchmark: string; threshold: number }> }).metrics
  thresholds = Object.fromEntries(metrics.map((m) => [`${m.plugin}/${m.benchmark}`, m.threshold]))
  console.error(`calibration ${i + 1}/${calibrations}, thresholds: ${JSON.stringify(thresholds)}`)
}
type Verdict = 'regressed' | 'improved' | 'unchanged' | 'inconclusive'
const targets = new Set<string>(values.mode === 'power' ? effects.map((e) => `demo/${benchName(e)}`) : sut ? [sut.target] : [])
const emptyCounts = (): Record<Verdict, number> => ({ regressed: 0, improved: 0, unchanged: 0, inconclusive: 0 })
const tally = {
  compares: 0,
  /** Metrics whose code is the same on both sides: every verdict among them. */
  unchangedCode: { metricComparisons: 0, ...emptyCounts() },
  /** Per slowed-down benchmark, its verdicts. */
  targets: Object.fromEntries([...targets].map((t) => [t, emptyCounts()])) as Record<string, Record<Verdict, number>>,
  falselyFlagged: [] as string[],
  /** sut mode: the metrics that run the patched code besides the target, their verdicts and changes. */
  affected: {} as Record<string, Record<Verdict, number> & { changes: number[] }>,
  seconds: [] as number[],
  /** Per compare: the metrics still inconclusive after the first processes that got extra pairs, and how many pairs. */
  extensions: [] as Array<{ metrics: string[]; pairs: number; seconds: number } | null>,
  /** Per compare: the metrics settled after the first processes (measured in those only). */
  settled: [] as Array<{ metrics: string[]; processes: number } | null>,
  /** Per metric: its verdicts, and per compare the 95% CI half-width of its change and its processes per side. */
  perMetric: {} as Record<string, Record<Verdict, number> & { halfWidths: number[]; processes: number[] }>,
}
for (let i = 0; i < count; i++) {
  const started = Date.now()
  const r = cli('compare', range, '--json', '--fail-on', 'none', '--db', db, ...measureArgs, ...positionals)
  const seconds = (Date.now() - started) / 1000
  if (r.status !== 0) throw new Error(`compare failed (${r.status}): ${r.stderr.slice(-2000)}`)
  const out = JSON.parse(r.stdout) as {
    comparisons: Array<{ plugin: string; benchmark: string; verdict: Verdict; change: number | null; ci: [number, number] | null; nBaseline: number }>
    extension?: { metrics: string[]; pairs: number; ms: number }
    settled?: { metrics: string[]; processes: number }
  }
  tally.compares++
  tally.seconds.push(seconds)
  tally.extensions.push(out.extension ? { metrics: out.extension.metrics, pairs: out.extension.pairs, seconds: out.extension.ms / 1000 } : null)
  tally.settled.push(out.settled ?? null)
  for (const c of out.comparisons) {
    const name = `${c.plugin}/${c.benchmark}`
    const m = (tally.perMetric[name] ??= { ...emptyCounts(), halfWidths: [], processes: [] })
    m[c.verdict]++
    if (c.ci && Number.isFinite(c.ci[0]) && Number.isFinite(c.ci[1])) m.halfWidths.push((c.ci[1] - c.ci[0]) / 2)
    m.processes.push(c.nBaseline)
    if (targets.has(name)) {
      tally.targets[name][c.verdict]++
      continue
    }
    if (sut?.affected.test(name)) {
      const a = (tally.affected[name] ??= { ...emptyCounts(), changes: [] })
      a[c.verdict]++
      if (c.change !== null) a.changes.push(c.change)
      continue
    }
    tally.unchangedCode.metricComparisons++
    tally.unchangedCode[c.verdict]++
    if (c.verdict === 'regressed' || c.verdict === 'improved') tally.falselyFlagged.push(`${i + 1}: ${name} ${c.verdict} ${c.change}`)
  }
  const shown = out.comparisons
    .filter((c) => c.plugin === 'demo' || targets.has(`${c.plugin}/${c.benchmark}`))
    .map((c) => `${c.benchmark} ${c.verdict} ${c.change?.toFixed(4)}`)
  const ext = out.extension ? `; +${out.extension.pairs} pairs for ${out.extension.metrics.length} metrics` : ''
  const settled = out.settled ? `; ${out.settled.metrics.length} settled after ${out.settled.processes}` : ''
  console.error(`${i + 1}/${count} ${seconds.toFixed(1)} s${ext}${settled}; ${shown.join('; ')}; unchanged code flagged so far ${tally.falselyFlagged.length}`)
}
console.log(
  JSON.stringify({
    measure: values.measure,
    mode: values.mode,
    effects: values.mode === 'power' ? effects : [],
    sut: sut ? { path: values.path, loops: sutLoops, inline: values.inline } : undefined,
    db,
    args: positionals,
    thresholds,
    ...tally,
  }),
)
