// Shared by the bundled plugins. No index.ts here: the loader treats a folder with one as a plugin.
import path from 'node:path'
import { type CreateLlmSystemOptions, createLlmSystem, frozenClock, type LatencyProfileName, type LlmSystem, latencyProfiles } from '@perftrack/llm-config'
import type { PluginContext } from 'perftrack'

/** The run's `--profile` as a latency profile of the LLM system; an unknown name is refused with the known ones. */
export function latencyProfileOf(ctx: PluginContext): LatencyProfileName {
  if (!Object.hasOwn(latencyProfiles, ctx.profile)) {
    throw new Error(`Unknown latency profile "${ctx.profile}"; the LLM plugins know ${Object.keys(latencyProfiles).join(', ')}.`)
  }
  return ctx.profile as LatencyProfileName
}

/**
 * The real system under test: a SQLite file in the plugin's tmp dir seeded through the
 * repositories, a local s3rver on loopback holding the seed templates, and the run's latency
 * profile wrapped around the repositories and the S3 client. `close()` stops all of it.
 * Counting instructions, its clock stands still unless the caller brings its own: under
 * Valgrind a plugin's process ran for over 10 minutes on a loaded machine, past the 5-minute
 * TTL of rendered output, and an entry that expires inside a counted round makes the count
 * depend on the machine's speed.
 */
export async function openSystem(
  ctx: PluginContext,
  name: string,
  options: Omit<CreateLlmSystemOptions, 'dbPath' | 'local' | 'profile'> = {},
): Promise<LlmSystem> {
  const now = options.now ?? (ctx.measure === 'instructions' ? frozenClock() : undefined)
  const system = await createLlmSystem({ ...options, now, dbPath: path.join(ctx.tmpDir, `${name}.sqlite`), local: true, profile: latencyProfileOf(ctx) })
  if (ctx.measure === 'instructions') warmedInOrder.add(system)
  ctx.logger.debug(`${name}: SQLite ${path.join(ctx.tmpDir, `${name}.sqlite`)}, s3rver ${system.s3.config.endpoint}, profile ${system.profile.name}`)
  return system
}

/** Systems opened to count instructions: warmEach loads their caches one at a time. */
const warmedInOrder = new WeakSet<LlmSystem>()

/**
 * Warms `system`'s caches: `work` over `items`, `limit` at a time — or one at a time in item
 * order when counting instructions. The caches are Maps, and a lookup compares its key with
 * the entries that went into its bucket after it; with loads in flight together they go in
 * the order their I/O completes, which differs between processes: warmed 16 and 32 at a
 * time, one process in about six counted every round of cache/production-volume-warm 34
 * instructions (0.33%) lower than the others, all of it in V8's string comparisons under the
 * Map lookup (README, "Instruction counts").
 */
export function warmEach<T>(system: LlmSystem, items: readonly T[], limit: number, work: (item: T, index: number) => Promise<unknown>): Promise<void> {
  return forEachLimited(items, warmedInOrder.has(system) ? 1 : limit, work)
}

/** Runs `work` over `items` with at most `limit` in flight (warming caches without a 10 ms × 1,000 serial wait in the seed profile). */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      await work(items[index], index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
