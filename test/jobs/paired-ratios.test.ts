import { describe, expect, it } from 'vitest'

import type { Fingerprint } from '../../src/core/fingerprint.js'
import type { ResultJson } from '../../src/core/result-json.js'
import { type PairedSides, type ProcessRun, processLogRatios, settledMetrics } from '../../src/jobs/paired-process.js'
import type { LoadedPlugin } from '../../src/runner/plugin-loader.js'
import { compareSides } from '../../src/stats/comparison.js'

const run = (results: Array<{ benchmark: string; rounds: number[]; status?: ResultJson['status']; kind?: ResultJson['kind'] }>): ProcessRun => ({
  run: { fingerprint: {} as Fingerprint },
  results: results.map((r) => ({
    plugin: 'svc',
    benchmark: r.benchmark,
    kind: r.kind ?? 'latency',
    unit: 'ms',
    direction: 'lower',
    status: r.status ?? 'completed',
    targets: [],
    stats: { n: r.rounds.length, mean: 1, median: 1, p95: 1, p99: 1, min: 1, max: 1, sd: 0 },
    rounds: r.rounds,
    ...(r.status === 'errored' ? { error: 'boom' } : {}),
  })) as ResultJson[],
})

describe('paired processes: each process gives one log ratio per metric', () => {
  it('is the median over the round pairs of log(head / base), process by process', () => {
    const base = [run([{ benchmark: 'a', rounds: [1, 1, 2, 1, 1] }]), run([{ benchmark: 'a', rounds: [2, 2, 2] }])]
    // Process 1: one pair in a slow moment on the head side only (×3) does not move the median.
    const head = [run([{ benchmark: 'a', rounds: [1.1, 1.1, 6, 1.1, 1.1] }]), run([{ benchmark: 'a', rounds: [2, 2, 2] }])]
    const ratios = processLogRatios(base, head).get('svc/a')!
    expect(ratios).toHaveLength(2)
    expect(ratios[0]).toBeCloseTo(Math.log(1.1), 12)
    expect(ratios[1]).toBe(0)
  })

  it('takes 0 → 0 as no change, leaves out pairs with a side at 0, and skips metrics a side did not complete', () => {
    const base = [
      run([
        { benchmark: 'rate', rounds: [0, 0, 5] },
        { benchmark: 'gone', rounds: [1] },
      ]),
    ]
    const head = [
      run([
        { benchmark: 'rate', rounds: [0, 3, 5] },
        { benchmark: 'gone', rounds: [1], status: 'errored' },
      ]),
    ]
    const ratios = processLogRatios(base, head)
    expect(ratios.get('svc/rate')).toEqual([0])
    expect(ratios.has('svc/gone')).toBe(false)
  })

  it('has no ratio for a metric one revision measured (one round) and the other computed from paired rounds (ratioOf)', () => {
    const base = [
      run([
        { benchmark: 'speedup', rounds: [300] },
        { benchmark: 'a', rounds: [1, 1] },
      ]),
    ]
    const head = [
      run([
        { benchmark: 'speedup', rounds: [280, 290, 310] },
        { benchmark: 'a', rounds: [1, 1] },
      ]),
    ]
    const ratios = processLogRatios(base, head)
    expect(ratios.has('svc/speedup')).toBe(false)
    expect(ratios.get('svc/a')).toEqual([0])
  })

  it('with `only`, keeps just those metrics (the extension stage measured nothing else on purpose)', () => {
    const base = [
      run([
        { benchmark: 'a', rounds: [1] },
        { benchmark: 'b', rounds: [1] },
      ]),
    ]
    const head = [
      run([
        { benchmark: 'a', rounds: [2] },
        { benchmark: 'b', rounds: [2] },
      ]),
    ]
    expect([...processLogRatios(base, head, new Set(['svc/b'])).keys()]).toEqual(['svc/b'])
  })
})

describe("the 'ratios' design: a verdict on the processes' own ratios", () => {
  const values = (v: number[], logRatios?: number[]) => ({
    plugin: 'svc',
    benchmark: 'a',
    unit: 'ms',
    direction: 'lower' as const,
    values: v,
    ...(logRatios ? { logRatios } : {}),
  })

  it('decides on the ratios, not on the spread between processes', () => {
    // The processes differ by 2× from one another (slow spells), but inside each one head is 10% dearer.
    const base = [1, 2, 1, 2, 1, 2, 1, 2]
    const head = base.map((v) => v * 1.1)
    const ratios = [0.095, 0.1, 0.092, 0.097, 0.099, 0.094, 0.096, 0.098]
    const [paired] = compareSides([values(base)], [values(head, ratios)], () => undefined, { design: 'ratios' })
    expect(paired).toMatchObject({ verdict: 'regressed', nBaseline: 8, nCurrent: 8 })
    expect(paired.ci![0]).toBeGreaterThan(0.05)
    const [independent] = compareSides([values(base)], [values(head)], () => undefined)
    expect(independent.verdict).toBe('inconclusive')
  })

  it('calls ratios that stay within the threshold unchanged', () => {
    const ratios = [0.004, -0.006, 0.01, -0.002, 0.003, 0.0, -0.004, 0.005]
    const [c] = compareSides([values([1, 1, 1, 1, 1, 1, 1, 1])], [values([1, 1, 1, 1, 1, 1, 1, 1], ratios)], () => undefined, { design: 'ratios' })
    expect(c.verdict).toBe('unchanged')
  })

  it('is inconclusive, saying why, with fewer than 3 processes that measured both sides or a ratio that is not finite', () => {
    const [few] = compareSides([values([1, 1])], [values([1.2, 1.2], [0.2, 0.2])], () => undefined, { design: 'ratios' })
    expect(few).toMatchObject({ verdict: 'inconclusive', reason: 'too few processes that measured both sides (2; need 3)' })
    const [none] = compareSides([values([1, 1, 1])], [values([1, 1, 1], [0, Number.NaN, 0])], () => undefined, { design: 'ratios' })
    expect(none).toMatchObject({ verdict: 'inconclusive', reason: expect.stringContaining('log ratio is not finite (NaN)') })
  })
})

describe('settled metrics: a value each side gave unchanged in every process so far', () => {
  // svc's benchmarks as both revisions declare them: `speedup` is computed from `cold` over `hits`.
  const plugin = {
    plugin: {
      name: 'svc',
      benchmarks: [
        { name: 'hits' },
        { name: 'cold' },
        { name: 'speedup', ratioOf: { numerator: 'cold', denominator: 'hits' } },
        { name: 'rate' },
        { name: 'bytes' },
      ],
    },
  } as unknown as LoadedPlugin
  const paired = { plugins: [[plugin, plugin]] } as unknown as PairedSides
  const processOf = (rate: number, bytes: number, headRate = rate) => [
    run([
      { benchmark: 'rate', kind: 'value', rounds: [rate] },
      { benchmark: 'bytes', kind: 'value', rounds: [bytes] },
      { benchmark: 'hits', kind: 'value', rounds: [5] },
      { benchmark: 'lat', rounds: [1, 1] },
    ]),
    run([
      { benchmark: 'rate', kind: 'value', rounds: [headRate] },
      { benchmark: 'bytes', kind: 'value', rounds: [bytes] },
      { benchmark: 'hits', kind: 'value', rounds: [5] },
      { benchmark: 'lat', rounds: [1, 1] },
    ]),
  ]
  const runs = (list: ProcessRun[][]) => [list.map((p) => p[0]), list.map((p) => p[1])] as const

  it('settles a value metric whose every round on each side is one value, also when the two sides differ', () => {
    const [base, head] = runs([processOf(56.9, 865), processOf(56.9, 866), processOf(56.9, 865)])
    // bytes moved between processes; hits is a part of the ratio `speedup`; lat is a latency.
    expect(settledMetrics(paired, base, head, 3)).toEqual(['svc/rate'])
    const [b2, h2] = runs([processOf(56.9, 865, 58.1), processOf(56.9, 865, 58.1), processOf(56.9, 865, 58.1)])
    expect(settledMetrics(paired, b2, h2, 3)).toEqual(['svc/rate', 'svc/bytes'])
  })

  it('settles nothing before `least` processes, nor a metric that moved once or failed once', () => {
    const [base, head] = runs([processOf(56.9, 865), processOf(56.9, 865)])
    expect(settledMetrics(paired, base, head, 3)).toEqual([])
    const [b2, h2] = runs([processOf(56.9, 865), processOf(56.9, 865), processOf(56.9, 865, 57)])
    expect(settledMetrics(paired, b2, h2, 3)).toEqual(['svc/bytes'])
    const failed = processOf(56.9, 865)
    failed[1].results[0] = { ...failed[1].results[0], status: 'errored', error: 'boom' }
    const [b3, h3] = runs([processOf(56.9, 865), processOf(56.9, 865), failed])
    expect(settledMetrics(paired, b3, h3, 3)).toEqual(['svc/bytes'])
  })
})
