import { PerftrackError } from '../core/errors.js'

const units: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 }

/**
 * The value of `--since` (report, history export: only runs since then) or `--new-since` (trend:
 * only change points that appeared since then fail): an ISO date (`2024-05-01`,
 * `2024-05-01T12:00:00Z`) or a duration back from `now` (`12h`, `30d`, `2w`). Returns an
 * ISO-8601 UTC instant, comparable as text with `started_at`. `flag` names the flag in the refusal.
 */
export function parseSince(text: string, flag = '--since', now: Date = new Date()): string {
  const duration = /^(\d+(?:\.\d+)?)([hdw])$/.exec(text.trim())
  if (duration) return new Date(now.getTime() - Number(duration[1]) * units[duration[2]]).toISOString()
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())) {
    const date = new Date(text.trim())
    if (!Number.isNaN(date.getTime())) return date.toISOString()
  }
  throw new PerftrackError('BAD_SINCE', `${flag} '${text}' is neither an ISO date nor a duration.`, {
    suggestions: ['Pass a date such as 2024-05-01 (or 2024-05-01T06:00:00Z), or a duration back from now such as 12h, 30d or 2w.'],
  })
}
