/**
 * How noisy one paired process is, metric by metric: runs N paired processes of the bundled
 * suite (both revisions in each, rounds alternating, as `perftrack compare` measures by
 * default; src/jobs/paired-process.ts), two at a time, and prints per metric the CV over the
 * processes of one side's values (what `--no-paired` compares) against the standard deviation
 * of the processes' log ratios (what a paired compare's t test sees). With `--head` a checkout
 * of another revision it also shows the mean change; with both sides the same commit it is an A/A.
 *
 *   git worktree add --detach /tmp/pa HEAD && git worktree add --detach /tmp/pb HEAD
 *   npx tsx test/experiments/paired-noise.ts --base /tmp/pa --head /tmp/pb --processes 12
 *   npx tsx test/experiments/paired-noise.ts --base /tmp/pa --head /tmp/pb --rounds 6 --time 10
 *   npx tsx test/experiments/paired-noise.ts --base /tmp/pa --head /tmp/pb --throughput-rounds 30
 *   npx tsx test/experiments/paired-noise.ts --base /tmp/pa --head /tmp/pb --io-latency-time 2
 *   npx tsx test/experiments/paired-noise.ts --base /tmp/pa --head /tmp/pb --plugin cache --one-at-a-time
 *   npx tsx test/experiments/paired-noise.ts --base /tmp/pa --head /tmp/pb --plugin cache --no-claims
 *   npx tsx test/experiments/paired-noise.ts --base /tmp/pa --head /tmp/pb --node-flags none
 *   npx tsx test/experiments/paired-noise.ts --base /tmp/pa --head /tmp/pb --node-flags=--no-concurrent-recompilation
 *
 * Each checkout gets its dependencies as `compare` gives a worktree (linked when the lockfile
 * matches this checkout's). Prints one JSON line: the budget, then per metric n, the side's CV,
 * the ratios' SD and mean, all in %. `--dump FILE` also writes every process's rounds per metric
 * and side ([base processes, head processes]).
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

import { mean, median, sampleStandardDeviation } from 'simple-statistics'
import { compareBudgetDefaults } from '../../src/core/defaults.js'
import { metricKey } from '../../src/core/metric-key.js'
import { prepareDependencies } from '../../src/git/worktree.js'
import type { AbBudget, Side } from '../../src/jobs/ab-runner.js'
import { loadPairedSides, type ProcessRun, pairedNodeFlags, pairedRunnerBudget, processLogRatios, runPairedProcess } from '../../src/jobs/paired-process.js'
import { MachineClaims } from '../../src/runner/machine-claims.js'

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    head: { type: 'string' },
    processes: { type: 'string', default: '12' },
    rounds: { type: 'string', default: String(compareBudgetDefaults.pairedRounds) },
    time: { type: 'string', default: String(compareBudgetDefaults.pairedTime) },
    'value-rounds': { type: 'string', default: String(compareBudgetDefaults.pairedValueRounds) },
    // Default: `compare`'s, --rounds × pairedThroughputFactor.
    'throughput-rounds': { type: 'string' },
    // Default: `compare`'s, --time × pairedIoLatencyTimeFactor.
    'io-latency-time': { type: 'string' },
    plugin: { type: 'string', multiple: true },
    dump: { type: 'string' },
    'one-at-a-time': { type: 'boolean', default: false },
    // Two at a time, benchmarks declared `alone` measure alone as in `compare` (machine-claims.ts); off: as before 2026-12-07.
    'no-claims': { type: 'boolean', default: false },
    // V8 flags of the measuring processes, space-separated, or `none`. Default: `compare`'s (compareBudgetDefaults.pairedNodeFlags).
    'node-flags': { type: 'string' },
  },
})
if (!values.base || !values.head) throw new Error('--base and --head must name two checkouts of this repository (git worktree add)')
for (const flag of ['processes', 'rounds', 'time', 'value-rounds', 'throughput-rounds', 'io-latency-time'] as const) {
  if (values[flag] !== undefined && !(Number(values[flag]) >= 1)) throw new Error(`--${flag} must be a number ≥ 1, got ${values[flag]}`)
}
const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)))
const sides: [Side, Side] = [
  { label: 'base', ref: 'base', sha: null, dir: path.resolve(values.base) },
  { label: 'head', ref: 'head', sha: null, dir: path.resolve(values.head) },
]
for (const side of sides) await prepareDependencies(side.dir, root, `the ${side.label} checkout`)
const budget: AbBudget = {
  processes: Number(values.processes),
  rounds: Number(values.rounds),
  time: Number(values.time),
  warmup: compareBudgetDefaults.warmup,
  maxWarmup: compareBudgetDefaults.maxWarmup,
  minIterations: compareBudgetDefaults.minIterations,
  timeout: compareBudgetDefaults.timeout,
  duet: true,
  paired: true,
  valueRounds: Number(values['value-rounds']),
  ...(values['throughput-rounds'] === undefined ? {} : { throughputRounds: Number(values['throughput-rounds']) }),
  ...(values['io-latency-time'] === undefined ? {} : { ioLatencyTime: Number(values['io-latency-time']) }),
  ...(values['node-flags'] === undefined ? {} : { nodeFlags: values['node-flags'] === 'none' ? [] : values['node-flags'].split(' ').filter(Boolean) }),
}
// As `compare` measures: the paired defaults fill what no flag set.
const runner = pairedRunnerBudget(budget)
const paired = await loadPairedSides(sides, { profile: 'local', plugins: values.plugin, budget })
const runs: [ProcessRun[], ProcessRun[]] = [[], []]
// Two processes at a time, one per core, as `compare` runs them; --one-at-a-time leaves the
// other core to whatever else the plugins start (redis-server).
const wave = values['one-at-a-time'] ? 1 : 2
const machine = wave === 2 && !values['no-claims'] ? new MachineClaims() : undefined
const started = performance.now()
for (let i = 0; i < budget.processes; i += wave) {
  const units = await Promise.all(
    [i, i + 1]
      .slice(0, wave)
      .filter((k) => k < budget.processes)
      .map((k) => runPairedProcess(paired, { budget, profile: 'local', plugins: values.plugin, headFirst: k % 2 === 1, claim: machine?.claim })),
  )
  for (const u of units) for (const s of [0, 1]) runs[s].push(u[s])
  for (const [k, u] of units.entries()) {
    for (const [s, side] of u.entries()) {
      for (const r of side.results)
        if (r.status !== 'completed') console.error(`process ${i + k}, ${sides[s].label}: ${metricKey(r)} ${r.status}: ${JSON.stringify(r)}`)
    }
  }
  console.error(`${runs[0].length}/${budget.processes} processes`)
}
if (values.dump) {
  // Every process's rounds per metric and side, for trying other estimators offline.
  const rounds = (run: ProcessRun) => Object.fromEntries(run.results.filter((r) => r.status === 'completed').map((r) => [metricKey(r), r.rounds]))
  await writeFile(values.dump, JSON.stringify(runs.map((side) => side.map(rounds))))
}
const ratios = processLogRatios(runs[0], runs[1])
const pct = (x: number) => Number((100 * x).toFixed(2))
const metrics: Record<string, { n: number; sideCv: number; ratioSd: number; ratioMean: number }> = {}
for (const [key, r] of ratios) {
  const finite = r.filter(Number.isFinite)
  const side = runs[0].flatMap((run) => run.results.filter((x) => metricKey(x) === key && x.status === 'completed').map((x) => median(x.rounds)))
  if (finite.length < 2 || side.length < 2) continue
  metrics[key] = {
    n: finite.length,
    sideCv: pct(sampleStandardDeviation(side) / mean(side)),
    ratioSd: pct(sampleStandardDeviation(finite)),
    ratioMean: pct(Math.expm1(mean(finite))),
  }
}
const seconds = Number(((performance.now() - started) / 1000).toFixed(1))
console.log(
  JSON.stringify({
    budget: {
      processes: budget.processes,
      rounds: budget.rounds,
      time: budget.time,
      valueRounds: budget.valueRounds,
      throughputRounds: runner.throughputRounds,
      ioLatencyTime: runner.ioLatencyTime,
      claims: machine !== undefined,
      nodeFlags: pairedNodeFlags(budget).join(' '),
    },
    seconds,
    metrics,
  }),
)
