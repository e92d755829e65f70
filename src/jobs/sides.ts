import { gitState } from '../git/repo.js'
import { ensureWorktree, prepareDependencies, removeWorktree } from '../git/worktree.js'
import { assertHasPlugins, type Side } from './ab-runner.js'

/** A side to measure: a commit (checked out in a worktree) or, with `sha: null`, the working tree itself. */
export interface SideSpec {
  label: Side['label']
  ref: string
  sha: string | null
}

/**
 * Prepares each side (worktree, dependencies, a check that it has plugins), runs `work`, and
 * cleans up: a failure leaves no worktree this call created; `clean` removes them all.
 */
export async function withSides<T>(
  root: string,
  specs: SideSpec[],
  o: { clean?: boolean; onProgress?: (m: string) => void },
  work: (sides: Side[]) => Promise<T>,
): Promise<T> {
  const worktrees = new Map<string, { dir: string; created: boolean }>()
  let succeeded = false
  try {
    const sides: Side[] = []
    for (const spec of specs) {
      if (spec.sha === null) {
        sides.push({ ...spec, sha: (await gitState(root)).sha, dir: root })
        continue
      }
      const wt = worktrees.get(spec.sha) ?? (await ensureWorktree(root, spec.sha))
      worktrees.set(spec.sha, wt)
      sides.push({ ...spec, dir: wt.dir })
    }
    for (const side of sides) {
      assertHasPlugins(side)
      const deps = await prepareDependencies(side.dir, root, `the ${side.label} side (${side.ref})`)
      o.onProgress?.(`${side.label}: ${side.ref} in ${side.dir} (dependencies: ${deps})`)
    }
    const result = await work(sides)
    succeeded = true
    return result
  } finally {
    for (const wt of worktrees.values()) if (o.clean || (!succeeded && wt.created)) await removeWorktree(root, wt.dir)
  }
}
