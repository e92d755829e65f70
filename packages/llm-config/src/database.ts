import knexFactory, { type Knex } from 'knex'
import { migrateLlmDatabase } from './migrations.js'

export interface OpenLlmDatabaseOptions {
  /**
   * A SQLite file path (or `:memory:`), or a `postgres://` / `postgresql://` URL.
   */
  connection: string
  /** Run the in-code migrations after connecting. @default true */
  migrate?: boolean
  /** SQLite `busy_timeout` in ms, so concurrent writers wait instead of failing. @default 5000 */
  busyTimeoutMs?: number
  /** Pool size for PostgreSQL. @default { min: 0, max: 10 } */
  pool?: { min: number; max: number }
}

function isPostgresUrl(connection: string): boolean {
  return /^postgres(ql)?:\/\//i.test(connection)
}

/**
 * Opens (and by default migrates) the LLM database. The caller owns the returned knex and
 * must `await knex.destroy()` when done, or the process will not exit.
 */
export async function openLlmDatabase(options: OpenLlmDatabaseOptions | string): Promise<Knex> {
  const opts = typeof options === 'string' ? { connection: options } : options
  const busyTimeoutMs = opts.busyTimeoutMs ?? 5000
  const knex = isPostgresUrl(opts.connection)
    ? knexFactory({ client: 'pg', connection: opts.connection, pool: opts.pool ?? { min: 0, max: 10 } })
    : knexFactory({
        client: 'sqlite3',
        connection: { filename: opts.connection },
        useNullAsDefault: true,
        pool: {
          min: 1,
          max: 1,
          afterCreate(conn: { run(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
            // WAL lets readers proceed during a write; busy_timeout makes writers queue, not fail.
            conn.run('PRAGMA journal_mode = WAL', (walError) => {
              if (walError) return done(walError, conn)
              conn.run(`PRAGMA busy_timeout = ${busyTimeoutMs}`, (timeoutError) => done(timeoutError, conn))
            })
          },
        },
      })
  if (opts.migrate ?? true) {
    try {
      await migrateLlmDatabase(knex)
    } catch (error) {
      await knex.destroy()
      throw error
    }
  }
  return knex
}
