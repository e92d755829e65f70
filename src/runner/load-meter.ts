import { readFileSync } from 'node:fs'
import type { MachineLoad } from '../core/machine-load.js'

/**
 * Measures how busy the machine is while benchmarks run, in the process that measures them
 * (core/machine-load.ts says what the figures mean). Linux only: elsewhere there is no /proc
 * and the load is `unavailable`, without a warning.
 *
 * - `/proc/thread-self/schedstat`: the calling thread's time on a CPU and time runnable but
 *   waiting for one, in ns (Documentation/scheduler/sched-stats.rst). Read synchronously, so
 *   "thread-self" is the JavaScript thread that runs the benchmarks, never a libuv pool thread.
 * - `/proc/stat`, line `cpu`: the machine's CPU time by state in clock ticks; the 8th value is steal.
 */

/** Reads a /proc file; undefined when it does not exist or cannot be read. Injectable for tests (fixture text). */
export type ProcReader = (file: string) => string | undefined

export const readProcFile: ProcReader = (file) => {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

export const schedstatFile = '/proc/thread-self/schedstat'
export const procStatFile = '/proc/stat'

interface Reading {
  runNs: number
  waitNs: number
  stealTicks: number
  totalTicks: number
}

/** Running totals over the measured windows: plain numbers, so they travel over IPC and add up across processes. */
export type LoadCounters = ({ state: 'counted' } & Reading) | { state: 'unavailable'; reason: string }

/** `on-cpu-ns wait-ns timeslices` → the first two, or undefined when the text is not that. */
export function parseSchedstat(text: string): { runNs: number; waitNs: number } | undefined {
  const fields = text.trim().split(/\s+/).map(Number)
  if (fields.length < 2 || !fields.slice(0, 2).every((n) => Number.isFinite(n) && n >= 0)) return undefined
  return { runNs: fields[0], waitNs: fields[1] }
}

/**
 * The aggregate `cpu` line of /proc/stat → steal, the busy ticks (user, nice, system, irq,
 * softirq: CPU time some task or interrupt used) and the total of those, idle, iowait and steal
 * (guest time is already counted in user and nice, so it is not added again). Undefined when
 * there is no such line or it has fewer than 8 values.
 */
export function parseCpuTicks(text: string): { stealTicks: number; busyTicks: number; totalTicks: number } | undefined {
  const line = text.split('\n').find((l) => /^cpu\s/.test(l))
  if (!line) return undefined
  const values = line.trim().split(/\s+/).slice(1, 9).map(Number)
  if (values.length < 8 || !values.every((n) => Number.isFinite(n) && n >= 0)) return undefined
  const [user, nice, system, , , irq, softirq, steal] = values
  return { stealTicks: steal, busyTicks: user + nice + system + irq + softirq, totalTicks: values.reduce((sum, n) => sum + n, 0) }
}

/**
 * /proc/self/stat → the CPU time of this process and of its children that have ended and been
 * waited for (utime + stime + cutime + cstime, fields 14–17, in the same clock ticks as
 * /proc/stat). The command name (field 2) may hold spaces and parentheses, so fields are
 * counted from its closing parenthesis. Undefined when the text is not that.
 */
export function parseOwnTicks(text: string): number | undefined {
  const close = text.lastIndexOf(')')
  if (close < 0) return undefined
  // After ") ": field 3 (state) is index 0, so fields 14–17 are indices 11–14.
  const fields = text
    .slice(close + 2)
    .trim()
    .split(/\s+/)
  const ticks = fields.slice(11, 15).map(Number)
  if (ticks.length < 4 || !ticks.every((n) => Number.isFinite(n) && n >= 0)) return undefined
  return ticks.reduce((sum, n) => sum + n, 0)
}

export const ownStatFile = '/proc/self/stat'

/**
 * The share of the machine's CPU that processes other than this one and its descendants used
 * between `start()` and `stop()`: (Δ busy ticks of the machine − Δ ticks of this process and its
 * waited-for children) / Δ total ticks. For the process that runs base and head side by side:
 * their CPU time is theirs once they have ended, which they have by `stop()`, so what is left is
 * everyone else's — the figure that says whether the two cores were the sides' own. Undefined
 * where /proc cannot be read.
 */
export class OthersMeter {
  private begin: { busy: number; total: number; own: number } | undefined

  constructor(private readonly read: ProcReader = readProcFile) {}

  private reading(): { busy: number; total: number; own: number } | undefined {
    const stat = this.read(procStatFile)
    const cpu = stat === undefined ? undefined : parseCpuTicks(stat)
    const selfText = this.read(ownStatFile)
    const own = selfText === undefined ? undefined : parseOwnTicks(selfText)
    return cpu && own !== undefined ? { busy: cpu.busyTicks, total: cpu.totalTicks, own } : undefined
  }

  start(): void {
    this.begin = this.reading()
  }

  /** The others' share since `start()`, in [0, 1]; undefined when it could not be read or no time passed. */
  stop(): number | undefined {
    const end = this.reading()
    if (!this.begin || !end) return undefined
    const total = end.total - this.begin.total
    if (!(total > 0)) return undefined
    const others = end.busy - this.begin.busy - (end.own - this.begin.own)
    return Math.min(1, Math.max(0, others / total))
  }
}

/** Counters from text that is not there or not what Linux writes: why the load is unavailable. */
function unavailable(file: string, text: string | undefined): LoadCounters {
  return { state: 'unavailable', reason: text === undefined ? `${file} cannot be read (not Linux?)` : `${file} is not in the expected format` }
}

/** Adds two processes' (or two plugins') counters; unavailable when neither counted. */
export function addCounters(a: LoadCounters, b: LoadCounters): LoadCounters {
  if (a.state !== 'counted') return b
  if (b.state !== 'counted') return a
  return {
    state: 'counted',
    runNs: a.runNs + b.runNs,
    waitNs: a.waitNs + b.waitNs,
    stealTicks: a.stealTicks + b.stealTicks,
    totalTicks: a.totalTicks + b.totalTicks,
  }
}

/** The fractions users see: Δwait / (Δrun + Δwait) and Δsteal / Δtotal over every measured window. */
export function loadFromCounters(c: LoadCounters): MachineLoad {
  if (c.state !== 'counted') return { state: 'unavailable', reason: c.reason }
  const wanted = c.runNs + c.waitNs
  if (wanted <= 0) return { state: 'unavailable', reason: 'nothing was measured' }
  return { state: 'measured', waitFraction: c.waitNs / wanted, stealFraction: c.totalTicks > 0 ? c.stealTicks / c.totalTicks : 0 }
}

/**
 * Sums the deltas of the measuring thread's schedstat and the machine's steal over the windows
 * between `start()` and `stop()`: the rounds of each benchmark, not set-up or teardown. Must be
 * used from the thread that measures (see above).
 */
export class LoadMeter {
  private counters: LoadCounters = { state: 'counted', runNs: 0, waitNs: 0, stealTicks: 0, totalTicks: 0 }

  constructor(private readonly read: ProcReader = readProcFile) {}

  private reading(): Reading | LoadCounters {
    const schedText = this.read(schedstatFile)
    const sched = schedText === undefined ? undefined : parseSchedstat(schedText)
    if (!sched) return unavailable(schedstatFile, schedText)
    const statText = this.read(procStatFile)
    const cpu = statText === undefined ? undefined : parseCpuTicks(statText)
    if (!cpu) return unavailable(procStatFile, statText)
    return { ...sched, stealTicks: cpu.stealTicks, totalTicks: cpu.totalTicks }
  }

  /** The state at the start of a measured window; undefined once the meter knows it cannot measure here. */
  start(): Reading | undefined {
    if (this.counters.state !== 'counted') return undefined
    const r = this.reading()
    if ('state' in r) {
      this.counters = r
      return undefined
    }
    return r
  }

  /** Ends the window begun with {@link start} and adds what changed in it. */
  stop(begin: Reading | undefined): void {
    if (!begin || this.counters.state !== 'counted') return
    const end = this.reading()
    if ('state' in end) {
      this.counters = end
      return
    }
    const delta = (k: keyof Reading) => Math.max(0, end[k] - begin[k])
    this.counters = addCounters(this.counters, {
      state: 'counted',
      runNs: delta('runNs'),
      waitNs: delta('waitNs'),
      stealTicks: delta('stealTicks'),
      totalTicks: delta('totalTicks'),
    })
  }

  /** The totals so far (a copy). */
  totals(): LoadCounters {
    return { ...this.counters }
  }
}
