import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

import { freePort, portOpen } from '../support/net.js'

/** A Redis to talk to, and how to let go of it. */
export interface RedisHandle {
  url: string
  /** Where it came from, for logs. */
  origin: string
  /** The port of a server this process started (undefined for PERFTRACK_REDIS_URL). */
  port?: number
  /** Stops a server this process started; nothing for an external one. */
  stop(): Promise<void>
}

export const redisBinaries = ['/usr/bin/redis-server', '/usr/sbin/redis-server']

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()))
}

/**
 * `PERFTRACK_REDIS_URL` when set; else a `redis-server` started on a free loopback port
 * (no persistence). Throws with the reason when neither is possible.
 */
export async function acquireRedis(env: NodeJS.ProcessEnv = process.env): Promise<RedisHandle> {
  const external = env.PERFTRACK_REDIS_URL
  if (external) return { url: external, origin: 'PERFTRACK_REDIS_URL', stop: async () => {} }
  const binary = redisBinaries.find((p) => existsSync(p))
  if (!binary) throw new Error(`no Redis: PERFTRACK_REDIS_URL is not set and redis-server is not at ${redisBinaries.join(' or ')}`)
  const port = await freePort()
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  let spawnError: Error | undefined
  child.once('error', (error) => (spawnError = error))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const done = exited(child)
    child.kill('SIGTERM')
    await done
  }
  for (let waited = 0; waited < 5_000; waited += 50) {
    if (spawnError) throw new Error(`redis-server could not start: ${spawnError.message}`)
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode} before accepting connections on port ${port}`)
    if (await portOpen(port)) return { url: `redis://127.0.0.1:${port}`, origin: `${binary} (pid ${child.pid})`, port, stop }
    await sleep(50)
  }
  await stop()
  throw new Error(`redis-server did not accept connections on 127.0.0.1:${port} within 5 s`)
}
