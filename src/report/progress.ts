import { performance } from 'node:perf_hooks'

import type { RunnerEvent } from '../core/runner.js'
import { formatNumber } from './format.js'

/**
 * Progress on stderr (stdout carries data): one rewritten status line on a TTY, plain lines
 * otherwise, so CI logs stay readable.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): { onEvent: (e: RunnerEvent) => void; done: () => void } {
  const tty = Boolean(stream.isTTY)
  let current = ''
  let position = ''
  let started = 0
  const status = (text: string) => {
    if (tty) stream.write(`\r\x1b[2K${text.slice(0, (stream.columns ?? 100) - 1)}`)
  }
  const line = (text: string) => {
    if (tty) stream.write('\r\x1b[2K')
    stream.write(`${text}\n`)
  }
  return {
    onEvent(e) {
      switch (e.type) {
        case 'plugin-start':
          line(`▶ ${e.plugin} (${e.benchmarks} benchmark${e.benchmarks === 1 ? '' : 's'})`)
          break
        case 'benchmark-start':
          current = `${e.plugin}/${e.benchmark}`
          started = performance.now()
          position = `[${e.index + 1}/${e.total}]`
          status(`  ${position} ${current}`)
          break
        case 'round':
          status(`  ${position} ${current} round ${e.round}/${e.rounds}`)
          break
        case 'benchmark-end': {
          const r = e.result
          const what = r.status === 'completed' ? `median ${formatNumber(r.stats.median)} ${r.unit}` : r.status === 'errored' ? `errored: ${r.error}` : `skipped: ${r.reason}`
          const mark = r.status === 'completed' ? (r.targets.every((t) => t.pass) ? '✓' : '✗') : r.status === 'errored' ? '!' : '-'
          line(`  ${mark} ${r.benchmark}: ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
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
