import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { type CreateLlmSystemOptions, createLlmSystem, type LlmSystem } from '../src/index.js'

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2026, 0, 15, 12, 0, 0)) {
  let t = start
  const now = () => t
  return {
    now,
    advance(ms: number) {
      t += ms
    },
  }
}

/** A system on a SQLite file in a fresh temp dir and a live local s3rver. Call `close()` in afterAll. */
export async function openTestSystem(options: CreateLlmSystemOptions = {}): Promise<LlmSystem & { dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'llm-test-'))
  const system = await createLlmSystem({ dbPath: join(dir, 'llm.sqlite'), ...options })
  return {
    ...system,
    dir,
    async close() {
      await system.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export const minute = 60_000
export const day = 24 * 60 * minute

/**
 * One test system for the whole file, with caches and counters reset before each test, so
 * every test starts cold and counts from zero. Returns a getter (the system exists once
 * beforeAll has run).
 */
export function useTestSystem(options: CreateLlmSystemOptions = {}): () => LlmSystem & { dir: string } {
  let system: (LlmSystem & { dir: string }) | undefined
  beforeAll(async () => {
    system = await openTestSystem(options)
  })
  afterAll(async () => {
    await system?.close()
  })
  beforeEach(async () => {
    await system!.clearCaches()
    system!.resetCounters()
  })
  return () => system!
}
