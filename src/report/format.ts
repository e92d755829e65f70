/** A number with about three significant digits, no exponent for everyday magnitudes. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—'
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞'
  const abs = Math.abs(value)
  if (abs === 0) return '0'
  // Past 1e15 digit groups stop being readable (1e308 would be 103 groups).
  if (abs >= 1e15) return value.toExponential(2)
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US')
  if (abs >= 100) return value.toFixed(1)
  if (abs >= 10) return value.toFixed(2)
  if (abs >= 0.001) return value.toPrecision(3)
  return value.toExponential(2)
}

export function formatPercent(fraction: number | null | undefined, signed = true): string {
  if (fraction === Infinity || fraction === -Infinity) return fraction > 0 ? '+∞%' : '−∞%'
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—'
  const pct = fraction * 100
  const text = `${Math.abs(pct) >= 10 ? pct.toFixed(1) : pct.toFixed(2)}%`
  return signed && pct > 0 ? `+${text}` : text
}

export function formatFactor(factor: number): string {
  if (!Number.isFinite(factor)) return '∞x'
  return `${factor >= 100 ? Math.round(factor).toLocaleString('en-US') : factor.toFixed(factor >= 10 ? 1 : 2)}x`
}

/** Left-aligned text columns, right-aligned numeric ones; widths from the content. */
export function table(header: string[], rows: string[][], numeric: boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n')
}
