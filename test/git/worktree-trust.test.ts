import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { ensureWorktree, worktreesDir } from '../../src/git/worktree.js'
import { git, makeDemoRepo } from '../helpers/git-repo.js'

describe('ensureWorktree trusts only a worktree git knows, at that commit', () => {
  it('a plain folder at .perftrack/worktrees/<sha> is replaced by a real worktree of that commit', async () => {
    const { dir, shas } = makeDemoRepo()
    const head = shas[2] // the main checkout's HEAD: `git rev-parse HEAD` in a plain folder inside it answers this
    const planted = path.join(worktreesDir(dir), head.slice(0, 12))
    mkdirSync(planted, { recursive: true })
    writeFileSync(path.join(planted, 'not-from-git.txt'), 'planted')
    const first = await ensureWorktree(dir, head)
    expect(first).toEqual({ dir: planted, created: true })
    expect(existsSync(path.join(planted, 'not-from-git.txt'))).toBe(false)
    expect(readFileSync(path.join(planted, 'plugins', 'demo', 'index.ts'), 'utf8')).toContain('40000')
    expect(git(dir, 'worktree', 'list', '--porcelain')).toContain(`HEAD ${head}`)
    // A real worktree at the commit is reused.
    expect(await ensureWorktree(dir, head)).toEqual({ dir: planted, created: false })
    // One moved to another commit is checked out again.
    git(planted, 'checkout', '-q', '--detach', shas[1])
    expect(await ensureWorktree(dir, head)).toEqual({ dir: planted, created: true })
    expect(git(planted, 'rev-parse', 'HEAD')).toBe(head)
  }, 120_000)
})
