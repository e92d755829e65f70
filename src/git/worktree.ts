import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'

import { errorMessage, PerftrackError } from '../core/errors.js'
import { git } from './repo.js'

const exec = promisify(execFile)

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
  throw new PerftrackError('RANGE_INVALID', `'${range}' is not a revision range.`, { suggestions: ['Write it as BASE..HEAD, e.g. main..HEAD or HEAD~3..HEAD.'] })
}

export function worktreesDir(root: string): string {
  return path.join(root, '.perftrack', 'worktrees')
}

/**
 * A detached worktree of `sha` under `.perftrack/worktrees/`, reused when it is already
 * there at that commit. Returns its path and whether this call created it.
 */
export async function ensureWorktree(root: string, sha: string): Promise<{ dir: string; created: boolean }> {
  const dir = path.join(worktreesDir(root), sha.slice(0, 12))
  if (existsSync(dir)) {
    const head = await git(dir, ['rev-parse', 'HEAD']).catch(() => null)
    if (head === sha) return { dir, created: false }
    await removeWorktree(root, dir)
  }
  mkdirSync(worktreesDir(root), { recursive: true })
  // Keep the worktrees out of `git status` of the main checkout.
  const ignore = path.join(root, '.perftrack', '.gitignore')
  if (!existsSync(ignore)) writeFileSync(ignore, '*\n')
  try {
    await git(root, ['worktree', 'add', '--detach', '--force', dir, sha])
  } catch (error) {
    throw new PerftrackError('WORKTREE_FAILED', `Cannot check out ${sha.slice(0, 12)} into ${dir}: ${errorMessage(error)}`, { cause: error })
  }
  return { dir, created: true }
}

export async function removeWorktree(root: string, dir: string): Promise<void> {
  await git(root, ['worktree', 'remove', '--force', dir]).catch(() => undefined)
  await git(root, ['worktree', 'prune']).catch(() => undefined)
}

const lockHash = (dir: string) => {
  const file = path.join(dir, 'package-lock.json')
  return existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : null
}

/**
 * Dependencies for a worktree: the main checkout's node_modules when the lockfiles match
 * (a symlink, instant), else `npm ci` there. A side without package.json needs nothing.
 */
export async function prepareDependencies(dir: string, root: string, label: string): Promise<'none' | 'linked' | 'present' | 'installed'> {
  if (!existsSync(path.join(dir, 'package.json'))) return 'none'
  const modules = path.join(dir, 'node_modules')
  if (existsSync(modules)) return 'present'
  if (lockHash(dir) !== null && lockHash(dir) === lockHash(root) && existsSync(path.join(root, 'node_modules'))) {
    symlinkSync(path.join(root, 'node_modules'), modules, 'dir')
    return 'linked'
  }
  try {
    await exec('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 })
    return 'installed'
  } catch (error) {
    rmSync(modules, { recursive: true, force: true })
    const output = error as { stderr?: string }
    throw new PerftrackError('SIDE_INSTALL_FAILED', `Installing dependencies for ${label} in ${dir} failed: ${(output.stderr ?? errorMessage(error)).trim().split('\n').slice(-5).join(' | ')}`, {
      suggestions: ['Fix the lockfile of that revision, or compare stored runs with --from-history.'],
      cause: error,
    })
  }
}
