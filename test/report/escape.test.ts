import { describe, expect, it } from 'vitest'

import { escapeHtml, escapeMarkdownCell, escapeXml, jsonForScript } from '../../src/report/escape.js'

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

describe('escapeHtml', () => {
  it('turns a script tag into inert text', () => {
    expect(escapeHtml('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  it('escapes double and single quotes so attribute values cannot be closed', () => {
    expect(escapeHtml(`" onmouseover="x' y='`)).toBe('&quot; onmouseover=&quot;x&#39; y=&#39;')
  })

  it('escapes ampersands first, so existing entities are shown literally', () => {
    expect(escapeHtml('a & b &amp; c')).toBe('a &amp; b &amp;amp; c')
  })

  it('leaves ordinary text, unicode and empty strings unchanged', () => {
    expect(escapeHtml('')).toBe('')
    expect(escapeHtml('feature/über-fast — 10 µs')).toBe('feature/über-fast — 10 µs')
  })
})

describe('jsonForScript', () => {
  it('neutralizes </script> so a string cannot leave the script element', () => {
    const out = jsonForScript({ message: '</script><script>alert(1)</script>' })
    expect(out).not.toMatch(/<\/script/i)
    expect(out).not.toContain('<')
    expect(out).toContain('\\u003c/script\\u003e')
  })

  it('escapes <!-- , & and > as well', () => {
    const out = jsonForScript('<!-- a & b -->')
    expect(out).toBe('"\\u003c!-- a \\u0026 b --\\u003e"')
  })

  it('escapes U+2028 and U+2029 line separators', () => {
    const out = jsonForScript('a\u2028b\u2029c')
    expect(out).toBe('"a\\u2028b\\u2029c"')
    expect(out).not.toMatch(/[\u2028\u2029]/)
  })

  it('round-trips through JSON.parse to the original value', () => {
    const value = { s: '</script>&<>\u2028\u2029"\'', n: [1, 2.5, null], nested: { ok: true } }
    expect(JSON.parse(jsonForScript(value))).toEqual(value)
  })

  it('serializes undefined as null rather than producing invalid JSON', () => {
    expect(jsonForScript(undefined)).toBe('null')
  })
})
