import { existsSync, mkdirSync, openSync, readSync, closeSync, statSync } from 'node:fs'
import path from 'node:path'

import knexFactory, { type Knex } from 'knex'

import { sqliteDefaults } from '../core/defaults.js'
import { errorMessage, PerftrackError } from '../core/errors.js'
import { migrationSource } from './migrations.js'
import { loadSqlite3 } from './sqlite-binding.js'
import { perftrackVersion } from '../core/fingerprint.js'
import { type DbTarget, describeTarget } from './target.js'

/** The first 16 bytes of every SQLite database file. */
const sqliteHeader = 'SQLite format 3\0'

/** The file's first bytes, or '' for an empty file: how a SQLite file is told from anything else, before a driver touches it. */
function fileHeader(file: string): string {
  const fd = openSync(file, 'r')
  try {
    const header = Buffer.alloc(sqliteHeader.length)
    const read = readSync(fd, header, 0, header.length, 0)
    return header.toString('latin1', 0, read)
  } finally {
    closeSync(fd)
  }
}

function checkSqliteFile(target: Extract<DbTarget, { kind: 'sqlite' }>): void {
  const dir = path.dirname(target.file)
  if (!existsSync(dir)) {
    if (!target.isDefault) {
      throw new PerftrackError('HISTORY_DIR_MISSING', `History database ${target.file}: directory ${dir} does not exist.`, {
        suggestions: [`Create it (mkdir -p ${dir}) or pass another --db path.`],
      })
    }
    mkdirSync(dir, { recursive: true })
  }
  if (!existsSync(target.file)) return
  if (statSync(target.file).isDirectory()) {
    throw new PerftrackError('HISTORY_NOT_SQLITE', `History database ${target.file} is a directory, not a SQLite file.`, {
      suggestions: ['Pass a file path to --db, e.g. history/perftrack.sqlite.'],
    })
  }
  const header = fileHeader(target.file)
  if (header.length > 0 && header !== sqliteHeader.slice(0, header.length)) {
    throw new PerftrackError('HISTORY_NOT_SQLITE', `History database ${target.file} is not a SQLite file; perftrack will not overwrite it.`, {
      suggestions: ['Pass another --db path, or move the file away if it is not needed.'],
    })
  }
}

/** SQLite's codes for a damaged or foreign file. */
const corruptCodes = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB'])

export function isCorruption(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code
  return (code !== undefined && corruptCodes.has(code)) || /malformed|not a database|quick_check/i.test(errorMessage(error))
}

export function corruptionError(target: DbTarget, error: unknown): PerftrackError {
  return new PerftrackError('HISTORY_CORRUPT', `History database ${describeTarget(target)} is damaged (${errorMessage(error)}); perftrack did not write to it.`, {
    suggestions: ['Restore it from a backup or an exported artifact (perftrack history import), or move it away to start a new history.'],
    cause: error,
  })
}

type SqliteConnection = { run(sql: string, cb: (err: Error | null) => void): void }

/** Integrity and ownership check on a read-only handle before knex opens the file: WAL mode writes to the header, and a damaged or foreign file must stay as it was. */
async function checkIntegrity(file: string): Promise<void> {
  if (!existsSync(file) || statSync(file).size === 0) return
  const { default: sqlite3 } = await import('sqlite3')
  const db = await new Promise<InstanceType<typeof sqlite3.Database>>((resolve, reject) => {
    const handle: InstanceType<typeof sqlite3.Database> = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(handle)))
  })
  try {
    const rows = await new Promise<Array<Record<string, string>>>((resolve, reject) => {
      db.configure('busyTimeout', sqliteDefaults.busyTimeoutMs)
      db.all('PRAGMA quick_check', (err, result) => (err ? reject(err) : resolve(result as Array<Record<string, string>>)))
    })
    const verdict = rows[0] ? Object.values(rows[0])[0] : 'ok'
    if (verdict !== 'ok') throw Object.assign(new Error(`quick_check: ${verdict}`), { code: 'SQLITE_CORRUPT' })
    // Another program's database: migrating would add perftrack's tables and switch it to WAL.
    const tables = await new Promise<string[]>((resolve, reject) => {
      db.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", (err, result) =>
        err ? reject(err) : resolve((result as Array<{ name: string }>).map((r) => r.name)),
      )
    })
    if (tables.length > 0 && !tables.includes('perftrack_migrations')) {
      const shown = tables.length > 5 ? `${tables.slice(0, 5).join(', ')}, …` : tables.join(', ')
      throw new PerftrackError('HISTORY_FOREIGN', `History database ${file} is a SQLite database of something else (tables: ${shown}) and not a perftrack history; perftrack did not change it.`, {
        suggestions: ['Pass a new file or an existing perftrack history to --db (e.g. history/perftrack.sqlite).'],
      })
    }
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()))
  }
}

// knex logs to stdout, which carries --json data; its connection-error stack repeats the
// error perftrack reports anyway, so it shows only with DEBUG.
const knexLog = {
  warn: (message: unknown) => {
    if (/^Acquire connection error/.test(String(message)) && !process.env.DEBUG) return
    process.stderr.write(`knex: ${String(message)}\n`)
  },
  error: (message: unknown) => void process.stderr.write(`knex: ${String(message)}\n`),
  deprecate: (method: string, alternative: string) => void process.stderr.write(`knex: ${method} is deprecated, use ${alternative}\n`),
  debug: (message: unknown) => void (process.env.DEBUG && process.stderr.write(`knex: ${String(message)}\n`)),
}

/**
 * The one knex configuration of a SQLite history. One connection: sqlite3 serialises access
 * anyway. Read-write: WAL lets readers and one writer work at once, busy_timeout queues
 * concurrent writers, and foreign keys are on. Read-only: knex always opens the file with
 * OPEN_READWRITE | OPEN_CREATE, so `query_only` is what refuses every write.
 */
function sqliteConfig(file: string, mode: 'read-write' | 'read-only'): Knex.Config {
  const busy = `busy_timeout = ${sqliteDefaults.busyTimeoutMs}`
  const pragmas = mode === 'read-write' ? [busy, 'journal_mode = WAL', 'foreign_keys = ON'] : [busy, 'query_only = ON']
  return {
    log: knexLog,
    client: 'sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
        const next = (i: number) => (i === pragmas.length ? done(null, conn) : conn.run(`PRAGMA ${pragmas[i]}`, (err) => (err ? done(err, conn) : next(i + 1))))
        next(0)
      },
    },
    ...(mode === 'read-write' ? { migrations: { migrationSource, tableName: 'perftrack_migrations' } } : {}),
  }
}

function postgresConfig(url: string): Knex.Config {
  return {
    log: knexLog,
    client: 'pg',
    connection: url,
    pool: { min: 0, max: 4 },
    migrations: { migrationSource, tableName: 'perftrack_migrations' },
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Two processes creating a new history at the same instant can each insert knex's one lock row;
 * with two unlocked rows knex's lock never succeeds again. Keep one when none is held.
 */
async function repairLockRows(knex: Knex): Promise<void> {
  const table = 'perftrack_migrations_lock'
  const rows = (await knex(table).select('index', 'is_locked').catch(() => [])) as Array<{ index: number; is_locked: number | boolean }>
  if (rows.length > 1 && rows.every((r) => !Number(r.is_locked))) {
    const keep = Math.min(...rows.map((r) => Number(r.index)))
    await knex(table).where('index', '>', keep).del().catch(() => undefined)
  }
}

/**
 * Several processes may open a new history at once: one migrates, the others wait on knex's
 * migration lock (or a race creating its tables) and retry.
 */
async function migrate(knex: Knex): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await knex.migrate.latest()
      return
    } catch (error) {
      const message = errorMessage(error)
      const transient = /already locked|SQLITE_BUSY|already exists|duplicate key|deadlock/i.test(message)
      if (!transient || attempt >= 60) throw error
      if (/already locked/i.test(message)) await repairLockRows(knex)
      await sleep(50 + Math.random() * 200)
    }
  }
}

/** Opens (creating and migrating as needed) the history database; refuses files that are not healthy SQLite. */
export async function openKnex(target: DbTarget): Promise<Knex> {
  if (target.kind === 'sqlite') {
    checkSqliteFile(target)
    await loadSqlite3()
    try {
      await checkIntegrity(target.file)
    } catch (error) {
      if (error instanceof PerftrackError) throw error
      if (isCorruption(error)) throw corruptionError(target, error)
      throw new PerftrackError('HISTORY_UNAVAILABLE', `Cannot open history database ${target.file}: ${errorMessage(error)}`, { cause: error })
    }
  }
  const knex = knexFactory(target.kind === 'sqlite' ? sqliteConfig(target.file, 'read-write') : postgresConfig(target.url))
  try {
    await migrate(knex)
    return knex
  } catch (error) {
    await knex.destroy()
    if (isCorruption(error)) throw corruptionError(target, error)
    // knex's word for a history that has migrations this version does not know.
    const missing = /migration directory is corrupt, the following files are missing: (.*)/i.exec(errorMessage(error))
    if (missing) {
      throw new PerftrackError('HISTORY_NEWER', `History database ${describeTarget(target)} was written by a newer perftrack (schema migrations ${missing[1]} are unknown to this version ${perftrackVersion()}); it was not changed.`, {
        suggestions: ['Upgrade perftrack (npm install perftrack@latest), or pass another --db.'],
        cause: error,
      })
    }
    throw new PerftrackError('HISTORY_UNAVAILABLE', `Cannot open history database ${describeTarget(target)}: ${errorMessage(error)}`, {
      suggestions: target.kind === 'postgres' ? ['Check that the server runs and the URL (user, password, database) is right.'] : ['Check the path and its permissions.'],
      cause: error,
    })
  }
}

/** Opens another SQLite history for reading only (`history merge`): nothing is migrated or written there. */
export async function openSqliteReadOnly(file: string): Promise<Knex> {
  if (!existsSync(file) || statSync(file).isDirectory()) {
    throw new PerftrackError('MERGE_SOURCE_NOT_FOUND', `Merge source ${file} does not exist or is a directory.`, { suggestions: ['Pass the path of another perftrack SQLite history file.'] })
  }
  if (fileHeader(file) !== sqliteHeader) {
    throw new PerftrackError('MERGE_SOURCE_NOT_SQLITE', `Merge source ${file} is not a SQLite file.`, {
      suggestions: ['Pass a perftrack SQLite history (e.g. history/perftrack.sqlite); for a JSON export use `perftrack history import`.'],
    })
  }
  await loadSqlite3()
  const knex = knexFactory(sqliteConfig(file, 'read-only'))
  try {
    const tables = await Promise.all(['runs', 'results', 'samples'].map((t) => knex.schema.hasTable(t)))
    if (tables.includes(false)) {
      throw new PerftrackError('MERGE_SOURCE_NOT_HISTORY', `Merge source ${file} is a SQLite file but not a perftrack history (no runs, results and samples tables).`, {
        suggestions: ['Pass a file written by perftrack (its --db).'],
      })
    }
    return knex
  } catch (error) {
    await knex.destroy()
    if (error instanceof PerftrackError) throw error
    throw new PerftrackError('MERGE_SOURCE_UNREADABLE', `Merge source ${file} cannot be read: ${errorMessage(error)}.`, { cause: error })
  }
}
