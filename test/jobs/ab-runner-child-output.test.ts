import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { beforeAll, describe, expect, it } from 'vitest'

import { PerftrackError } from '../../src/core/errors.js'
import { readChildRun, type Side } from '../../src/jobs/ab-runner.js'
import { type CliResult, quickArgs, runCli, tempDir } from '../helpers/cli.js'

/**
 * What compare and calibrate read of each side's `perftrack run --json`: the real output of a
 * real run is taken as it is, and the same output with one field broken is refused with the
 * place and the rule it breaks, never cast into results.
 */
const plugin = `export default {
  name: 'side',
  benchmarks: [
    { name: 'fixed', kind: 'value', unit: 'count', direction: 'higher', measure: () => 7 },
    { name: 'broken', kind: 'value', unit: 'count', direction: 'higher', measure: () => { throw new Error('no value today') } },
  ],
}
`

function refusal(side: Side, stdout: string, code = 0): PerftrackError {
  try {
    readChildRun(side, { code, stdout, stderr: '' })
  } catch (error) {
    expect(error).toBeInstanceOf(PerftrackError)
    return error as PerftrackError
  }
  throw new Error('the output was accepted')
}

describe("readChildRun: a side's perftrack run --json, checked against the --json schema", () => {
  const dir = tempDir('perftrack-child-output-')
  const side: Side = { label: 'head', ref: 'HEAD', sha: null, dir }
  let run: CliResult

  beforeAll(async () => {
    mkdirSync(path.join(dir, 'plugins', 'side'), { recursive: true })
    writeFileSync(path.join(dir, 'plugins', 'side', 'index.ts'), plugin)
    run = await runCli(['run', '--json', '--fail-on', 'none', '--db', path.join(dir, 'h.sqlite'), ...quickArgs], { cwd: dir })
  }, 120_000)

  it("takes a real run's output: its run and each result, errored ones with their error", () => {
    expect(run.code, run.stderr).toBe(0)
    const child = readChildRun(side, { code: run.code, stdout: run.stdout, stderr: run.stderr })
    expect(child.run.status).toBe('complete')
    expect(typeof child.run.fingerprint.environmentHash).toBe('string')
    const byName = new Map(child.results.map((r) => [r.benchmark, r]))
    expect(byName.get('fixed')).toMatchObject({ plugin: 'side', kind: 'value', status: 'completed', stats: { median: 7 } })
    expect(byName.get('broken')).toMatchObject({ status: 'errored', stats: null })
    expect(byName.get('broken')?.error).toContain('no value today')
  })

  it('refuses a completed result without statistics, naming the result and the rule', () => {
    const output = JSON.parse(run.stdout)
    const i = output.results.findIndex((r: { benchmark: string }) => r.benchmark === 'fixed')
    output.results[i].stats = null
    const error = refusal(side, JSON.stringify(output))
    expect(error.code).toBe('SIDE_OUTPUT_INVALID')
    expect(error.exit).toBe(2)
    expect(error.message).toContain('the head side (HEAD)')
    expect(error.message).toContain(`results[${i}] (side/fixed).stats: a completed result needs its stats`)
    expect(error.message).toContain('its values were not used')
  })

  it('refuses a result of an unknown kind and a statistic that is not a number', () => {
    const output = JSON.parse(run.stdout)
    const i = output.results.findIndex((r: { benchmark: string }) => r.benchmark === 'fixed')
    output.results[i].kind = 'speed'
    output.results[i].stats.median = '7'
    const error = refusal(side, JSON.stringify(output))
    expect(error.code).toBe('SIDE_OUTPUT_INVALID')
    expect(error.message).toContain(`results[${i}] (side/fixed).kind:`)
    expect(error.message).toContain(`results[${i}] (side/fixed).stats.median:`)
  })

  it('refuses an errored result without its error, and a run without its fingerprint', () => {
    const output = JSON.parse(run.stdout)
    const i = output.results.findIndex((r: { benchmark: string }) => r.benchmark === 'broken')
    delete output.results[i].error
    delete output.run.fingerprint
    const error = refusal(side, JSON.stringify(output))
    expect(error.code).toBe('SIDE_OUTPUT_INVALID')
    expect(error.message).toContain('run.fingerprint:')
    expect(error.message).toContain(`results[${i}] (side/broken).error: an errored result needs its error`)
  })

  it('reports output that is not JSON, and a run that failed, as the side failing', () => {
    const notJson = refusal(side, 'Segmentation fault')
    expect(notJson.code).toBe('SIDE_RUN_FAILED')
    expect(notJson.message).toContain('is not JSON')
    const failed = refusal(side, JSON.stringify({ error: { message: 'No plugins found.' } }), 2)
    expect(failed.code).toBe('SIDE_RUN_FAILED')
    expect(failed.message).toContain('No plugins found.')
  })
})
