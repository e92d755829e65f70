import path from 'node:path'

import { Args } from '@oclif/core'

import { historyFlags, PerftrackCommand } from '../../cli/perftrack-command.js'
import { type ImportOutcome, importHistory, readHistoryFile } from '../../history/transfer.js'

export default class HistoryImport extends PerftrackCommand {
  static override summary = 'Add the runs of a `history export` file that this history lacks.'
  static override description = 'Runs keep their ids, so importing the same file twice changes nothing; each run is added in its own transaction.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> history.json',
    '<%= config.bin %> <%= command.id %> history.json --db postgres://perf@db/perftrack --json',
  ]
  static override args = { file: Args.string({ description: 'A file written by `perftrack history export --format json`.', required: true }) }
  static override flags = { ...historyFlags }

  async run(): Promise<ImportOutcome & { file: string }> {
    const { args, flags } = await this.parse(HistoryImport)
    const file = path.resolve(args.file)
    const doc = readHistoryFile(file)
    const config = await this.loadConfig(flags.config)
    const outcome = await this.withHistory(flags, config, (store) => importHistory(store, doc))
    this.print(
      `imported ${outcome.runs.imported} run(s) (${outcome.results} results, ${outcome.samples} sample rounds), skipped ${outcome.runs.skipped} already present; ${outcome.acknowledgements.imported} acknowledgement(s) added.`,
    )
    return { file, ...outcome }
  }
}
