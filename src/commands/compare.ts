import { Args, Flags } from '@oclif/core'

import { measureFlags, measuredCompareBudget } from '../core/measure-flags.js'
import { historyFlags, PerftrackCommand, pluginFlags } from '../core/cli.js'
import { compareBudgetDefaults } from '../core/compare-defaults.js'
import { type CompareOutput, compareJob } from '../core/compare-job.js'
import { countVerdicts } from '../core/comparison.js'
import { runnerDefaults } from '../core/defaults.js'
import { exitCodes } from '../core/errors.js'
import { renderComparisonTable } from '../report/console.js'
import { writeFileReports } from '../report/index.js'
import { metricRows } from '../report/metric-rows.js'

export default class Compare extends PerftrackCommand {
  static override summary = 'A/B two git revisions on this machine, now.'
  static override description = `Checks out both revisions in git worktrees under .perftrack/worktrees/ (reused when present), links or installs their dependencies, and runs each side's own plugins and code in separate processes, interleaved (A B B A …). Each process is one sample per metric. Both runs are stored in the history, tagged as one comparison.

A metric is 'regressed' only when the Benjamini–Hochberg-corrected Mann–Whitney test rejects and the bootstrap 95% CI of the change lies wholly beyond its noise threshold (calibrated with \`perftrack calibrate\`, else 5%); 'unchanged' when the CI lies within ±threshold; otherwise 'inconclusive'.

Exit codes: 0 clean; 1 a regression (or, with --fail-on target/any, a failed target on the head side); 2 usage, configuration or environment error.`

  static override examples = [
    { description: 'In a pull request: the branch against main', command: '<%= config.bin %> <%= command.id %> main..HEAD --markdown "$GITHUB_STEP_SUMMARY"' },
    { description: 'The last three commits, JUnit for the CI test tab', command: '<%= config.bin %> <%= command.id %> HEAD~3..HEAD --junit perf.xml' },
    { description: 'Uncommitted changes against HEAD', command: '<%= config.bin %> <%= command.id %> HEAD --working-tree' },
    { description: 'Stored runs of two commits, without measuring', command: '<%= config.bin %> <%= command.id %> v1.2.0..v1.3.0 --from-history' },
  ]

  static override args = { range: Args.string({ description: 'BASE..HEAD (e.g. main..HEAD); a single ref means REF..HEAD.', required: true }) }

  static override flags = {
    ...historyFlags,
    plugin: pluginFlags.plugin,
    bench: Flags.string({ char: 'b', description: "Only benchmarks matching this glob, on 'name' or 'plugin/name' (repeatable).", multiple: true, helpValue: '<glob>' }),
    profile: Flags.string({ description: `Latency profile. [default: ${runnerDefaults.profile}]` }),
    processes: Flags.integer({ description: `Processes per side (the sample size). [default: ${compareBudgetDefaults.processes}]`, min: 1 }),
    ...measureFlags,
    rounds: Flags.integer({ description: `Rounds inside each process. [default: ${compareBudgetDefaults.rounds}]`, min: 1 }),
    time: Flags.integer({ description: `Time budget of one round, ms. [default: ${compareBudgetDefaults.time}]`, min: 1 }),
    'working-tree': Flags.boolean({ description: 'Measure the working tree, uncommitted changes included, as the head side.', default: false }),
    'from-history': Flags.boolean({ description: 'Compare already-stored runs of the two commits instead of measuring.', default: false }),
    clean: Flags.boolean({ description: 'Remove the worktrees afterwards.', default: false }),
    'force-baseline': Flags.boolean({ description: 'With --from-history: compare runs even when their environments differ.', default: false }),
    markdown: Flags.string({ description: 'Write a Markdown table (for a PR comment) to this file; also appended to $GITHUB_STEP_SUMMARY when set.', helpValue: '<file>' }),
    junit: Flags.string({ description: 'Write JUnit XML, one testcase per metric, to this file.', helpValue: '<file>' }),
    'fail-on': Flags.option({ options: ['regression', 'target', 'any', 'none'] as const, description: 'What makes the exit code 1.', default: 'regression' })(),
  }

  async run(): Promise<CompareOutput> {
    const { args, flags } = await this.parse(Compare)
    const config = await this.loadConfig(flags.config)
    const controller = new AbortController()
    const onSignal = () => controller.abort()
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    try {
      const out = await this.withHistory(flags, config, (store) =>
        compareJob({
          cwd: process.cwd(),
          range: args.range,
          store,
          config,
          profile: flags.profile ?? config.profile ?? runnerDefaults.profile,
          plugins: flags.plugin,
          bench: flags.bench,
          budget: measuredCompareBudget(flags, 2),
          workingTree: flags['working-tree'],
          fromHistory: flags['from-history'],
          clean: flags.clean,
          force: flags['force-baseline'],
          signal: controller.signal,
          onProgress: (m) => this.stderr(`  ${m}`),
        }),
      )
      const title = `perftrack ${out.base.ref}..${out.head.ref}`
      const rows = metricRows(out.results, out.comparisons)
      for (const file of writeFileReports({ markdown: flags.markdown, junit: flags.junit }, title, rows)) this.stderr(`wrote ${file}`)
      this.print(`${out.base.ref} (${out.base.sha?.slice(0, 8) ?? '—'}) → ${out.head.ref} (${out.head.sha?.slice(0, 8) ?? '—'}), ${out.mode === 'interleaved' ? `${out.processes} interleaved processes per side` : 'stored runs'}\n`)
      this.print(renderComparisonTable(out.comparisons))
      const regressed = countVerdicts(out.comparisons).regressed > 0
      const targetFailed = rows.some((r) => r.targets.some((t) => !t.pass))
      const failOn = flags['fail-on']
      if ((regressed && (failOn === 'regression' || failOn === 'any')) || (targetFailed && (failOn === 'target' || failOn === 'any'))) process.exitCode = exitCodes.failed
      return out
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}
