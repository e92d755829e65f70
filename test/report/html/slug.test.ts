import { describe, expect, it } from 'vitest'
import { metricSlugs, slugify } from '../../../src/report/html/slug.js'
import { buildFixture } from './fixture.js'

describe('metric page slugs', () => {
  it('keeps only lower-case ASCII letters, digits and single dashes', () => {
    expect(slugify('Template-Rendering / compile <T> partials')).toBe('template-rendering-compile-t-partials')
    expect(slugify('../../etc/passwd')).toBe('etc-passwd')
    expect(slugify('Crème brûlée')).toBe('creme-brulee')
  })

  it('never returns an empty or reserved name', () => {
    expect(slugify('日本語')).toBe('metric')
    expect(slugify('<>')).toBe('metric')
    expect(slugify('CON')).toBe('con-metric')
  })

  it('caps the length', () => {
    expect(slugify('a'.repeat(300)).length).toBeLessThanOrEqual(80)
  })

  it('gives every metric a distinct slug, even when names only differ in case or punctuation', () => {
    const [metric] = buildFixture().metrics
    const slugs = metricSlugs([
      { ...metric, plugin: 'p', benchmark: 'A b', kind: 'latency' },
      { ...metric, plugin: 'p', benchmark: 'a-B', kind: 'latency' },
      { ...metric, plugin: 'p', benchmark: 'a_b', kind: 'latency' },
      { ...metric, plugin: 'p', benchmark: 'a b', kind: 'memory' },
    ])
    expect(slugs).toEqual(['p-a-b', 'p-a-b-latency', 'p-a-b-2', 'p-a-b-memory'])
  })
})
