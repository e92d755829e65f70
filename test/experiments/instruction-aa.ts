/**
 * A/A spread of instruction counts between processes, from the history of `perftrack calibrate
 * --measure instructions` or of instruction-mode compares (verdict-rates.ts --measure
 * instructions): each stored side holds its processes' rounds one process after another, so
 * per benchmark this prints the CV of the per-process medians and the largest spread of one
 * round index across processes. Only the base sides with --side base (a sut series changes the head).
 *
 *   npx perftrack calibrate HEAD --measure instructions --db /tmp/instr-aa.sqlite
 *   npx tsx test/experiments/instruction-aa.ts --db /tmp/instr-aa.sqlite --rounds 5
 */
import { parseArgs } from 'node:util'
import { median } from 'simple-statistics'
import { HistoryStore } from '../../src/history/store.js'

const { values } = parseArgs({ options: { db: { type: 'string' }, rounds: { type: 'string', default: '5' }, side: { type: 'string' } } })
if (!values.db) throw new Error('--db <history> is required')
const perProcess = Number(values.rounds)
const store = await HistoryStore.open({ kind: 'sqlite', file: values.db, isDefault: false })
const processes = new Map<string, number[][]>()
try {
  for (const run of await store.listRuns({ limit: 100_000, measure: 'instructions' })) {
    if (values.side && run.label !== values.side) continue
    for (const r of await store.resultsOf(run.id)) {
      if (r.status !== 'completed') continue
      const key = `${r.plugin}/${r.benchmark}`
      for (let i = 0; i + perProcess <= r.rounds.length; i += perProcess) processes.set(key, [...(processes.get(key) ?? []), r.rounds.slice(i, i + perProcess)])
    }
  }
} finally {
  await store.close()
}
for (const [key, procs] of [...processes].sort(([a], [b]) => a.localeCompare(b))) {
  const medians = procs.map(median)
  const mean = medians.reduce((a, b) => a + b, 0) / medians.length
  const sd = Math.sqrt(medians.reduce((a, b) => a + (b - mean) ** 2, 0) / (medians.length - 1))
  let spread = 0
  for (let i = 0; i < perProcess; i++) {
    const column = procs.map((p) => p[i])
    spread = Math.max(spread, (Math.max(...column) - Math.min(...column)) / Math.min(...column))
  }
  console.log(
    `${key.padEnd(50)} processes ${String(procs.length).padStart(3)}  per operation ${Math.round(mean).toLocaleString('en-US').padStart(9)}  CV of process medians ${((100 * sd) / mean).toFixed(3)}%  largest round-index spread ${(100 * spread).toFixed(2)}%`,
  )
}
