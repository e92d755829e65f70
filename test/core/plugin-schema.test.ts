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
})
