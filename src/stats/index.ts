export type { BootstrapOptions, BootstrapResult } from './bootstrap.js'
export { bootstrapDefaults, bootstrapRelativeChange } from './bootstrap.js'
export type { ChangePoint, ChangePointOptions } from './change-points.js'
export { changePointDefaults, detectChangePoints, divergenceProfile } from './change-points.js'
export {
  normalCdf,
  normalQuantile,
  normalTwoSidedP,
  regularizedGammaQ,
  regularizedIncompleteBeta,
  studentTTwoSidedP,
} from './distributions.js'
export { benjaminiHochberg } from './fdr.js'
export type { MannWhitneyOptions, MannWhitneyResult } from './mann-whitney.js'
export { exactUDistribution, mannWhitney, smallestExactP, verdictFloor } from './mann-whitney.js'
export type { MdeInput, NoiseEstimate, NoiseOptions } from './noise.js'
export { estimateNoise, type HalfWidthEstimate, minimumDetectableChange, noiseDefaults, poolHalfWidths, thresholdFromHalfWidth } from './noise.js'
export { countOutliers, outlierDefaults } from './outliers.js'
export type { PredictionResult } from './prediction.js'
export { predictionTest, studentTQuantile } from './prediction.js'
export type { Random } from './random.js'
export { createRandom, deriveSeed, randomInt, randomNormal } from './random.js'
export type { Ranking } from './ranks.js'
export { midRanks } from './ranks.js'
export type { StatisticName } from './statistics.js'
export { relativeChange, statistics } from './statistics.js'
export type { TestName, TwoSampleTest } from './tests.js'
export { tests } from './tests.js'
export type {
  CompareOptions,
  DecidedComparison,
  Direction,
  InconclusiveComparison,
  MetricComparison,
  MetricSamples,
  Verdict,
} from './verdict.js'
export { compareDefaults, compareMetric, compareMetrics } from './verdict.js'
export type { WelchResult } from './welch.js'
export { welch } from './welch.js'
export type { HodgesLehmannResult, PairedRankResult, SignedRankResult } from './wilcoxon.js'
export { exactSignedRankDistribution, hodgesLehmann, pairedRankTest, wilcoxonSignedRank } from './wilcoxon.js'
