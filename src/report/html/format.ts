// Number and date formatting is done by hand, not with toLocaleString/Intl, because the
// report must be byte-identical on every machine whatever its locale and ICU data.

/** Adds thousands separators to the integer part of a plain decimal string. */
function groupThousands(text: string): string {
  const [int, frac] = text.split('.')
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return frac === undefined ? grouped : `${grouped}.${frac}`
}

/** A measured value with about three significant digits, e.g. `1,234`, `12.3`, `0.0123`. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–'
  const abs = Math.abs(value)
  if (abs >= 1e15 || (abs > 0 && abs < 1e-4)) return value.toExponential(2)
  if (abs >= 1000) return groupThousands(value.toFixed(0))
  if (abs >= 100) return value.toFixed(1)
  if (abs >= 1) return value.toFixed(2)
  if (abs === 0) return '0'
  return value.toPrecision(3)
}

/** Value and unit, e.g. `12.3 ms`; the unit is omitted when empty. */
export function formatValue(value: number, unit: string): string {
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value)
}

/** A relative change as a signed percentage, e.g. `+25.0%`, `-3.1%`. */
export function formatPercent(change: number): string {
  if (!Number.isFinite(change)) return '–'
  const pct = change * 100
  const sign = pct > 0 ? '+' : pct < 0 ? '−' : ''
  return `${sign}${Math.abs(pct).toFixed(1)}%`
}

/** A p-value with enough digits to tell 0.049 from 0.051 and tiny ones apart. */
export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return '–'
  if (p < 0.001) return '<0.001'
  return p.toFixed(3)
}

/** The first seven hex digits of a commit, as git shows it; `—` when unknown. */
export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 7) : '—'
}

/** `YYYY-MM-DD HH:MM` in UTC; an unparsable date is shown as given. */
export function formatDate(iso: string): string {
  const time = Date.parse(iso)
  if (Number.isNaN(time)) return iso
  const text = new Date(time).toISOString()
  return `${text.slice(0, 10)} ${text.slice(11, 16)}`
}

/** `YYYY-MM-DD` in UTC, for axis labels. */
export function formatDay(iso: string): string {
  return formatDate(iso).slice(0, 10)
}

/** The first line of a commit message, shortened to `max` characters. */
export function firstLine(message: string | null | undefined, max = 80): string {
  if (!message) return ''
  const line = message.split(/\r?\n/, 1)[0].trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}
