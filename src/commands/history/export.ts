import { existsSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { Args, Flags } from '@oclif/core'

import { historyFlags, PerftrackCommand } from '../../cli/perftrack-command.js'
import { PerftrackError } from '../../core/errors.js'
import type { RunWithResults } from '../../core/run-record.js'
import { directionValues } from '../../core/vocabulary.js'
import { parseSince } from '../../history/since.js'
import type { HistoryStore } from '../../history/store.js'
import { exportHistory } from '../../history/transfer.js'
import { toBmf, toGab } from '../../report/benchmark-formats.js'
import { jsonSchemaVersion } from '../../report/schema-version.js'

export interface ExportOutput {
  schemaVersion: number
  format: 'json' | 'bmf' | 'gab'
  file: string
  runs: number
  results: number
  samples: number
  /** gab: metrics of the other direction, not written. */
  leftOut?: number
}

export default class HistoryExport extends PerftrackCommand {
  static override summary = 'Write the history (json) or one run (bmf, gab) to a file.'
  static override description =
    `json: perftrack's own lossless format — runs with fingerprints, results, statistics, rounds, raw samples and acknowledgements; read it back with \`perftrack history import\`. Use it to carry the history between CI jobs as an artifact.
bmf: the latest complete run (or --run) in Bencher Metric Format (latency in ns, throughput in ops/s).
gab: the latest complete run (or --run) for github-action-benchmark's customSmallerIsBetter tool (or customBiggerIsBetter with --direction higher).`
  static override examples = [
    '<%= config.bin %> <%= command.id %> history.json',
    '<%= config.bin %> <%= command.id %> history.json --branch main --since 90d',
    '<%= config.bin %> <%= command.id %> bencher.json --format bmf',
    '<%= config.bin %> <%= command.id %> gab-smaller.json --format gab --run 3f2a9c1e',
  ]
  static override args = { file: Args.string({ description: "File to write ('-' for stdout).", required: true }) }
  static override flags = {
    ...historyFlags,
    format: Flags.option({ options: ['json', 'bmf', 'gab'] as const, description: 'Output format.', default: 'json' })(),
    branch: Flags.string({ description: 'json: only runs of this branch; bmf/gab: the latest complete run of this branch.' }),
    since: Flags.string({ description: 'json: only runs since then (ISO date or duration: 30d).', helpValue: '<date|duration>' }),
    run: Flags.string({ description: 'bmf/gab: this run (id or prefix) instead of the latest complete one; json: only this run.', helpValue: '<id>' }),
    direction: Flags.option({
      options: directionValues,
      description: 'gab: which metrics to write — lower is better (customSmallerIsBetter) or higher (customBiggerIsBetter).',
      default: 'lower',
    })(),
  }

  async run(): Promise<ExportOutput> {
    const { args, flags } = await this.parse(HistoryExport)
    const config = await this.loadConfig(flags.config)
    const toStdout = args.file === '-'
    const file = toStdout ? '-' : path.resolve(args.file)
    if (toStdout && this.jsonEnabled()) {
      throw new PerftrackError('EXPORT_STDOUT_JSON', 'history export - writes the export to stdout, where --json would write its summary too.', {
        suggestions: ['Drop --json, or export to a file.'],
      })
    }
    if (!toStdout && existsSync(file) && statSync(file).isDirectory()) {
      throw new PerftrackError('EXPORT_TO_DIRECTORY', `Export target ${file} is a directory; nothing was written.`, {
        suggestions: [`Name a file, e.g. ${path.join(file, 'history.json')}.`],
      })
    }
    const write = (text: string) => {
      if (toStdout) return void process.stdout.write(text)
      try {
        writeFileSync(file, text)
      } catch (error) {
        throw new PerftrackError('EXPORT_WRITE_FAILED', `Cannot write the export to ${file}: ${(error as Error).message}; the history is unchanged.`, {
          suggestions: ['Check that the directory exists, is writable and has space.'],
          cause: error,
        })
      }
    }
    const since = flags.since === undefined ? undefined : parseSince(flags.since)
    const output = await this.withHistory(
      flags,
      config,
      async (store): Promise<Omit<ExportOutput, 'schemaVersion'>> => {
        if (flags.format === 'json') {
          const runId = flags.run ? (await store.getRun(flags.run)).id : undefined
          const doc = await exportHistory(store, { branch: flags.branch, since, runId })
          write(JSON.stringify(doc))
          const results = doc.runs.reduce((n, r) => n + r.results.length, 0)
          const samples = doc.runs.reduce((n, r) => n + r.results.reduce((m, x) => m + x.samples.length, 0), 0)
          return { format: 'json', file, runs: doc.runs.length, results, samples }
        }
        const run = await this.oneRun(store, flags.run, flags.branch)
        if (flags.format === 'bmf') {
          const doc = toBmf(run)
          write(`${JSON.stringify(doc, null, 2)}\n`)
          return { format: 'bmf', file, runs: 1, results: Object.keys(doc).length, samples: 0 }
        }
        const { entries, leftOut } = toGab(run, flags.direction)
        write(`${JSON.stringify(entries, null, 2)}\n`)
        if (leftOut > 0)
          this.stderr(
            `${leftOut} metric(s) where ${flags.direction === 'lower' ? 'higher' : 'lower'} is better left out; export them with --direction ${flags.direction === 'lower' ? 'higher' : 'lower'} into a second file.`,
          )
        return { format: 'gab', file, runs: 1, results: entries.length, samples: 0, leftOut }
      },
      { access: 'read' },
    )
    if (toStdout) this.stderr(`wrote stdout: ${output.runs} run(s), ${output.results} result(s)`)
    else
      this.print(
        `wrote ${output.file}: ${output.runs} run(s), ${output.results} result(s)${output.format === 'json' ? `, ${output.samples} sample round(s)` : ''}`,
      )
    return { schemaVersion: jsonSchemaVersion, ...output }
  }

  private async oneRun(store: HistoryStore, id: string | undefined, branch: string | undefined): Promise<RunWithResults> {
    if (id) return store.getRun(id)
    const [latest] = await store.listRuns({ status: 'complete', kind: 'run', branch, limit: 1 })
    if (!latest) {
      throw new PerftrackError('EXPORT_NO_RUN', `No complete run${branch ? ` of branch ${branch}` : ''} in the history to export.`, {
        suggestions: ['Run `perftrack run` first, or pass --run <id>.'],
      })
    }
    return store.getRun(latest.id)
  }
}
