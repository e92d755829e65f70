import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { loadConfig } from '../../src/core/config.js'
import { PerftrackError } from '../../src/core/errors.js'
import { discoverPluginFiles, loadPlugins } from '../../src/runner/plugin-loader.js'
import { runCli, tempDir } from '../helpers/cli.js'

// A plain-data perftrack plugin: no imports, so it loads from any temporary folder.
const perftrackPlugin = (name: string) =>
  `export default { name: '${name}', benchmarks: [{ name: 'answer', kind: 'value', unit: 'count', direction: 'higher', measure: () => 42 }] }\n`
// The service's own Nuxt plugin: importing it outside Nuxt throws, so it must never be imported.
const nuxtPlugin = 'export default defineNuxtPlugin(() => ({ provide: { user: null } }))\n'

function service(files: Record<string, string>): string {
  const dir = tempDir('perftrack-service-')
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    writeFileSync(path.join(dir, file), text)
  }
  return dir
}

async function discoverAndLoad(dir: string) {
  const config = await loadConfig(dir)
  return loadPlugins(discoverPluginFiles({ cwd: dir, config }))
}

describe('pluginDirs', () => {
  it('by default scans perf/ and plugins/; a service plugin there is skipped with a notice naming pluginDirs, never imported', async () => {
    const dir = service({ 'perf/codec/index.ts': perftrackPlugin('codec'), 'plugins/auth/index.ts': nuxtPlugin })
    const set = await discoverAndLoad(dir)
    expect(set.plugins.map((p) => p.plugin.name)).toEqual(['codec'])
    expect(set.failures).toEqual([])
    expect(set.skipped).toHaveLength(1)
    expect(set.skipped?.[0]?.message).toMatch(/auth[/\\]index\.ts is not a perftrack plugin .*skipped.*pluginDirs in perftrack\.config\.ts/)
  })

  it('from perftrack.config.ts replaces the default: plugins/ is not looked at', async () => {
    const dir = service({
      'perftrack.config.ts': "export default { pluginDirs: ['bench'] }\n",
      'bench/codec/index.ts': perftrackPlugin('codec'),
      'perf/other/index.ts': perftrackPlugin('other'),
      'plugins/auth/index.ts': nuxtPlugin,
    })
    const set = await discoverAndLoad(dir)
    expect(set.plugins.map((p) => p.plugin.name)).toEqual(['codec'])
    expect(set.skipped).toEqual([])
  })

  it('a configured folder that does not exist is an error naming the setting', async () => {
    const dir = service({ 'perftrack.config.ts': "export default { pluginDirs: ['perf'] }\n" })
    const config = await loadConfig(dir)
    expect(() => discoverPluginFiles({ cwd: dir, config })).toThrow(PerftrackError)
    expect(() => discoverPluginFiles({ cwd: dir, config })).toThrow(/perf .*from pluginDirs in .*perftrack\.config\.ts.* does not exist/)
  })

  it('a broken perftrack plugin in a scanned folder is still a failure, and says where it was found', async () => {
    const dir = service({ 'perf/codec/index.ts': perftrackPlugin('codec'), 'perf/broken/index.ts': "export default { name: 'broken', benchmarks: [] }\n" })
    const set = await discoverAndLoad(dir)
    expect(set.plugins.map((p) => p.plugin.name)).toEqual(['codec'])
    expect(set.failures).toHaveLength(1)
    expect(set.failures[0]?.message).toMatch(/found in .*perf\/ through pluginDirs/)
  })

  it('`perftrack plugins` in a service with its own plugins/ folder exits 0 with the notice on stderr', async () => {
    const dir = service({ 'perf/codec/index.ts': perftrackPlugin('codec'), 'plugins/auth/index.ts': nuxtPlugin })
    const r = await runCli(['plugins', '--json'], { cwd: dir })
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.plugins.map((p: any) => p.name)).toEqual(['codec'])
    expect(out.skipped).toHaveLength(1)
    expect(r.errors).toMatch(/plugins\/auth\/index\.ts is not a perftrack plugin/)
  })

  it('`perftrack run` without any plugin names the folders it scanned and points to init', async () => {
    const dir = service({ 'plugins/auth/index.ts': nuxtPlugin })
    const r = await runCli(['run', '--quick', '--no-baseline', '--db', path.join(dir, 'h.sqlite')], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.errors).toMatch(/No perftrack plugins found: pluginDirs \(perf, plugins\) hold none/)
    expect(r.errors).toMatch(/perftrack init/)
  })
})
