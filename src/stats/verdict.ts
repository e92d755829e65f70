import type { Direction, Verdict } from '../core/vocabulary.js'
import { bootstrapRelativeChange } from './bootstrap.js'
import { benjaminiHochberg } from './fdr.js'
import { countOutliers } from './outliers.js'
import { predictionTest } from './prediction.js'
import { deriveSeed } from './random.js'
import { logRatioTest } from './ratio-test.js'
import { relativeChange, type StatisticName, statistics } from './statistics.js'
import { type TestName, tests } from './tests.js'
import { pairedRankTest } from './wilcoxon.js'

export type { Direction, Verdict } from '../core/vocabulary.js'

export interface MetricSamples {
  /** Echoed into the result; results are also index-aligned with the input. */
  name?: string
  /** Per-round statistics of the baseline side (one value per independent round). */
  baseline: readonly number[]
  current: readonly number[]
  /** Which way is better: 'lower' for latencies, 'higher' for throughput. */
  direction: Direction
  /** Relative noise threshold for this metric (from calibration); overrides the option. */
  threshold?: number
  /**
   * `design: 'ratios'`: one log(current / baseline) per unit, measured inside the unit (a
   * paired compare's process); `baseline` and `current` then only describe each side.
   */
  logRatios?: readonly number[]
}

export interface CompareOptions {
  /** Relative noise threshold for metrics without their own. @default 0.05 */
  threshold?: number
  /** @default 'median' */
  statistic?: StatisticName
  /** @default 'mannWhitney' */
  test?: TestName
  /** @default 1 */
  seed?: number
  /** Bootstrap resamples. @default 2000 */
  resamples?: number
  /** False-discovery rate the BH-corrected test must beat. @default 0.05 */
  alpha?: number
  /** Fewer values than this on either side → inconclusive (with `design: 'prediction'`, on the baseline side; the current side needs one). @default 3 */
  minSamples?: number
  /**
   * `independent`: two samples of independent units (processes), Mann–Whitney (or `test`)
   * and a bootstrap CI. `prediction`: new runs against earlier runs, one value per run, a
   * t-based prediction test and interval on log values (see prediction.ts); `test`,
   * `statistic` and `resamples` do not apply. `paired`: value i of each side measured under the
   * same conditions (round i of a process of each side in instruction mode), a Wilcoxon
   * signed-rank test and Hodges–Lehmann interval of the pair log ratios (wilcoxon.ts,
   * `pairedRankTest`); `test` and `resamples` do not apply. `ratios`: each unit measured both
   * sides itself and gives their log ratio (`MetricSamples.logRatios`), a one-sample t test and
   * t interval of those (ratio-test.ts); `test` and `resamples` do not apply. @default 'independent'
   */
  design?: 'independent' | 'prediction' | 'paired' | 'ratios'
}

export const compareDefaults = {
  // 5 %: the default applies exactly when a metric has not been calibrated, so it must hold
  // for metrics noisier than the best case measured (per-process medians with 1.3 % CV, which
  // at 10 rounds per side gives an A/A 95 % CI half-width of ≈1.4 %). 5 % leaves room for
  // ~3× that noise before A/A runs stop coming out `unchanged`, and still catches the
  // regressions worth a human's time. `perftrack calibrate` (see noise.ts) lowers it per metric.
  threshold: 0.05,
  statistic: 'median',
  test: 'mannWhitney',
  seed: 1,
  resamples: 2000,
  alpha: 0.05,
  // Below 3 values per side no rank test can reach p < 0.05 and no bootstrap CI means much.
  minSamples: 3,
  design: 'independent',
} as const satisfies Required<CompareOptions>

interface VerdictCommon {
  name?: string
  direction: Direction
  threshold: number
  /**
   * The statistic `baseline` and `current` describe (the prediction design: the geometric mean,
   * or the mean when a value is ≤ 0). The paired design's `change` is the Hodges–Lehmann
   * estimate of the pair ratios, not the ratio of the sides' medians.
   */
  statistic: StatisticName | 'geometricMean'
  test: TestName | 'prediction' | 'signedRank' | 'ratioT'
  nBaseline: number
  nCurrent: number
  /** One sentence on why this verdict. */
  reason: string
}

/** A comparison that reached a decision: every number is defined. */
export interface DecidedComparison extends VerdictCommon {
  verdict: Exclude<Verdict, 'inconclusive'>
  /** The statistic of each side. */
  baseline: number
  current: number
  /** Relative change current vs baseline (0.12 = 12 % larger). */
  change: number
  /** Bootstrap 95 % CI of `change`. */
  ci: [number, number]
  /** Uncorrected two-sided p-value of the test. */
  pValue: number
  /** Benjamini–Hochberg adjusted p-value over the metrics compared together. */
  qValue: number
}

/** No decision; numbers that could not be computed are null, and `reason` says why. */
export interface InconclusiveComparison extends VerdictCommon {
  verdict: 'inconclusive'
  baseline: number | null
  current: number | null
  change: number | null
  ci: [number, number] | null
  pValue: number | null
  qValue: number | null
}

export type MetricComparison = DecidedComparison | InconclusiveComparison

/** Compares one metric (a family of one: qValue = pValue). */
export function compareMetric(metric: MetricSamples & CompareOptions): MetricComparison {
  return compareMetrics([metric], metric)[0]
}

/**
 * Compares all metrics of one comparison: effect and CI per metric, the test's p-values
 * corrected together with Benjamini–Hochberg, then the verdict rule (README, "What a verdict means"). Results are
 * index-aligned with `metrics`.
 */
export function compareMetrics(metrics: readonly MetricSamples[], options: CompareOptions = {}): MetricComparison[] {
  const settings: Settings = {
    threshold: options.threshold ?? compareDefaults.threshold,
    statistic: options.statistic ?? compareDefaults.statistic,
    test: options.test ?? compareDefaults.test,
    seed: options.seed ?? compareDefaults.seed,
    resamples: options.resamples ?? compareDefaults.resamples,
    alpha: options.alpha ?? compareDefaults.alpha,
    minSamples: options.minSamples ?? compareDefaults.minSamples,
    design: options.design ?? compareDefaults.design,
  }
  validateSettings(settings)
  const measured = metrics.map((metric, index) => measure(metric, index, settings))
  // Metrics without a test result are left out of the BH family, and so are metrics that no
  // test could ever flag: every value on both sides the same (a hit rate, a count), where the
  // p-value is 1 whatever happens. Counting them would only raise every other metric's q
  // (Tarone, "A modified Bonferroni method for discrete data", Biometrics 1990: a test whose
  // smallest attainable p-value cannot reach the level is left out of the correction). Their
  // verdict rests on the CI alone, which is [0, 0]: `unchanged`.
  const inFamily = (m: Measured | InconclusiveComparison, index: number) => !('verdict' in m) && !constant(metrics[index], settings.design)
  const qValues = benjaminiHochberg(measured.map((m, index) => (inFamily(m, index) ? (m as Measured).pValue : Number.NaN)))
  return measured.map((m, index) => ('verdict' in m ? m : decide(m, inFamily(m, index) ? qValues[index] : m.pValue, settings.alpha)))
}

type Settings = Required<CompareOptions>

interface Measured extends VerdictCommon {
  baseline: number
  current: number
  change: number
  ci: [number, number]
  pValue: number
  /** Independent design: values far from their side's median (outliers.ts), to explain an `inconclusive`. */
  outliers?: [number, number]
}

function measure(metric: MetricSamples, index: number, settings: Settings): Measured | InconclusiveComparison {
  const threshold = metric.threshold ?? settings.threshold
  if (!(threshold >= 0 && Number.isFinite(threshold))) {
    throw new RangeError(`threshold of metric ${label(metric, index)} must be a finite number ≥ 0 (got ${threshold})`)
  }
  const common = {
    ...(metric.name === undefined ? {} : { name: metric.name }),
    direction: metric.direction,
    threshold,
    statistic: settings.statistic,
    test: settings.test,
    nBaseline: metric.baseline.length,
    nCurrent: metric.current.length,
  }
  const inconclusive = (reason: string, partial: Partial<InconclusiveComparison> = {}): InconclusiveComparison => ({
    ...common,
    verdict: 'inconclusive',
    baseline: null,
    current: null,
    change: null,
    ci: null,
    pValue: null,
    qValue: null,
    ...partial,
    reason,
  })

  const bad = [...metric.baseline, ...metric.current].find((v) => !Number.isFinite(v))
  if (bad !== undefined) return inconclusive(`samples contain a non-finite value (${bad})`)
  const stat = statistics[settings.statistic]
  const baseline = metric.baseline.length > 0 ? stat(metric.baseline) : null
  const current = metric.current.length > 0 ? stat(metric.current) : null
  const prediction = settings.design === 'prediction'
  const paired = settings.design === 'paired'
  if (settings.design === 'ratios') return measureRatios(metric, common, baseline, current, settings, inconclusive)
  const enough = prediction
    ? metric.baseline.length >= settings.minSamples && metric.current.length >= 1
    : Math.min(metric.baseline.length, metric.current.length) >= settings.minSamples && (!paired || metric.baseline.length === metric.current.length)
  if (!enough) {
    const change = baseline !== null && current !== null ? relativeChange(baseline, current) : Number.NaN
    return inconclusive(
      paired && metric.baseline.length !== metric.current.length
        ? `a paired comparison needs the same number of values on both sides (${metric.baseline.length} baseline, ${metric.current.length} current)`
        : `too few samples (${metric.baseline.length} baseline, ${metric.current.length} current; need ${prediction ? `${settings.minSamples} baseline runs and 1 current` : `${settings.minSamples} per side`})`,
      { baseline, current, change: Number.isNaN(change) ? null : change },
    )
  }
  // 0 → 0 is no change (a rate that stays at 0 %); 0 → anything else has no relative size.
  if (baseline === 0 && current !== 0) {
    return inconclusive(`the baseline ${settings.statistic} is 0, so a relative change is undefined`, { baseline, current })
  }
  if (prediction) {
    const r = predictionTest(metric.baseline, metric.current)
    return {
      ...common,
      test: 'prediction',
      statistic: r.scale === 'log' ? 'geometricMean' : 'mean',
      reason: '',
      baseline: r.baseline,
      current: r.current,
      change: r.change,
      ci: r.ci,
      pValue: r.p,
    }
  }
  if (paired) {
    const r = pairedRankTest(metric.baseline, metric.current)
    return { ...common, test: 'signedRank', reason: '', baseline: baseline as number, current: current as number, change: r.change, ci: r.ci, pValue: r.p }
  }
  const { change, ci } = bootstrapRelativeChange(metric.baseline, metric.current, {
    statistic: settings.statistic,
    resamples: settings.resamples,
    seed: deriveSeed(settings.seed, index),
  })
  const { p } = tests[settings.test](metric.baseline, metric.current)
  const outliers: [number, number] = [countOutliers(metric.baseline), countOutliers(metric.current)]
  return { ...common, reason: '', baseline: baseline as number, current: current as number, change, ci, pValue: p, outliers }
}

/** The `ratios` design: the units' own log ratios, a one-sample t test and interval (ratio-test.ts). */
function measureRatios(
  metric: MetricSamples,
  common: Omit<VerdictCommon, 'reason'>,
  baseline: number | null,
  current: number | null,
  settings: Settings,
  inconclusive: (reason: string, partial?: Partial<InconclusiveComparison>) => InconclusiveComparison,
): Measured | InconclusiveComparison {
  const ratios = metric.logRatios ?? []
  const sides = { baseline, current, nBaseline: ratios.length, nCurrent: ratios.length }
  if (ratios.length < settings.minSamples) {
    // The change is still shown, as the independent design shows it with too few values.
    const change = ratios.length > 0 && ratios.every(Number.isFinite) ? Math.expm1(ratios.reduce((a, b) => a + b, 0) / ratios.length) : null
    return inconclusive(`too few processes that measured both sides (${ratios.length}; need ${settings.minSamples})`, { ...sides, change })
  }
  const bad = ratios.find((r) => !Number.isFinite(r))
  if (bad !== undefined) return inconclusive(`a process's log ratio is not finite (${bad}): a side measured 0 or nothing`, sides)
  const r = logRatioTest(ratios)
  return {
    ...common,
    ...sides,
    test: 'ratioT',
    reason: '',
    baseline: baseline ?? Number.NaN,
    current: current ?? Number.NaN,
    change: r.change,
    ci: r.ci,
    pValue: r.p,
  }
}

function decide(m: Measured, qValue: number, alpha: number): MetricComparison {
  const { threshold: t, direction } = m
  const [lo, hi] = m.ci
  const significant = qValue < alpha
  const worse = direction === 'lower' ? lo > t : hi < -t
  const better = direction === 'lower' ? hi < -t : lo > t
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`
  const ciText = `CI [${pct(lo)}, ${pct(hi)}]`
  const decided = (verdict: DecidedComparison['verdict'], reason: string): DecidedComparison => ({ ...withoutOutliers(m), qValue, verdict, reason })

  if (significant && worse)
    return decided('regressed', `q=${qValue.toPrecision(3)} < ${alpha} and ${ciText} lies beyond the ${pct(t)} threshold in the bad direction`)
  if (significant && better)
    return decided('improved', `q=${qValue.toPrecision(3)} < ${alpha} and ${ciText} lies beyond the ${pct(t)} threshold in the good direction`)
  if (lo >= -t && hi <= t) return decided('unchanged', `${ciText} lies within ±${pct(t)}`)
  const reason =
    worse || better
      ? `${ciText} lies beyond ±${pct(t)} but the corrected test does not reject (q=${qValue.toPrecision(3)} ≥ ${alpha})`
      : `${ciText} crosses the ±${pct(t)} threshold; more rounds would narrow it`
  return { ...withoutOutliers(m), qValue, verdict: 'inconclusive', reason: reason + outlierNote(m) }
}

/** The comparison without the outlier counts, which only feed the reason. */
function withoutOutliers(m: Measured): Omit<Measured, 'outliers'> {
  const { outliers: _, ...rest } = m
  return rest
}

/**
 * Why an undecided interval is wide, when the values say so: a few processes far from their
 * side's median (slow spells on a shared machine: README, "What a verdict means") widen the
 * CI and weaken the test, and rerunning on a quieter machine is what helps.
 */
function outlierNote(m: Measured): string {
  const [b, c] = m.outliers ?? [0, 0]
  if (b + c === 0) return ''
  return `; ${b} of ${m.nBaseline} baseline and ${c} of ${m.nCurrent} current values lie far from their side's median (modified z > 3.5), which widens the interval: rerun on a quieter machine`
}

/** Every value of both sides equal (with `ratios`, every ratio): no test can reject, whatever the sample sizes. */
function constant(metric: MetricSamples, design: Settings['design']): boolean {
  const all = design === 'ratios' ? [...(metric.logRatios ?? [])] : [...metric.baseline, ...metric.current]
  return all.length > 0 && all.every((v) => v === all[0])
}

function validateSettings(settings: Settings): void {
  if (!(settings.statistic in statistics)) {
    throw new RangeError(`unknown statistic "${settings.statistic}"; use one of ${Object.keys(statistics).join(', ')}`)
  }
  if (!(settings.test in tests)) {
    throw new RangeError(`unknown test "${settings.test}"; use one of ${Object.keys(tests).join(', ')}`)
  }
  if (!(Number.isInteger(settings.minSamples) && settings.minSamples >= 2)) {
    throw new RangeError(`minSamples must be an integer ≥ 2 (got ${settings.minSamples})`)
  }
  if (!(settings.alpha > 0 && settings.alpha < 1)) {
    throw new RangeError(`alpha must be between 0 and 1 (got ${settings.alpha})`)
  }
}

function label(metric: MetricSamples, index: number): string {
  return metric.name === undefined ? `#${index}` : `"${metric.name}"`
}
