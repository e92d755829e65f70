import { Args } from '@oclif/core'
import { historyFlags, PerftrackCommand } from '../../cli/perftrack-command.js'
import type { ResultJson, RunJson } from '../../core/result-json.js'
import { renderResultsTable } from '../../report/console.js'
import { resultJson, runJson } from '../../report/json.js'

export default class HistoryShow extends PerftrackCommand {
  static override summary = "Show one run's results."
  static override examples = ['<%= config.bin %> <%= command.id %> 3f2a9c1e', '<%= config.bin %> <%= command.id %> 3f2a9c1e --json']
  static override args = { id: Args.string({ description: 'Run id, or a unique prefix of it.', required: true }) }
  static override flags = { ...historyFlags }

  async run(): Promise<{ run: RunJson; results: ResultJson[] }> {
    const { args, flags } = await this.parse(HistoryShow)
    const config = await this.loadConfig(flags.config)
    const run = await this.withHistory(flags, config, (store) => store.getRun(args.id), { access: 'read' })
    const fp = run.fingerprint
    this.print(
      [
        `run ${run.id} (${run.kind}) ${run.status}${run.note ? ` — ${run.note}` : ''}`,
        `commit ${run.gitSha ?? (fp.isGitRepo ? '(no commit yet)' : '(not a git repository)')}${run.dirty ? ' (dirty)' : ''} on ${run.branch ?? '—'}`,
        `started ${run.startedAt}, finished ${run.finishedAt ?? '—'}; profile ${run.profile}`,
        `node ${fp.node}, ${fp.os} ${fp.arch}, ${fp.cpuCount}× ${fp.cpuModel}, ${fp.memoryGiB} GiB`,
        '',
        renderResultsTable(run.results.map(resultJson)),
      ].join('\n'),
    )
    return { run: runJson(run), results: run.results.map(resultJson) }
  }
}
