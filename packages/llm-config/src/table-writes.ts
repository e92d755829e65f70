import type { Knex } from 'knex'

import type { QueryStats } from './query-stats.js'

/** Rows per INSERT: 50 rows of either table stay well within SQLite's bound-variable limit. */
const chunkSize = 50

/** `SELECT count(*)`, counted as one statement. */
export async function countRows(knex: Knex, table: string, stats: QueryStats): Promise<number> {
  stats.record('count')
  const [{ n }] = await knex(table).count({ n: '*' })
  return Number(n)
}

/** Inserts already-validated rows in chunks, counting one statement per chunk. */
export async function insertRows(knex: Knex, table: string, stats: QueryStats, rows: object[]): Promise<void> {
  if (rows.length === 0) return
  stats.record('insert', Math.ceil(rows.length / chunkSize))
  await knex.batchInsert(table, rows, chunkSize)
}
