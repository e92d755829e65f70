import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { measuredCompareBudget } from '../../src/cli/measure-flags.js'
import { instructionThresholds } from '../../src/core/defaults.js'
import { instructionCompareOptions, instructionNoise } from '../../src/jobs/instruction-verdicts.js'
import { thresholdLookup } from '../../src/jobs/thresholds.js'
import { instructionSkipReason, instructionThreshold, readDump } from '../../src/runner/measure-instructions.js'
import { describeBenchmark } from '../../src/runner/runner.js'
import { valgrindArgs } from '../../src/runner/valgrind.js'
import { compareMetric } from '../../src/stats/verdict.js'
import { tempDir } from '../helpers/cli.js'

describe('instruction mode: budget, skips, units and thresholds', () => {
  it('1–2 processes per side are allowed for instructions only', () => {
    expect(measuredCompareBudget({ measure: 'instructions' }, 2)).toMatchObject({
      processes: 2,
      maxProcesses: 2,
      rounds: 5,
      measure: 'instructions',
      timeout: 600_000,
    })
    expect(measuredCompareBudget({ measure: 'instructions', processes: 1, operations: 50 }, 3)).toMatchObject({ processes: 1, operations: 50 })
    expect(() => measuredCompareBudget({ processes: 1 }, 2)).toThrow(/measuring time needs at least 2 processes per side/)
  })
  it('value and I/O-bound benchmarks are skipped with the reason; CPU-bound ones are counted in instructions, lower is better', () => {
    expect(instructionSkipReason({ kind: 'value' })).toMatch(/value benchmark/)
    expect(instructionSkipReason({ kind: 'latency', bound: 'io' })).toMatch(/declared bound: 'io'/)
    expect(instructionSkipReason({ kind: 'throughput' })).toBeUndefined()
    const b = { name: 'x', kind: 'throughput' as const, unit: 'req/s', direction: 'higher' as const, fn: () => 1 }
    expect(describeBenchmark('p', b, 'instructions')).toMatchObject({ unit: 'instructions', direction: 'lower' })
    expect(describeBenchmark('p', b)).toMatchObject({ unit: 'req/s', direction: 'higher' })
  })
  it('thresholds: calibrated, else the instruction default, never the wall-time config', () => {
    const config = { thresholds: { default: 0.2 } }
    expect(thresholdLookup(new Map(), config, 'instructions')('p', 'b')).toBe(instructionThresholds.default)
    expect(thresholdLookup(new Map([['p/b', 0.003]]), config, 'instructions')('p', 'b')).toBe(0.003)
    expect(thresholdLookup(new Map(), config)('p', 'b')).toBe(0.2)
    // The A/A offset counts as well as the CI half-width; never below the floor.
    expect(instructionThreshold({ change: 0.001, ciHalfWidth: 0.0005 }, 0.0004)).toBeCloseTo(1.5 * 0.0015, 10)
    expect(instructionThreshold({ change: 0, ciHalfWidth: 0 }, 0)).toBe(instructionThresholds.floor)
  })
  it('reads the dump of the label just written, and removes it', () => {
    const dir = tempDir()
    const dump = (n: number, label: string, total: number) =>
      writeFileSync(
        path.join(dir, `callgrind.42.${n}`),
        `version: 1\ndesc: Trigger: Client Request: ${label}\nevents: Ir\nsummary: ${total}\ntotals: ${total}\n`,
      )
    dump(1, 'perftrack a 1', 1000)
    dump(2, 'perftrack a 2', 1234)
    expect(readDump(dir, 42, 'perftrack a 2')).toBe(1234)
    expect(existsSync(path.join(dir, 'callgrind.42.2'))).toBe(false)
    expect(() => readDump(dir, 42, 'perftrack b 3')).toThrow(/is not the one of 'perftrack b 3'/)
  })
  it('the plugin child alone runs under callgrind, counting nothing until asked, its own children native', () => {
    const args = valgrindArgs('/tmp/out')
    expect(args).toEqual(expect.arrayContaining(['--tool=callgrind', '--instr-atstart=no', '--collect-atstart=no', '--separate-threads=yes']))
    expect(args.some((a) => a.startsWith('--trace-children'))).toBe(false)
    expect(args.find((a) => a.startsWith('--callgrind-out-file='))).toBe('--callgrind-out-file=/tmp/out/callgrind.%p')
  })
  // Measured (README, "Instruction counts"): cached-resolution, 2 processes × 5 rounds a side, +2 loops of arithmetic per resolve on the head side.
  const base = [4844.69, 5215.17, 5201.42, 5231.64, 5202.86, 4847.17, 5215.06, 5201.76, 5231.32, 5202.69]
  const head = [4923.64, 5293.92, 5281, 5310.7, 5281.93, 4926.29, 5294.01, 5280.3, 5310.04, 5281.56]
  it('rounds paired by index: the measured +1.5% is regressed (independent samples: inconclusive), A/A unchanged', () => {
    const threshold = instructionThresholds.default
    const paired = compareMetric({ baseline: base, current: head, direction: 'lower', threshold, ...instructionCompareOptions })
    expect(paired.verdict).toBe('regressed')
    expect(paired.change).toBeCloseTo(0.0154, 3)
    expect(compareMetric({ baseline: base, current: head, direction: 'lower', threshold }).verdict).toBe('inconclusive')
    expect(compareMetric({ baseline: base.slice(0, 5), current: base.slice(5), direction: 'lower', threshold, ...instructionCompareOptions }).verdict).toBe(
      'unchanged',
    )
    // Calibration: the paired A/A CI replaces the independent one, whose half-width was 7%.
    const noise = instructionNoise({ change: 0, ci: [-0.07, 0.07] as [number, number], ciHalfWidth: 0.07 }, base.slice(0, 5), base.slice(5))
    expect(noise.ciHalfWidth).toBeLessThan(0.001)
    expect(instructionThreshold(noise, noise.ciHalfWidth)).toBe(instructionThresholds.floor)
  })
})
