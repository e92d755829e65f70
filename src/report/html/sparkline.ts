import { escapeHtml } from '../escape.js'
import { formatNumber } from '../format.js'
import type { ReportMetric } from './types.js'

export interface SparklineOptions {
  /** @default 160 */
  width?: number
  /** @default 36 */
  height?: number
}

const defaults = { width: 160, height: 36 }
const pad = 3

/** Coordinates rounded to one decimal keep the SVG small and the output stable. */
function round(n: number): string {
  return (Math.round(n * 10) / 10).toString()
}

/**
 * A small inline SVG of the series, drawn on the server so the index needs no script:
 * the line over all points, a dot on the latest, and a tick at each change point (red
 * for regressions).
 */
export function renderSparkline(metric: ReportMetric, options: SparklineOptions = {}): string {
  const { width, height } = { ...defaults, ...options }
  const finite = metric.points.map((p, i) => ({ i, v: p.value })).filter((p) => Number.isFinite(p.v))
  const open = `<svg class="sparkline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img"`
  if (finite.length === 0) {
    return `${open} aria-label="no data"><text x="${pad}" y="${height / 2 + 4}" class="sparkline-empty">no data</text></svg>`
  }

  const values = finite.map((p) => p.v)
  // Scaling to the bare min..max would blow 1 % of noise up to the full height, drawn
  // like a 30 % step next to it; a span of at least 5 % of the level keeps them apart.
  const low = Math.min(...values)
  const high = Math.max(...values)
  const minSpan = 0.05 * Math.max(Math.abs(low), Math.abs(high))
  const grow = Math.max(0, minSpan - (high - low)) / 2
  const min = low - grow
  const max = high + grow
  const span = max - min || 1
  const last = metric.points.length - 1
  const x = (i: number) => pad + (last === 0 ? (width - 2 * pad) / 2 : (i / last) * (width - 2 * pad))
  // A flat series is drawn through the middle rather than along the bottom edge.
  const y = (v: number) => (max === min ? height / 2 : height - pad - ((v - min) / span) * (height - 2 * pad))

  const line = finite.map((p) => `${round(x(p.i))},${round(y(p.v))}`).join(' ')
  const ticks = metric.changePoints
    .filter((cp) => cp.index >= 0 && cp.index <= last)
    .map((cp) => {
      const cx = round(x(cp.index - 0.5 < 0 ? 0 : cp.index - 0.5))
      const cls = cp.regression ? 'sparkline-cp regression' : 'sparkline-cp'
      return `<line class="${cls}" x1="${cx}" x2="${cx}" y1="0" y2="${height}"/>`
    })
    .join('')
  const end = finite[finite.length - 1]
  const label = `${finite.length} points, min ${formatNumber(low)}, max ${formatNumber(high)} ${metric.unit}`.trim()

  return (
    `${open} aria-label="${escapeHtml(label)}">` +
    ticks +
    `<polyline class="sparkline-line" points="${line}"/>` +
    `<circle class="sparkline-last" cx="${round(x(end.i))}" cy="${round(y(end.v))}" r="2.5"/>` +
    `</svg>`
  )
}
