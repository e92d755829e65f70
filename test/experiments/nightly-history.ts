/**
 * A synthetic nightly history for timing `trend` and `report` and scoring change-point
 * detection: 365 nights × 40 metrics, 2% noise, 11 planted steps (test/trend/synthetic-nightly.ts).
 *
 *   npx tsx test/experiments/nightly-history.ts seed /tmp/nightly.sqlite
 *   time npx perftrack trend --db /tmp/nightly.sqlite --json > /tmp/trend.json
 *   npx tsx test/experiments/nightly-history.ts score /tmp/trend.json
 *   time npx perftrack report --db /tmp/nightly.sqlite --out /tmp/site
 */
import { readFileSync } from 'node:fs'
import { nightlyMetrics, plantedSteps } from '../helpers/synthetic-nightly.js'
import { seedDb } from '../history/seed-history.js'

const [command, file] = process.argv.slice(2)

if (command === 'seed') {
  const started = Date.now()
  await seedDb(file, {
    runs: 365,
    metrics: nightlyMetrics(),
    seed: 2024,
    start: '2024-11-20T02:00:00Z',
    message: (i) => (i === 200 ? 'perf: <img src=x onerror=alert(1)>' : `nightly ${i}: merge PR #${1000 + i}`),
  })
  console.log(`seeded 365 runs × 40 metrics into ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
} else if (command === 'score') {
  const out = JSON.parse(readFileSync(file, 'utf8')) as { metrics: Array<{ benchmark: string; changePoints: Array<{ index: number; change: number }> }> }
  let found = 0
  let missed = 0
  let falsePoints = 0
  nightlyMetrics().forEach((metric, k) => {
    const points = out.metrics.find((m) => m.benchmark === metric.benchmark)?.changePoints ?? []
    const used = new Set<number>()
    for (const step of plantedSteps[k] ?? []) {
      // A hit: same sign, within 5 runs of the planted index.
      const hit = points.findIndex((c, j) => !used.has(j) && Math.sign(c.change) === Math.sign(step.change) && Math.abs(c.index - step.at) <= 5)
      if (hit >= 0) {
        used.add(hit)
        found++
      } else missed++
    }
    falsePoints += points.filter((_, j) => !used.has(j)).length
  })
  console.log(JSON.stringify({ planted: found + missed, found, missed, false: falsePoints }))
} else {
  console.error('usage: nightly-history.ts seed <db> | score <trend.json>')
  process.exit(2)
}
