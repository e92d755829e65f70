import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { measuredCompareBudget } from '../../src/cli/measure-flags.js'
import { instructionThresholds } from '../../src/core/defaults.js'
import { thresholdLookup } from '../../src/jobs/thresholds.js'
import { instructionSkipReason, instructionThreshold, readDump } from '../../src/runner/measure-instructions.js'
import { describeBenchmark } from '../../src/runner/runner.js'
import { valgrindArgs } from '../../src/runner/valgrind.js'
import { tempDir } from '../helpers/cli.js'

describe('instruction mode: budget, skips, units and thresholds', () => {
  it('1–2 processes per side are allowed for instructions only', () => {
    expect(measuredCompareBudget({ measure: 'instructions' }, 2)).toMatchObject({ processes: 2, rounds: 5, measure: 'instructions', timeout: 600_000 })
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
})
