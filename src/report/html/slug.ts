import type { ReportMetric } from './types.js'

// Names Windows refuses as file names whatever the extension.
const reservedNames = new Set(['con', 'prn', 'aux', 'nul', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`com${n}`, `lpt${n}`])])

/** Keeps names short enough for every file system once `.html` and a suffix are added. */
const maxSlugLength = 80

/** Lower-case ASCII letters, digits and single dashes; never empty. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxSlugLength)
    .replace(/-+$/, '')
  if (!slug) return 'metric'
  return reservedNames.has(slug) ? `${slug}-metric` : slug
}

/**
 * One file-name slug per metric, in the given order, built from plugin and benchmark.
 * Slugs are lower case so they stay distinct on case-insensitive file systems too; a
 * clash (two kinds of one benchmark, or names differing only in punctuation) gets the
 * kind appended, then a counter.
 */
export function metricSlugs(metrics: readonly ReportMetric[]): string[] {
  const taken = new Set<string>()
  return metrics.map((metric) => {
    const base = slugify(`${metric.plugin}-${metric.benchmark}`)
    let slug = base
    if (taken.has(slug)) slug = `${base}-${slugify(metric.kind)}`
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`
    taken.add(slug)
    return slug
  })
}
