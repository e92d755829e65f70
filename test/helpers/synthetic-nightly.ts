import type { Step, SyntheticMetric } from '../history/seed-history.js'

const plugins = ['config-resolution', 'template-rendering', 'cache'] as const

/** Planted steps of the 365-night × 40-metric history, by metric index. */
export const plantedSteps: Record<number, Step[]> = {
  0: [{ at: 200, change: 0.1 }],
  3: [{ at: 300, change: 0.2 }],
  6: [{ at: 100, change: -0.08 }],
  9: [{ at: 340, change: 0.06 }],
  12: [{ at: 250, change: -0.12 }],
  15: [{ at: 358, change: 0.15 }],
  18: [
    { at: 120, change: 0.1 },
    { at: 240, change: -0.1 },
  ],
  21: [{ at: 50, change: 0.3 }],
  24: [{ at: 180, change: 0.05 }],
  27: [{ at: 330, change: -0.25 }],
}

/**
 * 40 metrics like the bundled suite's: latency (ms, lower is better) with every fourth a
 * throughput (ops/s, higher is better); per-run noise CV 2 % (per-process medians measured
 * here vary by 1.3 %).
 */
export function nightlyMetrics(count = 40): SyntheticMetric[] {
  return Array.from({ length: count }, (_, k): SyntheticMetric => {
    const throughput = k % 4 === 0 && k !== 0
    return {
      plugin: plugins[k % 3],
      benchmark: `${throughput ? 'ops' : 'op'}-${String(k).padStart(2, '0')}`,
      kind: throughput ? 'throughput' : 'latency',
      unit: throughput ? 'ops/s' : 'ms',
      direction: throughput ? 'higher' : 'lower',
      level: throughput ? 2000 + 100 * k : 0.5 + k * 0.7,
      cv: 0.02,
      steps: plantedSteps[k] ?? [],
      targets: throughput ? [{ stat: 'median', op: '>', value: 1500 }] : [{ stat: 'p95', op: '<', value: 40 }],
    }
  })
}
