import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { githubAnnotations, githubOutputs } from '../../src/report/github.js'
import { emitGithub } from '../../src/report/index.js'
import { everyOutcome, noBaseline } from './ci-fixture.js'

/** A workflow command as the runner reads it: `::level prop=value,...::message`, percent-decoded. */
function parseCommand(line: string) {
  const m = /^::(\w+) ([^:]*)::(.*)$/.exec(line)
  if (!m) throw new Error(`not a workflow command: ${line}`)
  const decode = (s: string) => s.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
  const props = Object.fromEntries(
    m[2]
      .split(',')
      .map((p) => p.split('=') as [string, string])
      .map(([k, v]) => [k, decode(v)]),
  )
  return { level: m[1], props, message: decode(m[3]) }
}

describe('GitHub Actions annotations and step outputs', () => {
  it('errors for the load failure, the failed target, the regression and the errored benchmark; a warning for the inconclusive verdict', () => {
    const commands = githubAnnotations(everyOutcome()).map(parseCommand)
    expect(commands.map((c) => `${c.level} ${c.props.title}`)).toEqual([
      'error perftrack: plugin failed to load',
      'error perftrack: cache/cold-miss missed a target',
      'error perftrack: cache/regressed <&> "one" regressed',
      'warning perftrack: cache/slow-but-undecided inconclusive',
      'error perftrack: cache/broken errored',
    ])
    expect(commands[0].props.file).toBe('plugins/bad/index.ts')
    expect(commands.slice(1).every((c) => c.props.file === 'plugins/cache/index.ts')).toBe(true)
    expect(commands[3].message).toContain('+109.0% (95% CI -10.0% to +250.0%)')
  })

  it('nothing to annotate on a clean run', () => {
    expect(githubAnnotations(noBaseline())).toEqual([])
  })

  it('step outputs count verdicts, failed targets, errors and load errors', () => {
    expect(githubOutputs(everyOutcome())).toMatchObject({
      regressed: '1',
      improved: '1',
      unchanged: '1',
      inconclusive: '1',
      'targets-failed': '1',
      errored: '1',
      'load-errors': '1',
      failures: '2',
      errors: '3',
    })
  })

  it('writes only inside GitHub Actions, appending to $GITHUB_OUTPUT', () => {
    const dir = mkdtempSync(join(tmpdir(), 'perftrack-gh-'))
    try {
      const lines: string[] = []
      const out = join(dir, 'out')
      emitGithub(everyOutcome(), (l) => lines.push(l), {}, { GITHUB_OUTPUT: out })
      expect(lines).toEqual([])
      emitGithub(everyOutcome(), (l) => lines.push(l), { 'run-id': 'abc' }, { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: out })
      expect(lines).toHaveLength(5)
      expect(readFileSync(out, 'utf8')).toContain('regressed=1\n')
      expect(readFileSync(out, 'utf8')).toContain('run-id=abc\n')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
