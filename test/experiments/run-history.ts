/**
 * Measures how often `perftrack run` cries wolf against its stored history (A/A): on a copy of
 * this repository's committed tree, runs `perftrack run` `--baseline-runs + --count` times on
 * the same commit of branch main. Every run after the first `--baseline-runs` is compared, as
 * `perftrack run` always does, with the latest complete runs of main in the same environment
 * (the default baseline: 10 runs, one value per run). The code never changes, so every
 * `regressed` or `improved` is a false alarm. Not a test: a full run of the suite takes minutes.
 *
 *   npx tsx test/experiments/run-history.ts --count 10 -- --quick
 *
 * Arguments after `--` go to every `perftrack run`. The history is kept (its path is printed);
 * one JSON summary line comes last.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'

import { defaultBaselineRuns } from '../../src/core/defaults.js'

const repo = path.resolve(import.meta.dirname, '..', '..')
const { values, positionals } = parseArgs({
  options: { count: { type: 'string', default: '10' }, 'baseline-runs': { type: 'string', default: String(defaultBaselineRuns) } },
  allowPositionals: true,
})
const count = Number(values.count)
const baselineRuns = Number(values['baseline-runs'])

const dir = mkdtempSync(path.join(os.tmpdir(), 'perftrack-run-history-'))
execFileSync('bash', ['-c', `git -C "${repo}" archive HEAD | tar -x -C "${dir}"`])
symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'))
const sh = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' })
sh('init', '-q', '-b', 'main')
sh('config', 'user.email', 'bench@example.com')
sh('config', 'user.name', 'bench')
writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n')
sh('add', '-A')
sh('commit', '-q', '-m', 'base')

type Verdict = 'regressed' | 'improved' | 'unchanged' | 'inconclusive'
const db = path.join(dir, '..', `${path.basename(dir)}.sqlite`)
const tally = {
  runs: 0,
  compared: 0,
  metricComparisons: 0,
  regressed: 0,
  improved: 0,
  unchanged: 0,
  inconclusive: 0,
  falselyFlagged: [] as string[],
  seconds: [] as number[],
}
for (let i = 0; i < baselineRuns + count; i++) {
  const started = Date.now()
  const r = spawnSync(process.execPath, [path.join(repo, 'bin', 'run.js'), 'run', '--json', '--fail-on', 'none', '--db', db, ...positionals], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  const seconds = (Date.now() - started) / 1000
  if (r.status !== 0) throw new Error(`run ${i + 1} failed (${r.status}): ${r.stderr.slice(-2000)}`)
  const out = JSON.parse(r.stdout) as {
    comparison?: { base: { runIds: string[] }; comparisons: Array<{ plugin: string; benchmark: string; verdict: Verdict; change: number | null }> }
  }
  tally.runs++
  tally.seconds.push(seconds)
  const c = out.comparison
  if (i >= baselineRuns && c) {
    if (c.base.runIds.length !== baselineRuns) throw new Error(`run ${i + 1}: baseline of ${c.base.runIds.length} runs, expected ${baselineRuns}`)
    tally.compared++
    for (const m of c.comparisons) {
      tally.metricComparisons++
      tally[m.verdict]++
      if (m.verdict === 'regressed' || m.verdict === 'improved') tally.falselyFlagged.push(`${i + 1}: ${m.plugin}/${m.benchmark} ${m.verdict} ${m.change}`)
    }
  }
  console.error(
    `${i + 1}/${baselineRuns + count} ${seconds.toFixed(1)} s${c ? `; against ${c.base.runIds.length} runs: ${['regressed', 'improved', 'unchanged', 'inconclusive'].map((v) => `${c.comparisons.filter((m) => m.verdict === v).length} ${v}`).join(', ')}` : ''}`,
  )
}
console.log(JSON.stringify({ db, args: positionals, baselineRuns, ...tally }))
