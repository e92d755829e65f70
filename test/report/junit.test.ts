import { describe, expect, it } from 'vitest'

import { renderJunit } from '../../src/report/junit.js'
import { schemaErrors, xpath } from '../helpers/xml.js'
import { everyOutcome, noBaseline } from './ci-fixture.js'

describe('JUnit XML', () => {
  it('is valid against Jenkins junit-10.xsd for every outcome, a first run and an empty run', async () => {
    for (const report of [everyOutcome(), noBaseline(), { title: 'perftrack run 1a2b3c4d', rows: [], loadFailures: [] }]) {
      expect(await schemaErrors(renderJunit(report))).toEqual([])
    }
  })

  it('the validator rejects what Jenkins rejects (the old output: skipped on testsuites, no errors on testsuite)', async () => {
    const old =
      '<?xml version="1.0"?>\n<testsuites name="x" tests="1" failures="0" skipped="0"><testsuite name="p" tests="1" failures="0" skipped="0"><testcase name="a"/></testsuite></testsuites>\n'
    const errors = await schemaErrors(old)
    expect(errors.join('\n')).toMatch(/skipped.*not allowed/)
    expect(errors.join('\n')).toMatch(/errors.*required/)
  })

  it('counts failures, errors and skips per suite and in total; a plugin that failed to load is an error', async () => {
    const xml = renderJunit(everyOutcome())
    expect(await xpath(xml, 'string(/testsuites/@tests)')).toBe('8')
    expect(await xpath(xml, 'string(/testsuites/@failures)')).toBe('2')
    expect(await xpath(xml, 'string(/testsuites/@errors)')).toBe('3')
    expect(await xpath(xml, 'count(//testcase[not(failure) and not(error) and not(skipped)])')).toBe('2')
    expect(await xpath(xml, 'string(//testsuite[@name="plugins/bad/index.ts"]/testcase/error/@message)')).toContain("Cannot find module './missing.js'")
    expect(await xpath(xml, 'string(//testsuite[@name="plugins/bad/index.ts"]/@errors)')).toBe('1')
  })

  it('writes an inconclusive verdict as <error type="inconclusive"> with its change, never as skipped', async () => {
    const xml = renderJunit(everyOutcome())
    const message = await xpath(xml, 'string(//testcase[@name="slow-but-undecided"]/error[@type="inconclusive"]/@message)')
    expect(message).toContain('+109.0%')
    expect(message).toContain('1.00 ms → 2.09 ms')
    expect(await xpath(xml, 'count(//testcase[@name="slow-but-undecided"]/skipped)')).toBe('0')
    expect(await xpath(xml, 'count(//skipped)')).toBe('1')
    expect(await xpath(xml, 'string(//testcase[@name="needs-redis"]/skipped/@message)')).toBe('Redis is not reachable')
  })

  it('writes an errored benchmark as <error>, a failed target and a regression as <failure>', async () => {
    const xml = renderJunit(everyOutcome())
    expect(await xpath(xml, 'string(//testcase[@name="broken"]/error/@type)')).toBe('errored')
    expect(await xpath(xml, 'count(//failure[@type="error"])')).toBe('0')
    expect(await xpath(xml, 'string(//testcase[@name="cold-miss"]/failure/@message)')).toBe('target failed: p95 2.31 ms < 2.00 ms')
    expect(await xpath(xml, 'string(//testcase[@name=\'regressed <&> "one"\']/failure/@type)')).toBe('regression')
  })

  it('gives every testcase and suite a time, every plugin suite its file, every case its measured values', async () => {
    const xml = renderJunit(everyOutcome())
    expect(await xpath(xml, 'count(//testcase[not(@time)])')).toBe('0')
    expect(await xpath(xml, 'string(//testcase[@name="warm-hit"]/@time)')).toBe('1.500')
    expect(await xpath(xml, 'string(//testsuite[@name="cache"]/@time)')).toBe('7.600')
    expect(await xpath(xml, 'string(//testsuite[@name="cache"]/@file)')).toBe('plugins/cache/index.ts')
    const out = await xpath(xml, 'string(//testcase[@name="warm-hit"]/system-out)')
    expect(out).toContain('median 1.20 ms, p95 2.31 ms (20 rounds)')
    expect(out).toContain('met p95 2.31 ms < 5.00 ms')
    expect(out).toContain('unchanged: +0.83%')
  })
})
