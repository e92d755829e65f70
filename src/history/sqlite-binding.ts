import { errorMessage, PerftrackError } from '../core/errors.js'

/**
 * sqlite3's compiled addon is missing when its install script never ran: pnpm 10 runs no
 * dependency's build script unless allowed, and `npm install --ignore-scripts` skips them
 * all. knex would then print the addon's whole search path and the process exit 1, which CI
 * reads as "regression found".
 */
export function isMissingBinding(error: unknown): boolean {
  return /Could not locate the bindings file|node_sqlite3\.node|Cannot find module .*sqlite3/i.test(errorMessage(error))
}

export function missingBindingError(error: unknown): PerftrackError {
  const first = (errorMessage(error).split('\n')[0] ?? '').replace(/[.\s]*Tried:\s*$/, '')
  return new PerftrackError(
    'SQLITE_BINDING_MISSING',
    `The SQLite history needs sqlite3's native addon, and it is not built (${first}). Its install script did not run: pnpm 10 blocks dependencies' build scripts by default, and npm skips them with --ignore-scripts.`,
    {
      suggestions: [
        'npm: run `npm rebuild sqlite3` (and drop --ignore-scripts / ignore-scripts=true for it; where npm warns that sqlite3 is not covered by allowScripts, `npm install-scripts approve sqlite3` first).',
        'pnpm: add "pnpm": { "onlyBuiltDependencies": ["sqlite3"] } to package.json (or run `pnpm approve-builds`), then `pnpm rebuild sqlite3`.',
        'Or keep the history in PostgreSQL: --db postgres://… (no native addon needed).',
      ],
      cause: error,
    },
  )
}

/** Loads sqlite3, turning a missing native addon into one clear error (exit 2). */
export async function loadSqlite3(load: () => Promise<unknown> = () => import('sqlite3')): Promise<void> {
  try {
    await load()
  } catch (error) {
    if (isMissingBinding(error)) throw missingBindingError(error)
    throw error
  }
}
