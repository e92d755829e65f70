import path from 'node:path'
import { performance } from 'node:perf_hooks'

import { Flags, type Interfaces } from '@oclif/core'
import { measureFlags } from '../cli/measure-flags.js'
import { historyFlags, PerftrackCommand, pluginFlags } from '../cli/perftrack-command.js'
import { defaultBaseBranch, runnerDefaults, runnerLimits } from '../core/defaults.js'
import { exitCodes, PerftrackError } from '../core/errors.js'
import { benchMatcher } from '../core/glob.js'
import { busyMachineNote } from '../core/machine-load.js'
import { metricKey } from '../core/metric-key.js'
import type { ResultJson, RunJson } from '../core/result-json.js'
import { shortRunId, shortSha } from '../core/short-id.js'
import { failOnValues } from '../core/vocabulary.js'
import { parseBaselineSpec } from '../history/baseline.js'
import { type BaselineOutcome, checkBaselineSpec, compareWithBaseline, type RunComparison } from '../jobs/baseline-compare.js'
import { runJob } from '../jobs/run-job.js'
import type { CiReport } from '../report/ci-report.js'
import { renderComparisonTable, renderResultsTable, renderTotals, totals } from '../report/console.js'
import { describeWriteFailures, emitGithub, writeFileReports } from '../report/index.js'
import { freshResultJson, runJson } from '../report/json.js'
import { metricRows } from '../report/metric-rows.js'
import { progressReporter } from '../report/progress.js'
import { projectFile } from '../report/project-file.js'
import { jsonSchemaVersion } from '../report/schema-version.js'
import { discoverPluginFiles, loadPlugins, pluginDirsOf, selectPlugins } from '../runner/plugin-loader.js'
import { runnerBudget } from '../runner/runner.js'
import { PluginProcess } from '../runner/supervisor.js'
import { countVerdicts } from '../stats/comparison.js'

export interface RunOutput {
  schemaVersion: number
  run: RunJson
  results: ResultJson[]
  comparison?: RunComparison
  pluginErrors?: Array<{ file: string; message: string }>
}

export default class Run extends PerftrackCommand {
  static override summary = 'Measure the plugins, store the run, check targets.'
  static override description =
    `Discovers plugins (<dir>/*/index.ts for each of pluginDirs in perftrack.config.ts, by default perf and plugins; the config's plugins; --plugin-path), measures every benchmark in several rounds with tinybench, stores the run in the history and checks each benchmark's targets.

After measuring, the run is compared with its baseline: by default the latest complete runs of the base branch (main, or baseBranch in the config) measured in the same environment.

Exit codes: 0 clean; 1 a target failed, a benchmark errored or a regression was found (per --fail-on); 2 usage, configuration or environment error (a plugin that failed to load included; the others still run); 130 interrupted.`

  static override examples = [
    { description: 'Measure everything with the default budget', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'A quick run of one plugin, as JSON', command: '<%= config.bin %> <%= command.id %> --quick --plugin cache --json' },
    { description: 'Only the cold benchmarks, in the seed latency profile', command: "<%= config.bin %> <%= command.id %> --bench 'cold-*' --profile seed" },
    {
      description: 'Instructions per operation of the CPU-bound benchmarks, counted under Valgrind',
      command: '<%= config.bin %> <%= command.id %> --measure instructions',
    },
    { description: 'Store the run in a shared PostgreSQL history', command: '<%= config.bin %> <%= command.id %> --db postgres://perf@db/perftrack' },
  ]

  static override flags = {
    ...historyFlags,
    ...pluginFlags,
    bench: Flags.string({
      char: 'b',
      description: "Run only benchmarks matching this glob, on 'name' or 'plugin/name' (repeatable).",
      multiple: true,
      helpValue: '<glob>',
    }),
    profile: Flags.string({
      description: `Latency profile handed to plugins: local (no injected delay) or seed (the original suite's delays). [default: ${runnerDefaults.profile}]`,
      helpValue: '<name>',
    }),
    rounds: Flags.integer({
      description: `Rounds per benchmark. [default: ${runnerDefaults.rounds}; --quick ${runnerDefaults.quickRounds}]`,
      min: 1,
      max: runnerLimits.rounds,
    }),
    time: Flags.integer({
      description: `Time budget of one round, ms. [default: ${runnerDefaults.time}; --quick ${runnerDefaults.quickTime}]`,
      min: 1,
      max: runnerLimits.time,
    }),
    warmup: Flags.integer({
      description: `Least warm-up before a benchmark's first round, ms; it goes on until the benchmark is steady, up to --max-warmup. [default: ${runnerDefaults.warmupTime}; --quick ${runnerDefaults.quickWarmupTime}]`,
      min: 0,
      max: runnerLimits.time,
    }),
    'min-iterations': Flags.integer({
      description: `Least timed calls (or batches) of a round, even past --time. [default: ${runnerDefaults.minIterations}]`,
      min: 1,
    }),
    'max-warmup': Flags.integer({
      description: `Longest warm-up of a benchmark that does not settle, ms. [default: ${runnerDefaults.maxWarmupTime}; --quick ${runnerDefaults.quickMaxWarmupTime}]`,
      min: 0,
      max: runnerLimits.time,
    }),
    timeout: Flags.integer({
      description: `Stop a round (or a setup) that runs longer than this, ms, and record the benchmark as errored. [default: ${runnerDefaults.timeout}]`,
      min: 1,
      max: runnerLimits.timeout,
    }),
    ...measureFlags,
    quick: Flags.boolean({ description: 'A small budget for smoke tests and CI: fewer, shorter rounds and smaller data sets.', default: false }),
    baseline: Flags.string({
      description: 'Compare with: a run id, a git ref, or branch:NAME. [default: branch:<baseBranch>]',
      helpValue: '<run-id|ref|branch:NAME>',
      exclusive: ['no-baseline'],
    }),
    'no-baseline': Flags.boolean({ description: 'Do not compare with a baseline.', default: false }),
    'force-baseline': Flags.boolean({ description: 'Compare even with baseline runs measured in another environment.', default: false }),
    markdown: Flags.string({
      description:
        'Write a Markdown summary (values with units, targets, comparison) to this file; also appended to $GITHUB_STEP_SUMMARY when set (never overwriting it).',
      helpValue: '<file>',
    }),
    junit: Flags.string({ description: 'Write JUnit XML (Jenkins junit-10.xsd), one testcase per metric, to this file.', helpValue: '<file>' }),
    'pr-comment': Flags.string({
      description: 'Write a pull-request comment body (Markdown with a hidden marker, to be updated in place) to this file.',
      helpValue: '<file>',
    }),
    'fail-on': Flags.option({
      options: failOnValues,
      description:
        'What makes the exit code 1: a failed target or errored benchmark (target), a regression against the baseline (regression), either (any), or nothing.',
      default: 'any',
    })(),
  }

  async run(): Promise<RunOutput> {
    const { flags } = await this.parse(Run)
    // The child that will measure the plugins boots while this process loads them; to count
    // instructions it runs under Valgrind (this process does not).
    const processes = PluginProcess.started(flags.measure)
    try {
      return await this.measure(flags, processes)
    } finally {
      processes.close()
    }
  }

  private async measure(flags: Interfaces.InferredFlags<typeof Run.flags>, processes: PluginProcess): Promise<RunOutput> {
    const config = await this.loadConfig(flags.config)
    const profile = flags.profile ?? config.profile ?? runnerDefaults.profile
    const files = discoverPluginFiles({ cwd: process.cwd(), config, pluginPaths: flags['plugin-path'] })
    const set = selectPlugins(await loadPlugins(files), flags.plugin)
    for (const skip of set.skipped ?? []) this.stderr(`• ${skip.message}`)
    for (const failure of set.failures) this.stderr(`✗ ${failure.message}`)
    if (set.plugins.length === 0) {
      const dirs = pluginDirsOf(process.cwd(), config).map((d) => path.relative(process.cwd(), d) || '.')
      throw new PerftrackError(
        'NO_PLUGINS',
        set.failures.length > 0
          ? 'No plugin could be loaded (see above).'
          : `No perftrack plugins found: pluginDirs (${dirs.join(', ')}) hold none, and none came from plugins in perftrack.config.ts or --plugin-path.`,
        {
          suggestions: [
            `Add ${dirs[0]}/<name>/index.ts exporting definePlugin({...}), set pluginDirs in perftrack.config.ts, or pass --plugin-path. \`perftrack init\` writes a config and an example plugin.`,
          ],
        },
      )
    }

    const matches = benchMatcher(flags.bench)
    if (!set.plugins.some(({ plugin }) => plugin.benchmarks.some((b) => matches(plugin.name, b.name)))) {
      // An empty run stored as complete would pass any gate that reads the history.
      throw new PerftrackError(
        'NO_BENCH_MATCH',
        `No benchmark matches --bench ${(flags.bench ?? []).join(', ')} in the plugins ${set.plugins.map((p) => p.plugin.name).join(', ')}; nothing was run or stored.`,
        {
          suggestions: ["Run `perftrack plugins` to list the benchmarks; a glob matches 'name' or 'plugin/name'."],
        },
      )
    }

    const controller = new AbortController()
    const interrupted: { signal?: NodeJS.Signals } = {}
    let decided: 'complete' | 'aborted' | undefined
    const onSignal = (signal: NodeJS.Signals) => {
      interrupted.signal = signal
      // After the last benchmark the run's status may already be settled: say what is stored.
      if (decided === 'complete')
        this.stderr(`\n${signal}: every benchmark had finished and the run is stored as complete; finishing its reports, then exiting.`)
      else this.stderr(`\n${signal}: stopping; the run will be stored as aborted.`)
      controller.abort()
    }
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    const progress = progressReporter()
    // Wall time per benchmark for JUnit's `time`, from the runner's own start and end events. Keyed:
    // from the supervised child, a benchmark's end can arrive after the next one's start.
    const seconds = new Map<string, number>()
    const starts = new Map<string, number>()
    const onEvent: typeof progress.onEvent = (e) => {
      if (e.type === 'benchmark-start') starts.set(metricKey(e), performance.now())
      if (e.type === 'benchmark-end') {
        const key = metricKey(e.result)
        seconds.set(key, (performance.now() - (starts.get(key) ?? performance.now())) / 1000)
      }
      progress.onEvent(e)
    }
    try {
      const { outcome, baseline } = await this.withHistory(flags, config, async (store) => {
        const spec = flags['no-baseline'] ? undefined : parseBaselineSpec(flags.baseline ?? `branch:${config.baseBranch ?? defaultBaseBranch}`)
        if (spec) await checkBaselineSpec(store, spec, process.cwd())
        const outcome = await runJob({
          cwd: process.cwd(),
          store,
          plugins: set.plugins,
          budget: runnerBudget({ ...flags, maxWarmup: flags['max-warmup'], minIterations: flags['min-iterations'] }, config.runner),
          profile,
          bench: flags.bench,
          pluginOptions: config.pluginOptions,
          signal: controller.signal,
          logger: {
            info: (m) => this.stderr(`  · ${m}`),
            warn: (m) => this.stderr(`  ! ${m}`),
            debug: (m) => process.env.DEBUG && this.stderr(`  · ${m}`),
          },
          onEvent,
          processes,
          onStatusDecided: (status) => (decided = status),
          note: set.failures.length > 0 ? `plugins that failed to load: ${set.failures.map((f) => f.file).join(', ')}` : undefined,
        })
        let baseline: BaselineOutcome = {}
        if (!outcome.aborted && spec) {
          baseline = await compareWithBaseline(store, outcome.run, outcome.results, spec, { cwd: process.cwd(), force: flags['force-baseline'], config })
        }
        return { outcome, baseline }
      })
      progress.done()
      const results = outcome.results.map(freshResultJson)
      this.print(renderResultsTable(results))
      const sum = totals(results)
      if (baseline.comparison) this.print(`\nagainst ${baseline.comparison.base.ref}:\n${renderComparisonTable(baseline.comparison.comparisons)}`)
      else if (baseline.note) this.stderr(baseline.note)
      this.print(`\nrun ${outcome.run.id} ${outcome.run.status}: ${renderTotals(sum)}`)
      const busyNote = busyMachineNote(outcome.run.load, 'run', flags.measure)
      if (busyNote) this.stderr(`warning: ${busyNote}`)
      const files = new Map(set.plugins.map((p) => [p.plugin.name, projectFile(p.file)]))
      const rows = metricRows(results, baseline.comparison?.comparisons, { files, seconds })
      const sha = outcome.run.gitSha ? `${shortSha(outcome.run.gitSha)}${outcome.run.dirty ? ' (dirty)' : ''}` : 'without a commit'
      const against = baseline.comparison ? `, against ${baseline.comparison.base.ref}` : ''
      const report: CiReport = {
        title: `perftrack run ${sha}`,
        subtitle: `run ${shortRunId(outcome.run.id)}${outcome.run.branch ? ` on ${outcome.run.branch}` : ''}${against}`,
        rows,
        loadFailures: set.failures.map((f) => ({ file: projectFile(f.file), message: f.message })),
        baselineNote: baseline.comparison ? undefined : flags['no-baseline'] ? 'No comparison (--no-baseline): values as measured.' : baseline.note,
        busyNote,
      }
      const reports = writeFileReports({ markdown: flags.markdown, junit: flags.junit, 'pr-comment': flags['pr-comment'] }, report)
      for (const file of reports.written) this.stderr(`wrote ${file}`)
      for (const line of describeWriteFailures(
        reports.failed,
        `run ${outcome.run.id} is stored in the history all the same (perftrack history show ${outcome.run.id})`,
      ))
        this.stderr(line)
      emitGithub(report, (line) => (this.jsonEnabled() ? this.stderr(line) : this.log(line)), { 'run-id': outcome.run.id })
      const regressed = baseline.comparison ? countVerdicts(baseline.comparison.comparisons).regressed > 0 : false
      const failOn = flags['fail-on']

      if (outcome.aborted || interrupted.signal) process.exitCode = interrupted.signal === 'SIGTERM' ? exitCodes.terminated : exitCodes.aborted
      else if (set.failures.length > 0 || reports.failed.length > 0) process.exitCode = exitCodes.usage
      else if ((failOn === 'target' || failOn === 'any') && (sum.targetsFailed > 0 || sum.errored > 0)) process.exitCode = exitCodes.failed
      else if ((failOn === 'regression' || failOn === 'any') && regressed) process.exitCode = exitCodes.failed
      const output: RunOutput = { schemaVersion: jsonSchemaVersion, run: runJson(outcome.run), results }
      if (baseline.comparison) output.comparison = baseline.comparison
      if (set.failures.length > 0) output.pluginErrors = set.failures
      return output
    } finally {
      // A signal that came while a report file was written (synchronously) is still queued: let it
      // reach its handler, so it is reported and the exit code says interrupted.
      // (two turns: the first ends the current loop iteration, the second's poll phase reads the signal).
      for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve))
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      if (interrupted.signal) process.exitCode = interrupted.signal === 'SIGTERM' ? 143 : exitCodes.aborted
    }
  }
}
