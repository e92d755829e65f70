import { PerftrackCommand } from '../cli/perftrack-command.js'
import { type InitOutcome, scaffold } from '../jobs/init/scaffold.js'

export default class Init extends PerftrackCommand {
  static override summary = 'Set perftrack up in this project: config, an example plugin, a git-ignored history, CI workflows.'
  static override description =
    `Writes perftrack.config.ts (pluginDirs: ['perf']), perf/example/index.ts, perf/history/.gitignore, and two GitHub Actions workflows: .github/workflows/perftrack-pr.yml (compare a pull request with its base) and .github/workflows/perftrack-nightly.yml (run, trend, report). The workflows use the package manager of the project's lockfile (npm, pnpm or yarn).

Overwrites nothing: when any of these files exists, nothing is written and the command exits 2 naming them.`

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run(): Promise<InitOutcome> {
    await this.parse(Init)
    const outcome = scaffold(process.cwd())
    this.print(
      `perftrack init (${outcome.packageManager}) wrote:\n${outcome.written.map((f) => `  ${f}`).join('\n')}\n\nNext:\n${outcome.next.map((l) => `  ${l}`).join('\n')}`,
    )
    return outcome
  }
}
