import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs'
import path from 'node:path'

import knexFactory, { type Knex } from 'knex'

import { sqliteDefaults } from '../core/defaults.js'
import { errorMessage, PerftrackError } from '../core/errors.js'
import { perftrackVersion } from '../core/fingerprint.js'
import { describeLocation, type HistoryLocation } from './location.js'
import { migrationSource } from './migrations.js'
import { loadSqlite3 } from './sqlite-binding.js'

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

function checkSqliteFile(target: Extract<HistoryLocation, { kind: 'sqlite' }>): void {
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
  let header: string
  try {
    header = fileHeader(target.file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EACCES' && code !== 'EPERM') throw error
    throw new PerftrackError(
      'HISTORY_UNREADABLE',
      `History database ${target.file} cannot be read: permission denied for this user; perftrack did not change it.`,
      {
        suggestions: [`Check its owner and mode (ls -l ${target.file}); make it readable (chmod u+r) or pass another --db.`],
        cause: error,
      },
    )
  }
  if (header.length > 0 && header !== sqliteHeader.slice(0, header.length)) {
    throw new PerftrackError('HISTORY_NOT_SQLITE', `History database ${target.file} is not a SQLite file; perftrack will not overwrite it.`, {
      suggestions: ['Pass another --db path, or move the file away if it is not needed.'],
    })
  }
}

/** Whether a command only reads the history (list, show, trend, report, export) or stores to it. */
export type HistoryAccess = 'read' | 'write'

/** Why this process cannot write an existing SQLite history, or undefined when it can. */
function whyReadOnly(file: string): string | undefined {
  try {
    accessSync(file, constants.W_OK)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EROFS' ? 'it is on a read-only file system' : 'this user may not write the file'
  }
  const dir = path.dirname(file)
  try {
    accessSync(dir, constants.W_OK | constants.X_OK)
  } catch {
    return `this user may not create files in its folder ${dir}, where SQLite keeps the journal (-wal, -shm) of every write`
  }
  return undefined
}

/** SQLite's codes for a damaged or foreign file. */
const corruptCodes = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB'])

export function isCorruption(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code
  return (code !== undefined && corruptCodes.has(code)) || /malformed|not a database|quick_check/i.test(errorMessage(error))
}

export function corruptionError(target: HistoryLocation, error: unknown): PerftrackError {
  return new PerftrackError(
    'HISTORY_CORRUPT',
    `History database ${describeLocation(target)} is damaged (${errorMessage(error)}); perftrack did not write to it.`,
    {
      suggestions: ['Restore it from a backup or an exported artifact (perftrack history import), or move it away to start a new history.'],
      cause: error,
    },
  )
}

type SqliteConnection = { run(sql: string, cb: (err: Error | null) => void): void }

/** Integrity and ownership check on a read-only handle before knex opens the file: WAL mode writes to the header, and a damaged or foreign file must stay as it was. */
async function checkIntegrity(file: string, readOnlyUri?: string): Promise<void> {
  if (!existsSync(file) || statSync(file).size === 0) return
  const { default: sqlite3 } = await import('sqlite3')
  const db = await new Promise<InstanceType<typeof sqlite3.Database>>((resolve, reject) => {
    const handle: InstanceType<typeof sqlite3.Database> = readOnlyUri
      ? new sqlite3.Database(readOnlyUri, sqlite3.OPEN_READONLY | sqlite3.OPEN_URI, (err) => (err ? reject(err) : resolve(handle)))
      : new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(handle)))
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
      throw new PerftrackError(
        'HISTORY_FOREIGN',
        `History database ${file} is a SQLite database of something else (tables: ${shown}) and not a perftrack history; perftrack did not change it.`,
        {
          suggestions: ['Pass a new file or an existing perftrack history to --db (e.g. history/perftrack.sqlite).'],
        },
      )
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
 * How a SQLite history is opened: for writing; for reading a file this process may write but
 * must not (`history merge`'s source: knex always opens with OPEN_READWRITE | OPEN_CREATE, so
 * `query_only` refuses every write); or for reading a file it may not write, through a
 * `mode=ro` URI ({@link readOnlyUri}), where neither WAL nor migrations, both writes, may run.
 */
type SqliteAccess = { kind: 'read-write' } | { kind: 'query-only' } | { kind: 'read-only'; uri: string }

/**
 * The one knex configuration of a SQLite history. One connection: sqlite3 serialises access
 * anyway. busy_timeout queues concurrent writers; for writing, WAL lets readers and one writer
 * work at once and foreign keys are on.
 */
function sqliteConfig(file: string, access: SqliteAccess): Knex.Config {
  const busy = `busy_timeout = ${sqliteDefaults.busyTimeoutMs}`
  const pragmas = access.kind === 'read-write' ? [busy, 'journal_mode = WAL', 'foreign_keys = ON'] : [busy, 'query_only = ON']
  return {
    log: knexLog,
    client: 'sqlite3',
    connection: access.kind === 'read-only' ? { filename: access.uri, flags: ['OPEN_URI'] } : { filename: file },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
        const next = (i: number) => (i === pragmas.length ? done(null, conn) : conn.run(`PRAGMA ${pragmas[i]}`, (err) => (err ? done(err, conn) : next(i + 1))))
        next(0)
      },
    },
    ...(access.kind === 'read-write' ? { migrations: { migrationSource, tableName: 'perftrack_migrations' } } : {}),
  }
}

/**
 * The URI of a read-only open. A WAL history (perftrack's) can only be read with its -shm index,
 * which SQLite would create, a write: `immutable=1` reads the file alone instead. That is exact
 * when the -wal journal is absent or empty (every clean close leaves it so); one with writes in it
 * cannot be read without writing, so it is refused.
 */
function readOnlyUri(file: string, reason: string): string {
  const wal = `${file}-wal`
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new PerftrackError(
      'HISTORY_READONLY',
      `History database ${file} is read-only (${reason}) and its journal ${wal} holds writes not yet merged into it, which only a writer can merge; perftrack did not change it.`,
      {
        suggestions: [
          'Run any perftrack command on it once as a user who may write it (perftrack history list), or copy the file and its -wal to a writable place and pass that copy to --db.',
        ],
      },
    )
  }
  return `file:${encodeURI(file).replace(/\?/g, '%3F').replace(/#/g, '%23')}?mode=ro&immutable=1`
}

/** Without migrating: a read-only history must already have every migration this version knows, and none it does not. */
async function checkSchemaCurrent(knex: Knex, target: HistoryLocation, reason: string): Promise<void> {
  const known = (await migrationSource.getMigrations([])).map((m) => migrationSource.getMigrationName(m))
  const hasTable = await knex.schema.hasTable('perftrack_migrations')
  const applied = hasTable ? ((await knex('perftrack_migrations').select('name')) as Array<{ name: string }>).map((r) => r.name) : []
  const unknown = applied.filter((name) => !known.includes(name))
  if (unknown.length > 0) {
    throw new PerftrackError(
      'HISTORY_NEWER',
      `History database ${describeLocation(target)} was written by a newer perftrack (schema migrations ${unknown.join(', ')} are unknown to this version ${perftrackVersion()}); it was not changed.`,
      {
        suggestions: ['Upgrade perftrack (npm install perftrack@latest), or pass another --db.'],
      },
    )
  }
  const pending = known.filter((name) => !applied.includes(name))
  if (pending.length > 0) {
    throw new PerftrackError(
      'HISTORY_READONLY',
      `History database ${describeLocation(target)} is read-only (${reason}) and was written by an older perftrack: it needs schema migrations ${pending.join(', ')}, which write to it.`,
      {
        suggestions: ['Make it writable once and run any perftrack command on it (perftrack history list) to upgrade it.'],
      },
    )
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
  const rows = (await knex(table)
    .select('index', 'is_locked')
    .catch(() => [])) as Array<{ index: number; is_locked: number | boolean }>
  if (rows.length > 1 && rows.every((r) => !Number(r.is_locked))) {
    const keep = Math.min(...rows.map((r) => Number(r.index)))
    await knex(table)
      .where('index', '>', keep)
      .del()
      .catch(() => undefined)
  }
}

/**
 * Several processes may open a new history at once: one migrates, the others wait on knex's
 * migration lock (or a race creating its tables) and retry.
 */
async function migrate(knex: Knex, what: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await knex.migrate.latest()
      return
    } catch (error) {
      const message = errorMessage(error)
      const transient = /already locked|SQLITE_BUSY|already exists|duplicate key|deadlock/i.test(message)
      if (!transient || attempt >= 60) throw error
      // Each busy attempt may itself have waited the busy timeout: never wait in silence.
      if (attempt === 0 && /already locked|SQLITE_BUSY|deadlock/i.test(message)) {
        process.stderr.write(
          `perftrack: waiting for another process that is writing the history ${what} (${/already locked/i.test(message) ? 'it holds the migration lock' : 'it holds the write lock'}); this goes on when that process finishes, or stop it and run again.\n`,
        )
      }
      if (/already locked/i.test(message)) await repairLockRows(knex)
      await sleep(50 + Math.random() * 200)
    }
  }
}

/**
 * Opens (creating and migrating as needed) the history database; refuses files that are not
 * healthy SQLite. An existing SQLite history this process may not write is opened read-only for
 * `access: 'read'` and refused, saying why, for `access: 'write'`.
 */
export async function openKnex(target: HistoryLocation, access: HistoryAccess = 'write'): Promise<{ knex: Knex; readOnly: boolean }> {
  let readOnly: string | undefined
  if (target.kind === 'sqlite') {
    checkSqliteFile(target)
    readOnly = existsSync(target.file) && statSync(target.file).size > 0 ? whyReadOnly(target.file) : undefined
    if (readOnly && access === 'write') {
      throw new PerftrackError(
        'HISTORY_READONLY',
        `History database ${target.file} is read-only (${readOnly}); this command stores to it, so nothing was run or changed.`,
        {
          suggestions: [
            `Make it writable (ls -l ${target.file}; chmod u+w, or the folder's permissions), or pass another --db. Reading works as it is: perftrack history list, show, export, trend and report.`,
          ],
        },
      )
    }
    await loadSqlite3()
    try {
      await checkIntegrity(target.file, readOnly ? readOnlyUri(target.file, readOnly) : undefined)
    } catch (error) {
      if (error instanceof PerftrackError) throw error
      if (isCorruption(error)) throw corruptionError(target, error)
      throw new PerftrackError('HISTORY_UNAVAILABLE', `Cannot open history database ${target.file}: ${errorMessage(error)}`, { cause: error })
    }
  }
  if (target.kind === 'sqlite' && readOnly) {
    const knex = knexFactory(sqliteConfig(target.file, { kind: 'read-only', uri: readOnlyUri(target.file, readOnly) }))
    try {
      await checkSchemaCurrent(knex, target, readOnly)
      return { knex, readOnly: true }
    } catch (error) {
      await knex.destroy()
      if (error instanceof PerftrackError) throw error
      if (isCorruption(error)) throw corruptionError(target, error)
      throw new PerftrackError('HISTORY_UNAVAILABLE', `Cannot open history database ${target.file} read-only (${readOnly}): ${errorMessage(error)}`, {
        cause: error,
      })
    }
  }
  const knex = knexFactory(target.kind === 'sqlite' ? sqliteConfig(target.file, { kind: 'read-write' }) : postgresConfig(target.url))
  try {
    await migrate(knex, describeLocation(target))
    return { knex, readOnly: false }
  } catch (error) {
    await knex.destroy()
    if (isCorruption(error)) throw corruptionError(target, error)
    // knex's word for a history that has migrations this version does not know.
    const missing = /migration directory is corrupt, the following files are missing: (.*)/i.exec(errorMessage(error))
    if (missing) {
      throw new PerftrackError(
        'HISTORY_NEWER',
        `History database ${describeLocation(target)} was written by a newer perftrack (schema migrations ${missing[1]} are unknown to this version ${perftrackVersion()}); it was not changed.`,
        {
          suggestions: ['Upgrade perftrack (npm install perftrack@latest), or pass another --db.'],
          cause: error,
        },
      )
    }
    throw new PerftrackError('HISTORY_UNAVAILABLE', `Cannot open history database ${describeLocation(target)}: ${errorMessage(error)}`, {
      suggestions:
        target.kind === 'postgres' ? ['Check that the server runs and the URL (user, password, database) is right.'] : ['Check the path and its permissions.'],
      cause: error,
    })
  }
}

/** Opens another SQLite history for reading only (`history merge`'s source): nothing is migrated or written there. */
export async function openSqliteReadOnly(file: string): Promise<Knex> {
  if (!existsSync(file) || statSync(file).isDirectory()) {
    throw new PerftrackError('MERGE_SOURCE_NOT_FOUND', `Merge source ${file} does not exist or is a directory.`, {
      suggestions: ['Pass the path of another perftrack SQLite history file.'],
    })
  }
  if (fileHeader(file) !== sqliteHeader) {
    throw new PerftrackError('MERGE_SOURCE_NOT_SQLITE', `Merge source ${file} is not a SQLite file.`, {
      suggestions: ['Pass a perftrack SQLite history (e.g. history/perftrack.sqlite); for a JSON export use `perftrack history import`.'],
    })
  }
  await loadSqlite3()
  const knex = knexFactory(sqliteConfig(file, { kind: 'query-only' }))
  try {
    const tables = await Promise.all(['runs', 'results', 'samples'].map((t) => knex.schema.hasTable(t)))
    if (tables.includes(false)) {
      throw new PerftrackError(
        'MERGE_SOURCE_NOT_HISTORY',
        `Merge source ${file} is a SQLite file but not a perftrack history (no runs, results and samples tables).`,
        {
          suggestions: ['Pass a file written by perftrack (its --db).'],
        },
      )
    }
    // A page damaged in the middle of the file shows only when it is read: check them all first.
    const [check] = (await knex.raw('PRAGMA quick_check')) as Array<Record<string, unknown>>
    const verdict = check ? String(Object.values(check)[0]) : 'ok'
    if (verdict !== 'ok') throw Object.assign(new Error(`quick_check: ${verdict}`), { code: 'SQLITE_CORRUPT' })
    // Tables of these names with other columns (another program's, or hand-edited): name what is missing.
    const missing: string[] = []
    for (const [table, columns] of Object.entries(sourceColumns)) {
      const info = (await knex.raw(`PRAGMA table_info(${table})`)) as Array<{ name: string }>
      const have = new Set(info.map((c) => c.name))
      const lacking = columns.filter((c) => !have.has(c))
      if (lacking.length > 0) missing.push(`${table} lacks ${lacking.join(', ')}`)
    }
    if (missing.length > 0) {
      throw new PerftrackError(
        'MERGE_SOURCE_NOT_HISTORY',
        `Merge source ${file} has tables named like a perftrack history's but not its columns (${missing.join('; ')}); nothing was merged.`,
        {
          suggestions: [
            'Pass a file written by perftrack (its --db); a history of an older perftrack can be opened once with this version (perftrack history list --db FILE) to migrate it.',
          ],
        },
      )
    }
    return knex
  } catch (error) {
    await knex.destroy()
    if (error instanceof PerftrackError) throw error
    throw mergeSourceUnreadable(file, error)
  }
}

/** The columns merge reads from each table of the source. */
const sourceColumns: Record<string, string[]> = {
  runs: [
    'id',
    'status',
    'kind',
    'git_sha',
    'branch',
    'dirty',
    'commit_time',
    'commit_message',
    'started_at',
    'finished_at',
    'profile',
    'environment_hash',
    'fingerprint',
    'group_id',
    'label',
    'pid',
    'hostname',
    'note',
  ],
  results: [
    'id',
    'run_id',
    'plugin',
    'benchmark',
    'kind',
    'unit',
    'direction',
    'status',
    'error',
    'n',
    'mean',
    'median',
    'p95',
    'p99',
    'min',
    'max',
    'sd',
    'targets',
    'rounds',
  ],
  samples: ['result_id', 'round', 'count', 'values'],
}

export function mergeSourceUnreadable(file: string, error: unknown): PerftrackError {
  const damaged = /SQLITE_CORRUPT|SQLITE_NOTADB|malformed|quick_check/i.test(`${(error as { code?: string } | null)?.code ?? ''} ${errorMessage(error)}`)
  return new PerftrackError(
    damaged ? 'MERGE_SOURCE_CORRUPT' : 'MERGE_SOURCE_UNREADABLE',
    `Merge source ${file} ${damaged ? 'is damaged' : 'cannot be read'} (${errorMessage(error)}); nothing was merged.`,
    {
      suggestions: damaged ? ['Restore the source from a backup or merge a JSON export of it (perftrack history import).'] : [],
      cause: error,
    },
  )
}
