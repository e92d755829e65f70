import { describe, expect, it } from 'vitest'

import {
  firstLine,
  formatDate,
  formatFactor,
  formatNumber,
  formatPercent,
  formatPValue,
  formatValue,
  limitText,
  shortSha,
  targetText,
} from '../../src/report/format.js'

describe('formatNumber: one number format for console, Markdown, JUnit and HTML', () => {
  it('keeps about three significant digits with thousands separators, whatever the locale', () => {
    expect([0.00004321, 0.0004321, 0.04321, 4.321, 43.21, 432.1, 43210, 1234567.8].map(formatNumber)).toEqual([
      '4.32e-5',
      '0.000432',
      '0.0432',
      '4.32',
      '43.21',
      '432.1',
      '43,210',
      '1,234,568',
    ])
    expect(formatNumber(12.345)).toBe('12.35')
    // Past 1e15, an exponent rather than 100 digit groups.
    expect(formatNumber(1.5e308)).toBe('1.50e+308')
    expect(formatNumber(123456789)).toBe('123,456,789')
    expect(formatNumber(0)).toBe('0')
    expect(formatNumber(-1500)).toBe('-1,500')
  })

  it('says — for no value and ∞ for an infinite one', () => {
    expect([formatNumber(null), formatNumber(undefined), formatNumber(Number.NaN)]).toEqual(['—', '—', '—'])
    expect([formatNumber(Infinity), formatNumber(-Infinity)]).toEqual(['∞', '-∞'])
  })

  it('appends the unit only when there is one and a value', () => {
    expect(formatValue(12.5, 'ms')).toBe('12.50 ms')
    expect(formatValue(12.5, '')).toBe('12.50')
    expect(formatValue(null, 'ms')).toBe('—')
  })
})

describe('formatPercent, formatFactor, formatPValue', () => {
  it('signs changes, two decimals below 10%', () => {
    expect([formatPercent(0.123), formatPercent(-0.0456), formatPercent(0.3), formatPercent(-0.031), formatPercent(0)]).toEqual([
      '+12.3%',
      '-4.56%',
      '+30.0%',
      '-3.10%',
      '0.00%',
    ])
    expect(formatPercent(0.05, false)).toBe('5.00%')
    expect([formatPercent(Infinity), formatPercent(null)]).toEqual(['+∞%', '—'])
  })

  it('formats margins and p-values', () => {
    expect([formatFactor(1250), formatFactor(12.5), formatFactor(1.2), formatFactor(Infinity)]).toEqual(['1,250x', '12.5x', '1.20x', '∞x'])
    expect([formatPValue(0.0004), formatPValue(0.0493), formatPValue(null)]).toEqual(['<0.001', '0.049', '—'])
  })
})

describe('targets, dates, commits and messages', () => {
  it('states a target as its limit, or as the measured value beside it', () => {
    const t = { stat: 'p95', op: '<', value: 5, actual: 2.31 }
    expect(limitText(t, 'ms')).toBe('p95 < 5.00 ms')
    expect(targetText(t, 'ms')).toBe('p95 2.31 ms < 5.00 ms')
  })

  it('formats dates in UTC and keeps unparsable ones as given', () => {
    expect(formatDate('2025-01-02T03:04:05+02:00')).toBe('2025-01-02 01:04')
    expect(formatDate('2025-01-02T03:04:05Z', 'second')).toBe('2025-01-02 03:04:05')
    expect(formatDate('2025-01-02T03:04:05Z', 'day')).toBe('2025-01-02')
    expect(formatDate('yesterday')).toBe('yesterday')
  })

  it('shortens commits to the 8 characters every output uses, and messages to their first line', () => {
    expect(shortSha('0123456789abcdef')).toBe('01234567')
    expect(shortSha(null)).toBe('—')
    expect(firstLine('subject\n\nbody')).toBe('subject')
    expect(firstLine('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`)
    expect(firstLine(null)).toBe('')
  })
})
