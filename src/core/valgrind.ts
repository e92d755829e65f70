import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { buildCallgrindAddon } from './callgrind-addon.js'
import { PerftrackError } from './errors.js'
import { instructionDefaults } from './measure-instructions.js'

/** Set in the process perftrack starts under Valgrind: the directory its callgrind dumps go to. */
export const callgrindOutEnv = 'PERFTRACK_CALLGRIND_OUT'

/** True inside the process that `reexecUnderValgrind` started. */
export function underValgrind(): boolean {
  return process.env[callgrindOutEnv] !== undefined
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
 * The command line that runs this same perftrack command under callgrind. Instrumentation and
 * collection are off at start, so Node's start-up, plugin loading and setup run uncounted (and
 * faster than instrumented); the measuring code turns them on around the measured calls.
 * Children (git, redis-server) run natively: under Valgrind each would start seconds slower.
 */
export function valgrindArgs(outDir: string, script: string[]): string[] {
  return [
    '--tool=callgrind',
    '--instr-atstart=no',
    '--collect-atstart=no',
    // Per-thread counts: the measured code runs on the main thread (see readDump).
    '--separate-threads=yes',
    `--callgrind-out-file=${path.join(outDir, 'callgrind.%p')}`,
    '--log-file=' + path.join(outDir, 'valgrind.%p.log'),
    process.execPath,
    ...instructionDefaults.nodeFlags,
    ...script,
  ]
}

/**
 * Runs `process.argv` again under Valgrind, with the same standard streams, and resolves with
 * its exit code. The addon is built here first, so the compiler never runs under Valgrind.
 */
export async function reexecUnderValgrind(): Promise<number> {
  const valgrind = valgrindBinary()
  buildCallgrindAddon()
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'perftrack-callgrind-'))
  try {
    const child = spawn(valgrind, valgrindArgs(outDir, process.argv.slice(1)), { stdio: 'inherit', env: { ...process.env, [callgrindOutEnv]: outDir } })
    const forward = (signal: NodeJS.Signals) => child.kill(signal)
    process.on('SIGINT', forward)
    process.on('SIGTERM', forward)
    try {
      return await new Promise<number>((resolve, reject) => {
        child.on('error', reject)
        child.on('close', (code, signal) => resolve(code ?? (signal === 'SIGTERM' ? 143 : 130)))
      })
    } finally {
      process.off('SIGINT', forward)
      process.off('SIGTERM', forward)
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true })
  }
}
