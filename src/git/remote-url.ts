import { git } from './repo.js'

/**
 * A web URL for commit links from a git remote: `git@host:owner/repo.git`,
 * `ssh://git@host/owner/repo.git` and `https://host/owner/repo(.git)` all become
 * `https://host/owner/repo`. Undefined for anything else (a local path, a file:// remote).
 */
export function webUrlOfRemote(remote: string): string | undefined {
  const text = remote.trim()
  const scp = /^[\w.-]+@([\w.-]+):(?!\/)(.+?)(?:\.git)?\/?$/.exec(text)
  if (scp) return `https://${scp[1]}/${scp[2]}`
  const url = /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([\w.-]+)(?::\d+)?\/(.+?)(?:\.git)?\/?$/.exec(text)
  if (url) return `https://${url[1]}/${url[2]}`
  return undefined
}

/** The origin remote's web URL, when the directory is a git checkout with one. */
export async function repoUrlFromGit(cwd: string): Promise<string | undefined> {
  try {
    return webUrlOfRemote(await git(cwd, ['config', '--get', 'remote.origin.url']))
  } catch {
    return undefined
  }
}
