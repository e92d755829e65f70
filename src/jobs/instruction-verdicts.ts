import { compareMetric } from '../stats/verdict.js'

/**
 * How a comparison of instruction counts pairs its values. Every process of either side runs
 * the same deterministic sequence, so round i of one side ran the same slice of the workload
 * (keys and templates taken round-robin) as round i of the other: those slices differ by up
 * to 7% from round to round (cached-resolution: 4,845 then 5,201–5,232 instructions per
 * operation, the same in every process), while two processes count one round the same to
 * 0.01%. Compared as independent samples, the slices' spread set the CI (a +1.5% change came
 * out inconclusive, CI [−1.9%, +2.1%]); paired by round, the ratios set it ([+1.50%, +1.57%]).
 */
export const instructionCompareOptions = { design: 'paired' } as const

/**
 * The A/A noise of a calibration in this mode: the paired comparison's change and CI (see
 * {@link instructionCompareOptions}), when both sides have a value for every round.
 */
export function instructionNoise<N extends { change: number; ci: [number, number]; ciHalfWidth: number }>(
  noise: N,
  a: readonly number[],
  b: readonly number[],
): N {
  if (a.length !== b.length || a.length < 3) return noise
  const paired = compareMetric({ baseline: a, current: b, direction: 'lower', ...instructionCompareOptions })
  if (paired.change === null || paired.ci === null) return noise
  const ci: [number, number] = [paired.ci[0], paired.ci[1]]
  return { ...noise, change: paired.change, ci, ciHalfWidth: (ci[1] - ci[0]) / 2 }
}
