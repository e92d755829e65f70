import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildSeedData, generateVolume, interactionCodes, mulberry32, tiers } from '../src/index.js'
import { manualClock, openTestSystem } from './helpers.js'

const clock = manualClock()
let system: Awaited<ReturnType<typeof openTestSystem>>

beforeAll(async () => {
  system = await openTestSystem({ now: clock.now })
})
afterAll(async () => {
  await system?.close()
})

describe('seed data and volume generator', () => {
  it('mulberry32 is deterministic for a seed', () => {
    const a = mulberry32(7)
    const b = mulberry32(7)
    const seqA = Array.from({ length: 5 }, a)
    expect(seqA).toEqual(Array.from({ length: 5 }, b))
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true)
    expect(Array.from({ length: 5 }, mulberry32(8))).not.toEqual(seqA)
  })

  it('seeds every interaction with a default, a template in two versions, and a mix of tiers and decoys', () => {
    const data = buildSeedData({ bucket: 'b', now: clock.now() })
    for (const code of interactionCodes) {
      expect(data.configurations.some((c) => c.interactionCode === code && c.tier === null)).toBe(true)
      expect(data.templates.filter((t) => t.interactionCode === code).map((t) => t.version)).toEqual([1, 2])
    }
    for (const tier of tiers) expect(data.configurations.some((c) => c.tier === tier)).toBe(true)
    expect(data.configurations.some((c) => !c.isActive)).toBe(true)
    expect(data.configurations.some((c) => c.effectiveFrom.getTime() > clock.now())).toBe(true)
    expect(data.configurations.some((c) => c.effectiveUntil !== null && c.effectiveUntil.getTime() < clock.now())).toBe(true)
    expect(Object.keys(data.objects)).toHaveLength(interactionCodes.length * 2)
  })

  it('generates the same production-like volume for the same seed', () => {
    const one = generateVolume({ bucket: 'b', now: clock.now(), seed: 1, configurations: 500, templates: 50 })
    const two = generateVolume({ bucket: 'b', now: clock.now(), seed: 1, configurations: 500, templates: 50 })
    expect(one).toEqual(two)
    expect(one.configurations).toHaveLength(500)
    expect(one.templates).toHaveLength(50)
    expect(generateVolume({ bucket: 'b', now: clock.now(), seed: 2, configurations: 500, templates: 0 })).not.toEqual(one)
  })

  it('loads 10,000 configurations and 1,000 templates without changing any resolution answer', async () => {
    const answers = async () => {
      await system.clearCaches()
      const out: Record<string, string> = {}
      for (const code of interactionCodes) {
        for (const tier of [null, ...tiers]) out[`${code}:${tier}`] = (await system.configService.resolve(code, tier)).id
      }
      return out
    }
    const before = await answers()
    await system.seedVolume()
    expect(await system.repos.configurations.count()).toBe(10_000 + buildSeedData({ bucket: 'b', now: clock.now() }).configurations.length)
    expect(await system.repos.templates.count()).toBe(1_000 + interactionCodes.length * 2)
    expect(await answers()).toEqual(before)
    // Volume templates point at real S3 objects, so they can be fetched.
    expect((await system.templateService.getTemplate('vol-tpl-000000')).content.length).toBeGreaterThan(0)
  })
})
