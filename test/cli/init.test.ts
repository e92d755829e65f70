import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { loadConfig } from '../../src/core/config.js'
import { quickArgs, repoRoot, runCli, tempDir } from '../helpers/cli.js'

const written = [
  'perftrack.config.ts',
  'perf/example/index.ts',
  'perf/history/.gitignore',
  '.github/workflows/perftrack-pr.yml',
  '.github/workflows/perftrack-nightly.yml',
]

/** A new service that has perftrack installed: node_modules/perftrack is this (built) package. */
function newService(lockfile: [string, string]): string {
  const dir = tempDir('perftrack-init-')
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'svc', version: '1.0.0', private: true, type: 'module' }))
  writeFileSync(path.join(dir, lockfile[0]), lockfile[1])
  mkdirSync(path.join(dir, 'node_modules'))
  symlinkSync(repoRoot, path.join(dir, 'node_modules', 'perftrack'), 'dir')
  return dir
}

describe('perftrack init', () => {
  it('writes the config, an example plugin, the history ignore file and two workflows; the example runs', async () => {
    const dir = newService(['package-lock.json', '{}'])
    const r = await runCli(['init', '--json'], { cwd: dir })
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.written).toEqual(written)
    expect(out.packageManager).toBe('npm')
    for (const f of written) expect(existsSync(path.join(dir, f))).toBe(true)
    const config = await loadConfig(dir)
    expect(config).toMatchObject({ pluginDirs: ['perf'], db: 'perf/history/perftrack.sqlite' })
    expect(readFileSync(path.join(dir, '.github/workflows/perftrack-pr.yml'), 'utf8')).toContain('run: npx perftrack compare base..HEAD')
    expect(readFileSync(path.join(dir, '.github/workflows/perftrack-nightly.yml'), 'utf8')).toContain('path: perf/history/perftrack.sqlite')

    const run = await runCli(['run', ...quickArgs, '--no-baseline', '--json'], { cwd: dir })
    expect(run.code).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(result.results.map((x: any) => `${x.plugin}/${x.benchmark}/${x.status}`)).toEqual(['example/parse-package-json/completed'])
    expect(existsSync(path.join(dir, 'perf/history/perftrack.sqlite'))).toBe(true)

    // The nightly workflow's trend step, as written, is accepted in today's spelling (no deprecation warning).
    const nightly = readFileSync(path.join(dir, '.github/workflows/perftrack-nightly.yml'), 'utf8')
    const trendArgs = /run: npx perftrack (trend [^|\n]*?)\s*\|/.exec(nightly)?.[1].split(' ')
    expect(trendArgs).toEqual(['trend', '--new-since', '1d'])
    const trend = await runCli(trendArgs!, { cwd: dir })
    expect(trend.code, trend.stderr).toBe(0)
    expect(trend.stderr).not.toMatch(/deprecated|Warning/)
  })

  it('refuses to overwrite: exit 2 naming the files, nothing written', async () => {
    const dir = newService(['package-lock.json', '{}'])
    writeFileSync(path.join(dir, 'perftrack.config.ts'), '// mine\nexport default {}\n')
    const r = await runCli(['init'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toMatch(/perftrack init writes nothing: perftrack\.config\.ts already exists/)
    expect(readFileSync(path.join(dir, 'perftrack.config.ts'), 'utf8')).toBe('// mine\nexport default {}\n')
    expect(existsSync(path.join(dir, 'perf'))).toBe(false)
  })

  it('writes workflows for the package manager of the lockfile (pnpm) and says how to allow the sqlite3 build', async () => {
    const dir = newService(['pnpm-lock.yaml', "lockfileVersion: '9.0'\n"])
    const r = await runCli(['init', '--json'], { cwd: dir })
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.packageManager).toBe('pnpm')
    expect(out.next.join('\n')).toContain('"onlyBuiltDependencies": ["sqlite3"]')
    const pr = readFileSync(path.join(dir, '.github/workflows/perftrack-pr.yml'), 'utf8')
    expect(pr).toContain('pnpm/action-setup@v4')
    expect(pr).toContain('run: pnpm install --frozen-lockfile')
    expect(pr).toContain('run: pnpm exec perftrack compare base..HEAD')
  })

  it('needs a package.json', async () => {
    const r = await runCli(['init'], { cwd: tempDir('perftrack-init-empty-') })
    expect(r.code).toBe(2)
    expect(r.errors).toMatch(/has no package\.json/)
  })
})
