import path from 'node:path'

import { Args } from '@oclif/core'

import { historyFlags, PerftrackCommand } from '../../cli/perftrack-command.js'
import { type ImportOutcome, mergeSqliteHistory } from '../../history/transfer.js'

export default class HistoryMerge extends PerftrackCommand {
  static override summary = 'Copy the runs of another SQLite history that this one lacks.'
  static override description =
    'The other file is opened read-only. Runs keep their ids, so merging twice changes nothing. The target may be SQLite or PostgreSQL (--db).'
  static override examples = [
    '<%= config.bin %> <%= command.id %> artifact/perftrack.sqlite',
    '<%= config.bin %> <%= command.id %> other.sqlite --db history/perftrack.sqlite --json',
  ]
  static override args = { file: Args.string({ description: 'The other SQLite history file.', required: true }) }
  static override flags = { ...historyFlags }

  async run(): Promise<ImportOutcome & { file: string; sourceRuns: number }> {
    const { args, flags } = await this.parse(HistoryMerge)
    const file = path.resolve(args.file)
    const config = await this.loadConfig(flags.config)
    const outcome = await this.withHistory(flags, config, (store) => mergeSqliteHistory(store, file))
    this.print(
      `merged ${outcome.runs.imported} of ${outcome.sourceRuns} run(s) from ${file} (${outcome.results} results, ${outcome.samples} sample rounds); ${outcome.runs.skipped} were already present.`,
    )
    return { file, ...outcome }
  }
}
