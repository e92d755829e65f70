import { Flags } from '@oclif/core'

import { historyFlags, PerftrackCommand, seriesFlags } from '../cli/perftrack-command.js'
import { defaultBaseBranch } from '../core/defaults.js'
import { PerftrackError } from '../core/errors.js'
import { benchMatcher } from '../core/glob.js'
import { summaryStatValues } from '../core/vocabulary.js'
import { repoUrlFromGit } from '../git/remote-url.js'
import { loadBranchSeries } from '../history/series.js'
import { parseSince } from '../history/since.js'
import { analyseTrend } from '../jobs/trend-job.js'
import { renderHtmlReport, sharedFiles } from '../report/html/index.js'
import { checkReportDir } from '../report/html/out-dir.js'
import { reportData } from '../report/report-data.js'

export interface ReportOutput {
  index: string
  files: number
  bytes: number
  metrics: number
  runs: number
}

export default class Report extends PerftrackCommand {
  static override summary = "Write a static HTML trend report of a branch's history."
  static override description =
    'The same series and change points as `perftrack trend`, one chart page per metric with its targets, and an index page. The report opens offline, from file:// or as a GitHub Pages site: uPlot, the chart code and the runs are shared files under assets/, loaded by every page.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --out site',
    "<%= config.bin %> <%= command.id %> --out site --since 90d --title 'Nightly performance'",
  ]
  static override flags = {
    ...historyFlags,
    out: Flags.string({
      char: 'o',
      description:
        'Directory to write index.html and metrics/*.html into: new, empty, or holding an earlier perftrack report (its files are replaced). Never written through a symbolic link.',
      required: true,
      helpValue: '<dir>',
    }),
    force: Flags.boolean({ description: 'Write into an --out folder that holds other files (files of the same names are replaced).', default: false }),
    branch: Flags.string({ description: `Branch whose runs form the series. [default: config baseBranch, else ${defaultBaseBranch}]` }),
    since: Flags.string({ description: 'Only runs since then (an ISO date, or a duration back from now: 30d, 2w).', helpValue: '<date|duration>' }),
    title: Flags.string({ description: 'Title of the report. [default: perftrack — <branch>]' }),
    ...seriesFlags,
    stat: Flags.option({ options: summaryStatValues, description: 'Statistic of each run that is plotted.', default: 'median' })(),
    'repo-url': Flags.string({
      description: "Link commits to <url>/commit/<sha>. [default: the git remote 'origin' as https://host/owner/repo]",
      helpValue: '<url>',
    }),
  }

  async run(): Promise<ReportOutput> {
    const { flags } = await this.parse(Report)
    // Before the history is read: a wrong --out should cost nothing.
    const out = checkReportDir(flags.out, ['index.html', 'metrics', ...Object.values(sharedFiles)], { force: flags.force })
    const config = await this.loadConfig(flags.config)
    const branch = flags.branch ?? config.baseBranch ?? defaultBaseBranch
    const from = flags.since === undefined ? undefined : parseSince(flags.since)
    const query = { branch, from, plugins: flags.plugin, metric: benchMatcher(flags.metric, '--metric') }
    const [analysis, p95] = await this.withHistory(
      flags,
      config,
      async (store) =>
        [
          await analyseTrend(store, { ...query, stat: flags.stat }),
          // The latency metrics' p95 of the same runs: a band above the median, and p95 targets drawn against it.
          flags.stat === 'p95' ? undefined : await loadBranchSeries(store, { branch, since: from, plugins: flags.plugin, metric: query.metric, stat: 'p95' }),
        ] as const,
      { access: 'read' },
    )
    if (analysis.metrics.length === 0) {
      throw new PerftrackError('REPORT_EMPTY', `No complete run of branch ${branch}${from ? ` since ${from}` : ''} matches, so there is nothing to report.`, {
        suggestions: ['Check --branch (perftrack history list shows the stored runs), widen --since, or run `perftrack run` first.'],
      })
    }
    if (flags['repo-url'] !== undefined && !/^https?:\/\/[^\s"<>]+$/.test(flags['repo-url'])) {
      throw new PerftrackError('REPO_URL_INVALID', `--repo-url ${flags['repo-url']} is not an http(s) URL.`, {
        suggestions: ['Pass the repository page, e.g. --repo-url https://github.com/owner/repo.'],
      })
    }
    const repoUrl = flags['repo-url']?.replace(/\/+$/, '') ?? (await repoUrlFromGit(process.cwd()))
    const written = await renderHtmlReport({ ...reportData(analysis, { title: flags.title ?? `perftrack — ${branch}`, p95 }), repoUrl }, out, {
      force: flags.force,
    })
    const index = written.files[0]
    this.print(
      `wrote ${index} (${written.files.length} files, ${(written.bytes / 1024).toFixed(1)} KiB; ${analysis.metrics.length} metrics over ${analysis.runs} runs)`,
    )
    return { index, files: written.files.length, bytes: written.bytes, metrics: analysis.metrics.length, runs: analysis.runs }
  }
}
