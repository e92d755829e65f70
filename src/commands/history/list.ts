import { Flags } from '@oclif/core'
import { historyFlags, PerftrackCommand } from '../../cli/perftrack-command.js'
import type { RunJson } from '../../core/result-json.js'
import { shortRunId, shortSha } from '../../core/short-id.js'
import { runStatusValues } from '../../core/vocabulary.js'
import { formatDate, noValue, table } from '../../report/format.js'
import { runJson } from '../../report/json.js'

export default class HistoryList extends PerftrackCommand {
  static override summary = 'List stored runs, newest first.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --branch main --limit 5',
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override flags = {
    ...historyFlags,
    branch: Flags.string({ description: 'Only runs of this branch.' }),
    status: Flags.option({ options: runStatusValues, description: 'Only runs with this status.' })(),
    limit: Flags.integer({ description: 'At most this many runs.', default: 20, min: 1 }),
  }

  async run(): Promise<{ runs: RunJson[] }> {
    const { flags } = await this.parse(HistoryList)
    const config = await this.loadConfig(flags.config)
    const runs = await this.withHistory(flags, config, (store) => store.listRuns({ branch: flags.branch, status: flags.status, limit: flags.limit }), {
      access: 'read',
    })
    if (runs.length === 0) this.print('No runs stored yet. Run `perftrack run` to make one.')
    else {
      const rows = runs.map((r) => [
        shortRunId(r.id),
        formatDate(r.startedAt, 'second'),
        r.status,
        r.kind,
        r.branch ?? noValue,
        shortSha(r.gitSha),
        r.dirty ? 'dirty' : '',
        r.profile,
      ])
      this.print(table(['id', 'started (UTC)', 'status', 'kind', 'branch', 'commit', '', 'profile'], rows))
    }
    return { runs: runs.map(runJson) }
  }
}
