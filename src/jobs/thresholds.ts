import type { PerftrackConfig } from '../core/config.js'
import { instructionThresholds } from '../core/defaults.js'
import { metricKey } from '../core/metric-key.js'
import type { Measure } from '../core/vocabulary.js'
import type { ThresholdLookup } from '../stats/comparison.js'
import { compareDefaults } from '../stats/index.js'

/**
 * A metric's noise threshold: its calibrated value (`perftrack calibrate`) for this
 * environment, else the config's `thresholds['plugin/benchmark']`, else `thresholds.default`,
 * else the statistics default.
 */
export function thresholdLookup(calibrated: Map<string, number>, config: Pick<PerftrackConfig, 'thresholds'>, measure: Measure = 'time'): ThresholdLookup {
  return (plugin, benchmark) => {
    const k = metricKey({ plugin, benchmark })
    // The config's thresholds and the 5% default are stated for wall time; instruction counts have their own.
    if (measure === 'instructions') return calibrated.get(k) ?? instructionThresholds.default
    return calibrated.get(k) ?? config.thresholds?.[k] ?? config.thresholds?.default ?? compareDefaults.threshold
  }
}
