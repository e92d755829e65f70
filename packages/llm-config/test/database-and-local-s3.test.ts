import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import { createS3Client, openLlmDatabase, seedTemplateKey, seedTemplateSources, startLocalS3 } from '../src/index.js'

describe('database', () => {
  it('migrates a SQLite file idempotently and runs it in WAL mode', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llm-db-test-'))
    const file = join(dir, 'llm.sqlite')
    try {
      const first = await openLlmDatabase(file)
      await first.destroy()
      const second = await openLlmDatabase({ connection: file })
      try {
        const mode = (await second.raw('PRAGMA journal_mode')) as { journal_mode: string }[]
        expect(mode[0].journal_mode).toBe('wal')
        expect(await second.schema.hasTable('llm_configurations')).toBe(true)
        expect(await second.schema.hasTable('llm_template_metadata')).toBe(true)
        const applied = await second('llm_knex_migrations').select('name').orderBy('name')
        expect(applied.map((r: { name: string }) => r.name)).toEqual(['001_create_llm_configurations', '002_create_llm_template_metadata'])
      } finally {
        await second.destroy()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('local S3', () => {
  it('starts s3rver on a free loopback port with the seed templates, and stop() removes its directory', async () => {
    const s3 = await startLocalS3({ bucket: 'test-bucket' })
    const { client, stats } = createS3Client(s3.config)
    try {
      expect(s3.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const object = await client.send(new GetObjectCommand({ Bucket: 'test-bucket', Key: seedTemplateKey('WEBSITE_SCAN', 2) }))
      expect(await object.Body!.transformToString()).toBe(seedTemplateSources.WEBSITE_SCAN)
      expect(stats.byCommand).toEqual({ GetObjectCommand: 1 })
    } finally {
      client.destroy()
      await s3.stop()
    }
    expect(existsSync(s3.directory)).toBe(false)
    await s3.stop() // a second stop is harmless
  })
})
