import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

import { prCommentMarker } from '../../src/report/markdown.js'

const doc = readFileSync(new URL('../../docs/nightly.md', import.meta.url), 'utf8')
const workflows = new Map([...doc.matchAll(/^`\.github\/workflows\/([\w-]+)\.yml`:\n\n```yaml\n([\s\S]*?)```/gm)].map((m) => [m[1], parse(m[2]) as Workflow]))

interface Step {
  name?: string
  run?: string
  uses?: string
  with?: Record<string, string>
}
interface Workflow {
  name: string
  on: Record<string, unknown>
  permissions: Record<string, string>
  jobs: Record<string, { steps: Step[] }>
}

const steps = (w: Workflow | undefined) => Object.values(w?.jobs ?? {}).flatMap((j) => j.steps)

describe('docs/nightly.md pull-request workflows', () => {
  it('are valid YAML and the three workflows are there', () => {
    expect([...workflows.keys()].sort()).toEqual(['perftrack-nightly', 'perftrack-pr', 'perftrack-pr-comment'])
  })

  it('the PR workflow measures with a read-only token and uploads the comment body written by --pr-comment', () => {
    const pr = workflows.get('perftrack-pr')!
    expect(pr.permissions).toEqual({ contents: 'read' })
    const compare = steps(pr).find((s) => s.run?.includes('perftrack compare'))!
    const body = /--pr-comment (\S+)/.exec(compare.run!)![1]
    const upload = steps(pr).find((s) => s.uses?.startsWith('actions/upload-artifact'))!
    expect(upload.with!.path).toContain(body)
    expect(upload.with!.path).toContain('pr-number.txt')
  })

  it('the commenting workflow runs on workflow_run, never checks out the pull request, and finds its comment by the marker the CLI writes', () => {
    const comment = workflows.get('perftrack-pr-comment')!
    expect(comment.on).toHaveProperty('workflow_run')
    expect(comment.permissions['pull-requests']).toBe('write')
    expect(steps(comment).some((s) => s.uses?.startsWith('actions/checkout'))).toBe(false)
    const script = steps(comment)
      .map((s) => s.run ?? '')
      .join('\n')
    expect(script).toContain(`marker='${prCommentMarker}'`)
    expect(script).toMatch(/--method PATCH "repos\/\$REPO\/issues\/comments\/\$id"/)
    expect(script).toContain('[[ "$pr" =~ ^[0-9]+$ ]]')
    expect(spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' }).stderr).toBe('')
  })
})
