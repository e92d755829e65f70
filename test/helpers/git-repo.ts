import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { tempDir } from './cli.js'

/** A plugin whose `work` benchmark spins `loops` iterations; `answer` is a constant value metric. */
export function demoPlugin(loops: number): string {
  return `// no imports: the plugin shape is plain data
function spin(n: number): number {
  let x = 0
  for (let i = 0; i < n; i++) x = (x * 31 + i) % 1000003
  return x
}
export default {
  name: 'demo',
  benchmarks: [
    { name: 'work', kind: 'latency', fn: () => spin(${loops}) },
    { name: 'answer', kind: 'value', unit: 'count', direction: 'higher', measure: () => 42 },
  ],
}
`
}

const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim()

export function commit(dir: string, files: Record<string, string>, message: string): string {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    writeFileSync(path.join(dir, file), text)
  }
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', message)
  return git(dir, 'rev-parse', 'HEAD')
}

/**
 * A real repository: c0 has no perftrack plugins; c1 adds the demo plugin; c2 makes `work`
 * twice as slow (the regression to find).
 */
export function makeDemoRepo(): { dir: string; shas: string[] } {
  const dir = tempDir('perftrack-repo-')
  git(dir, 'init', '-q', '-b', 'main')
  git(dir, 'config', 'user.email', 'test@example.com')
  git(dir, 'config', 'user.name', 'test')
  const shas = [
    commit(dir, { 'README.md': '# demo\n' }, 'c0: no plugins yet'),
    commit(dir, { 'plugins/demo/index.ts': demoPlugin(20_000) }, 'c1: demo plugin'),
    commit(dir, { 'plugins/demo/index.ts': demoPlugin(40_000) }, 'c2: twice the work'),
  ]
  return { dir, shas }
}

export { git }
