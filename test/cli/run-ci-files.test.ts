import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { marked, type Tokens } from 'marked'
import { beforeAll, describe, expect, it } from 'vitest'

import { prCommentMarker } from '../../src/report/markdown.js'
import { type CliResult, fixture, quickArgs, runCli, tempDir } from '../helpers/cli.js'
import { schemaErrors, xpath } from '../helpers/xml.js'

/**
 * The documented nightly step (`run --no-baseline --markdown …`) inside GitHub Actions, with a
 * plugin that fails to load beside a working one: every file tells the load failure, none is green.
 */
describe('perftrack run: CI files of a run with a plugin that failed to load', () => {
  const dir = tempDir('perftrack-ci-files-')
  const files = {
    junit: path.join(dir, 'perf.xml'),
    markdown: path.join(dir, 'perf.md'),
    comment: path.join(dir, 'comment.md'),
    summary: path.join(dir, 'summary.md'),
    outputs: path.join(dir, 'outputs.txt'),
  }
  const broken = path.join(dir, 'broken.ts')
  let result: CliResult

  beforeAll(async () => {
    writeFileSync(broken, "export default { name: 'broken', benchmarks: [ { name: 'x', kind: 'latency', fn: () => { return 1 } ] }\n")
    writeFileSync(files.summary, '## build\n')
    result = await runCli(
      [
        'run',
        ...quickArgs,
        '--no-baseline',
        '--plugin-path',
        fixture('plugins', 'json-codec'),
        '--plugin-path',
        broken,
        '--db',
        path.join(dir, 'h.sqlite'),
        '--junit',
        files.junit,
        '--markdown',
        files.markdown,
        '--pr-comment',
        files.comment,
        '--json',
      ],
      { cwd: dir, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: files.summary, GITHUB_OUTPUT: files.outputs } },
    )
  }, 120_000)

  it('exits 2 and keeps the --json shape, with a schemaVersion', () => {
    expect(result.code).toBe(2)
    const out = JSON.parse(result.stdout)
    expect(out.schemaVersion).toBe(1)
    expect(out.results).toHaveLength(4)
    expect(out.pluginErrors).toHaveLength(1)
  })

  it('JUnit is valid against junit-10.xsd, has the load error, times and the plugin file', async () => {
    const xml = readFileSync(files.junit, 'utf8')
    expect(await schemaErrors(xml)).toEqual([])
    expect(await xpath(xml, 'string(/testsuites/@errors)')).toBe('1')
    expect(await xpath(xml, 'string(//testsuite[@name="broken.ts"]/testcase/error/@message)')).toMatch(/plugin failed to load/)
    expect(await xpath(xml, 'string(//testsuite[@name="json-codec"]/@file)')).toBe(fixture('plugins', 'json-codec', 'index.ts')) // outside the working directory: absolute
    expect(await xpath(xml, 'count(//testsuite[@name="json-codec"]/testcase[@time >= 0])')).toBe('4')
    // The three timed benchmarks take rounds of 30 ms; the value metric is one observation and may round to 0.000 s.
    expect(await xpath(xml, 'count(//testsuite[@name="json-codec"]/testcase[@time >= 0.06 and @name != "document-size"])')).toBe('3')
    expect(await xpath(xml, 'count(//testsuite[@name="json-codec"]/testcase/system-out[contains(., "median ")])')).toBe('4')
  })

  it('Markdown has the title with the run, a value with its unit in every row and the load failure', () => {
    const tokens = marked.lexer(readFileSync(files.markdown, 'utf8'))
    const heading = tokens.find((t): t is Tokens.Heading => t.type === 'heading')!
    expect(heading.text).toMatch(/^perftrack run /)
    expect(heading.text).toContain('1 plugin failed to load')
    const table = tokens.find((t): t is Tokens.Table => t.type === 'table')!
    expect(table.rows).toHaveLength(4)
    for (const row of table.rows) expect(row[2].text).toMatch(/^[\d.,]+(e-?\d+)? \S+$/)
    expect(tokens.some((t) => t.type === 'blockquote' && t.raw.includes('broken.ts'))).toBe(true)
    expect(readFileSync(files.comment, 'utf8').startsWith(prCommentMarker)).toBe(true)
    const summary = readFileSync(files.summary, 'utf8')
    expect(summary.startsWith('## build\n')).toBe(true)
    expect(summary).toContain(heading.raw.trim())
  })

  it('annotates the load failure with its file (on stderr beside --json) and writes step outputs', () => {
    expect(result.stderr).toMatch(/^::error file=broken\.ts,title=perftrack%3A plugin failed to load::/m)
    const outputs = Object.fromEntries(
      readFileSync(files.outputs, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split('=') as [string, string]),
    )
    expect(outputs['load-errors']).toBe('1')
    expect(outputs.regressed).toBe('0')
    expect(outputs['run-id']).toBe(JSON.parse(result.stdout).run.id)
  })
})
