import { metricKey } from './metric-key.js'

/** `*` matches any run of characters, `?` one character; the rest is literal. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('')
  return new RegExp(`^${body}$`)
}

/** A `--bench` glob matches either `benchmark` or `plugin/benchmark`. */
export function benchMatcher(globs: string[] | undefined): (plugin: string, benchmark: string) => boolean {
  if (!globs || globs.length === 0) return () => true
  const patterns = globs.map(globToRegExp)
  return (plugin, benchmark) => patterns.some((re) => re.test(benchmark) || re.test(metricKey({ plugin, benchmark })))
}
