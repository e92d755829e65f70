import { pathToFileURL } from 'node:url'

import { tsImport } from 'tsx/esm/api'

/**
 * Imports a TypeScript or JavaScript module without a build step. tsx also honours the
 * tsconfig `paths` of the working directory, which is how the repository's own plugins
 * resolve `import { definePlugin } from 'perftrack'` to the source tree.
 */
export async function importModule(file: string): Promise<Record<string, unknown>> {
  return (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>
}

/** A module's default export, unwrapping the double default of a CommonJS-interop module. */
export function defaultExport(mod: Record<string, unknown>): unknown {
  let value = mod.default
  if (value && typeof value === 'object' && 'default' in value && !('benchmarks' in value) && !('plugins' in value)) {
    value = (value as Record<string, unknown>).default
  }
  return value
}
