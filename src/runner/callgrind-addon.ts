import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs'
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

let compiler: string | undefined

/** What the C compiler is (asked once per process): part of a build's cache key, since the counts depend on the code it emits. */
function compilerVersion(): string {
  if (compiler === undefined) {
    try {
      compiler = execFileSync('cc', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    } catch {
      compiler = 'no cc'
    }
  }
  return compiler
}

/**
 * This user's directory of built files, private to them: a file in it is loaded into the
 * counted process (required or preloaded), so no other user may put one there.
 */
function nativeDir(): string {
  const uid = process.getuid?.() ?? 0
  const dir = path.join(os.tmpdir(), `perftrack-native-${uid}`)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const stat = statSync(dir)
  if (stat.uid !== uid || (stat.mode & 0o022) !== 0) {
    throw help(`${dir} belongs to another user or others may write to it; perftrack loads the files it builds there into the counted process.`)
  }
  return dir
}

interface NativeBuild {
  /** The C source in src/runner/native/. */
  file: string
  /** The built file's name: `<stem>-<key>.<ext>`. */
  stem: string
  ext: string
  ccArgs: string[]
  /** What it is, for error messages. */
  what: string
  /** Checks that only a build needs (headers): a built file in place is used without them. */
  beforeBuild?: () => void
}

/**
 * Compiles a shared object once per source, compiler, flags and Node ABI into this user's
 * directory (nativeDir) and returns its path.
 */
function buildShared(build: NativeBuild): string {
  const args = ['-shared', '-fPIC', '-O2', ...build.ccArgs]
  const key = createHash('sha256')
    .update(readFileSync(nativeSource(build.file)))
    .update(args.join(' '))
    .update(compilerVersion())
    .update(process.versions.modules)
    .update(process.arch)
    .digest('hex')
    .slice(0, 16)
  const out = path.join(nativeDir(), `${build.stem}-${key}.${build.ext}`)
  if (existsSync(out)) return out
  build.beforeBuild?.()
  // Built under a private name and renamed: two processes building at once never load half a file.
  const tmp = `${out}.${process.pid}.tmp`
  try {
    execFileSync('cc', [...args, nativeSource(build.file), '-o', tmp], { stdio: 'pipe' })
  } catch (error) {
    throw help(`Cannot build ${build.what} with cc: ${(error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message}`)
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
  return buildShared({
    file: 'callgrind-hooks.c',
    stem: 'callgrind-hooks',
    ext: 'node',
    ccArgs: ['-DNODE_GYP_MODULE_NAME=callgrind_hooks', `-I${include}`],
    what: 'the Valgrind hooks',
    beforeBuild() {
      if (!existsSync(path.join(include, 'node_api.h'))) throw help(`Cannot build the Valgrind hooks: node's headers are missing (${include}/node_api.h).`)
      if (!existsSync('/usr/include/valgrind/callgrind.h'))
        throw help('Cannot build the Valgrind hooks: /usr/include/valgrind/callgrind.h is missing (Valgrind is not installed).')
    },
  })
}

/** The address-independent memcmp preloaded into the counted process (src/runner/native/stable-memcmp.c). */
export function buildStableMemcmp(): string {
  return buildShared({
    file: 'stable-memcmp.c',
    stem: 'stable-memcmp',
    ext: 'so',
    ccArgs: ['-fno-builtin', '-fno-tree-loop-distribute-patterns'],
    what: 'the address-independent memcmp',
  })
}

/** Set in the plugin child started under Valgrind: the path of the hooks the supervisor built (valgrind.ts). */
export const callgrindHooksEnv = 'PERFTRACK_CALLGRIND_HOOKS'

let loaded: CallgrindHooks | undefined

/**
 * The client requests: in the counted child, the addon the supervisor built for it (no
 * compiler asked, no process started under Valgrind); elsewhere built on first use.
 */
export function callgrindHooks(): CallgrindHooks {
  loaded ??= createRequire(import.meta.url)(process.env[callgrindHooksEnv] ?? buildCallgrindAddon()) as CallgrindHooks
  return loaded
}
