import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { closestCommand } from '../../src/hooks/command-not-found.js'
import { runCli, tempDir } from '../helpers/cli.js'

describe('CLI usability', () => {
  it('-h is help, for the CLI and for a command', async () => {
    const top = await runCli(['-h'])
    expect(top.code).toBe(0)
    expect(top.stdout).toContain('COMMANDS')
    const run = await runCli(['run', '-h'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Measure the plugins, store the run, check targets.')
    expect(run.stdout).toContain('--pr-comment')
  })

  it('a mistyped command suggests the right one and exits 2', async () => {
    for (const [typed, meant] of [
      ['rnu', 'run'],
      ['comapre', 'compare'],
      ['histroy list', 'history list'],
      ['history lsit', 'history list'],
    ]) {
      const r = await runCli(typed.split(' '))
      expect(r.code, typed).toBe(2)
      expect(r.errors).toContain(`'${typed}' is not a perftrack command.`)
      expect(r.errors).toContain(`Did you mean \`perftrack ${meant}\`?`)
    }
    const far = await runCli(['frobnicate'])
    expect(far.code).toBe(2)
    expect(far.errors).not.toContain('Did you mean')
  })

  it('suggests only what is close', () => {
    const ids = ['run', 'compare', 'calibrate', 'trend', 'report', 'plugins', 'history:list']
    expect(closestCommand('trnd', ids)).toBe('trend')
    expect(closestCommand('history:lst', ids)).toBe('history:list')
    expect(closestCommand('deploy', ids)).toBeUndefined()
  })

  it('trend on an empty history says so and what to do', async () => {
    const dir = tempDir()
    const r = await runCli(['trend', '--db', path.join(dir, 'h.sqlite')], { cwd: dir })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('No complete runs of branch main in the history: nothing to analyse yet. Store runs with `perftrack run`')
  })

  it("plugins run from a subdirectory lists the project root's plugins", async () => {
    const root = tempDir()
    writeFileSync(path.join(root, 'package.json'), '{ "name": "demo", "type": "module" }\n')
    mkdirSync(path.join(root, 'plugins', 'tiny'), { recursive: true })
    mkdirSync(path.join(root, 'src', 'deep'), { recursive: true })
    writeFileSync(
      path.join(root, 'plugins', 'tiny', 'index.ts'),
      "export default { name: 'tiny', benchmarks: [{ name: 'noop', kind: 'latency', fn: () => 1 }] }\n",
    )
    const r = await runCli(['plugins', '--json'], { cwd: path.join(root, 'src', 'deep') })
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.plugins.map((p: { name: string }) => p.name)).toEqual(['tiny'])
    expect(r.stderr).toContain(`project root: ${root}`)
  })
})
