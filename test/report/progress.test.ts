import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'

import type { BenchmarkResult } from '../../src/core/result.js'
import { formatEta, progressReporter } from '../../src/report/progress.js'

/** A stand-in for a terminal (none is attached in tests): a stream that says it is a TTY of `columns` columns and keeps what is written. */
function fakeTty(columns: number) {
  const chunks: string[] = []
  const stream = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) }) as unknown as NodeJS.WriteStream
  Object.assign(stream, { isTTY: true, columns })
  const lastStatus = () =>
    chunks
      .filter((c) => c.startsWith('\r\x1b[2K') && c.length > 5)
      .at(-1)!
      .slice(5)
  return { stream, chunks, lastStatus }
}

const result = (benchmark: string): BenchmarkResult =>
  ({
    plugin: 'p',
    benchmark,
    kind: 'latency',
    unit: 'ms',
    direction: 'lower',
    status: 'completed',
    stats: { n: 5, mean: 1, median: 1, p95: 1, p99: 1, min: 1, max: 1, sd: 0 },
    rounds: [1],
    samples: [],
    targets: [],
  }) as unknown as BenchmarkResult

describe('TTY progress', () => {
  it('shows an ETA from the finished benchmarks and the current one’s pace (injected clock)', () => {
    let t = 0
    const tty = fakeTty(120)
    const p = progressReporter(tty.stream, { now: () => t })
    p.onEvent({ type: 'plugin-start', plugin: 'p', benchmarks: 4 })
    p.onEvent({ type: 'benchmark-start', plugin: 'p', benchmark: 'a', index: 0, total: 4 })
    p.onEvent({ type: 'round', plugin: 'p', benchmark: 'a', round: 1, rounds: 5 })
    expect(tty.lastStatus()).toBe('  [1/4] p/a round 1/5')
    t = 2000 // 1 round of 5 took 2 s: 8 s left here, 3 more benchmarks of 10 s each
    p.onEvent({ type: 'round', plugin: 'p', benchmark: 'a', round: 2, rounds: 5 })
    expect(tty.lastStatus()).toBe('  [1/4] p/a round 2/5, ~38s left')
    t = 10_000
    p.onEvent({ type: 'benchmark-end', result: result('a') })
    p.onEvent({ type: 'benchmark-start', plugin: 'p', benchmark: 'b', index: 1, total: 4 })
    expect(tty.lastStatus()).toBe('  [2/4] p/b, ~30s left')
    t = 100_000 // b's first round took 90 s: 360 s left of b, then 2 benchmarks at the 10 s mean
    p.onEvent({ type: 'round', plugin: 'p', benchmark: 'b', round: 2, rounds: 5 })
    expect(tty.lastStatus()).toBe('  [2/4] p/b round 2/5, ~6m 20s left')
  })

  it('a terminal of 0 columns keeps the whole status line; a narrow one cuts at its width', () => {
    for (const [columns, expected] of [
      [0, '  [1/1] p/abc'],
      [8, '  [1/1]'],
    ] as const) {
      const tty = fakeTty(columns)
      const p = progressReporter(tty.stream, { now: () => 0 })
      p.onEvent({ type: 'benchmark-start', plugin: 'p', benchmark: 'abc', index: 0, total: 1 })
      expect(tty.lastStatus()).toBe(expected)
    }
  })

  it('formats ETAs', () => {
    expect([formatEta(5.4), formatEta(65), formatEta(3725), formatEta(Number.NaN)]).toEqual(['~5s left', '~1m 05s left', '~1h 02m left', ''])
  })
})
