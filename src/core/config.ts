import { existsSync } from 'node:fs'
import path from 'node:path'

import { z } from 'zod'

import { errorMessage, PerftrackError } from './errors.js'
import { defaultExport, importModule } from './module-import.js'

const configSchema = z
  .object({
    /**
     * Folders scanned for `<name>/index.ts` plugins, relative to the config file. They replace
     * the default (`perf`, `plugins`): `['perf']` leaves a service's own `plugins/` alone.
     */
    pluginDirs: z.array(z.string().min(1)).optional(),
    /** Plugin files or directories, relative to the config file, besides those in `pluginDirs`. */
    plugins: z.array(z.string().min(1)).optional(),
    /** Options handed to each plugin's setup as `ctx.options`, by plugin name. */
    pluginOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    /** History database: a file path or a postgres:// URL. */
    db: z.string().min(1).optional(),
    profile: z.string().min(1).optional(),
    baseBranch: z.string().min(1).optional(),
    runner: z
      .object({
        rounds: z.number().int().min(1).optional(),
        time: z.number().positive().optional(),
        warmupTime: z.number().min(0).optional(),
        maxWarmupTime: z.number().min(0).optional(),
        timeout: z.number().positive().optional(),
      })
      .strict()
      .optional(),
    /** Relative noise thresholds for comparisons: `default`, or by `plugin/benchmark`. */
    thresholds: z.record(z.string(), z.number().positive().max(1)).optional(),
  })
  .strict()

export type PerftrackConfig = z.infer<typeof configSchema> & { file?: string; dir: string }

export const configFileNames = ['perftrack.config.ts', 'perftrack.config.mts', 'perftrack.config.js', 'perftrack.config.mjs']

/** Loads `perftrack.config.*` from `dir` (or the explicit file); none is fine. */
export async function loadConfig(dir: string, explicit?: string): Promise<PerftrackConfig> {
  const file = explicit ? path.resolve(explicit) : configFileNames.map((name) => path.join(dir, name)).find((f) => existsSync(f))
  if (!file) return { dir }
  if (!existsSync(file)) {
    throw new PerftrackError('CONFIG_NOT_FOUND', `Config file ${file} does not exist.`, {
      suggestions: ['Pass an existing file to --config, or drop the flag.'],
    })
  }
  let value: unknown
  try {
    value = defaultExport(await importModule(file))
  } catch (error) {
    throw new PerftrackError('CONFIG_INVALID', `${file}: cannot be loaded — ${errorMessage(error)}`, { cause: error })
  }
  const parsed = configSchema.safeParse(value ?? {})
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(default export)'}: ${i.message}`)
    throw new PerftrackError('CONFIG_INVALID', `${file}: invalid config — ${problems.join('; ')}`, {
      suggestions: ['See "Configuration" in README.md for the accepted fields.'],
    })
  }
  return { ...parsed.data, file, dir: path.dirname(file) }
}
