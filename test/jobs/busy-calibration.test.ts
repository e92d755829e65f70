import { describe, expect, it } from 'vitest'

import { machineLoadDefaults } from '../../src/core/defaults.js'
import { PerftrackError } from '../../src/core/errors.js'
import { busyMachineNote, busyRule, isBusy, type MachineLoad } from '../../src/core/machine-load.js'
import { busyCalibrationRefusal } from '../../src/jobs/busy-calibration.js'

const measured = (waitFraction: number, stealFraction = 0, othersFraction?: number): MachineLoad => ({
  state: 'measured',
  waitFraction,
  stealFraction,
  ...(othersFraction === undefined ? {} : { othersFraction }),
})
const othersLimit = machineLoadDefaults.busyOthersFraction
const limit = machineLoadDefaults.busyWaitFraction
const runIds = ['run-a', 'run-b']

describe('busy machine: the note', () => {
  it('names the figure and what it means for the verdicts, once the wait fraction is over the limit', () => {
    expect(busyMachineNote(measured(0.31), 'compare')).toBe(
      `the machine was busy: the measuring processes waited for a CPU 31% of the time (busy above ${Math.round(limit * 100)}%); timing verdicts from this compare are less reliable: rerun on a quiet machine or use --measure instructions for CPU-bound benchmarks`,
    )
    expect(busyMachineNote(measured(0.31), 'run')).toContain('the measuring process waited for a CPU 31% of the time')
    expect(isBusy(measured(limit))).toBe(false)
    expect(isBusy(measured(limit + 0.001))).toBe(true)
    expect(busyMachineNote(measured(limit), 'compare')).toBeUndefined()
  })

  it('side by side, judges by the CPU other processes used, not by the wait fraction (the sides compete with each other by design)', () => {
    expect(busyRule(false)).toEqual({ figure: 'waitFraction', limit })
    expect(busyRule(true)).toEqual({ figure: 'othersFraction', limit: othersLimit })
    // A quiet duet: the sides wait for each other, nobody else runs.
    expect(busyMachineNote(measured(0.45, 0, 0.02), 'compare', 'time', busyRule(true))).toBeUndefined()
    expect(busyMachineNote(measured(0.45, 0, 0.02), 'compare', 'time', busyRule(false))).toContain('waited for a CPU 45% of the time')
    // Other processes took a share of the two cores.
    expect(busyMachineNote(measured(0.45, 0, 0.37), 'compare', 'time', busyRule(true))).toBe(
      `the machine was busy: other processes used 37% of the machine's CPU while both sides ran side by side (busy above ${Math.round(othersLimit * 100)}%); timing verdicts from this compare are less reliable: rerun on a quiet machine or use --measure instructions for CPU-bound benchmarks`,
    )
    expect(isBusy(measured(0.9, 0, othersLimit), busyRule(true))).toBe(false)
    expect(isBusy(measured(0, 0, othersLimit + 0.001), busyRule(true))).toBe(true)
    // Not measured (no /proc/self/stat, or a stored run): never busy by that figure.
    expect(isBusy(measured(0.9), busyRule(true))).toBe(false)
    expect(busyCalibrationRefusal(measured(0.45, 0, 0.02), { runIds, rule: busyRule(true) })).toBeUndefined()
    expect(busyCalibrationRefusal(measured(0.05, 0, 0.3), { runIds, rule: busyRule(true) })).toBeInstanceOf(PerftrackError)
    expect(busyCalibrationRefusal(measured(0.45), { runIds, rule: busyRule(false) })).toBeInstanceOf(PerftrackError)
  })

  it('names CPU steal when other virtual machines took a noteworthy share', () => {
    expect(busyMachineNote(measured(0.3, 0.05), 'run')).toContain('other virtual machines took 5% of the host')
    expect(busyMachineNote(measured(0.3, 0.001), 'run')).not.toContain('virtual machines')
  })

  it('says nothing when the load could not be measured (macOS) or when instructions are counted', () => {
    expect(busyMachineNote({ state: 'unavailable', reason: 'no /proc' }, 'compare')).toBeUndefined()
    expect(busyMachineNote(undefined, 'compare')).toBeUndefined()
    expect(busyMachineNote(measured(0.9), 'compare', 'instructions')).toBeUndefined()
  })
})

describe('busy machine: calibrate refuses to store thresholds', () => {
  it('refuses over the limit with exit 2, the figure, the stored runs and what to do', () => {
    const refusal = busyCalibrationRefusal(measured(0.35), { measure: 'time', runIds })
    expect(refusal).toBeInstanceOf(PerftrackError)
    expect(refusal).toMatchObject({ code: 'MACHINE_BUSY', exit: 2 })
    expect(refusal!.message).toContain('The thresholds were not stored')
    expect(refusal!.message).toContain('waited for a CPU 35% of the time')
    expect(refusal!.message).toContain('run-a, run-b')
    expect(refusal!.suggestions.join(' ')).toContain('--allow-busy')
  })

  it('stores them at or under the limit, with --allow-busy, in instruction mode, and where load is unavailable', () => {
    expect(busyCalibrationRefusal(measured(limit), { measure: 'time', runIds })).toBeUndefined()
    expect(busyCalibrationRefusal(measured(0.35), { measure: 'time', runIds, allowBusy: true })).toBeUndefined()
    expect(busyCalibrationRefusal(measured(0.95), { measure: 'instructions', runIds })).toBeUndefined()
    expect(busyCalibrationRefusal({ state: 'unavailable', reason: 'no /proc' }, { measure: 'time', runIds })).toBeUndefined()
  })

  it('takes the rule it is given', () => {
    expect(busyCalibrationRefusal(measured(0.06), { measure: 'time', runIds, rule: { figure: 'waitFraction', limit: 0.05 } })).toBeInstanceOf(PerftrackError)
    expect(busyCalibrationRefusal(measured(0.06), { measure: 'time', runIds, rule: { figure: 'waitFraction', limit: 0.07 } })).toBeUndefined()
  })
})
