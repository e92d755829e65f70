import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { afterAll } from 'vitest'

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
export const binRun = path.join(repoRoot, 'bin', 'run.js')
export const fixture = (...parts: string[]) => path.join(repoRoot, 'test', 'fixtures', ...parts)

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** stderr with oclif's line wrapping (` ›   ` continuation lines) undone, for matching messages. */
  errors: string
}

export interface CliOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Called with the child once it runs, e.g. to send it a signal. */
  onSpawn?: (child: ReturnType<typeof spawn>) => void
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void
  /** Run as this user (only root may): file permissions do not stop root, so tests drop to nobody. */
  user?: { uid: number; gid: number }
}

/** Runs the built CLI (`bin/run.js`) as a real process: exit codes, signals and stdout are the user's. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binRun, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, PERFTRACK_DB: undefined, FORCE_COLOR: '0', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => {
      stderr += d
      options.onStderr?.(stderr, child)
    })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, errors: stderr.replace(/\n ›\s+/g, ' ').replace(/[ \t]+/g, ' ') }))
    options.onSpawn?.(child)
  })
}

const tempDirs: string[] = []
// Registered when a test file imports this module (vitest evaluates it per file): the file's
// temporary directories go when its last test has run.
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A fresh directory under the OS temp dir, removed after the test file. */
export function tempDir(prefix = 'perftrack-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  tempDirs.push(dir)
  return dir
}

/** A quick budget that keeps CLI tests short. */
export const quickArgs = ['--quick', '--rounds', '2', '--time', '30']
