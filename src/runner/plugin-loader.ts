import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

import type { PerftrackConfig } from '../core/config.js'
import { defaultPluginDirs } from '../core/defaults.js'
import { errorMessage, PerftrackError } from '../core/errors.js'
import { defaultExport } from '../core/module-import.js'
import type { Plugin } from '../core/plugin-api.js'
import { validatePlugin } from '../core/plugin-schema.js'
import { guardedImport } from './import-guard.js'

export interface LoadedPlugin {
  plugin: Plugin
  file: string
}

/** A plugin file that could not be loaded; reported, while the other plugins still run. */
export interface PluginLoadFailure {
  file: string
  message: string
}

/** A file in a scanned folder that is not a perftrack plugin: named, never loaded, never an error. */
export interface PluginSkip {
  file: string
  message: string
}

export interface PluginSet {
  plugins: LoadedPlugin[]
  failures: PluginLoadFailure[]
  skipped?: PluginSkip[]
}

/** A plugin module to load; `scannedDir` is set when it was found by scanning a `pluginDirs` folder. */
export interface PluginCandidate {
  file: string
  scannedDir?: string
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
    const modules = readdirSync(target)
      .filter((n) => /\.(m?ts|m?js)$/.test(n))
      .sort()
    throw new PerftrackError(
      'PLUGIN_PATH_EMPTY',
      `Plugin path ${target} (from ${origin}) holds no plugin: no ${entryNames.join('/')} in it or in its subdirectories${modules.length ? ` (it has ${modules.slice(0, 3).join(', ')}${modules.length > 3 ? ', …' : ''})` : ''}.`,
      {
        suggestions: [
          modules.length
            ? `Pass each plugin file itself, e.g. --plugin-path ${path.join(target, modules[0])}, or put each in <name>/index.ts.`
            : 'Pass a plugin file, or a directory with index.ts or <name>/index.ts.',
        ],
      },
    )
  }
  return found
}

export interface DiscoverOptions {
  /** Project directory; without a config, the default `pluginDirs` are looked for below it. */
  cwd: string
  config: PerftrackConfig
  /** `--plugin-path` values. */
  pluginPaths?: string[]
}

/** The folders to scan: the config's `pluginDirs` (relative to the config file), else the defaults below `cwd`. */
export function pluginDirsOf(cwd: string, config: PerftrackConfig): string[] {
  return config.pluginDirs ? config.pluginDirs.map((d) => path.resolve(config.dir, d)) : defaultPluginDirs.map((d) => path.join(cwd, d))
}

/**
 * Every plugin module, deduplicated: the `pluginDirs` folders, the config's `plugins`, then
 * `--plugin-path`. A configured folder that does not exist is an error; a default one is
 * simply absent.
 */
export function discoverPluginFiles({ cwd, config, pluginPaths = [] }: DiscoverOptions): PluginCandidate[] {
  const found: PluginCandidate[] = []
  for (const dir of pluginDirsOf(cwd, config)) {
    if (!config.pluginDirs && !existsSync(dir)) continue
    const origin = config.pluginDirs ? `pluginDirs in ${config.file}` : 'the default pluginDirs'
    if (existsSync(dir) && !statSync(dir).isDirectory()) {
      throw new PerftrackError('PLUGIN_DIR_INVALID', `${dir} (from ${origin}) is not a folder.`, {
        suggestions: ['pluginDirs lists folders holding <name>/index.ts plugins; put single files in `plugins`.'],
      })
    }
    found.push(...entriesOf(dir, origin).map((file) => ({ file, scannedDir: dir })))
  }
  for (const p of config.plugins ?? []) found.push(...entriesOf(path.resolve(config.dir, p), config.file ?? 'config').map((file) => ({ file })))
  for (const p of pluginPaths) found.push(...entriesOf(path.resolve(cwd, p), '--plugin-path').map((file) => ({ file })))
  const byFile = new Map<string, PluginCandidate>()
  for (const c of found) {
    const file = path.resolve(c.file)
    const seen = byFile.get(file)
    // Named explicitly anywhere wins over found by scanning: an explicit file is never skipped.
    if (!seen || (seen.scannedDir && !c.scannedDir)) byFile.set(file, { ...c, file })
  }
  return [...byFile.values()]
}

/**
 * Whether a file found by scanning may be a perftrack plugin. Decided on its text, before
 * importing it: a service's own plugins (Fastify, Nuxt) may start servers or need their
 * framework's globals when imported, and are none of perftrack's business.
 */
export function looksLikePerftrackPlugin(source: string): boolean {
  return /['"]perftrack['"]|\bbenchmarks\b/.test(source)
}

function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file)
  return relative && !relative.startsWith('..') ? relative : file
}

function skipMessage(file: string, dir: string): string {
  const folder = `${shownPath(dir)}/`
  return `${shownPath(file)} is not a perftrack plugin (it neither imports 'perftrack' nor declares benchmarks); skipped. perftrack scans ${folder} because of pluginDirs; set pluginDirs in perftrack.config.ts to the folders that hold only perftrack plugins, e.g. pluginDirs: ['perf'].`
}

/** Imports and validates each file; a broken one becomes a failure, never a crash of the whole set. */
export async function loadPlugins(candidates: Array<string | PluginCandidate>): Promise<PluginSet> {
  const plugins: LoadedPlugin[] = []
  const failures: PluginLoadFailure[] = []
  const skipped: PluginSkip[] = []
  for (const candidate of candidates) {
    const { file, scannedDir } = typeof candidate === 'string' ? { file: candidate, scannedDir: undefined } : candidate
    const shown = shownPath(file)
    if (scannedDir && !looksLikePerftrackPlugin(readFileSync(file, 'utf8'))) {
      skipped.push({ file, message: skipMessage(file, scannedDir) })
      continue
    }
    try {
      const plugin = validatePlugin(defaultExport(await guardedImport(file)), shown)
      const clash = plugins.find((p) => p.plugin.name === plugin.name)
      if (clash) throw new PerftrackError('PLUGIN_DUPLICATE', `${shown}: plugin name '${plugin.name}' is already used by ${clash.file}`)
      plugins.push({ plugin, file })
    } catch (error) {
      const message = error instanceof PerftrackError ? error.message : `${shown}: cannot be loaded — ${errorMessage(error)}`
      const where = scannedDir
        ? ` (found in ${shownPath(scannedDir)}/ through pluginDirs; if it is not a perftrack plugin, leave that folder out of pluginDirs in perftrack.config.ts)`
        : ''
      failures.push({ file, message: message + where })
    }
  }
  return { plugins, failures, skipped }
}

/** Keeps the plugins named by `--plugin`; an unknown name is a usage error naming the known ones. */
export function selectPlugins(set: PluginSet, names: string[] | undefined): PluginSet {
  if (!names || names.length === 0) return set
  const known = set.plugins.map((p) => p.plugin.name)
  const unknown = names.filter((n) => !known.includes(n))
  if (unknown.length > 0) {
    throw new PerftrackError(
      'PLUGIN_UNKNOWN',
      `Unknown plugin${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Known: ${known.join(', ') || '(none found)'}.`,
      {
        suggestions: ['Run `perftrack plugins` to list the discovered plugins.'],
      },
    )
  }
  return { ...set, plugins: set.plugins.filter((p) => names.includes(p.plugin.name)) }
}
