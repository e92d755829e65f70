// The one set of formatting primitives of every output a person reads: the console tables,
// Markdown, JUnit, GitHub annotations and the HTML report. Done by hand, not with
// toLocaleString or Intl, so output is byte-identical on every machine whatever its locale
// and ICU data (the HTML report is compared byte for byte).

export { shortRunId, shortSha } from '../core/short-id.js'

/** What stands where there is no value. */
export const noValue = '—'

/** Adds thousands separators to the integer part of a plain decimal string. */
function groupThousands(text: string): string {
  const [int, frac] = text.split('.')
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return frac === undefined ? grouped : `${grouped}.${frac}`
}

/** A measured value with about three significant digits: `1,234`, `123.5`, `12.35`, `0.0123`. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return noValue
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞'
  const abs = Math.abs(value)
  if (abs === 0) return '0'
  // Past 1e15 digit groups stop being readable (1e308 would be 103 groups).
  if (abs >= 1e15 || abs < 1e-4) return value.toExponential(2)
  if (abs >= 1000) return groupThousands(value.toFixed(0))
  if (abs >= 100) return value.toFixed(1)
  if (abs >= 1) return value.toFixed(2)
  return value.toPrecision(3)
}

/** A value and its unit, `12.30 ms`; the unit is left out when empty or when there is no value. */
export function formatValue(value: number | null | undefined, unit: string): string {
  const text = formatNumber(value)
  return text === noValue || !unit ? text : `${text} ${unit}`
}

/** A relative change as a percentage, `+12.3%`, `-3.10%` (two decimals below 10%); unsigned for a spread (`±5.00%`). */
export function formatPercent(fraction: number | null | undefined, signed = true): string {
  if (fraction === Infinity || fraction === -Infinity) return fraction > 0 ? '+∞%' : '-∞%'
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return noValue
  const pct = fraction * 100
  const text = `${Math.abs(pct) >= 10 ? pct.toFixed(1) : pct.toFixed(2)}%`
  return signed && pct > 0 ? `+${text}` : text
}

/** How far inside a target a value is: `1,250x`, `12.5x`, `1.20x`. */
export function formatFactor(factor: number): string {
  if (!Number.isFinite(factor)) return '∞x'
  return `${factor >= 100 ? groupThousands(factor.toFixed(0)) : factor.toFixed(factor >= 10 ? 1 : 2)}x`
}

/** A p-value with enough digits to tell 0.049 from 0.051; tiny ones as `<0.001`. */
export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return noValue
  if (p < 0.001) return '<0.001'
  return p.toFixed(3)
}

/** An ISO instant in UTC: `2025-01-02 03:04` (minute), `… 03:04:05` (second) or `2025-01-02` (day); an unparsable one as given. */
export function formatDate(iso: string, precision: 'minute' | 'second' | 'day' = 'minute'): string {
  const time = Date.parse(iso)
  if (Number.isNaN(time)) return iso
  const text = new Date(time).toISOString()
  return `${text.slice(0, 10)}${precision === 'day' ? '' : ` ${text.slice(11, precision === 'second' ? 19 : 16)}`}`
}

/** The first line of a commit message, cut to `max` characters. */
export function firstLine(message: string | null | undefined, max = 80): string {
  if (!message) return ''
  const line = message.split(/\r?\n/, 1)[0].trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

/** A console table: left-aligned text columns, right-aligned numeric ones; widths from the content. */
export function table(header: string[], rows: string[][], numeric: boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n')
}

/** `p95 < 5.00 ms`: a target's limit. */
export function limitText(t: { stat: string; op: string; value: number }, unit: string): string {
  return `${t.stat} ${t.op} ${formatValue(t.value, unit)}`
}

/** `p95 2.31 ms < 5.00 ms`: the measured value beside its limit. */
export function targetText(t: { stat: string; op: string; value: number; actual: number }, unit: string): string {
  return `${t.stat} ${formatValue(t.actual, unit)} ${t.op} ${formatValue(t.value, unit)}`
}
