import picomatch from 'picomatch'

import { PerftrackError } from './errors.js'
import { metricKey } from './metric-key.js'

/** `*` matches any run of characters, `?` one character; the rest is literal. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('')
  return new RegExp(`^${body}$`)
}

/**
 * `*` and `?` only, matched in O(pattern × text) with the classic two-pointer wildcard walk: a
 * regular expression of many `*` backtracks exponentially (12 stars took seconds), and so does
 * picomatch's, which compiles to one.
 */
function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0
  let t = 0
  let star = -1
  let resume = 0
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++
      t++
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++
      resume = t
    } else if (star >= 0) {
      p = star + 1
      t = ++resume
    } else return false
  }
  while (p < pattern.length && pattern[p] === '*') p++
  return p === pattern.length
}

/** Past this many `*`, a pattern with picomatch's syntax ({a,b}, […], extglobs) could backtrack for seconds. */
const maxStarsWithSyntax = 4
const hasSyntax = (glob: string) => /[{}[\]()!+@\\]/.test(glob)

function compile(glob: string, flag: string): (text: string) => boolean {
  if (!hasSyntax(glob)) return (text) => wildcardMatch(glob, text)
  const stars = (glob.match(/\*/g) ?? []).length
  if (stars > maxStarsWithSyntax) {
    throw new PerftrackError(
      'GLOB_TOO_COMPLEX',
      `${flag} ${glob} has ${stars} '*' together with {…}, […] or ( ): more than ${maxStarsWithSyntax}, which could take seconds to match.`,
      {
        suggestions: [`Use fewer '*' (one '*' already matches any run of characters), or several ${flag} flags.`],
      },
    )
  }
  // bash: a single `*` also matches '/', as in plain globs, so 'cache*' matches 'cache/warm-hit'.
  return picomatch(glob, { bash: true, dot: true })
}

/**
 * A `--bench` (or `--metric`) glob matches either `benchmark` or `plugin/benchmark`: `*`, `?`,
 * `{a,b}`, `[…]` and extglobs (picomatch). Globs starting with `!` exclude: a name is taken when it
 * matches any other glob (or there are none) and no `!` glob.
 */
export function benchMatcher(globs: string[] | undefined, flag = '--bench'): (plugin: string, benchmark: string) => boolean {
  if (!globs || globs.length === 0) return () => true
  const negative = globs.filter((g) => g.startsWith('!') && !g.startsWith('!('))
  const positive = globs.filter((g) => !negative.includes(g))
  const include = positive.map((g) => compile(g, flag))
  const exclude = negative.map((g) => compile(g.slice(1), flag))
  const any = (tests: Array<(text: string) => boolean>, plugin: string, benchmark: string) =>
    tests.some((test) => test(benchmark) || test(metricKey({ plugin, benchmark })))
  return (plugin, benchmark) => (include.length === 0 || any(include, plugin, benchmark)) && !any(exclude, plugin, benchmark)
}
