import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { GitState } from '../core/fingerprint.js'

const exec = promisify(execFile)

/** Runs git in `cwd`; rejects with git's own message. */
export async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await exec('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 })
  return stdout.trim()
}

const notARepo: GitState = { isRepo: false, sha: null, branch: null, dirty: null, commitTime: null, message: null }

export async function gitState(cwd: string): Promise<GitState> {
  try {
    if ((await git(cwd, ['rev-parse', '--is-inside-work-tree'])) !== 'true') return notARepo
  } catch {
    return notARepo
  }
  const optional = async (args: string[]) => git(cwd, args).catch(() => null)
  // A repository with no commit yet has no HEAD: every field but `dirty` stays null.
  const [sha, branch, status, log] = await Promise.all([
    optional(['rev-parse', 'HEAD']),
    optional(['symbolic-ref', '--short', '-q', 'HEAD']),
    optional(['status', '--porcelain', '--untracked-files=no']),
    optional(['log', '-1', '--format=%cI%n%s']),
  ])
  const [commitTime, message] = log ? [log.split('\n')[0], log.split('\n').slice(1).join('\n')] : [null, null]
  return {
    isRepo: true,
    sha: sha || null,
    branch: branch || process.env.GITHUB_HEAD_REF || process.env.GITHUB_REF_NAME || null,
    dirty: status === null ? null : status.length > 0,
    commitTime: commitTime ? new Date(commitTime).toISOString() : null,
    message: message || null,
  }
}
