import { PerftrackError } from '../core/errors.js'
import { type BusyRule, busyMachineNote, busyRule, type MachineLoad } from '../core/machine-load.js'
import type { Measure } from '../core/vocabulary.js'

/**
 * Why a calibration's thresholds are not stored: the machine was busy while it measured wall
 * time. Thresholds taken so stay in force for every later compare and hide real slowdowns
 * without a word (docs/measurements.md, "Slow spells": 35–147%, a 10% slowdown never
 * `regressed`). Instruction counts do not depend on load, so that mode is never refused.
 * Undefined: store them.
 */
export function busyCalibrationRefusal(
  load: MachineLoad,
  o: { measure?: Measure; allowBusy?: boolean; runIds: string[]; rule?: BusyRule },
): PerftrackError | undefined {
  const note = busyMachineNote(load, 'calibration', o.measure ?? 'time', o.rule ?? busyRule(false))
  if (!note || o.allowBusy) return undefined
  return new PerftrackError(
    'MACHINE_BUSY',
    `The thresholds were not stored: ${note}. The calibration's runs are stored (${o.runIds.join(', ')}); the thresholds in force are unchanged.`,
    {
      suggestions: [
        'Stop other jobs on this machine (test suites, builds, other benchmarks) and run `perftrack calibrate` again.',
        'Pass --allow-busy to store these thresholds anyway (they will be wide, and later compares will call fewer changes).',
        'For CPU-bound benchmarks, calibrate and compare with --measure instructions, which load does not affect.',
      ],
    },
  )
}
