import { Command, Errors, Flags } from '@oclif/core'
import { loadConfig, type PerftrackConfig } from '../core/config.js'
import { compareBudgetDefaults, runnerLimits } from '../core/defaults.js'
import { PerftrackError } from '../core/errors.js'
import { resolveHistoryLocation } from '../history/location.js'
import type { HistoryAccess } from '../history/open.js'
import { HistoryStore } from '../history/store.js'

/** Flags shared by the commands that read or write the history. */
export const historyFlags = {
  db: Flags.string({
    description: 'History database: a SQLite file path or a postgres:// URL. [default: $PERFTRACK_DB, else history/perftrack.sqlite]',
    helpValue: '<path|url>',
  }),
  config: Flags.string({ description: 'Config file. [default: ./perftrack.config.ts when present]', helpValue: '<file>' }),
}

/** Flags that choose which plugins and benchmarks take part. */
export const pluginFlags = {
  plugin: Flags.string({ char: 'p', description: 'Run only this plugin (repeatable).', multiple: true, helpValue: '<name>' }),
  'plugin-path': Flags.string({ description: 'Also load plugins from this file or directory (repeatable).', multiple: true, helpValue: '<file|dir>' }),
}

/** Which metrics of the history `trend` and `report` form series of. */
export const seriesFlags = {
  plugin: Flags.string({ char: 'p', description: 'Only this plugin (repeatable).', multiple: true, helpValue: '<name>' }),
  metric: Flags.string({
    char: 'm',
    description: "Only metrics matching this glob, on 'benchmark' or 'plugin/benchmark' (repeatable).",
    multiple: true,
    helpValue: '<glob>',
  }),
}

/** The budget of each process of `compare` and `calibrate` (both run sides in processes, interleaved). */
export const processBudgetFlags = {
  rounds: Flags.integer({
    description: `Rounds inside each process; paired, rounds a side, and a CPU-bound throughput benchmark gets ${compareBudgetDefaults.pairedThroughputFactor} times as many. [default: ${compareBudgetDefaults.rounds}; paired ${compareBudgetDefaults.pairedRounds}]`,
    min: 1,
    max: runnerLimits.rounds,
  }),
  time: Flags.integer({
    description: `Time budget of one round, ms; paired, an I/O-bound latency benchmark's rounds are ${compareBudgetDefaults.pairedIoLatencyTimeFactor} times as long. [default: ${compareBudgetDefaults.time}; paired ${compareBudgetDefaults.pairedTime}]`,
    min: 1,
    max: runnerLimits.time,
  }),
  warmup: Flags.integer({
    description: `Least warm-up of each benchmark in each process, ms; it goes on until the benchmark is steady. [default: ${compareBudgetDefaults.warmup}]`,
    min: 0,
  }),
  duet: Flags.boolean({
    description: `Run two measuring processes at the same time, one per core (paired: a benchmark declared alone still measures while the other waits); --no-duet runs them one after the other. [default: ${compareBudgetDefaults.duet}]`,
    allowNo: true,
  }),
  'max-warmup': Flags.integer({
    description: `Longest warm-up of a benchmark that does not settle, ms. [default: ${compareBudgetDefaults.maxWarmup}]`,
    min: 0,
  }),
}

/**
 * Base of every perftrack command: JSON output through oclif's `--json`, and a
 * {@link PerftrackError} reported with its code, suggestions and exit code (2 unless said).
 */
export abstract class PerftrackCommand extends Command {
  static override enableJsonFlag = true

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (err instanceof PerftrackError) {
      process.exitCode = err.exit
      return super.catch(new Errors.CLIError(err.message, { exit: err.exit, code: err.code, suggestions: err.suggestions }))
    }
    // oclif's flag and argument errors carry exit 2; keep it in --json mode too.
    if (typeof err.oclif?.exit === 'number' && process.exitCode === undefined) process.exitCode = err.oclif.exit
    return super.catch(err)
  }

  protected async loadConfig(file?: string): Promise<PerftrackConfig> {
    return loadConfig(process.cwd(), file)
  }

  /**
   * Opens the history for the duration of `work` and always closes it (an open pool keeps the CLI
   * alive). Commands that only read pass `access: 'read'`: a history they may not write still opens.
   */
  protected async withHistory<T>(
    flags: { db?: string },
    config: PerftrackConfig,
    work: (store: HistoryStore) => Promise<T>,
    options: { access?: HistoryAccess } = {},
  ): Promise<T> {
    const store = await HistoryStore.open(resolveHistoryLocation(process.cwd(), flags.db, config.db), options)
    try {
      return await work(store)
    } finally {
      await store.close()
    }
  }

  /**
   * A renamed flag keeps its old spelling as an alias with `deprecateAliases` (trend's `--since`,
   * now `--new-since`). oclif's own warning is silent with --json and misses `--old=value`, yet
   * scripts run with --json are the ones to tell: this one is on stderr always.
   */
  protected override warnIfFlagDeprecated(flags: Record<string, unknown>): void {
    const defs = (this.ctor as typeof PerftrackCommand).flags ?? {}
    for (const name of Object.keys(flags)) {
      const def = defs[name]
      if (def?.deprecated) {
        const to = typeof def.deprecated === 'object' && def.deprecated.to ? `: use ${def.deprecated.to}` : ''
        this.stderr(`Warning: --${name} is deprecated${to}.`)
      }
      if (!def?.deprecateAliases) continue
      for (const alias of def.aliases ?? []) {
        const used = this.argv.some((a) => a === `--${alias}` || a.startsWith(`--${alias}=`))
        if (used)
          this.stderr(
            `Warning: ${this.id ? `perftrack ${this.id.replaceAll(':', ' ')} ` : ''}--${alias} is now spelled --${name} (same value, same meaning); the old spelling still works but is deprecated: use --${name}.`,
          )
      }
    }
  }

  /** Logs and diagnostics: always on stderr, also with --json (oclif's logToStderr is silent then). */
  protected stderr(text: string): void {
    process.stderr.write(`${text}\n`)
  }

  /** Human output goes to stdout only without --json. */
  protected print(text: string): void {
    if (!this.jsonEnabled()) this.log(text)
  }
}
