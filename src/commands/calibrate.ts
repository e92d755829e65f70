import { Args, Flags } from '@oclif/core'

import { measuredCompareBudget, measureFlags } from '../cli/measure-flags.js'
import { historyFlags, PerftrackCommand, pluginFlags, processBudgetFlags } from '../cli/perftrack-command.js'
import { compareBudgetDefaults, machineLoadDefaults, runnerDefaults } from '../core/defaults.js'
import { busyMachineNote, busyRule } from '../core/machine-load.js'
import { metricKey } from '../core/metric-key.js'
import { shortSha } from '../core/short-id.js'
import { type CalibrateOutput, calibrateJob } from '../jobs/calibrate-job.js'
import { processCountWarning } from '../jobs/compare-budget.js'
import { formatPercent, table } from '../report/format.js'
import { noiseDefaults } from '../stats/index.js'

export default class Calibrate extends PerftrackCommand {
  static override summary = "Measure each metric's noise (A/A) and store it as its comparison threshold."
  static override description =
    `Runs one revision against itself exactly as \`perftrack compare --no-paired\` runs two: interleaved processes, the process as sample unit. Per metric it reports the coefficient of variation, the A/A change with its 95% CI, the threshold it stores (max(1%, 1.5 × the A/A CI half-width, pooled over this and up to four earlier calibrations of the same environment and profile, so run it a few times to settle the thresholds)) and the minimum detectable effect at this budget. Later \`compare --no-paired\` runs in the same environment and profile use the stored thresholds instead of the 5% default; a paired compare (the default) is another procedure and does not.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> main --processes 10',
    '<%= config.bin %> <%= command.id %> --working-tree --plugin cache',
  ]

  static override args = { ref: Args.string({ description: 'Revision to calibrate on.', default: 'HEAD' }) }

  static override flags = {
    ...historyFlags,
    plugin: pluginFlags.plugin,
    bench: Flags.string({ char: 'b', description: 'Only benchmarks matching this glob (repeatable).', multiple: true }),
    profile: Flags.string({ description: `Latency profile. [default: ${runnerDefaults.profile}]` }),
    processes: Flags.integer({ description: `Processes per side. [default: ${compareBudgetDefaults.processes}]`, min: 1 }),
    ...measureFlags,
    ...processBudgetFlags,
    'working-tree': Flags.boolean({ description: 'Calibrate on the working tree instead of a commit.', default: false }),
    clean: Flags.boolean({ description: 'Remove the worktree afterwards.', default: false }),
    'allow-busy': Flags.boolean({
      description: `Store the thresholds even when the machine was busy (the measuring processes waited for a CPU over ${Math.round(machineLoadDefaults.busyWaitFraction * 100)}% of the time); without it such a calibration stores its runs but not its thresholds, and exits 2.`,
      default: false,
    }),
  }

  async run(): Promise<CalibrateOutput> {
    const { args, flags } = await this.parse(Calibrate)
    const config = await this.loadConfig(flags.config)
    const budget = measuredCompareBudget(flags, 3)
    const warning = processCountWarning(budget)
    if (warning) this.stderr(`warning: ${warning} The thresholds it stores would still be valid, but a compare at this budget can decide nothing.`)
    const out = await this.withHistory(flags, config, (store) =>
      calibrateJob({
        cwd: process.cwd(),
        ref: args.ref,
        workingTree: flags['working-tree'],
        store,
        profile: flags.profile ?? config.profile ?? runnerDefaults.profile,
        plugins: flags.plugin,
        bench: flags.bench,
        clean: flags.clean,
        allowBusy: flags['allow-busy'],
        budget,
        onProgress: (m) => this.stderr(`  ${m}`),
      }),
    )
    const rows = out.metrics.map((m) => [
      metricKey(m),
      formatPercent(m.cv, false),
      `${formatPercent(m.change)} [${formatPercent(m.ci[0])}, ${formatPercent(m.ci[1])}]`,
      `±${formatPercent(m.threshold, false)}${m.calibrationsPooled > 1 ? ` (${m.calibrationsPooled} pooled)` : ''}`,
      formatPercent(m.minimumDetectableEffect, false),
      formatPercent(m.minimumDetectableRegression, false),
    ])
    this.print(`A/A on ${out.ref} (${shortSha(out.sha)}), ${out.processes} processes per side, profile ${out.profile}\n`)
    this.print(table(['metric', 'cv', 'A/A change [95% CI]', 'threshold', 'MDE', 'min. regression'], rows, [false, true, false, true, true, true]))
    this.print(`\nStored ${out.metrics.length} thresholds for environment ${out.environmentHash}.`)
    // A threshold at the floor was not widened by them (a memory figure's stray process, say).
    const spelled = out.metrics.filter((m) => m.outliers > 0 && m.threshold > noiseDefaults.floor)
    if (spelled.length > 0) {
      this.stderr(
        `warning: the A/A values of ${spelled.length} metric(s) include outliers, processes far from their side's median (${spelled.map((m) => `${metricKey(m)} ${m.outliers}`).join(', ')}); their thresholds may be far too wide, and a regression below them goes unflagged. Calibrate again when the machine is quiet (thresholds pool the last ${noiseDefaults.pool} calibrations of this environment, so this one counts until newer ones replace it).`,
      )
    }
    const busyNote = busyMachineNote(out.load, 'calibration', budget.measure, busyRule(budget.duet))
    if (busyNote) this.stderr(`warning: ${busyNote} (stored anyway: --allow-busy)`)
    return out
  }
}
