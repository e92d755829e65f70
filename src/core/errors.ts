/** Exit codes of every command (README, "Quick start"). */
export const exitCodes = {
  clean: 0,
  /** A target failed or a regression was found (per `--fail-on`). */
  failed: 1,
  /** Usage, configuration or environment error. */
  usage: 2,
  /** Interrupted (Ctrl-C, SIGINT): 128 + 2, as a shell reports it. */
  aborted: 130,
  /** Terminated (SIGTERM): 128 + 15. */
  terminated: 143,
  /** The measuring child's own exit after reporting plugin code that threw outside any awaited call (BSD's EX_SOFTWARE). */
  childFatal: 70,
} as const

/**
 * An error a user can act on: what was wrong, where, and what to do. Commands turn it into
 * oclif's `this.error(message, { code, exit: 2, suggestions })`.
 */
export class PerftrackError extends Error {
  readonly code: string
  readonly suggestions: string[]
  readonly exit: number

  constructor(code: string, message: string, options: { suggestions?: string[]; exit?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'PerftrackError'
    this.code = code
    this.suggestions = options.suggestions ?? []
    this.exit = options.exit ?? exitCodes.usage
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
