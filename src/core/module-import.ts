import { pathToFileURL } from 'node:url'

import { type NamespacedUnregister, register } from 'tsx/esm/api'

let loader: NamespacedUnregister | undefined

/**
 * Imports a TypeScript or JavaScript module without a build step. tsx also honours the
 * tsconfig `paths` of the working directory, which is how the repository's own plugins
 * resolve `import { definePlugin } from 'perftrack'` to the source tree.
 *
 * All modules load through one tsx namespace, so plugins that import the same code (the
 * bundled ones all import @perftrack/llm-config) share one module graph, as they would in a built
 * application, instead of each compiling and evaluating its own copy.
 */
export async function importModule(file: string): Promise<Record<string, unknown>> {
  loader ??= register({ namespace: 'perftrack' })
  return (await loader.import(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>
}

/** A module's default export, unwrapping the double default of a CommonJS-interop module. */
export function defaultExport(mod: Record<string, unknown>): unknown {
  let value = mod.default
  if (value && typeof value === 'object' && 'default' in value && !('benchmarks' in value) && !('plugins' in value)) {
    value = (value as Record<string, unknown>).default
  }
  return value
}

/** Starts the TypeScript loader ahead of the first import (its start-up is most of a first import's time). */
export async function warmUpLoader(): Promise<void> {
  loader ??= register({ namespace: 'perftrack' })
  await loader.import('data:text/javascript,export default 0', import.meta.url)
}
