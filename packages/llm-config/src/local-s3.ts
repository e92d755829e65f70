import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { S3Config } from './s3-client.js'
import { createS3Client } from './s3-client.js'
import { buildSeedData } from './seed-data.js'
import { uploadTemplateObjects } from './seeding.js'

// s3rver ships no type declarations; this is the part of its API used here.
interface S3rverInstance {
  run(): Promise<AddressInfo>
  close(): Promise<void>
  httpServer?: { closeAllConnections?(): void }
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor

export interface LocalS3Options {
  /** @default 'llm-templates' */
  bucket?: string
  /** Upload the seed templates after start. @default true */
  seedTemplates?: boolean
}

/** A running s3rver and the configuration that reaches it. */
export interface LocalS3 {
  endpoint: string
  port: number
  bucket: string
  /** Temp directory holding the objects; removed by `stop()`. */
  directory: string
  /** Pass to `createS3Client` or `createLlmSystem({ s3 })`. */
  config: S3Config
  /** Closes the server and removes its directory. Safe to call twice. */
  stop(): Promise<void>
}

/** Starts s3rver on 127.0.0.1 on a free port in a temp directory, creates the bucket and (by default) uploads the seed templates. */
export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalS3> {
  const bucket = options.bucket ?? 'llm-templates'
  const directory = await mkdtemp(join(tmpdir(), 'llm-s3rver-'))
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] })
  const address = await server.run()
  const endpoint = `http://127.0.0.1:${address.port}`
  const config: S3Config = {
    endpoint,
    region: 'us-east-1',
    bucket,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
  }
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    // Clients keep sockets alive; drop them so close() returns now rather than at their timeout.
    server.httpServer?.closeAllConnections?.()
    await server.close()
    await rm(directory, { recursive: true, force: true })
  }
  if (options.seedTemplates ?? true) {
    const { client } = createS3Client(config)
    try {
      await uploadTemplateObjects(client, bucket, buildSeedData({ bucket }).objects)
    } catch (error) {
      await stop()
      throw error
    } finally {
      client.destroy()
    }
  }
  return { endpoint, port: address.port, bucket, directory, config, stop }
}
