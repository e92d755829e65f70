import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { combineLoads } from '../../src/core/machine-load.js'
import {
  addCounters,
  LoadMeter,
  loadFromCounters,
  OthersMeter,
  ownStatFile,
  type ProcReader,
  parseCpuTicks,
  parseOwnTicks,
  parseSchedstat,
  procStatFile,
  schedstatFile,
} from '../../src/runner/load-meter.js'
import { fixture } from '../helpers/cli.js'

const text = (name: string) => readFileSync(fixture('proc', name), 'utf8')

/** A /proc that shows the fixture files in turn: each read of a file returns its next version (the last one repeats). */
function procOf(files: Record<string, string[]>): ProcReader {
  const reads = new Map<string, number>()
  return (file) => {
    const versions = files[file]
    if (!versions) return undefined
    const i = reads.get(file) ?? 0
    reads.set(file, i + 1)
    return versions[Math.min(i, versions.length - 1)]
  }
}

describe('parsing /proc', () => {
  it('reads on-CPU and run-queue wait time from schedstat', () => {
    expect(parseSchedstat(text('schedstat-start.txt'))).toEqual({ runNs: 1_000_000_000, waitNs: 250_000_000 })
    expect(parseSchedstat('')).toBeUndefined()
    expect(parseSchedstat('abc def 1')).toBeUndefined()
  })

  it("reads steal, busy and the machine's total CPU time from the cpu line of /proc/stat, guest time not counted twice", () => {
    // user nice system idle iowait irq softirq steal = 2179905 + 830546 + 388190 + 911135 + 4925 + 0 + 5154 + 1189;
    // busy = user + nice + system + irq + softirq.
    expect(parseCpuTicks(text('stat-start.txt'))).toEqual({ stealTicks: 1189, busyTicks: 3_403_795, totalTicks: 4_321_044 })
    expect(parseCpuTicks('cpu0 1 2 3 4 5 6 7 8\n')).toBeUndefined()
    expect(parseCpuTicks('cpu  1 2 3\n')).toBeUndefined()
  })

  it('reads the CPU time of this process and its waited-for children from /proc/self/stat, whatever its command name holds', () => {
    // utime stime cutime cstime = 1200 + 300 + 150 + 50; the name "node (perftrack) x" has spaces and parentheses.
    expect(parseOwnTicks(text('self-stat-start.txt'))).toBe(1700)
    expect(parseOwnTicks('4242 (node) S 1 2 3')).toBeUndefined()
    expect(parseOwnTicks('no name here')).toBeUndefined()
  })
})

describe('OthersMeter', () => {
  it("gives the share of the machine's CPU that everything but this process tree used", () => {
    // Δtotal = 600 user + 100 system + 280 idle + 20 steal = 1000 ticks; Δbusy = 700; Δown = 100 + 20 + 100 + 30 = 250.
    const meter = new OthersMeter(
      procOf({ [procStatFile]: [text('stat-start.txt'), text('stat-end.txt')], [ownStatFile]: [text('self-stat-start.txt'), text('self-stat-end.txt')] }),
    )
    meter.start()
    expect(meter.stop()).toBeCloseTo(0.45, 12)
  })

  it('is undefined where /proc cannot be read, and when no time passed', () => {
    const none = new OthersMeter(procOf({}))
    none.start()
    expect(none.stop()).toBeUndefined()
    const still = new OthersMeter(procOf({ [procStatFile]: [text('stat-start.txt')], [ownStatFile]: [text('self-stat-start.txt')] }))
    still.start()
    expect(still.stop()).toBeUndefined()
  })
})

describe('LoadMeter', () => {
  it('gives the wait fraction Δwait / (Δrun + Δwait) and the steal fraction Δsteal / Δtotal of a measured window', () => {
    const meter = new LoadMeter(
      procOf({ [schedstatFile]: [text('schedstat-start.txt'), text('schedstat-end.txt')], [procStatFile]: [text('stat-start.txt'), text('stat-end.txt')] }),
    )
    meter.stop(meter.start())
    // schedstat: +2.1 s on CPU, +0.9 s waiting; /proc/stat: +20 steal of +1,000 ticks.
    expect(meter.totals()).toEqual({ state: 'counted', runNs: 2_100_000_000, waitNs: 900_000_000, stealTicks: 20, totalTicks: 1000 })
    const load = loadFromCounters(meter.totals())
    expect(load.state).toBe('measured')
    if (load.state !== 'measured') return
    expect(load.waitFraction).toBeCloseTo(0.3, 12)
    expect(load.stealFraction).toBeCloseTo(0.02, 12)
  })

  it('adds only the measured windows: what happens between them (set-up) is not counted', () => {
    // start 0/0, stop 100/100 (window 1), set-up moves to 1000/9000, start there, stop 1300/9100 (window 2).
    const sched = ['0 0 1', '100 100 2', '1000 9000 3', '1300 9100 4']
    const stat = ['cpu  0 0 0 0 0 0 0 0', 'cpu  10 0 0 0 0 0 0 0', 'cpu  500 0 0 0 0 0 0 500', 'cpu  510 0 0 0 0 0 0 500']
    const meter = new LoadMeter(procOf({ [schedstatFile]: sched, [procStatFile]: stat }))
    meter.stop(meter.start())
    meter.stop(meter.start())
    expect(meter.totals()).toEqual({ state: 'counted', runNs: 400, waitNs: 200, stealTicks: 0, totalTicks: 20 })
    expect(loadFromCounters(meter.totals())).toEqual({ state: 'measured', waitFraction: 200 / 600, stealFraction: 0 })
  })

  it('is unavailable, without an error, where there is no /proc (macOS)', () => {
    const meter = new LoadMeter(() => undefined)
    meter.stop(meter.start())
    meter.stop(meter.start())
    const load = loadFromCounters(meter.totals())
    expect(load).toEqual({ state: 'unavailable', reason: `${schedstatFile} cannot be read (not Linux?)` })
  })

  it('is unavailable when /proc/stat has no cpu line, naming the file', () => {
    const meter = new LoadMeter(procOf({ [schedstatFile]: ['1 2 3'], [procStatFile]: ['intr 1 2 3\n'] }))
    meter.stop(meter.start())
    expect(loadFromCounters(meter.totals())).toEqual({ state: 'unavailable', reason: `${procStatFile} is not in the expected format` })
  })

  it('reads the real /proc of this machine: a fraction between 0 and 1, or unavailable off Linux', () => {
    const meter = new LoadMeter()
    const window = meter.start()
    let x = 0
    for (let i = 0; i < 1e6; i++) x += Math.sqrt(i)
    meter.stop(window)
    const load = loadFromCounters(meter.totals())
    expect(x).toBeGreaterThan(0)
    if (process.platform !== 'linux') return expect(load.state).toBe('unavailable')
    expect(load.state).toBe('measured')
    if (load.state !== 'measured') return
    expect(load.waitFraction).toBeGreaterThanOrEqual(0)
    expect(load.waitFraction).toBeLessThanOrEqual(1)
    expect(load.stealFraction).toBeGreaterThanOrEqual(0)
    expect(load.stealFraction).toBeLessThanOrEqual(1)
  })
})

describe('adding and combining loads', () => {
  it('sums counters of plugins and processes; an unavailable one does not hide a counted one', () => {
    const a = { state: 'counted' as const, runNs: 300, waitNs: 100, stealTicks: 1, totalTicks: 10 }
    const b = { state: 'counted' as const, runNs: 100, waitNs: 100, stealTicks: 0, totalTicks: 30 }
    const none = { state: 'unavailable' as const, reason: 'x' }
    expect(addCounters(a, b)).toEqual({ state: 'counted', runNs: 400, waitNs: 200, stealTicks: 1, totalTicks: 40 })
    expect(addCounters(none, a)).toEqual(a)
    expect(addCounters(a, none)).toEqual(a)
    expect(addCounters(none, { state: 'unavailable', reason: 'y' })).toEqual({ state: 'unavailable', reason: 'y' })
  })

  it('combines processes as the mean of their fractions, leaving out those that could not measure', () => {
    expect(
      combineLoads([
        { state: 'measured', waitFraction: 0.1, stealFraction: 0 },
        { state: 'measured', waitFraction: 0.4, stealFraction: 0.02 },
        { state: 'unavailable', reason: 'x' },
        undefined,
      ]),
    ).toEqual({ state: 'measured', waitFraction: 0.25, stealFraction: 0.01 })
    expect(combineLoads([{ state: 'unavailable', reason: 'no /proc' }, undefined])).toEqual({ state: 'unavailable', reason: 'no /proc' })
    expect(combineLoads([]).state).toBe('unavailable')
  })
})
