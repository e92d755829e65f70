import { Flags } from '@oclif/core'

import { historyFlags, PerftrackCommand, pluginFlags } from '../core/cli.js'
import { runnerDefaults } from '../core/defaults.js'
import { exitCodes, PerftrackError } from '../core/errors.js'
import { discoverPluginFiles, loadPlugins, selectPlugins } from '../core/plugin-loader.js'
import { type BaselineOutcome, checkBaselineSpec, compareWithBaseline, type RunComparison } from '../core/baseline-compare.js'
import { countVerdicts } from '../core/comparison.js'
import { defaultBaseBranch } from '../core/defaults.js'
import { measureFlags } from '../core/measure-flags.js'
import { runJob } from '../core/run-job.js'
import { reexecUnderValgrind, underValgrind } from '../core/valgrind.js'
import { parseBaselineSpec } from '../history/baseline.js'
import { runnerBudget } from '../core/runner.js'
import { renderComparisonTable, renderResultsTable, renderTotals, totals } from '../report/console.js'
import { writeFileReports } from '../report/index.js'
import { metricRows } from '../report/metric-rows.js'
import { type ResultJson, type RunJson, resultJson, runJson } from '../report/json.js'
import { progressReporter } from '../report/progress.js'

export interface RunOutput {
  run: RunJson
  results: ResultJson[]
  comparison?: RunComparison
  pluginErrors?: Array<{ file: string; message: string }>
}

export default class Run extends PerftrackCommand {
  static override summary = 'Measure the plugins, store the run, check targets.'
  static override description = `Discovers plugins (plugins/*/index.ts, perftrack.config.ts, --plugin-path), measures every benchmark in several rounds with tinybench, stores the run in the history and checks each benchmark's targets.

After measuring, the run is compared with its baseline: by default the latest complete runs of the base branch (main, or baseBranch in the config) measured in the same environment.

Exit codes: 0 clean; 1 a target failed, a benchmark errored or a regression was found (per --fail-on); 2 usage, configuration or environment error (a plugin that failed to load included; the others still run); 130 interrupted.`

  static override examples = [
    { description: 'Measure everything with the default budget', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'A quick run of one plugin, as JSON', command: '<%= config.bin %> <%= command.id %> --quick --plugin cache --json' },
    { description: 'Only the cold benchmarks, in the seed latency profile', command: "<%= config.bin %> <%= command.id %> --bench 'cold-*' --profile seed" },
    { description: 'Instructions per operation of the CPU-bound benchmarks, counted under Valgrind', command: '<%= config.bin %> <%= command.id %> --measure instructions' },
    { description: 'Store the run in a shared PostgreSQL history', command: '<%= config.bin %> <%= command.id %> --db postgres://perf@db/perftrack' },
  ]

  static override flags = {
    ...historyFlags,
    ...pluginFlags,
    bench: Flags.string({ char: 'b', description: "Run only benchmarks matching this glob, on 'name' or 'plugin/name' (repeatable).", multiple: true, helpValue: '<glob>' }),
    profile: Flags.string({ description: `Latency profile handed to plugins: local (no injected delay) or seed (the original suite's delays). [default: ${runnerDefaults.profile}]`, helpValue: '<name>' }),
    rounds: Flags.integer({ description: `Rounds per benchmark. [default: ${runnerDefaults.rounds}; --quick ${runnerDefaults.quickRounds}]`, min: 1 }),
    time: Flags.integer({ description: `Time budget of one round, ms. [default: ${runnerDefaults.time}; --quick ${runnerDefaults.quickTime}]`, min: 1 }),
    warmup: Flags.integer({ description: `Warm-up before a benchmark's first round, ms. [default: ${runnerDefaults.warmupTime}; --quick ${runnerDefaults.quickWarmupTime}]`, min: 0 }),
    timeout: Flags.integer({ description: `Stop a round (or a setup) that runs longer than this, ms, and record the benchmark as errored. [default: ${runnerDefaults.timeout}]`, min: 1 }),
    ...measureFlags,
    quick: Flags.boolean({ description: 'A small budget for smoke tests and CI: fewer, shorter rounds and smaller data sets.', default: false }),
    baseline: Flags.string({ description: "Compare with: a run id, a git ref, or branch:NAME. [default: branch:<baseBranch>]", helpValue: '<run-id|ref|branch:NAME>', exclusive: ['no-baseline'] }),
    'no-baseline': Flags.boolean({ description: 'Do not compare with a baseline.', default: false }),
    'force-baseline': Flags.boolean({ description: 'Compare even with baseline runs measured in another environment.', default: false }),
    markdown: Flags.string({ description: 'Write a Markdown summary (targets and comparison) to this file; also appended to $GITHUB_STEP_SUMMARY when set.', helpValue: '<file>' }),
    junit: Flags.string({ description: 'Write JUnit XML, one testcase per metric, to this file.', helpValue: '<file>' }),
    'fail-on': Flags.option({ options: ['any', 'target', 'regression', 'none'] as const, description: 'What makes the exit code 1: a failed target or errored benchmark (target), a regression against the baseline (regression), either (any), or nothing.', default: 'any' })(),
  }

  async run(): Promise<RunOutput> {
    const { flags } = await this.parse(Run)
    if (flags.measure === 'instructions' && !underValgrind()) {
      // The whole command runs again under callgrind; that process prints and stores everything.
      process.exit(await reexecUnderValgrind())
    }
    const config = await this.loadConfig(flags.config)
    const profile = flags.profile ?? config.profile ?? runnerDefaults.profile
    const files = discoverPluginFiles({ cwd: process.cwd(), config, pluginPaths: flags['plugin-path'] })
    const set = selectPlugins(await loadPlugins(files), flags.plugin)
    for (const failure of set.failures) this.stderr(`✗ ${failure.message}`)
    if (set.plugins.length === 0) {
      throw new PerftrackError('NO_PLUGINS', set.failures.length > 0 ? 'No plugin could be loaded (see above).' : `No plugins found under ${process.cwd()}/plugins, in a perftrack.config.ts or by --plugin-path.`, {
        suggestions: ['Add plugins/<name>/index.ts exporting definePlugin({...}), or pass --plugin-path.'],
      })
    }

    const controller = new AbortController()
    const interrupted: { signal?: NodeJS.Signals } = {}
    const onSignal = (signal: NodeJS.Signals) => {
      interrupted.signal = signal
      this.stderr(`\n${signal}: stopping; the run will be stored as aborted.`)
      controller.abort()
    }
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    const progress = progressReporter()
    try {
      const { outcome, baseline } = await this.withHistory(flags, config, async (store) => {
        const spec = flags['no-baseline'] ? undefined : parseBaselineSpec(flags.baseline ?? `branch:${config.baseBranch ?? defaultBaseBranch}`)
        if (spec) await checkBaselineSpec(store, spec, process.cwd())
        const outcome = await runJob({
          cwd: process.cwd(),
          store,
          plugins: set.plugins,
          budget: runnerBudget(flags, config.runner),
          profile,
          bench: flags.bench,
          pluginOptions: config.pluginOptions,
          signal: controller.signal,
          logger: {
            info: (m) => this.stderr(`  · ${m}`),
            warn: (m) => this.stderr(`  ! ${m}`),
            debug: (m) => process.env.DEBUG && this.stderr(`  · ${m}`),
          },
          onEvent: progress.onEvent,
          note: set.failures.length > 0 ? `plugins that failed to load: ${set.failures.map((f) => f.file).join(', ')}` : undefined,
        })
        let baseline: BaselineOutcome = {}
        if (!outcome.aborted && spec) {
          baseline = await compareWithBaseline(store, outcome.run, outcome.results, spec, { cwd: process.cwd(), force: flags['force-baseline'], config })
        }
        return { outcome, baseline }
      })
      progress.done()
      const results = outcome.results.map(resultJson)
      if (outcome.results.length === 0 && !outcome.aborted) {
        this.stderr('No benchmark matched --bench/--plugin.')
      }
      this.print(renderResultsTable(results))
      const sum = totals(results)
      if (baseline.comparison) this.print(`\nagainst ${baseline.comparison.base.ref}:\n${renderComparisonTable(baseline.comparison.comparisons)}`)
      else if (baseline.note) this.stderr(baseline.note)
      this.print(`\nrun ${outcome.run.id} ${outcome.run.status}: ${renderTotals(sum)}`)
      const rows = metricRows(results, baseline.comparison?.comparisons)
      for (const file of writeFileReports({ markdown: flags.markdown, junit: flags.junit }, `perftrack run ${outcome.run.id.slice(0, 8)}`, rows)) this.stderr(`wrote ${file}`)
      const regressed = baseline.comparison ? countVerdicts(baseline.comparison.comparisons).regressed > 0 : false
      const failOn = flags['fail-on']

      if (outcome.aborted) process.exitCode = interrupted.signal === 'SIGTERM' ? 143 : exitCodes.aborted
      else if (set.failures.length > 0) process.exitCode = exitCodes.usage
      else if ((failOn === 'target' || failOn === 'any') && (sum.targetsFailed > 0 || sum.errored > 0)) process.exitCode = exitCodes.failed
      else if ((failOn === 'regression' || failOn === 'any') && regressed) process.exitCode = exitCodes.failed
      const output: RunOutput = { run: runJson(outcome.run), results }
      if (baseline.comparison) output.comparison = baseline.comparison
      if (set.failures.length > 0) output.pluginErrors = set.failures
      return output
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}
