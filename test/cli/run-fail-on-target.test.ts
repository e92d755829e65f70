import { writeFileSync } from 'node:fs'
import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { quickArgs, runCli, tempDir } from '../helpers/cli.js'

describe('exit code on a failed target', () => {
  const dir = tempDir()
  const plugin = path.join(dir, 'impossible.ts')
  writeFileSync(
    plugin,
    `export default { name: 'impossible', benchmarks: [{ name: 'noop', kind: 'latency', fn: () => 1, targets: [{ stat: 'max', op: '<', value: 0 }] }] }\n`,
  )

  it('exits 1 and marks the target failed with --fail-on target (the default)', async () => {
    const result = await runCli(['run', ...quickArgs, '--plugin-path', plugin, '--db', path.join(dir, 'h.sqlite'), '--json'], { cwd: dir })
    expect(result.code).toBe(1)
    const out = JSON.parse(result.stdout)
    expect(out.run.status).toBe('complete')
    expect(out.results[0].targets[0]).toMatchObject({ stat: 'max', op: '<', value: 0, pass: false })
  })

  it('exits 0 with --fail-on none', async () => {
    const result = await runCli(['run', ...quickArgs, '--plugin-path', plugin, '--db', path.join(dir, 'h.sqlite'), '--fail-on', 'none'], { cwd: dir })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/✗ max \S+ ms < 0 ms/)
  })
})
