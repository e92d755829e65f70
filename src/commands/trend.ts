import { Flags } from '@oclif/core'

import { historyFlags, PerftrackCommand, seriesFlags } from '../cli/perftrack-command.js'
import { defaultBaseBranch } from '../core/defaults.js'
import { exitCodes } from '../core/errors.js'
import { benchMatcher } from '../core/glob.js'
import { summaryStatValues } from '../core/vocabulary.js'
import { parseSince } from '../history/since.js'
import { analyseTrend } from '../jobs/trend-job.js'
import { renderTrend, type TrendJson, trendJson } from '../report/trend-text.js'

export default class Trend extends PerftrackCommand {
  static override summary = "Change points in a branch's history; exit 1 on a new, unacknowledged regression."
  static override description =
    `Forms one series per metric from a statistic of every complete run of the branch (only runs measured in the latest run's environment), finds its change points with E-Divisive means (seeded, deterministic) and checks the latest values against their targets.

Exit code 1 when a regression change point is neither acknowledged (perftrack trend ack) nor already detectable before --new-since.

--new-since was called --since before; that spelling still works, with a warning. (--since means "only runs since then" in perftrack report and history export.)`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --new-since 1d',
    "<%= config.bin %> <%= command.id %> --branch main --metric 'cache/*' --stat p95 --json",
  ]
  static override flags = {
    ...historyFlags,
    branch: Flags.string({ description: `Branch whose runs form the series. [default: config baseBranch, else ${defaultBaseBranch}]` }),
    'new-since': Flags.string({
      description:
        'Only regressions new since then fail the job: a step already detectable from the runs before it is reported, not failed (an ISO date, or a duration back from now: 12h, 30d, 2w).',
      helpValue: '<date|duration>',
      // The old spelling, in scripts and in workflows written by `perftrack init` before the rename.
      aliases: ['since'],
      deprecateAliases: true,
    }),
    ...seriesFlags,
    stat: Flags.option({ options: summaryStatValues, description: 'Statistic of each run that forms the series.', default: 'median' })(),
    'all-environments': Flags.boolean({ description: "Use runs of every environment, not only the latest run's.", default: false }),
  }

  async run(): Promise<TrendJson> {
    const { flags } = await this.parse(Trend)
    const config = await this.loadConfig(flags.config)
    const newSince = flags['new-since'] === undefined ? undefined : parseSince(flags['new-since'], '--new-since')
    const analysis = await this.withHistory(
      flags,
      config,
      (store) =>
        analyseTrend(store, {
          branch: flags.branch ?? config.baseBranch ?? defaultBaseBranch,
          stat: flags.stat,
          newSince,
          plugins: flags.plugin,
          metric: benchMatcher(flags.metric, '--metric'),
          sameEnvironment: !flags['all-environments'],
        }),
      { access: 'read' },
    )
    this.print(renderTrend(analysis))
    if (analysis.regressions.length > 0) process.exitCode = exitCodes.failed
    return trendJson(analysis)
  }
}
