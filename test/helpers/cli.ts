import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

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
}

/** Runs the built CLI (`bin/run.js`) as a real process: exit codes, signals and stdout are the user's. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binRun, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, PERFTRACK_DB: undefined, FORCE_COLOR: '0', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
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

export function tempDir(prefix = 'perftrack-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix))
}

/** A quick budget that keeps CLI tests short. */
export const quickArgs = ['--quick', '--rounds', '2', '--time', '30']
