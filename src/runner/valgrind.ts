import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { instructionDefaults } from '../core/defaults.js'
import { PerftrackError } from '../core/errors.js'
import { buildCallgrindAddon, buildStableMemcmp, callgrindHooksEnv } from './callgrind-addon.js'

/** Set in the plugin child started under Valgrind: the directory its callgrind dumps go to. */
export const callgrindOutEnv = 'PERFTRACK_CALLGRIND_OUT'

/** Set in the plugin child started under Valgrind: the path of the address-independent memcmp preloaded into it. */
export const stableMemcmpEnv = 'PERFTRACK_STABLE_MEMCMP'

/**
 * LD_PRELOAD without `library`, undefined when nothing else is left: the counted process
 * takes the address-independent memcmp out of its own environment, so the processes a plugin
 * starts (redis-server, a compiler) run with libc's.
 */
export function withoutPreload(preload: string | undefined, library: string): string | undefined {
  const rest = (preload ?? '').split(/[:\s]+/).filter((entry) => entry !== '' && entry !== library)
  return rest.length > 0 ? rest.join(':') : undefined
}

/**
 * Whether the address-independent memcmp is mapped into this process (`maps`: the text of
 * /proc/self/maps). The dynamic loader only warns when a preload cannot be loaded and runs on
 * with libc's memcmp: counts taken so must not pass for counts taken with it.
 */
export function stableMemcmpLoaded(library: string | undefined, maps = readFileSync('/proc/self/maps', 'utf8')): boolean {
  return library !== undefined && maps.split('\n').some((line) => line.endsWith(` ${library}`))
}

/** How the supervisor forks the plugin child under callgrind (child_process.fork's execPath and execArgv). */
export interface ValgrindLaunch {
  execPath: string
  /** Valgrind's options, then node and its flags: fork appends the module and its own exec arguments. */
  execArgv: string[]
  env: NodeJS.ProcessEnv
  /** Removes the dump directory once the child is gone. */
  cleanup: () => void
}

function valgrindBinary(): string {
  const found = spawnSync('valgrind', ['--version'], { encoding: 'utf8' })
  if (found.error || found.status !== 0) {
    throw new PerftrackError('VALGRIND_MISSING', '--measure instructions counts instructions under Valgrind, which is not installed (no `valgrind` on PATH).', {
      suggestions: ['apt-get install -y valgrind (Debian/Ubuntu), then run again; or measure time (drop --measure instructions).'],
    })
  }
  return 'valgrind'
}

/**
 * Valgrind's arguments for the plugin child. Instrumentation and collection are off at start,
 * so Node's start-up, plugin loading and setup run uncounted (and faster than instrumented);
 * the measuring code turns them on around the measured calls. No --trace-children: the
 * child's own children (redis-server, esbuild) run natively.
 */
export function valgrindArgs(outDir: string): string[] {
  return [
    '--tool=callgrind',
    '--instr-atstart=no',
    '--collect-atstart=no',
    // Per-thread counts: the measured code runs on the main thread (see readDump).
    '--separate-threads=yes',
    `--callgrind-out-file=${path.join(outDir, 'callgrind.%p')}`,
    '--log-file=' + path.join(outDir, 'valgrind.%p.log'),
  ]
}

/**
 * What the supervisor needs to fork the plugin child under callgrind; perftrack's own process
 * stays native. The addon and the preloaded memcmp are built here first, so the compiler never
 * runs under Valgrind, and a missing valgrind or compiler is refused before anything is stored.
 * The child runs with the address-independent memcmp (src/runner/native/stable-memcmp.c)
 * ahead of libc's: libc's costs more instructions near a page boundary, which made the same
 * code count differently in two processes.
 */
export function valgrindLaunch(): ValgrindLaunch {
  const valgrind = valgrindBinary()
  const hooks = buildCallgrindAddon()
  const memcmp = buildStableMemcmp()
  if (/[:\s]/.test(memcmp)) {
    throw new PerftrackError(
      'INSTRUCTIONS_UNAVAILABLE',
      `The address-independent memcmp was built at ${memcmp}, a path LD_PRELOAD cannot hold (it has a space or a colon).`,
      {
        suggestions: ['Set TMPDIR to a directory whose path has no spaces or colons, then run again.'],
      },
    )
  }
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'perftrack-callgrind-'))
  const preload = [memcmp, withoutPreload(process.env.LD_PRELOAD, memcmp)].filter((entry) => entry !== undefined).join(':')
  return {
    execPath: valgrind,
    execArgv: [...valgrindArgs(outDir), process.execPath, ...instructionDefaults.nodeFlags],
    env: { ...process.env, [callgrindOutEnv]: outDir, [callgrindHooksEnv]: hooks, [stableMemcmpEnv]: memcmp, LD_PRELOAD: preload },
    cleanup: () => rmSync(outDir, { recursive: true, force: true }),
  }
}
