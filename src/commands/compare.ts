import { existsSync } from 'node:fs'
import { Args, Flags } from '@oclif/core'
import { measuredCompareBudget, measureFlags } from '../cli/measure-flags.js'
import { historyFlags, PerftrackCommand, pluginFlags, processBudgetFlags } from '../cli/perftrack-command.js'
import { compareBudgetDefaults, runnerDefaults } from '../core/defaults.js'
import { exitCodes } from '../core/errors.js'
import { busyMachineNote, busyRule } from '../core/machine-load.js'
import { shortSha } from '../core/short-id.js'
import { failOnValues } from '../core/vocabulary.js'
import { processCountWarning } from '../jobs/compare-budget.js'
import { type CompareOutput, compareJob } from '../jobs/compare-job.js'

import type { CiReport } from '../report/ci-report.js'
import { renderComparisonTable } from '../report/console.js'
import { describeWriteFailures, emitGithub, writeFileReports } from '../report/index.js'
import { metricRows } from '../report/metric-rows.js'
import { jsonSchemaVersion } from '../report/schema-version.js'
import { countVerdicts } from '../stats/comparison.js'

/** How the sides were measured, for the report's subtitle and the console. */
function processesText(out: CompareOutput): string {
  return out.paired ? `${out.processes} processes, both revisions in each` : `${out.processes} interleaved processes per side`
}

export default class Compare extends PerftrackCommand {
  static override summary = 'A/B two git revisions on this machine, now.'
  static override description =
    `Checks out both revisions in git worktrees under .perftrack/worktrees/ (reused when present) and links or installs their dependencies. By default (--paired) each measuring process loads both sides' own plugins and code and measures them with their rounds alternating (A B B A …); a process's sample is the median log ratio of its round pairs, head over base. With --no-paired each side runs in processes of its own, interleaved, each process one sample per metric. Both runs are stored in the history, tagged as one comparison.

A metric is 'regressed' only when the Benjamini–Hochberg-corrected test rejects and the 95% CI of the change lies wholly beyond its noise threshold; 'unchanged' when the CI lies within ±threshold; otherwise 'inconclusive'. Paired: a one-sample t test and t interval of the processes' log ratios, threshold from perftrack.config.ts, else 5%. --no-paired: Mann–Whitney and a bootstrap CI, threshold calibrated with \`perftrack calibrate\`, else the config's, else 5%.

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
    bench: Flags.string({
      char: 'b',
      description: "Only benchmarks matching this glob, on 'name' or 'plugin/name' (repeatable).",
      multiple: true,
      helpValue: '<glob>',
    }),
    profile: Flags.string({ description: `Latency profile. [default: ${runnerDefaults.profile}]` }),
    processes: Flags.integer({ description: `Processes per side (the sample size). [default: ${compareBudgetDefaults.processes}]`, min: 1 }),
    ...measureFlags,
    ...processBudgetFlags,
    'max-processes': Flags.integer({
      description: `Processes per side, at most, for metrics still inconclusive after --processes that more processes could decide. [default: ${compareBudgetDefaults.maxProcesses}, or twice --processes]`,
      min: 2,
    }),
    'max-time': Flags.integer({
      description: `Seconds after measuring starts by which those extra processes must end; 0 runs none. [default: ${compareBudgetDefaults.maxTime}]`,
      min: 0,
      max: 86_400,
    }),
    paired: Flags.boolean({
      description: `Measure both revisions in each process, their rounds alternating; --no-paired gives each revision processes of its own. Time only. [default: ${compareBudgetDefaults.paired}]`,
      allowNo: true,
    }),
    settle: Flags.boolean({
      description: `Paired: a value metric that gave each side one value in every one of the first ${compareBudgetDefaults.settleAfter} or more processes is measured no more (more processes could not move its verdict); --no-settle measures every metric in every process. [default: true]`,
      allowNo: true,
    }),
    'working-tree': Flags.boolean({ description: 'Measure the working tree, uncommitted changes included, as the head side.', default: false }),
    'from-history': Flags.boolean({ description: 'Compare already-stored runs of the two commits instead of measuring.', default: false }),
    clean: Flags.boolean({ description: 'Remove the worktrees afterwards.', default: false }),
    'force-baseline': Flags.boolean({ description: 'With --from-history: compare runs even when their environments differ.', default: false }),
    markdown: Flags.string({
      description: 'Write a Markdown table to this file; also appended to $GITHUB_STEP_SUMMARY when set (never overwriting it).',
      helpValue: '<file>',
    }),
    junit: Flags.string({ description: 'Write JUnit XML (Jenkins junit-10.xsd), one testcase per metric, to this file.', helpValue: '<file>' }),
    'pr-comment': Flags.string({
      description: 'Write a pull-request comment body (Markdown with a hidden marker, to be updated in place) to this file.',
      helpValue: '<file>',
    }),
    'fail-on': Flags.option({ options: failOnValues, description: 'What makes the exit code 1.', default: 'regression' })(),
  }

  async run(): Promise<CompareOutput & { schemaVersion: number }> {
    const { args, flags } = await this.parse(Compare)
    const config = await this.loadConfig(flags.config)
    const controller = new AbortController()
    const onSignal = () => controller.abort()
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    const budget = measuredCompareBudget({ ...flags, paired: (flags.measure ?? 'time') === 'time' && (flags.paired ?? compareBudgetDefaults.paired) }, 2)
    const before = flags['from-history'] ? undefined : processCountWarning(budget)
    if (before) this.stderr(`warning: ${before}`)
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
          budget,
          workingTree: flags['working-tree'],
          fromHistory: flags['from-history'],
          clean: flags.clean,
          force: flags['force-baseline'],
          signal: controller.signal,
          onProgress: (m) => this.stderr(`  ${m}`),
        }),
      )
      const after = out.mode === 'interleaved' && !before ? processCountWarning(budget, out.comparisons.length) : undefined
      if (after) this.stderr(`warning: ${after}`)
      const short = (side: { ref: string; sha: string | null }) => (side.sha ? shortSha(side.sha) : side.ref)
      // The head side runs the plugins of its own checkout: name the conventional file when it exists here.
      const files = new Map(out.comparisons.map((c) => [c.plugin, `plugins/${c.plugin}/index.ts`]).filter(([, f]) => existsSync(f)) as Array<[string, string]>)
      const rows = metricRows(out.results, out.comparisons, { files })
      const busyNote = busyMachineNote(out.load, 'compare', budget.measure, busyRule(budget.duet))
      const report: CiReport = {
        title: `perftrack ${short(out.base)}..${short(out.head)}`,
        subtitle: `${out.base.ref}..${out.head.ref}, ${out.mode === 'interleaved' ? `${processesText(out)}${out.extension?.pairs ? ` (${(out.processes ?? 0) + out.extension.pairs} for ${out.extension.metrics.length} metric${out.extension.metrics.length === 1 ? '' : 's'} still inconclusive after ${out.processes})` : ''}` : 'stored runs'}`,
        rows,
        loadFailures: [],
        busyNote,
      }
      const reports = writeFileReports({ markdown: flags.markdown, junit: flags.junit, 'pr-comment': flags['pr-comment'] }, report)
      for (const file of reports.written) this.stderr(`wrote ${file}`)
      const stored =
        out.base.runId && out.head.runId
          ? `the runs ${out.base.runId} and ${out.head.runId} are stored in the history all the same`
          : 'the comparison is printed all the same'
      for (const line of describeWriteFailures(reports.failed, stored)) this.stderr(line)
      emitGithub(report, (line) => (this.jsonEnabled() ? this.stderr(line) : this.log(line)), {
        'base-run-id': out.base.runId ?? '',
        'head-run-id': out.head.runId ?? '',
      })
      this.print(
        `${out.base.ref} (${shortSha(out.base.sha)}) → ${out.head.ref} (${shortSha(out.head.sha)}), ${out.mode === 'interleaved' ? processesText(out) : 'stored runs'}\n`,
      )
      this.print(renderComparisonTable(out.comparisons))
      if (out.settled) {
        const { metrics, processes } = out.settled
        this.print(
          `${metrics.length} metric${metrics.length === 1 ? '' : 's'} settled after ${processes} processes (each side the same value in every one) and measured in those only: ${metrics.join(', ')}\n`,
        )
      }
      if (out.extension) {
        const { metrics, pairs, ms } = out.extension
        this.print(
          `${metrics.length} metric${metrics.length === 1 ? '' : 's'} still inconclusive after ${out.processes} pairs got ${pairs} more pair${pairs === 1 ? '' : 's'} of processes (${(ms / 1000).toFixed(0)} s): ${metrics.join(', ')}\n`,
        )
      }
      if (busyNote) this.stderr(`warning: ${busyNote}`)
      const regressed = countVerdicts(out.comparisons).regressed > 0
      const targetFailed = rows.some((r) => r.targets.some((t) => !t.pass))
      const failOn = flags['fail-on']
      if (reports.failed.length > 0) process.exitCode = exitCodes.usage
      else if ((regressed && (failOn === 'regression' || failOn === 'any')) || (targetFailed && (failOn === 'target' || failOn === 'any')))
        process.exitCode = exitCodes.failed
      return { schemaVersion: jsonSchemaVersion, ...out }
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}
