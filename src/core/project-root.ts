import { existsSync, statSync } from 'node:fs'
import path from 'node:path'

import { configFileNames } from './config.js'

const isProjectRoot = (dir: string) =>
  configFileNames.some((name) => existsSync(path.join(dir, name))) ||
  (existsSync(path.join(dir, 'plugins')) && statSync(path.join(dir, 'plugins')).isDirectory() && existsSync(path.join(dir, 'package.json')))

/**
 * The nearest directory at or above `cwd` that is a perftrack project: it has a perftrack
 * config, or a package.json beside a plugins/ directory. Undefined when none is.
 */
export function findProjectRoot(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (isProjectRoot(dir)) return dir
    if (path.dirname(dir) === dir) return undefined
  }
}
