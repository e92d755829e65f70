import path from 'node:path'

import { historyFlags, PerftrackCommand, pluginFlags } from '../cli/perftrack-command.js'
import { loadConfig } from '../core/config.js'
import { exitCodes, PerftrackError } from '../core/errors.js'
import { findProjectRoot } from '../core/project-root.js'
import { limitText, noValue, table } from '../report/format.js'
import { discoverPluginFiles, loadPlugins, selectPlugins } from '../runner/plugin-loader.js'
import { describeBenchmark } from '../runner/runner.js'

export interface PluginsOutput {
  plugins: Array<{
    name: string
    description: string | null
    file: string
    benchmarks: Array<{
      name: string
      kind: string
      unit: string
      direction: string
      concurrency: number | null
      targets: Array<{ stat: string; op: string; value: number }>
    }>
  }>
  errors: Array<{ file: string; message: string }>
  /** Files in a pluginDirs folder that are not perftrack plugins: skipped, not errors. */
  skipped: Array<{ file: string; message: string }>
}

export default class Plugins extends PerftrackCommand {
  static override summary = 'List the discovered plugins and their benchmarks.'
  static override description =
    'Shows each plugin that `perftrack run` would load, with its benchmarks, kinds, units, directions and targets. Plugin files that fail to load are listed with the reason (exit code 2).'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json',
    '<%= config.bin %> <%= command.id %> --plugin-path ./perf/my-plugin.ts',
  ]
  static override flags = { config: historyFlags.config, ...pluginFlags }

  async run(): Promise<PluginsOutput> {
    const { flags } = await this.parse(Plugins)
    // From a subdirectory (src/, plugins/cache/), list the project's plugins, not none.
    const root = findProjectRoot(process.cwd()) ?? process.cwd()
    if (root !== process.cwd()) this.stderr(`project root: ${root}`)
    const config = await loadConfig(root, flags.config)
    const pluginPaths = flags['plugin-path']?.map((p) => path.resolve(p))
    const set = selectPlugins(await loadPlugins(discoverPluginFiles({ cwd: root, config, pluginPaths })), flags.plugin)
    const plugins = set.plugins.map(({ plugin, file }) => ({
      name: plugin.name,
      description: plugin.description ?? null,
      file,
      benchmarks: plugin.benchmarks.map((b) => {
        const d = describeBenchmark(plugin.name, b)
        return { name: b.name, kind: b.kind, unit: d.unit, direction: d.direction, concurrency: b.concurrency ?? null, targets: d.targets ?? [] }
      }),
    }))
    for (const p of plugins) {
      this.print(`${p.name}${p.description ? ` — ${p.description}` : ''}\n  ${p.file}`)
      const rows = p.benchmarks.map((b) => [
        b.name,
        b.kind + (b.concurrency ? ` ×${b.concurrency}` : ''),
        b.unit,
        b.direction,
        b.targets.map((t) => limitText(t, b.unit)).join(', ') || noValue,
      ])
      this.print(`${table(['benchmark', 'kind', 'unit', 'better', 'targets'], rows)}\n`)
    }
    for (const s of set.skipped ?? []) this.stderr(`• ${s.message}`)
    for (const f of set.failures) this.stderr(`✗ ${f.message}`)
    if (set.failures.length > 0) {
      if (this.jsonEnabled()) process.exitCode = exitCodes.usage
      else throw new PerftrackError('PLUGIN_INVALID', `${set.failures.length} plugin file(s) failed to load (see above).`)
    }
    return { plugins, errors: set.failures, skipped: set.skipped ?? [] }
  }
}
