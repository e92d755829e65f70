import { Args, Flags } from '@oclif/core'

import { historyFlags, PerftrackCommand } from '../../cli/perftrack-command.js'
import { metricKey } from '../../core/metric-key.js'
import { shortRunId, shortSha } from '../../core/short-id.js'
import { summaryStatValues } from '../../core/vocabulary.js'
import type { Acknowledgement } from '../../history/acknowledgements.js'
import { acknowledgeChangePoint } from '../../jobs/ack-job.js'
import { formatDate, noValue } from '../../report/format.js'

export default class TrendAck extends PerftrackCommand {
  static override summary = 'Acknowledge a change point, so `perftrack trend` no longer fails on it.'
  static override description =
    'The change point is named by the first run after the step (as `perftrack trend` prints it). Older change points of the same metric count as acknowledged too.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> 3f2a9c1e',
    '<%= config.bin %> <%= command.id %> 3f2a9c1e --metric cache/cached-resolution --note "expected: stricter expiry checks"',
  ]
  static override args = { run: Args.string({ description: 'Id (or unique prefix) of the first run after the step.', required: true }) }
  static override flags = {
    ...historyFlags,
    metric: Flags.string({
      char: 'm',
      description: 'The metric, as plugin/benchmark; required when several metrics step at that run.',
      helpValue: '<plugin/benchmark>',
    }),
    note: Flags.string({ description: 'Why the change is fine (shown in the history).' }),
    stat: Flags.option({ options: summaryStatValues, description: 'Statistic the trend uses.', default: 'median' })(),
    'all-environments': Flags.boolean({ description: 'Use runs of every environment, as `trend --all-environments` does.', default: false }),
  }

  async run(): Promise<{ acknowledgement: Acknowledgement; alreadyAcknowledged: boolean }> {
    const { args, flags } = await this.parse(TrendAck)
    const config = await this.loadConfig(flags.config)
    const { acknowledgement, created } = await this.withHistory(flags, config, (store) =>
      acknowledgeChangePoint(store, { run: args.run, metric: flags.metric, note: flags.note, stat: flags.stat, sameEnvironment: !flags['all-environments'] }),
    )
    const what = `${metricKey(acknowledgement)} change point at run ${shortRunId(acknowledgement.runId ?? '')} (${acknowledgement.gitSha ? shortSha(acknowledgement.gitSha) : 'no commit'}, ${acknowledgement.changePointDate ? formatDate(acknowledgement.changePointDate, 'day') : noValue}) on ${acknowledgement.branch}`
    if (created) this.print(`acknowledged ${what}`)
    else {
      const note = acknowledgement.note ? `, note: ${acknowledgement.note}` : ''
      this.print(`already acknowledged ${what} on ${acknowledgement.createdAt.slice(0, 10)}${note}; nothing changed.`)
      if (flags.note && flags.note !== acknowledgement.note) this.stderr('--note was not stored: the change point keeps the note it was acknowledged with.')
    }
    return { acknowledgement, alreadyAcknowledged: !created }
  }
}
