import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

import type { PerftrackConfig } from './config.js'
import { errorMessage, PerftrackError } from './errors.js'
import { guardedImport } from './import-guard.js'
import { defaultExport } from './module-import.js'
import type { Plugin } from './plugin-api.js'
import { validatePlugin } from './plugin-schema.js'

export interface LoadedPlugin {
  plugin: Plugin
  file: string
}

/** A plugin file that could not be loaded; reported, while the other plugins still run. */
export interface PluginLoadFailure {
  file: string
  message: string
}

export interface PluginSet {
  plugins: LoadedPlugin[]
  failures: PluginLoadFailure[]
}

const entryNames = ['index.ts', 'index.mts', 'index.js', 'index.mjs']

/** A plugin path names a module file, or a directory holding `index.ts` or a set of plugin directories. */
function entriesOf(target: string, origin: string): string[] {
  if (!existsSync(target)) {
    throw new PerftrackError('PLUGIN_PATH_NOT_FOUND', `Plugin path ${target} (from ${origin}) does not exist.`, {
      suggestions: ['Check the path; it may be a file or a directory with index.ts.'],
    })
  }
  if (statSync(target).isFile()) return [target]
  const own = entryNames.map((n) => path.join(target, n)).find((f) => existsSync(f))
  if (own) return [own]
  const found = readdirSync(target, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => entryNames.map((n) => path.join(target, d.name, n)).find((f) => existsSync(f)))
    .filter((f): f is string => f !== undefined)
    .sort()
  // A path the user named that yields nothing is a mistake, not an empty plugin set.
  if (found.length === 0 && origin !== 'plugins/') {
    const modules = readdirSync(target).filter((n) => /\.(m?ts|m?js)$/.test(n)).sort()
    throw new PerftrackError('PLUGIN_PATH_EMPTY', `Plugin path ${target} (from ${origin}) holds no plugin: no ${entryNames.join('/')} in it or in its subdirectories${modules.length ? ` (it has ${modules.slice(0, 3).join(', ')}${modules.length > 3 ? ', …' : ''})` : ''}.`, {
      suggestions: [modules.length ? `Pass each plugin file itself, e.g. --plugin-path ${path.join(target, modules[0])}, or put each in <name>/index.ts.` : 'Pass a plugin file, or a directory with index.ts or <name>/index.ts.'],
    })
  }
  return found
}

export interface DiscoverOptions {
  /** Project directory; `plugins/*\/index.ts` below it are discovered. */
  cwd: string
  config: PerftrackConfig
  /** `--plugin-path` values. */
  pluginPaths?: string[]
}

/** Every plugin module file, deduplicated: `plugins/*`, the config's `plugins`, then `--plugin-path`. */
export function discoverPluginFiles({ cwd, config, pluginPaths = [] }: DiscoverOptions): string[] {
  const files: string[] = []
  const pluginsDir = path.join(cwd, 'plugins')
  if (existsSync(pluginsDir)) files.push(...entriesOf(pluginsDir, 'plugins/'))
  for (const p of config.plugins ?? []) files.push(...entriesOf(path.resolve(config.dir, p), config.file ?? 'config'))
  for (const p of pluginPaths) files.push(...entriesOf(path.resolve(cwd, p), '--plugin-path'))
  return [...new Set(files.map((f) => path.resolve(f)))]
}

/** Imports and validates each file; a broken one becomes a failure, never a crash of the whole set. */
export async function loadPlugins(files: string[]): Promise<PluginSet> {
  const plugins: LoadedPlugin[] = []
  const failures: PluginLoadFailure[] = []
  for (const file of files) {
    const relative = path.relative(process.cwd(), file)
    const shown = relative && !relative.startsWith('..') ? relative : file
    try {
      const plugin = validatePlugin(defaultExport(await guardedImport(file)), shown)
      const clash = plugins.find((p) => p.plugin.name === plugin.name)
      if (clash) throw new PerftrackError('PLUGIN_DUPLICATE', `${shown}: plugin name '${plugin.name}' is already used by ${clash.file}`)
      plugins.push({ plugin, file })
    } catch (error) {
      const message = error instanceof PerftrackError ? error.message : `${shown}: cannot be loaded — ${errorMessage(error)}`
      failures.push({ file, message })
    }
  }
  return { plugins, failures }
}

/** Keeps the plugins named by `--plugin`; an unknown name is a usage error naming the known ones. */
export function selectPlugins(set: PluginSet, names: string[] | undefined): PluginSet {
  if (!names || names.length === 0) return set
  const known = set.plugins.map((p) => p.plugin.name)
  const unknown = names.filter((n) => !known.includes(n))
  if (unknown.length > 0) {
    throw new PerftrackError('PLUGIN_UNKNOWN', `Unknown plugin${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Known: ${known.join(', ') || '(none found)'}.`, {
      suggestions: ['Run `perftrack plugins` to list the discovered plugins.'],
    })
  }
  return { plugins: set.plugins.filter((p) => names.includes(p.plugin.name)), failures: set.failures }
}
