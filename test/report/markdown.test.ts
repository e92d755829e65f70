import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { marked, type Tokens } from 'marked'
import { afterEach, describe, expect, it } from 'vitest'

import { machineLoadDefaults } from '../../src/core/defaults.js'
import { busyMachineNote } from '../../src/core/machine-load.js'
import { writeFileReports } from '../../src/report/index.js'
import { prCommentMarker, renderMarkdown, renderPrComment } from '../../src/report/markdown.js'
import { everyOutcome, noBaseline } from './ci-fixture.js'

/** The document as marked (a CommonMark/GFM parser) reads it: its heading, its table as text cells, everything else. */
function parse(markdown: string) {
  const tokens = marked.lexer(markdown)
  const heading = tokens.find((t): t is Tokens.Heading => t.type === 'heading')
  const table = tokens.find((t): t is Tokens.Table => t.type === 'table')
  const rows = (table?.rows ?? []).map((r) => r.map((c) => c.text))
  const byMetric = new Map(rows.map((r) => [r[1], r]))
  return { tokens, heading: heading?.text ?? '', header: table?.header.map((h) => h.text) ?? [], rows, byMetric }
}

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('Markdown report', () => {
  it('on a first run or --no-baseline shows each value with its unit and each target with its measured value', () => {
    const md = parse(renderMarkdown(noBaseline()))
    expect(md.heading).toContain('perftrack run 1a2b3c4d')
    expect(md.heading).toContain('2 measured')
    expect(md.byMetric.get('cache/warm-hit')?.[2]).toBe('1.20 ms')
    expect(md.byMetric.get('cache/warm-hit')?.[4]).toBe('✓ p95 2.31 ms &lt; 5.00 ms')
    expect(md.byMetric.get('cache/throughput')?.[2]).toBe('12,400 ops/s')
    expect(md.byMetric.get('cache/throughput')?.[4]).toBe('✓ median 12,400 ops/s &gt; 10,000 ops/s')
    expect(md.rows.flat().filter((c) => c === '—')).toHaveLength(2) // only the change column, which has nothing to say
  })

  it('has five columns and names commits, not refs or run ids, in the title', () => {
    const md = parse(renderMarkdown(everyOutcome()))
    expect(md.header).toHaveLength(5)
    expect(md.heading).toMatch(/^perftrack 1a2b3c4d\.\.5e6f7a8b — /)
  })

  it('shows an inconclusive verdict, an errored benchmark and a plugin that failed to load, before the passes', () => {
    const text = renderMarkdown(everyOutcome())
    const md = parse(text)
    expect(md.heading).toContain('1 regressed, 1 improved, 1 unchanged, 1 inconclusive · 1 target failed · 1 errored · 1 plugin failed to load')
    const undecided = md.byMetric.get('cache/slow-but-undecided')!
    expect(undecided[0]).toBe('🟡 inconclusive')
    expect(undecided[3]).toBe('+109.0% [-10.0%, +250.0%] from 1.00 ms')
    expect(md.byMetric.get('cache/broken')?.[0]).toBe('❗ errored')
    const quote = md.tokens.find((t) => t.type === 'blockquote')
    expect(quote?.raw).toContain('plugin failed to load')
    expect(quote?.raw).toContain('plugins/bad/index.ts')
    const order = md.rows.map((r) => r[1])
    expect(order.indexOf('cache/slow-but-undecided')).toBeLessThan(order.indexOf('cache/warm-hit'))
    expect(order.at(-1)).toMatch(/warm-hit|improved/)
  })

  it('a PR comment starts with the hidden marker that the workflow finds it by', () => {
    const body = renderPrComment(everyOutcome())
    expect(body.startsWith(`${prCommentMarker}\n`)).toBe(true)
    expect(marked.lexer(body)[0].type).toBe('html')
  })

  it('appends to $GITHUB_STEP_SUMMARY, also when --markdown names it, and never overwrites it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'perftrack-md-'))
    dirs.push(dir)
    const summary = join(dir, 'summary.md')
    writeFileSync(summary, '## an earlier step\n')
    const env = { GITHUB_STEP_SUMMARY: summary }
    expect(writeFileReports({ markdown: summary }, noBaseline(), env)).toEqual({ written: [], failed: [] })
    writeFileReports({ markdown: join(dir, 'perf.md'), 'pr-comment': join(dir, 'comment.md') }, everyOutcome(), env)
    const text = readFileSync(summary, 'utf8')
    expect(text.startsWith('## an earlier step\n')).toBe(true)
    expect(text).toContain('### perftrack run 1a2b3c4d')
    expect(text).toContain('### perftrack 1a2b3c4d..5e6f7a8b')
    expect(readFileSync(join(dir, 'comment.md'), 'utf8').startsWith(prCommentMarker)).toBe(true)
  })

  it('says in one line, before the table, when the machine was busy while measuring: the figure and what it means', () => {
    const busyNote = busyMachineNote({ state: 'measured', waitFraction: 0.31, stealFraction: 0 }, 'compare')
    const markdown = renderMarkdown({ ...everyOutcome(), busyNote })
    const lines = markdown.split('\n').filter((l) => l.includes('waited for a CPU'))
    expect(lines).toEqual([
      `> ⚠️ The machine was busy: the measuring processes waited for a CPU 31% of the time (busy above ${Math.round(machineLoadDefaults.busyWaitFraction * 100)}%); timing verdicts from this compare are less reliable: rerun on a quiet machine or use --measure instructions for CPU-bound benchmarks`,
    ])
    const md = parse(markdown)
    const quote = md.tokens.findIndex((t) => t.type === 'blockquote')
    expect(quote).toBeGreaterThan(-1)
    expect(quote).toBeLessThan(md.tokens.findIndex((t) => t.type === 'table'))
    expect(renderMarkdown(everyOutcome())).not.toContain('waited for a CPU')
  })
})

describe('a metric added since the baseline', () => {
  it('is new, not inconclusive: it passes in JUnit terms and reads "new" in Markdown', async () => {
    const { comparison, noBaseline } = await import('./ci-fixture.js')
    const { outcomeOf } = await import('../../src/report/outcome.js')
    const report = noBaseline()
    const added = {
      ...comparison('warm-hit', 'inconclusive', 1, 1.2, null, 'no baseline measurement for this metric'),
      baseline: null,
      change: null,
      nBaseline: 0,
    }
    report.rows[0] = { ...report.rows[0], comparison: added }
    expect(outcomeOf(report.rows[0])).toEqual({ state: 'pass' })
    const table = marked.lexer(renderMarkdown(report)).find((t): t is Tokens.Table => t.type === 'table')!
    expect(table.rows[0][0].text).toBe('🆕 new')
    expect(table.rows[0][3].text).toBe('no baseline measurement for this metric')
    expect(marked.lexer(renderMarkdown(report)).find((t): t is Tokens.Heading => t.type === 'heading')!.text).toContain(
      '0 regressed, 0 improved, 0 unchanged, 0 inconclusive',
    )
  })
})
