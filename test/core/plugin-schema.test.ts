import { describe, expect, it } from 'vitest'

import { validatePlugin } from '../../src/core/plugin-schema.js'

const refusal = (value: unknown) => {
  try {
    validatePlugin(value, 'plugins/x/index.ts')
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('expected a refusal')
}

describe('plugin validation names the file and the field', () => {
  it('accepts a well-formed plugin', () => {
    const plugin = { name: 'ok', benchmarks: [{ name: 'a', kind: 'latency', fn: () => 1 }] }
    expect(validatePlugin(plugin, 'f.ts')).toBe(plugin)
  })
  it('refuses a non-object default export', () => {
    expect(refusal(undefined)).toBe('plugins/x/index.ts: the default export must be a plugin object (definePlugin({...})), got undefined')
  })
  it('refuses an empty benchmark list', () => {
    expect(refusal({ name: 'p', benchmarks: [] })).toBe('plugins/x/index.ts: invalid plugin — benchmarks: must list at least one benchmark')
  })
  it('names the benchmark by index and name', () => {
    expect(
      refusal({
        name: 'p',
        benchmarks: [
          { name: 'a', kind: 'latency', fn: () => 1 },
          { name: 'b', kind: 'latency' },
        ],
      }),
    ).toBe("plugins/x/index.ts: invalid plugin — benchmarks[1] (b).fn: is required for kind 'latency' (one operation)")
  })
  it('refuses an unknown kind and a bad target op', () => {
    const message = refusal({ name: 'p', benchmarks: [{ name: 'a', kind: 'speed', fn: () => 1, targets: [{ stat: 'p95', op: '=', value: 1 }] }] })
    expect(message).toContain('benchmarks[0] (a).kind:')
    expect(message).toContain('benchmarks[0] (a).targets[0].op:')
  })
  it('refuses concurrency on a latency benchmark and duplicate names', () => {
    expect(refusal({ name: 'p', benchmarks: [{ name: 'a', kind: 'latency', concurrency: 4, fn: () => 1 }] })).toContain(
      "benchmarks[0] (a).concurrency: applies to kind 'throughput' only",
    )
    expect(
      refusal({
        name: 'p',
        benchmarks: [
          { name: 'a', kind: 'latency', fn: () => 1 },
          { name: 'a', kind: 'latency', fn: () => 1 },
        ],
      }),
    ).toContain("benchmarks: duplicate name 'a'")
  })
  it("accepts bound 'cpu' or 'io' and refuses anything else, naming the field", () => {
    const plugin = { name: 'ok', benchmarks: [{ name: 'a', kind: 'latency', bound: 'io', fn: () => 1 }] }
    expect(validatePlugin(plugin, 'f.ts')).toBe(plugin)
    expect(refusal({ name: 'p', benchmarks: [{ name: 'a', kind: 'latency', bound: 'disk', fn: () => 1 }] })).toBe(
      "plugins/x/index.ts: invalid plugin — benchmarks[0] (a).bound: must be 'cpu' or 'io' (I/O or waiting: skipped by --measure instructions)",
    )
  })
  it('accepts alone true or false and refuses anything else, naming the field', () => {
    const plugin = { name: 'ok', benchmarks: [{ name: 'a', kind: 'throughput', alone: true, fn: () => 1 }] }
    expect(validatePlugin(plugin, 'f.ts')).toBe(plugin)
    expect(refusal({ name: 'p', benchmarks: [{ name: 'a', kind: 'latency', alone: 'yes', fn: () => 1 }] })).toBe(
      'plugins/x/index.ts: invalid plugin — benchmarks[0] (a).alone: must be true or false (true: measured while no other measuring process runs)',
    )
  })

  describe('ratioOf: a value computed from two benchmarks listed before it', () => {
    const cold = { name: 'cold', kind: 'latency', fn: () => 1 }
    const warm = { name: 'warm', kind: 'latency', fn: () => 1 }
    const speedup = (over: Record<string, unknown> = {}) => ({
      name: 'speedup',
      kind: 'value',
      unit: '×',
      direction: 'higher',
      ratioOf: { numerator: 'cold', denominator: 'warm' },
      ...over,
    })
    it('accepts it without measure', () => {
      const plugin = { name: 'ok', benchmarks: [cold, warm, speedup()] }
      expect(validatePlugin(plugin, 'f.ts')).toBe(plugin)
    })
    it('refuses a numerator listed after it or not at all, naming the part', () => {
      expect(refusal({ name: 'p', benchmarks: [warm, speedup(), cold] })).toBe(
        "plugins/x/index.ts: invalid plugin — benchmarks[1] (speedup).ratioOf.numerator: names 'cold', which is not a benchmark listed before 'speedup' in this plugin",
      )
      expect(refusal({ name: 'p', benchmarks: [cold, speedup({ ratioOf: { numerator: 'cold', denominator: 'hot' } })] })).toContain(
        "benchmarks[1] (speedup).ratioOf.denominator: names 'hot', which is not a benchmark listed before 'speedup'",
      )
    })
    it('refuses a ratio of a value benchmark, with measure as well, or on another kind', () => {
      const size = { name: 'size', kind: 'value', unit: 'B', direction: 'lower', measure: () => 1 }
      expect(refusal({ name: 'p', benchmarks: [cold, size, speedup({ ratioOf: { numerator: 'cold', denominator: 'size' } })] })).toContain(
        "benchmarks[2] (speedup).ratioOf.denominator: names 'size', a value benchmark; a ratio is of two latency or throughput benchmarks",
      )
      const rate = { name: 'rate', kind: 'throughput', fn: () => 1 }
      expect(refusal({ name: 'p', benchmarks: [cold, rate, speedup({ ratioOf: { numerator: 'cold', denominator: 'rate' } })] })).toContain(
        "benchmarks[2] (speedup).ratioOf.denominator: names 'rate', a throughput benchmark, under a latency numerator; both parts must be of one kind",
      )
      expect(refusal({ name: 'p', benchmarks: [cold, speedup({ ratioOf: { numerator: 'cold', denominator: 'cold' } })] })).toContain(
        'benchmarks[1] (speedup).ratioOf.denominator: names the numerator again',
      )
      expect(refusal({ name: 'p', benchmarks: [cold, warm, speedup({ measure: () => 1 })] })).toContain(
        'benchmarks[2] (speedup).ratioOf: and measure exclude each other',
      )
      expect(
        refusal({ name: 'p', benchmarks: [cold, warm, { name: 'x', kind: 'latency', fn: () => 1, ratioOf: { numerator: 'cold', denominator: 'warm' } }] }),
      ).toContain("benchmarks[2] (x).ratioOf: applies to kind 'value' only")
      expect(refusal({ name: 'p', benchmarks: [cold, warm, { name: 'v', kind: 'value', unit: '×', direction: 'higher' }] })).toContain(
        "benchmarks[2] (v).measure: is required for kind 'value' (one observation per round), unless it has ratioOf",
      )
    })
  })
})
