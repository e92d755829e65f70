import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

import { PerftrackError } from '../core/errors.js'

/**
 * How each package manager installs exactly what its lockfile says. A worktree's manager is
 * the one its `packageManager` field names, else the one whose lockfile it has.
 */
export const packageManagers = {
  npm: { lockfiles: ['package-lock.json', 'npm-shrinkwrap.json'], install: ['ci', '--no-audit', '--no-fund'] },
  pnpm: { lockfiles: ['pnpm-lock.yaml'], install: ['install', '--frozen-lockfile'] },
  yarn: { lockfiles: ['yarn.lock'], install: ['install', '--frozen-lockfile'] },
} as const

export type PackageManagerName = keyof typeof packageManagers

export interface PackageManagerChoice {
  name: PackageManagerName
  /** The lockfile that chose it (null: none, e.g. a project without one, installed with `npm install`). */
  lockfile: string | null
  command: string
  args: string[]
}

function declaredManager(dir: string): { name: PackageManagerName; major: number } | null {
  try {
    const field = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { packageManager?: unknown }).packageManager
    const match = typeof field === 'string' ? /^(npm|pnpm|yarn)@(\d+)/.exec(field) : null
    return match ? { name: match[1] as PackageManagerName, major: Number(match[2]) } : null
  } catch {
    return null
  }
}

/** The manager and install command for the project in `dir`. */
export function choosePackageManager(dir: string): PackageManagerChoice {
  const declared = declaredManager(dir)
  const byLockfile = (Object.keys(packageManagers) as PackageManagerName[]).find((name) =>
    packageManagers[name].lockfiles.some((f) => existsSync(path.join(dir, f))),
  )
  const name = declared?.name ?? byLockfile ?? 'npm'
  const lockfile = packageManagers[name].lockfiles.find((f) => existsSync(path.join(dir, f))) ?? null
  if (!lockfile) return { name, lockfile, command: name, args: ['install'] }
  // Yarn 2+ (Berry) spells the frozen install --immutable; it is chosen by .yarnrc.yml or the packageManager field.
  const berry = name === 'yarn' && ((declared?.name === 'yarn' && declared.major >= 2) || existsSync(path.join(dir, '.yarnrc.yml')))
  return { name, lockfile, command: name, args: berry ? ['install', '--immutable'] : [...packageManagers[name].install] }
}

/** A hash of the lockfile `choice` names in `dir`, or null when there is none. */
export function lockfileHash(dir: string, choice: PackageManagerChoice): string | null {
  if (!choice.lockfile) return null
  const file = path.join(dir, choice.lockfile)
  return existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : null
}

/** Lines of output kept in an install error. */
const tailLines = 15

/**
 * The lines of an install's output worth showing: its last ones, without the command's usage
 * text, which npm prints after the error itself (`npm ci` out of sync with package.json ends
 * in forty lines of options) and which would otherwise be all the tail shows.
 */
export function installOutputTail(output: string, max = tailLines): string[] {
  const lines = output
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '' && !/^npm (error|ERR!)$/.test(l))
  const usage = lines.findIndex((l) => /^(npm (error|ERR!) )?Usage:$/.test(l))
  // The line before "Usage:" is the command's one-line description ("Clean install a project").
  const kept = usage > 0 ? [...lines.slice(0, usage - 1), ...lines.slice(usage).filter((l) => /complete log/i.test(l))] : lines
  return kept.slice(-max)
}

/**
 * Runs the install; a manager that is not installed, or an install that fails, is one
 * error naming the command, the directory and the last lines it printed.
 */
export async function runInstall(dir: string, choice: PackageManagerChoice, label: string): Promise<void> {
  const shown = [choice.command, ...choice.args].join(' ')
  const output: string[] = []
  const outcome = await new Promise<{ code: number | null; spawnError?: NodeJS.ErrnoException }>((resolve) => {
    const child = spawn(choice.command, choice.args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: process.env.CI ?? 'true' } })
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()))
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()))
    child.on('error', (spawnError: NodeJS.ErrnoException) => resolve({ code: null, spawnError }))
    child.on('close', (code) => resolve({ code }))
  })
  if (outcome.spawnError?.code === 'ENOENT') {
    throw new PerftrackError(
      'PACKAGE_MANAGER_MISSING',
      `Installing dependencies for ${label}: \`${shown}\` cannot run in ${dir}: ${choice.command} is not installed (${choice.lockfile ? `that revision's ${choice.lockfile} names it` : 'its package.json names it'}).`,
      {
        suggestions: [`Install ${choice.command} (\`corepack enable\`, or \`npm install -g ${choice.command}\`) and run compare again.`],
      },
    )
  }
  if (outcome.code !== 0) {
    const last = installOutputTail(output.join(''))
    throw new PerftrackError(
      'SIDE_INSTALL_FAILED',
      `Installing dependencies for ${label}: \`${shown}\` failed in ${dir} (${outcome.spawnError ? outcome.spawnError.message : `exit ${outcome.code}`}). Its last lines:\n${last.map((l) => `    ${l}`).join('\n')}`,
      {
        suggestions: [
          `Run \`${shown}\` in ${dir} to see all of it; fix that revision's ${choice.lockfile ?? 'package.json'}, or compare stored runs with --from-history.`,
        ],
      },
    )
  }
}
