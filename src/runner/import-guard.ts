import { importModule } from '../core/module-import.js'

/** A plugin module called process.exit while perftrack imported it. */
export class PluginExitError extends Error {
  constructor(code: unknown) {
    super(`it called process.exit(${code === undefined ? '' : String(code)}) while being imported; remove the call (perftrack must outlive its plugins)`)
    this.name = 'PluginExitError'
  }
}

/**
 * Imports a plugin file in perftrack's own process (to list and validate it) without letting
 * its top-level code end the process or write to stdout, which carries `--json` data: the
 * import's stdout writes go to stderr, and process.exit throws instead of exiting.
 */
export async function guardedImport(file: string): Promise<Record<string, unknown>> {
  const exit = process.exit
  const write = process.stdout.write
  process.exit = ((code?: unknown) => {
    throw new PluginExitError(code)
  }) as typeof process.exit
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write
  try {
    return await importModule(file)
  } finally {
    process.exit = exit
    process.stdout.write = write
  }
}
