import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { configFileNames } from '../../core/config.js'
import { PerftrackError } from '../../core/errors.js'
import { choosePackageManager, type PackageManagerName } from '../../git/package-manager.js'
import { managerCommands } from './package-manager-commands.js'
import { configFile, examplePlugin, historyIgnore, initLayout, nightlyWorkflow, prWorkflow } from './templates.js'

export interface InitOutcome {
  dir: string
  packageManager: PackageManagerName
  /** Paths relative to `dir`, in the order written. */
  written: string[]
  /** What to do next, one line each. */
  next: string[]
}

/** The project's own module for the example's import hint: its package.json `main`, else a usual entry. */
function findEntry(dir: string): string | null {
  let main: unknown
  try {
    main = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { main?: unknown }).main
  } catch {
    main = undefined
  }
  const candidates = [typeof main === 'string' ? main.replace(/^\.\//, '') : null, 'src/index.ts', 'src/index.js', 'index.ts', 'index.js']
  return candidates.find((c): c is string => c !== null && existsSync(path.join(dir, c))) ?? null
}

/**
 * Writes perftrack's files into a project. Nothing is overwritten: when any of them (or any
 * perftrack.config.*) exists, nothing is written and the error names them all.
 */
export function scaffold(dir: string): InitOutcome {
  if (!existsSync(path.join(dir, 'package.json'))) {
    throw new PerftrackError('INIT_NO_PACKAGE', `${dir} has no package.json; perftrack init sets up a Node project.`, {
      suggestions: ['Run it at the top of your service (where package.json is), or run `npm init -y` first.'],
    })
  }
  const manager = choosePackageManager(dir).name
  const commands = managerCommands[manager]
  const files: Array<[string, string]> = [
    [initLayout.config, configFile()],
    [initLayout.examplePlugin, examplePlugin(findEntry(dir))],
    [initLayout.historyIgnore, historyIgnore()],
    [initLayout.prWorkflow, prWorkflow(commands)],
    [initLayout.nightlyWorkflow, nightlyWorkflow(commands)],
  ]
  const existing = [...files.map(([f]) => f), ...configFileNames].filter((f, i, all) => all.indexOf(f) === i && existsSync(path.join(dir, f)))
  if (existing.length > 0) {
    throw new PerftrackError(
      'INIT_WOULD_OVERWRITE',
      `perftrack init writes nothing: ${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} in ${dir}.`,
      {
        suggestions: ['Move or delete those files first, or edit them by hand (see "Add perftrack to your service" in perftrack\'s README).'],
      },
    )
  }
  for (const [file, text] of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    writeFileSync(path.join(dir, file), text, { flag: 'wx' })
  }
  const next = [
    `${commands.exec} run --quick      # measure the example plugin, store the run`,
    `Edit ${initLayout.examplePlugin} to call your own code; add more plugins as ${initLayout.pluginDir}/<name>/index.ts.`,
    `Commit the files; the workflows in .github/workflows compare pull requests and run nightly.`,
  ]
  if (manager === 'pnpm')
    next.push('pnpm 10 builds no dependency by default: add "pnpm": { "onlyBuiltDependencies": ["sqlite3"] } to package.json, then `pnpm rebuild sqlite3`.')
  return { dir, packageManager: manager, written: files.map(([f]) => f), next }
}
