import { describe, expect, it } from 'vitest'

import { benchMatcher, globToRegExp } from '../../src/core/glob.js'
import { sketch, summarize } from '../../src/core/summary.js'
import { evaluateTargets, margin } from '../../src/core/targets.js'
import { targetCell } from '../../src/report/console.js'

describe('summarize', () => {
  // Quantiles interpolate linearly between order statistics (R's type 7, numpy's default).
  it('computes the documented statistics of 1..100', () => {
    const s = summarize(Array.from({ length: 100 }, (_, i) => 100 - i))
    expect(s).toMatchObject({ n: 100, mean: 50.5, min: 1, max: 100 })
    expect(s.median).toBe(50.5)
    expect(s.p95).toBeCloseTo(95.05, 10)
    expect(s.p99).toBeCloseTo(99.01, 10)
    expect(s.sd).toBeCloseTo(29.0115, 4) // sample SD of 1..100: sqrt(841.6667)
  })

  it('a single value has sd 0', () => {
    expect(summarize([7])).toEqual({ n: 1, mean: 7, median: 7, p95: 7, p99: 7, min: 7, max: 7, sd: 0 })
  })

  it('values near the largest double: the mean and sd do not overflow to Infinity', () => {
    const s = summarize([1.5e308, 1.5e308, 1.5e308])
    expect(s).toEqual({ n: 3, mean: 1.5e308, median: 1.5e308, p95: 1.5e308, p99: 1.5e308, min: 1.5e308, max: 1.5e308, sd: 0 })
    const t = summarize([1e308, 1.2e308, 1.4e308])
    expect(t.mean / 1.2e308).toBeCloseTo(1, 14)
    expect(t.sd / 0.2e308).toBeCloseTo(1, 14)
  })

  it('a statistic that does not fit a double is refused with the reason, never returned as Infinity', () => {
    expect(() => summarize([-1.7e308, 1.7e308])).toThrow(
      'its sd (Infinity) cannot be stored: outside the range of a double (values from -1.7e+308 to 1.7e+308); measure in a larger unit',
    )
  })
})

describe('sketch', () => {
  it('keeps all values when there are few, sorted', () => {
    expect(sketch([3, 1, 2], 10)).toEqual([1, 2, 3])
  })
  it('keeps min, max and evenly spaced order statistics', () => {
    const s = sketch(
      Array.from({ length: 1001 }, (_, i) => i),
      11,
    )
    expect(s).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000])
  })
})

describe('targets', () => {
  const stats = summarize([0.002, 0.003, 0.004, 0.004, 0.004])
  it('evaluates each target on its statistic', () => {
    const [t1, t2] = evaluateTargets(
      [
        { stat: 'p95', op: '<', value: 5 },
        { stat: 'max', op: '>=', value: 0.01 },
      ],
      stats,
    )
    expect(t1).toEqual({ stat: 'p95', op: '<', value: 5, actual: 0.004, pass: true })
    expect(t2).toMatchObject({ actual: 0.004, pass: false })
  })
  it('formats value, limit and margin as in the issue (p95 0.004 ms < 5 ms, 1250x)', () => {
    const [t] = evaluateTargets([{ stat: 'p95', op: '<', value: 5 }], stats)
    expect(margin(t)).toBe(1250)
    expect(targetCell(t, 'ms')).toBe('✓ p95 0.00400 ms < 5.00 ms, 1,250x')
  })
  it('margin of a lower bound is actual / limit', () => {
    const [t] = evaluateTargets([{ stat: 'median', op: '>', value: 500 }], summarize([1500]))
    expect(margin(t)).toBe(3)
  })
})

describe('--bench globs', () => {
  it('match a benchmark name or plugin/name, with * and ?', () => {
    const m = benchMatcher(['cold-*', 'cache/ttl-expir?'])
    expect(m('config-resolution', 'cold-resolution')).toBe(true)
    expect(m('cache', 'ttl-expiry')).toBe(true)
    expect(m('config-resolution', 'cached-resolution')).toBe(false)
    expect(globToRegExp('a.b').test('axb')).toBe(false)
  })
  it('no glob matches everything', () => {
    expect(benchMatcher(undefined)('x', 'y')).toBe(true)
  })
  it("picomatch's {a,b}, […] and ! work; plain names and * across '/' keep working", () => {
    const braces = benchMatcher(['{parse,stringify}'])
    expect([braces('json-codec', 'parse'), braces('json-codec', 'stringify'), braces('json-codec', 'parse-throughput')]).toEqual([true, true, false])
    expect(benchMatcher(['cache/[lt]*'])('cache', 'l2-hit-latency')).toBe(true)
    expect(benchMatcher(['cache/[lt]*'])('cache', 'warm-hit')).toBe(false)
    const notCold = benchMatcher(['!cold-*'])
    expect([notCold('config-resolution', 'cold-resolution'), notCold('config-resolution', 'cached-resolution')]).toEqual([false, true])
    const some = benchMatcher(['cache/*', '!cache/l2-*'])
    expect([some('cache', 'warm-hit'), some('cache', 'l2-hit-latency'), some('json-codec', 'parse')]).toEqual([true, false, false])
    expect(benchMatcher(['parse'])('json-codec', 'parse')).toBe(true)
    expect(benchMatcher(['parse'])('json-codec', 'parse-throughput')).toBe(false)
    expect(benchMatcher(['*cache*'])('config-resolution', 'cached-resolution')).toBe(true)
    expect(benchMatcher(['config*hit-rate'])('config-resolution', 'cache-hit-rate')).toBe(true) // '*' spans the '/'
  })

  it('many * match without backtracking (a regular expression took seconds for 12)', () => {
    const name = 'a'.repeat(60)
    expect(benchMatcher(['*a'.repeat(30) + 'b'])('p', name)).toBe(false)
    expect(benchMatcher(['*a'.repeat(30)])('p', name)).toBe(true)
  })

  it('a glob with {…} or […] and more than four * is refused with the reason', () => {
    expect(() => benchMatcher(['{a,b}*a*a*a*a*a'], '--metric')).toThrow(
      "--metric {a,b}*a*a*a*a*a has 5 '*' together with {…}, […] or ( ): more than 4, which could take seconds to match.",
    )
  })
})
