import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ConfigurationRepository,
  ConfigurationService,
  createS3Client,
  RedisL2Cache,
  S3TemplateContentStore,
  seedTemplateIds,
  TemplateRepository,
  TemplateService,
} from '../src/index.js'
import { openTestSystem } from './helpers.js'

const redisBinary = ['/usr/sbin/redis-server', '/usr/bin/redis-server'].find((p) => existsSync(p))
const externalUrl = process.env.PERFTRACK_REDIS_URL
const canRun = externalUrl !== undefined || redisBinary !== undefined

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

let redisProcess: ChildProcess | undefined
let url: string
let system: Awaited<ReturnType<typeof openTestSystem>> | undefined
let l2A: RedisL2Cache | undefined
let l2B: RedisL2Cache | undefined

async function stopRedis(): Promise<void> {
  const child = redisProcess
  if (!child || child.exitCode !== null) return
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

beforeAll(async () => {
  if (!canRun) return
  if (externalUrl) {
    url = externalUrl
  } else {
    const port = await freePort()
    redisProcess = spawn(redisBinary!, ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'], {
      stdio: 'ignore',
    })
    url = `redis://127.0.0.1:${port}`
  }
  // A per-run prefix keeps a shared external Redis clean of other runs' entries.
  const keyPrefix = `llm-test-${process.pid}-${Date.now()}:`
  l2A = new RedisL2Cache({ url, keyPrefix })
  l2B = new RedisL2Cache({ url, keyPrefix })
  await Promise.all([l2A.ready(), l2B.ready()])
  system = await openTestSystem({ l2: l2A })
})

afterAll(async () => {
  await l2A?.clear().catch(() => {})
  await l2A?.close()
  await l2B?.close()
  await system?.close()
  await stopRedis()
})

describe.skipIf(!canRun)('Redis L2 shared by two service instances (needs redis-server or PERFTRACK_REDIS_URL)', () => {
  it('serves instance B from Redis after instance A loaded, with no repository query or S3 GET on B', async () => {
    const sys = system!
    // Instance B: its own repositories, S3 client and L1 caches over the same database, S3 and Redis.
    const repoB = new ConfigurationRepository(sys.db)
    const templatesB = new TemplateRepository(sys.db)
    const s3B = createS3Client(sys.s3.config)
    const configB = new ConfigurationService({ repository: repoB, l2: l2B })
    const templateB = new TemplateService({ repository: templatesB, contentStore: new S3TemplateContentStore(s3B.client), l2: l2B })
    try {
      const fromA = await sys.configService.resolveWithTrace('ALIGNMENT_ANALYSIS', 'enterprise')
      expect(fromA.trace.layer).toBe('source')
      await sys.templateService.getTemplate(seedTemplateIds.simple)

      const fromB = await configB.resolveWithTrace('ALIGNMENT_ANALYSIS', 'enterprise')
      expect(fromB.trace.layer).toBe('L2')
      expect(fromB.configuration).toEqual(fromA.configuration)
      expect(fromB.configuration.effectiveFrom).toBeInstanceOf(Date)
      expect(repoB.stats.queries).toBe(0)
      expect(configB.cache.counters).toMatchObject({ l2Hits: 1, l2Errors: 0 })

      const templateFromB = await templateB.getTemplateWithTrace(seedTemplateIds.simple)
      expect(templateFromB.trace).toEqual({ metadata: 'L2', content: 'L2' })
      expect(templatesB.stats.queries).toBe(0)
      expect(s3B.stats.gets).toBe(0)

      // Second call on B is an L1 hit: L2 copies are promoted.
      expect((await configB.resolveWithTrace('ALIGNMENT_ANALYSIS', 'enterprise')).trace.layer).toBe('L1')
    } finally {
      s3B.client.destroy()
    }
  })

  it('falls through to the source when Redis is down, counting L2 errors', async () => {
    const sys = system!
    await stopRedis()
    if (externalUrl) await l2A!.close() // cannot stop an external server: disconnect instead
    const repoB = new ConfigurationRepository(sys.db)
    const configB = new ConfigurationService({ repository: repoB, l2: l2B })
    if (externalUrl) await l2B!.close()

    const { configuration, trace } = await configB.resolveWithTrace('KPI_ANALYSIS', 'starter')
    expect(configuration.id).toBe('cfg-kpi-analysis-default-v2')
    expect(trace.layer).toBe('source')
    expect(repoB.stats.queries).toBe(1)
    expect(configB.cache.counters.l2Errors).toBeGreaterThanOrEqual(1)

    const onA = await sys.configService.resolveWithTrace('WEBSITE_SCAN', 'professional')
    expect(onA.trace.layer).toBe('source')
    expect(onA.configuration.id).toBe('cfg-website-scan-default-v2')
  })
})
