/**
 * How long a commit hash or a run id is when shown to a person: 8 characters, as
 * `perftrack history list` prints ids and as the id prefixes the commands accept.
 */
export const shortIdLength = 8

/** A commit hash as shown in tables, titles and messages; `—` when there is none. */
export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, shortIdLength) : '—'
}

/** A run id as shown; any unique prefix of it is accepted back (`history show`, `--baseline`, `trend ack`). */
export function shortRunId(id: string): string {
  return id.slice(0, shortIdLength)
}
