import { Flags } from '@oclif/core'

import { historyFlags, PerftrackCommand, pluginFlags } from '../core/cli.js'
import { runnerDefaults } from '../core/defaults.js'
import { exitCodes, PerftrackError } from '../core/errors.js'
import { discoverPluginFiles, loadPlugins, selectPlugins } from '../core/plugin-loader.js'
import { runJob } from '../core/run-job.js'
import { runnerBudget } from '../core/runner.js'
import { renderResultsTable, renderTotals, totals } from '../report/console.js'
import { type ResultJson, type RunJson, resultJson, runJson } from '../report/json.js'
import { progressReporter } from '../report/progress.js'

export interface RunOutput {
  run: RunJson
  results: ResultJson[]
  pluginErrors?: Array<{ file: string; message: string }>
}

export default class Run extends PerftrackCommand {
  static override summary = 'Measure the plugins, store the run, check targets.'
  static override description = `Discovers plugins (plugins/*/index.ts, perftrack.config.ts, --plugin-path), measures every benchmark in several rounds with tinybench, stores the run in the history and checks each benchmark's targets.

Exit codes: 0 clean; 1 a target failed or a benchmark errored (with --fail-on target); 2 usage, configuration or environment error (a plugin that failed to load included; the others still run); 130 interrupted.`

  static override examples = [
    { description: 'Measure everything with the default budget', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'A quick run of one plugin, as JSON', command: '<%= config.bin %> <%= command.id %> --quick --plugin cache --json' },
    { description: 'Only the cold benchmarks, in the seed latency profile', command: "<%= config.bin %> <%= command.id %> --bench 'cold-*' --profile seed" },
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
    quick: Flags.boolean({ description: 'A small budget for smoke tests and CI: fewer, shorter rounds and smaller data sets.', default: false }),
    'fail-on': Flags.option({ options: ['target', 'none'] as const, description: 'What makes the exit code 1.', default: 'target' })(),
  }

  async run(): Promise<RunOutput> {
    const { flags } = await this.parse(Run)
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
      const outcome = await this.withHistory(flags, config, (store) =>
        runJob({
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
        }),
      )
      progress.done()
      const results = outcome.results.map(resultJson)
      if (outcome.results.length === 0 && !outcome.aborted) {
        this.stderr('No benchmark matched --bench/--plugin.')
      }
      this.print(renderResultsTable(results))
      const sum = totals(results)
      this.print(`\nrun ${outcome.run.id} ${outcome.run.status}: ${renderTotals(sum)}`)

      if (outcome.aborted) process.exitCode = interrupted.signal === 'SIGTERM' ? 143 : exitCodes.aborted
      else if (set.failures.length > 0) process.exitCode = exitCodes.usage
      else if (flags['fail-on'] === 'target' && (sum.targetsFailed > 0 || sum.errored > 0)) process.exitCode = exitCodes.failed
      const output: RunOutput = { run: runJson(outcome.run), results }
      if (set.failures.length > 0) output.pluginErrors = set.failures
      return output
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}
