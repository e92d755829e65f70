import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { instructionDefaults } from '../core/defaults.js'
import { PerftrackError } from '../core/errors.js'
import { buildCallgrindAddon } from './callgrind-addon.js'

/** Set in the plugin child started under Valgrind: the directory its callgrind dumps go to. */
export const callgrindOutEnv = 'PERFTRACK_CALLGRIND_OUT'

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
 * stays native. The addon is built here first, so the compiler never runs under Valgrind, and
 * a missing valgrind or compiler is refused before anything is stored.
 */
export function valgrindLaunch(): ValgrindLaunch {
  const valgrind = valgrindBinary()
  buildCallgrindAddon()
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'perftrack-callgrind-'))
  return {
    execPath: valgrind,
    execArgv: [...valgrindArgs(outDir), process.execPath, ...instructionDefaults.nodeFlags],
    env: { ...process.env, [callgrindOutEnv]: outDir },
    cleanup: () => rmSync(outDir, { recursive: true, force: true }),
  }
}
