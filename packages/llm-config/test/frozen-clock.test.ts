import { afterAll, describe, expect, it } from 'vitest'

import { frozenClock } from '../src/index.js'
import { openTestSystem } from './helpers.js'

let system: Awaited<ReturnType<typeof openTestSystem>> | undefined
afterAll(async () => {
  await system?.close()
})

describe('a frozen clock (perftrack --measure instructions gives the system one)', () => {
  it('reads the same instant however much real time passes, so a cached entry is never reloaded', async () => {
    // A TTL of 1 ms: on the wall clock the entry would expire before the second resolve.
    const clock = frozenClock(Date.UTC(2026, 0, 15, 12))
    system = await openTestSystem({ now: clock, cache: { configurations: { ttlMs: 1 } } })
    expect((await system.configService.resolveWithTrace('KPI_ANALYSIS', 'enterprise')).trace.layer).toBe('source')
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(clock()).toBe(Date.UTC(2026, 0, 15, 12))
    expect((await system.configService.resolveWithTrace('KPI_ANALYSIS', 'enterprise')).trace.layer).toBe('L1')
  })
})
