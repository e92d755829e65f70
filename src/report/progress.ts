import { performance } from 'node:perf_hooks'
import { metricKey } from '../core/metric-key.js'
import type { RunnerEvent } from '../core/result.js'
import { formatNumber } from './format.js'

export interface ProgressOptions {
  /** Milliseconds; injectable so a test drives the clock. */
  now?: () => number
}

/** `~1m 05s left`: seconds rounded to a readable precision. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return ''
  const s = Math.round(seconds)
  if (s < 60) return `~${s}s left`
  const m = Math.floor(s / 60)
  if (m < 60) return `~${m}m ${String(s % 60).padStart(2, '0')}s left`
  return `~${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m left`
}

/**
 * Progress on stderr (stdout carries data): one rewritten status line on a TTY, plain lines
 * otherwise, so CI logs stay readable. The status line carries an ETA for the plugin's
 * remaining benchmarks: the mean time of its finished benchmarks for each one still to come,
 * plus the current one's remaining rounds at its own pace so far.
 */
export function progressReporter(
  stream: NodeJS.WriteStream = process.stderr,
  options: ProgressOptions = {},
): { onEvent: (e: RunnerEvent) => void; done: () => void } {
  const now = options.now ?? (() => performance.now())
  const tty = Boolean(stream.isTTY)
  let current = ''
  let position = ''
  let started = 0
  let index = 0
  let total = 0
  let finishedMs = 0
  let finished = 0
  const status = (text: string) => {
    // A terminal that reports 0 (or no) columns gets a sensible width, not a line cut to nothing.
    const width = stream.columns && stream.columns > 1 ? stream.columns : 100
    if (tty) stream.write(`\r\x1b[2K${[...text].slice(0, width - 1).join('')}`)
  }
  const line = (text: string) => {
    if (tty) stream.write('\r\x1b[2K')
    stream.write(`${text}\n`)
  }
  const eta = (round: number, rounds: number): string => {
    const elapsed = now() - started
    const currentLeft = round > 0 ? (elapsed / round) * (rounds - round) : finished > 0 ? finishedMs / finished - elapsed : Number.NaN
    const perBenchmark = finished > 0 ? finishedMs / finished : round > 0 ? (elapsed / round) * rounds : Number.NaN
    const text = formatEta((Math.max(0, currentLeft) + perBenchmark * (total - index - 1)) / 1000)
    return text ? `, ${text}` : ''
  }
  return {
    onEvent(e) {
      switch (e.type) {
        case 'plugin-start':
          finished = 0
          finishedMs = 0
          line(`▶ ${e.plugin} (${e.benchmarks} benchmark${e.benchmarks === 1 ? '' : 's'})`)
          break
        case 'benchmark-start':
          current = metricKey(e)
          started = now()
          index = e.index
          total = e.total
          position = `[${e.index + 1}/${e.total}]`
          status(`  ${position} ${current}${eta(0, 1)}`)
          break
        case 'round':
          status(`  ${position} ${current} round ${e.round}/${e.rounds}${eta(e.round - 1, e.rounds)}`)
          break
        case 'benchmark-end': {
          const r = e.result
          const took = now() - started
          finished++
          finishedMs += took
          const what =
            r.status === 'completed'
              ? `median ${formatNumber(r.stats.median)} ${r.unit}`
              : r.status === 'errored'
                ? `errored: ${r.error}`
                : `skipped: ${r.reason}`
          const mark = r.status === 'completed' ? (r.targets.every((t) => t.pass) ? '✓' : '✗') : r.status === 'errored' ? '!' : '-'
          line(`  ${mark} ${r.benchmark}: ${what} (${(took / 1000).toFixed(1)} s)`)
          break
        }
        case 'plugin-warning':
          line(`  ! ${e.message}`)
          break
      }
    },
    done() {
      if (tty) stream.write('\r\x1b[2K')
    },
  }
}
