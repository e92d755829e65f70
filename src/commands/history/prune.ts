import { Flags } from '@oclif/core'

import { historyFlags, PerftrackCommand } from '../../cli/perftrack-command.js'
import { shortRunId, shortSha } from '../../core/short-id.js'
import { type PruneOutcome, parseKeep, pruneRuns } from '../../history/prune.js'
import { formatDate, noValue, table } from '../../report/format.js'

export default class HistoryPrune extends PerftrackCommand {
  static override summary = 'Remove old runs with their results and samples.'
  static override description = 'Keeps the newest N runs (--keep 200) or the runs of the last N days (--keep 90d); a run still running is never removed.'
  static override examples = ['<%= config.bin %> <%= command.id %> --keep 200', '<%= config.bin %> <%= command.id %> --keep 90d --dry-run']
  static override flags = {
    ...historyFlags,
    keep: Flags.string({ description: 'How many of the newest runs (N) or how many days of runs (Nd) to keep.', required: true, helpValue: '<N|Nd>' }),
    'dry-run': Flags.boolean({ description: 'Only list what would be removed.', default: false }),
  }

  async run(): Promise<PruneOutcome> {
    const { flags } = await this.parse(HistoryPrune)
    const rule = parseKeep(flags.keep)
    const config = await this.loadConfig(flags.config)
    const outcome = await this.withHistory(flags, config, (store) => pruneRuns(store, rule, { dryRun: flags['dry-run'] }))
    const verb = outcome.dryRun ? 'would remove' : 'removed'
    if (outcome.removed.length > 0) {
      this.print(
        table(
          ['id', 'started (UTC)', 'status', 'kind', 'branch', 'commit'],
          outcome.removed.map((r) => [shortRunId(r.id), formatDate(r.startedAt, 'second'), r.status, r.kind, r.branch ?? noValue, shortSha(r.gitSha)]),
        ),
      )
    }
    this.print(`${verb} ${outcome.removed.length} run(s), ${outcome.results} result(s), ${outcome.samples} sample round(s); ${outcome.kept} run(s) kept.`)
    return outcome
  }
}
