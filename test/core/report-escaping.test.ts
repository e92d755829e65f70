import { describe, expect, it } from 'vitest'

import { escapeMarkdownCell, escapeXml } from '../../src/report/escape.js'
import { formatNumber, formatPercent } from '../../src/report/format.js'

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;')
  })
  it('drops control characters XML 1.0 forbids, keeps tab and newline', () => {
    expect(escapeXml('a\u0000b\u001bc\td\ne')).toBe('abc\td\ne')
  })
})

describe('escapeMarkdownCell', () => {
  it('keeps a pipe or a newline from ending the cell, and neutralises HTML', () => {
    expect(escapeMarkdownCell('a|b\nc <img src=x>')).toBe('a\\|b c &lt;img src=x&gt;')
  })
})

describe('number formatting', () => {
  it('keeps about three significant digits', () => {
    expect([formatNumber(0.0004321), formatNumber(0.04321), formatNumber(4.321), formatNumber(43.21), formatNumber(432.1), formatNumber(43210)]).toEqual([
      '4.32e-4',
      '0.0432',
      '4.32',
      '43.21',
      '432.1',
      '43,210',
    ])
    expect(formatNumber(null)).toBe('—')
  })
  it('signs percentages', () => {
    expect([formatPercent(0.123), formatPercent(-0.0456), formatPercent(0)]).toEqual(['+12.3%', '-4.56%', '0.00%'])
  })
})
