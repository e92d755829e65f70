import { machineLoadDefaults } from './defaults.js'
import type { Measure } from './vocabulary.js'

/**
 * How busy the machine was while perftrack measured, as seen by the measuring thread (README,
 * "How busy the machine was"). Taken in the process that measures (runner/load-meter.ts) over
 * the rounds of every benchmark, stored with the run, and shown where a verdict is shown.
 *
 * - `waitFraction`: of the time the measuring thread wanted a CPU, the share it spent waiting
 *   in the run queue for one (Linux schedstat: wait / (on CPU + wait)).
 * - `stealFraction`: of all CPU time of the machine in the same window, the share the
 *   hypervisor gave to other guests (/proc/stat steal / total).
 *
 * - `othersFraction` (a compare or calibrate as a whole, not a stored run): the share of the
 *   machine's CPU that processes other than perftrack and its children used while the sides were
 *   measured (runner/load-meter.ts OthersMeter).
 *
 * `unavailable` where there is no /proc (macOS, Windows), and for runs stored before it was
 * recorded: not an error, and never shown as busy.
 */
export type MachineLoad = { state: 'measured'; waitFraction: number; stealFraction: number; othersFraction?: number } | { state: 'unavailable'; reason: string }

export const loadNotRecorded: MachineLoad = { state: 'unavailable', reason: 'not recorded (no /proc/thread-self/schedstat, or stored by an older perftrack)' }

/**
 * Several measuring processes as one figure (the processes of a compare side, or both sides):
 * the mean of their fractions, each process weighing alike (they measure the same benchmarks
 * for about the same time). Processes that could not measure are left out; none measured → unavailable.
 */
export function combineLoads(loads: ReadonlyArray<MachineLoad | undefined | null>): MachineLoad {
  const measured = loads.filter((l): l is Extract<MachineLoad, { state: 'measured' }> => l?.state === 'measured')
  if (measured.length === 0) return loads.find((l): l is MachineLoad => l?.state === 'unavailable') ?? loadNotRecorded
  const mean = (pick: (l: (typeof measured)[number]) => number) => measured.reduce((sum, l) => sum + pick(l), 0) / measured.length
  return { state: 'measured', waitFraction: mean((l) => l.waitFraction), stealFraction: mean((l) => l.stealFraction) }
}

/**
 * When measuring processes count as busy. One at a time (`run`, `--no-duet`): when the measuring
 * thread waited for a CPU more than `busyWaitFraction` of the time it wanted one. Side by side
 * (`--duet`, compare's and calibrate's default), the two processes' own threads (GC, compiler,
 * the plugins' servers) compete with each other by design: a calibrate of one plugin read 38–40%
 * side by side and 13–16% one at a time with nothing else running above nice 19 (README, "How
 * busy the machine was"), so that figure cannot tell a busy machine from a quiet one there; the
 * CPU time everything else used can: busy when `othersFraction` exceeds `busyOthersFraction`.
 */
export interface BusyRule {
  figure: 'waitFraction' | 'othersFraction'
  limit: number
}

export function busyRule(sideBySide: boolean): BusyRule {
  return sideBySide
    ? { figure: 'othersFraction', limit: machineLoadDefaults.busyOthersFraction }
    : { figure: 'waitFraction', limit: machineLoadDefaults.busyWaitFraction }
}

/** Busy by the rule's figure (one at a time unless told). A figure not measured is never busy. */
export function isBusy(load: MachineLoad | undefined | null, rule: BusyRule = busyRule(false)): boolean {
  if (load?.state !== 'measured') return false
  const figure = load[rule.figure]
  return figure !== undefined && figure > rule.limit
}

/** A combined load with the share of CPU other processes used while it was measured (OthersMeter), when that was read. */
export function withOthers(load: MachineLoad, othersFraction: number | undefined): MachineLoad {
  return load.state === 'measured' && othersFraction !== undefined ? { ...load, othersFraction } : load
}

const percent = (f: number) => `${Math.round(f * 100)}%`

/**
 * The one sentence every output uses for a busy machine (console, Markdown, calibrate's refusal):
 * the figure and what it means for the verdicts. Undefined when the machine was not busy, or
 * when the measure does not depend on load (instruction counts).
 */
export function busyMachineNote(
  load: MachineLoad | undefined | null,
  what: 'run' | 'compare' | 'calibration',
  measure: Measure = 'time',
  rule: BusyRule = busyRule(false),
): string | undefined {
  if (measure !== 'time' || !isBusy(load, rule) || load?.state !== 'measured') return undefined
  const steal =
    load.stealFraction >= machineLoadDefaults.noteworthyStealFraction
      ? `, and other virtual machines took ${percent(load.stealFraction)} of the host's CPU time`
      : ''
  const processes = what === 'run' ? 'the measuring process' : 'the measuring processes'
  const figure =
    rule.figure === 'waitFraction'
      ? `${processes} waited for a CPU ${percent(load.waitFraction)} of the time (busy above ${percent(rule.limit)})`
      : `other processes used ${percent(load.othersFraction ?? 0)} of the machine's CPU while both sides ran side by side (busy above ${percent(rule.limit)})`
  const verdicts = what === 'calibration' ? 'thresholds from this calibration would be inflated' : `timing verdicts from this ${what} are less reliable`
  return `the machine was busy: ${figure}${steal}; ${verdicts}: rerun on a quiet machine or use --measure instructions for CPU-bound benchmarks`
}
