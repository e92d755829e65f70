/**
 * How `perftrack compare --measure instructions` judges a small CPU change in the system under
 * test: on a copy of this repository's committed tree, the head commit adds `--spin N`
 * iterations of integer arithmetic to every configuration resolve (src/llm/configuration-service.ts,
 * the path of each cached resolve), and nothing else. `--spin 0` is an A/A pair of commits.
 * Not a test: each compare starts 4 processes under Valgrind.
 *
 *   npx tsx test/experiments/instruction-verdicts.ts --spin 12 --count 20 -- --bench cached-resolution
 *   npx tsx test/experiments/instruction-verdicts.ts --spin 0 --count 20 -- --bench cached-resolution
 *
 * Arguments after `--` go to `perftrack compare`. Prints each compare's verdicts and a JSON
 * summary line at the end.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'

const repo = path.resolve(import.meta.dirname, '..', '..')
const { values, positionals } = parseArgs({
  options: { spin: { type: 'string', default: '12' }, count: { type: 'string', default: '20' } },
  allowPositionals: true,
})
const spin = Number(values.spin)
const count = Number(values.count)
const sh = (cwd: string, cmd: string, ...args: string[]) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

const dir = mkdtempSync(path.join(os.tmpdir(), 'perftrack-instr-verdicts-'))
execFileSync('bash', ['-c', `git -C "${repo}" archive HEAD | tar -x -C "${dir}"`])
symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'))
sh(dir, 'git', 'init', '-q', '-b', 'main')
sh(dir, 'git', 'config', 'user.email', 'bench@example.com')
sh(dir, 'git', 'config', 'user.name', 'bench')
writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n')
sh(dir, 'git', 'add', '-A')
sh(dir, 'git', 'commit', '-q', '-m', 'base')
const file = path.join(dir, 'src', 'llm', 'configuration-service.ts')
const anchor = '    const key = cacheKey(interactionCode, tier)\n'
const source = readFileSync(file, 'utf8')
if (!source.includes(anchor)) throw new Error(`${file} no longer has the line this experiment patches: ${anchor.trim()}`)
const work = `    let spun = 0\n    for (let i = 0; i < ${spin}; i++) spun = (spun * 31 + i) % 1000003\n    if (spun < 0) throw new Error('unreachable')\n`
writeFileSync(file, source.replace(anchor, work + anchor))
sh(dir, 'git', 'commit', '-q', '--allow-empty', '-am', `configuration-service: ${spin} iterations of extra work per resolve`)

const db = path.join(dir, '..', `${path.basename(dir)}.sqlite`)
const tally: Record<string, Record<string, number>> = {}
const started = Date.now()
for (let i = 0; i < count; i++) {
  const t0 = Date.now()
  const out = spawnSync(process.execPath, [path.join(repo, 'bin', 'run.js'), 'compare', 'HEAD~1..HEAD', '--measure', 'instructions', '--json', '--fail-on', 'none', '--db', db, ...positionals], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (out.status !== 0) throw new Error(`compare failed (${out.status}): ${out.stderr.slice(-2000)}`)
  const result = JSON.parse(out.stdout) as { comparisons: Array<{ plugin: string; benchmark: string; verdict: string; change: number; ci: [number, number] }> }
  for (const c of result.comparisons) {
    const k = `${c.plugin}/${c.benchmark}`
    tally[k] ??= {}
    tally[k][c.verdict] = (tally[k][c.verdict] ?? 0) + 1
    console.log(`[${i + 1}/${count}] ${k}: ${c.verdict} ${(c.change * 100).toFixed(3)}% [${c.ci.map((x) => (x * 100).toFixed(3)).join(', ')}] (${((Date.now() - t0) / 1000).toFixed(0)} s)`)
  }
}
console.log(JSON.stringify({ spin, count, seconds: Math.round((Date.now() - started) / 1000), db, verdicts: tally }))
