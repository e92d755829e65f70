import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { PerftrackError } from '../core/errors.js'

/** The Valgrind client requests of src/runner/native/callgrind-hooks.c. */
export interface CallgrindHooks {
  runningOnValgrind(): boolean
  startInstrumentation(): void
  stopInstrumentation(): void
  /** Zero the counters and start collecting. */
  beginCount(): void
  /** Pause or resume collecting. */
  toggleCollect(): void
  /** Stop collecting and dump the counts, the dump described by `label`. */
  endCount(label: string): void
}

/** Works from src/runner (tsx) and dist/runner (built) alike: the C sources ship beside the TypeScript. */
const nativeSource = (name: string) => fileURLToPath(new URL(`../../src/runner/native/${name}`, import.meta.url))

/** Where node's own headers live: `<prefix>/include/node` beside `<prefix>/bin/node`. */
function nodeIncludeDir(): string {
  return path.resolve(path.dirname(process.execPath), '..', 'include', 'node')
}

function help(message: string): PerftrackError {
  return new PerftrackError('INSTRUCTIONS_UNAVAILABLE', message, {
    suggestions: ['apt-get install -y valgrind build-essential (Debian/Ubuntu), then run again; or measure time (drop --measure instructions).'],
  })
}

/**
 * Compiles a shared object once per source version and Node ABI into the OS temp directory
 * (`perftrack-callgrind/<stem>-<key>.<ext>`) and returns its path.
 */
function buildShared(file: string, stem: string, ext: string, ccArgs: string[], what: string): string {
  const code = readFileSync(nativeSource(file))
  const key = createHash('sha256').update(code).update(ccArgs.join(' ')).update(process.versions.modules).update(process.arch).digest('hex').slice(0, 16)
  const dir = path.join(os.tmpdir(), 'perftrack-callgrind')
  const out = path.join(dir, `${stem}-${key}.${ext}`)
  if (existsSync(out)) return out
  mkdirSync(dir, { recursive: true })
  // Built under a private name and renamed: two processes building at once never load half a file.
  const tmp = `${out}.${process.pid}.tmp`
  try {
    execFileSync('cc', ['-shared', '-fPIC', '-O2', ...ccArgs, nativeSource(file), '-o', tmp], { stdio: 'pipe' })
  } catch (error) {
    throw help(`Cannot build ${what} with cc: ${(error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message}`)
  }
  renameSync(tmp, out)
  return out
}

/**
 * The Valgrind hooks (src/runner/native/callgrind-hooks.c): a C compiler, node's headers and
 * valgrind's headers are enough, no node-gyp download. A Node-API addon on Linux resolves
 * napi_* from the running node binary, so no linking step is needed.
 */
export function buildCallgrindAddon(): string {
  const include = nodeIncludeDir()
  if (!existsSync(path.join(include, 'node_api.h'))) throw help(`Cannot build the Valgrind hooks: node's headers are missing (${include}/node_api.h).`)
  if (!existsSync('/usr/include/valgrind/callgrind.h'))
    throw help('Cannot build the Valgrind hooks: /usr/include/valgrind/callgrind.h is missing (Valgrind is not installed).')
  return buildShared('callgrind-hooks.c', 'callgrind-hooks', 'node', ['-DNODE_GYP_MODULE_NAME=callgrind_hooks', `-I${include}`], 'the Valgrind hooks')
}

/** File names of the address-independent memcmp start so (stableMemcmpStem); plugin-child.ts takes it out of LD_PRELOAD by it. */
export const stableMemcmpStem = 'stable-memcmp'

/** The address-independent memcmp preloaded into the counted process (src/runner/native/stable-memcmp.c). */
export function buildStableMemcmp(): string {
  return buildShared('stable-memcmp.c', stableMemcmpStem, 'so', ['-fno-builtin', '-fno-tree-loop-distribute-patterns'], 'the address-independent memcmp')
}

let loaded: CallgrindHooks | undefined

/** The client requests, built on first use. */
export function callgrindHooks(): CallgrindHooks {
  loaded ??= createRequire(import.meta.url)(buildCallgrindAddon()) as CallgrindHooks
  return loaded
}
