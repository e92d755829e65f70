import { supervisorDefaults } from '../core/defaults.js'
import { errorMessage } from '../core/errors.js'
import { fingerprint as takeFingerprint } from '../core/fingerprint.js'
import type { PluginLogger } from '../core/plugin-api.js'
import type { BenchmarkResult, RunnerEvent } from '../core/result.js'
import type { RunKind, RunRecord } from '../core/run-record.js'
import { gitState } from '../git/repo.js'
import type { HistoryStore } from '../history/store.js'
import { loadFromCounters } from '../runner/load-meter.js'
import type { LoadedPlugin } from '../runner/plugin-loader.js'
import type { runnerBudget } from '../runner/runner.js'
import { PluginProcess, superviseRunPlugins } from '../runner/supervisor.js'

export interface RunJobOptions {
  cwd: string
  store: HistoryStore
  plugins: LoadedPlugin[]
  budget: ReturnType<typeof runnerBudget>
  profile: string
  bench?: string[]
  pluginOptions?: Record<string, Record<string, unknown>>
  /** Aborting it stops the run; it is then stored as `aborted`. */
  signal?: AbortSignal
  /** After an abort, how long to wait for the current benchmark to stop before giving up on it. @default supervisorDefaults.abandonAfterAbortMs */
  abortGraceMs?: number
  logger: PluginLogger
  onEvent?: (event: RunnerEvent) => void
  kind?: RunKind
  groupId?: string
  label?: string
  /** The supervised child, forked early by the caller so its start-up overlaps the caller's; closed at the end. */
  processes?: PluginProcess
  /** Recorded in the run's note, e.g. plugin files that failed to load. */
  note?: string
  /**
   * Called synchronously at the instant the run's final status is decided, before it is written:
   * a signal handler that runs later must say the run is stored as that status, not as aborted.
   */
  onStatusDecided?: (status: 'complete' | 'aborted') => void
}

export interface RunJobOutcome {
  run: RunRecord
  results: BenchmarkResult[]
  warnings: string[]
  aborted: boolean
}

/**
 * One stored run: insert it as `running`, store each result as it completes, then finish it
 * as `complete`, `aborted` or `failed`. A run is never left looking complete when it was not.
 * (docs/architecture.md, "The life of a run".)
 */
export async function runJob(o: RunJobOptions): Promise<RunJobOutcome> {
  const processes = o.processes ?? PluginProcess.started(o.budget.measure)
  let run: RunRecord
  try {
    const fp = takeFingerprint(
      o.profile,
      o.plugins.map((p) => p.plugin),
      o.budget,
      await gitState(o.cwd),
    )
    run = await o.store.createRun({ fingerprint: fp, kind: o.kind, groupId: o.groupId, label: o.label })
  } catch (error) {
    processes.close()
    throw error
  }
  const stored: BenchmarkResult[] = []
  let writes = Promise.resolve()
  const onResult = (result: BenchmarkResult) => {
    // Serialised, so an abort can wait for the write in flight and nothing half-written remains.
    writes = writes.then(() => o.store.addResult(run.id, result)).then(() => void stored.push(result))
    return writes
  }
  let gaveUp: NodeJS.Timeout | undefined
  let onAbort: (() => void) | undefined
  const abandoned = new Promise<'abandoned'>((resolve) => {
    onAbort = () => (gaveUp = setTimeout(() => resolve('abandoned'), o.abortGraceMs ?? supervisorDefaults.abandonAfterAbortMs))
    o.signal?.addEventListener('abort', onAbort, { once: true })
  })
  try {
    const outcome = await Promise.race([
      superviseRunPlugins(
        o.plugins,
        { ...o.budget, profile: o.profile, bench: o.bench, pluginOptions: o.pluginOptions, signal: o.signal, logger: o.logger, onEvent: o.onEvent, onResult },
        { processes },
      ),
      abandoned,
    ])
    await writes
    // An interrupt that came after the last benchmark but before this line still aborts the run:
    // the message printed at the signal promised that.
    const aborted = outcome === 'abandoned' || outcome.aborted || (o.signal?.aborted ?? false)
    o.onStatusDecided?.(aborted ? 'aborted' : 'complete')
    const warnings = outcome === 'abandoned' ? ['the benchmark running at the interrupt did not stop in time and was abandoned'] : outcome.warnings
    const note = [o.note, ...warnings].filter(Boolean).join('; ') || undefined
    const load = outcome === 'abandoned' ? undefined : loadFromCounters(outcome.load)
    await o.store.finishRun(run.id, aborted ? 'aborted' : 'complete', aborted ? `interrupted${note ? `; ${note}` : ''}` : note, load)
    return { run: (await o.store.findRun(run.id)) ?? run, results: stored, warnings, aborted }
  } catch (error) {
    await writes.catch(() => undefined)
    await o.store.finishRun(run.id, 'failed', errorMessage(error)).catch(() => undefined)
    throw error
  } finally {
    clearTimeout(gaveUp)
    // An interrupt after the run is stored must not start the grace timer (it would hold the process 3 s).
    if (onAbort) o.signal?.removeEventListener('abort', onAbort)
  }
}
