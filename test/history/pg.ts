import { randomBytes } from 'node:crypto'

import pg from 'pg'

/** The PostgreSQL server of the tests (CI sets it); unset → the PostgreSQL variants are skipped. */
export const pgUrl = process.env.PERFTRACK_TEST_PG_URL

/** A fresh database on the test server, so each test file works in isolation; `drop` removes it. */
export async function createTestDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `perftrack_t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const dbUrl = new URL(url)
  dbUrl.pathname = `/${name}`
  return {
    url: dbUrl.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        // Not WITH (FORCE): it may not terminate an autovacuum worker of another role. Our own
        // connections are closed by now; wait for any other to finish.
        for (let attempt = 0; ; attempt++) {
          try {
            await client.query(`DROP DATABASE IF EXISTS ${name}`)
            return
          } catch (error) {
            if (attempt >= 50 || (error as { code?: string }).code !== '55006') throw error
            await new Promise((resolve) => setTimeout(resolve, 200))
          }
        }
      } finally {
        await client.end()
      }
    },
  }
}
