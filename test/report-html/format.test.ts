import { describe, expect, it } from 'vitest'
import { firstLine, formatDate, formatNumber, formatPercent, formatPValue, formatValue, shortSha } from '../../src/report/html/format.js'

describe('report number and date formatting', () => {
  it('keeps about three significant digits with thousands separators', () => {
    expect(formatNumber(1234567.8)).toBe('1,234,568')
    expect(formatNumber(123.456)).toBe('123.5')
    expect(formatNumber(12.345)).toBe('12.35')
    expect(formatNumber(0.012345)).toBe('0.0123')
    expect(formatNumber(0)).toBe('0')
    expect(formatNumber(-1500)).toBe('-1,500')
    expect(formatNumber(Number.NaN)).toBe('–')
  })

  it('appends the unit only when there is one', () => {
    expect(formatValue(12.5, 'ms')).toBe('12.50 ms')
    expect(formatValue(12.5, '')).toBe('12.50')
  })

  it('signs percentages and formats p-values', () => {
    expect(formatPercent(0.3)).toBe('+30.0%')
    expect(formatPercent(-0.031)).toBe('−3.1%')
    expect(formatPercent(0)).toBe('0.0%')
    expect(formatPValue(0.0004)).toBe('<0.001')
    expect(formatPValue(0.0493)).toBe('0.049')
  })

  it('formats dates in UTC and keeps unparsable ones as given', () => {
    expect(formatDate('2025-01-02T03:04:05+02:00')).toBe('2025-01-02 01:04')
    expect(formatDate('yesterday')).toBe('yesterday')
  })

  it('shortens commits and messages', () => {
    expect(shortSha('0123456789abcdef')).toBe('0123456')
    expect(shortSha(null)).toBe('—')
    expect(firstLine('subject\n\nbody')).toBe('subject')
    expect(firstLine('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`)
    expect(firstLine(null)).toBe('')
  })
})

describe('console and Markdown number formatting', async () => {
  const { formatNumber: formatPlain } = await import('../../src/report/format.js')
  it('writes magnitudes past 1e15 with an exponent, not 100 digit groups', () => {
    expect(formatPlain(1.5e308)).toBe('1.50e+308')
    expect(formatPlain(123456789)).toBe('123,456,789')
  })
})
