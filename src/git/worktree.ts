import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { errorMessage, PerftrackError } from '../core/errors.js'
import { shortSha } from '../core/short-id.js'
import { choosePackageManager, lockfileHash, type PackageManagerName, runInstall } from './package-manager.js'
import { git } from './repo.js'

/** The repository's top directory, or a usage error when `cwd` is not in a git work tree. */
export async function repoRoot(cwd: string): Promise<string> {
  try {
    return await git(cwd, ['rev-parse', '--show-toplevel'])
  } catch {
    throw new PerftrackError('NOT_A_GIT_REPO', `${cwd} is not inside a git repository; compare needs git to check out revisions.`, {
      suggestions: ['Run perftrack compare from the repository, or compare stored runs with --from-history.'],
    })
  }
}

/** Full sha of a ref; a usage error naming the ref when it does not exist. */
export async function resolveRef(cwd: string, ref: string): Promise<string> {
  try {
    return await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])
  } catch {
    throw new PerftrackError('REF_NOT_FOUND', `Git ref '${ref}' does not exist in ${cwd}.`, {
      suggestions: ['Check the spelling, or fetch it first (git fetch origin main:main). Use A..B, e.g. main..HEAD or HEAD~3..HEAD.'],
    })
  }
}

/** `A..B` → [A, B]; one ref `X` means `X..HEAD`. */
export function parseRange(range: string): [string, string] {
  const parts = range.split('..')
  if (parts.length === 1 && parts[0]) return [parts[0], 'HEAD']
  if (parts.length === 2 && parts[0] && parts[1] && !parts[1].startsWith('.')) return [parts[0], parts[1]]
  throw new PerftrackError('RANGE_INVALID', `'${range}' is not a revision range.`, {
    suggestions: ['Write it as BASE..HEAD, e.g. main..HEAD or HEAD~3..HEAD.'],
  })
}

export function worktreesDir(root: string): string {
  return path.join(root, '.perftrack', 'worktrees')
}

/** A worktree's folder name: 12 hex digits keep two commits of one repository apart (and a folder made by an earlier version is reused). */
const worktreeName = (sha: string) => sha.slice(0, 12)

/**
 * A detached worktree of `sha` under `.perftrack/worktrees/`, reused when it is already
 * there at that commit. Returns its path and whether this call created it.
 */
export async function ensureWorktree(root: string, sha: string): Promise<{ dir: string; created: boolean }> {
  const dir = path.join(worktreesDir(root), worktreeName(sha))
  if (existsSync(dir)) {
    if (await isWorktreeAt(root, dir, sha)) return { dir, created: false }
    await removeWorktree(root, dir)
    // A plain folder (not a worktree git knows): inside a worktree, `git rev-parse HEAD` answers for
    // the main checkout. The folder is perftrack's own, under .perftrack/worktrees.
    rmSync(dir, { recursive: true, force: true })
  }
  mkdirSync(worktreesDir(root), { recursive: true })
  // Keep the worktrees out of `git status` of the main checkout.
  const ignore = path.join(root, '.perftrack', '.gitignore')
  if (!existsSync(ignore)) writeFileSync(ignore, '*\n')
  try {
    await git(root, ['worktree', 'add', '--detach', '--force', dir, sha])
  } catch (error) {
    throw new PerftrackError('WORKTREE_FAILED', `Cannot check out ${shortSha(sha)} into ${dir}: ${errorMessage(error)}`, { cause: error })
  }
  return { dir, created: true }
}

/** Whether `dir` is a worktree git has registered for `root`, checked out at `sha`. */
async function isWorktreeAt(root: string, dir: string, sha: string): Promise<boolean> {
  const list = await git(root, ['worktree', 'list', '--porcelain']).catch(() => '')
  const real = (p: string) => {
    try {
      return realpathSync(p)
    } catch {
      return p
    }
  }
  const entry = list.split(/\n\n+/).find((block) => {
    const line = block.split('\n').find((l) => l.startsWith('worktree '))
    return line !== undefined && real(line.slice('worktree '.length)) === real(dir)
  })
  if (!entry || !entry.split('\n').includes(`HEAD ${sha}`)) return false
  const top = await git(dir, ['rev-parse', '--show-toplevel']).catch(() => null)
  return top !== null && real(top) === real(dir)
}

export async function removeWorktree(root: string, dir: string): Promise<void> {
  await git(root, ['worktree', 'remove', '--force', dir]).catch(() => undefined)
  await git(root, ['worktree', 'prune']).catch(() => undefined)
}

/** The npm/yarn workspace packages of the project in `dir`, by package name (`packages/*` and plain folders). */
function workspacePackages(dir: string): Map<string, string> {
  const found = new Map<string, string>()
  let patterns: unknown
  try {
    patterns = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { workspaces?: unknown }).workspaces
  } catch {
    return found
  }
  const list = Array.isArray(patterns) ? patterns : ((patterns as { packages?: unknown } | undefined)?.packages ?? [])
  for (const pattern of Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : []) {
    const base = path.join(dir, pattern.replace(/\/\*$/, ''))
    const dirs =
      pattern.endsWith('/*') && existsSync(base)
        ? readdirSync(base, { withFileTypes: true })
            .filter((d) => d.isDirectory())
            .map((d) => path.join(base, d.name))
        : [base]
    for (const pkgDir of dirs) {
      try {
        const name = (JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { name?: unknown }).name
        if (typeof name === 'string') found.set(name, pkgDir)
      } catch {
        // not a package
      }
    }
  }
  return found
}

/**
 * The main checkout's node_modules for a worktree. One symlink, unless the project has
 * workspaces: their links in node_modules point into the main checkout, so each side would
 * run the main checkout's copy of them. Then node_modules is a folder of links, the
 * workspace packages' to the worktree's own copies and everything else to the main one.
 */
function linkNodeModules(rootModules: string, dir: string): void {
  const modules = path.join(dir, 'node_modules')
  const own = workspacePackages(dir)
  if (own.size === 0) return symlinkSync(rootModules, modules, 'dir')
  mkdirSync(modules)
  for (const entry of readdirSync(rootModules)) {
    const names = entry.startsWith('@') ? readdirSync(path.join(rootModules, entry)).map((sub) => `${entry}/${sub}`) : [entry]
    if (entry.startsWith('@')) mkdirSync(path.join(modules, entry))
    for (const name of names) symlinkSync(own.get(name) ?? path.join(rootModules, name), path.join(modules, name), 'dir')
  }
}

/**
 * Dependencies for a worktree, with the package manager its lockfile names: the main
 * checkout's node_modules when that lockfile matches the main checkout's (a symlink,
 * instant), else a frozen install there. A side without package.json needs nothing.
 */
export async function prepareDependencies(
  dir: string,
  root: string,
  label: string,
): Promise<'none' | 'linked' | 'present' | `installed (${PackageManagerName})`> {
  if (!existsSync(path.join(dir, 'package.json'))) return 'none'
  const modules = path.join(dir, 'node_modules')
  if (existsSync(modules)) return 'present'
  const choice = choosePackageManager(dir)
  const hash = lockfileHash(dir, choice)
  if (hash !== null && hash === lockfileHash(root, choice) && existsSync(path.join(root, 'node_modules'))) {
    linkNodeModules(path.join(root, 'node_modules'), dir)
    return 'linked'
  }
  try {
    await runInstall(dir, choice, label)
    return `installed (${choice.name})`
  } catch (error) {
    rmSync(modules, { recursive: true, force: true })
    throw error
  }
}
