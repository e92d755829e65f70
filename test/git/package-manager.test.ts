import { execFileSync } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { PerftrackError } from '../../src/core/errors.js'
import { choosePackageManager, runInstall } from '../../src/git/package-manager.js'
import { prepareDependencies } from '../../src/git/worktree.js'
import { tempDir } from '../helpers/cli.js'

function project(files: Record<string, string>): string {
  const dir = tempDir('perftrack-pm-')
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text)
  return dir
}

const pkg = (extra: Record<string, unknown> = {}) => JSON.stringify({ name: 'svc', version: '1.0.0', private: true, ...extra })
// A lockfile of a project without dependencies: `npm ci` installs it without the network.
const emptyLock = JSON.stringify({ name: 'svc', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'svc', version: '1.0.0' } } })

async function failure(work: Promise<unknown>): Promise<PerftrackError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(PerftrackError)
  return error as PerftrackError
}

describe('the package manager of a worktree', () => {
  it('is the one whose lockfile is there, with its frozen install', () => {
    expect(choosePackageManager(project({ 'package.json': pkg(), 'package-lock.json': emptyLock }))).toMatchObject({
      name: 'npm',
      lockfile: 'package-lock.json',
      args: ['ci', '--no-audit', '--no-fund'],
    })
    expect(choosePackageManager(project({ 'package.json': pkg(), 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" }))).toMatchObject({
      name: 'pnpm',
      lockfile: 'pnpm-lock.yaml',
      args: ['install', '--frozen-lockfile'],
    })
    expect(choosePackageManager(project({ 'package.json': pkg(), 'yarn.lock': '' }))).toMatchObject({
      name: 'yarn',
      lockfile: 'yarn.lock',
      args: ['install', '--frozen-lockfile'],
    })
    expect(choosePackageManager(project({ 'package.json': pkg(), 'yarn.lock': '', '.yarnrc.yml': 'nodeLinker: node-modules\n' }))).toMatchObject({
      name: 'yarn',
      args: ['install', '--immutable'],
    })
  })

  it('is the packageManager field when there is one; no lockfile means a plain npm install', () => {
    expect(choosePackageManager(project({ 'package.json': pkg({ packageManager: 'pnpm@10.12.1' }), 'pnpm-lock.yaml': '' }))).toMatchObject({ name: 'pnpm' })
    expect(choosePackageManager(project({ 'package.json': pkg({ packageManager: 'yarn@4.5.0' }), 'yarn.lock': '' }))).toMatchObject({
      name: 'yarn',
      args: ['install', '--immutable'],
    })
    expect(choosePackageManager(project({ 'package.json': pkg() }))).toMatchObject({ name: 'npm', lockfile: null, args: ['install'] })
  })
})

describe('installing a worktree', () => {
  it('links the main checkout node_modules when the lockfile is the same (pnpm too)', async () => {
    const lock = "lockfileVersion: '9.0'\nimporters: {}\n"
    const root = project({ 'package.json': pkg(), 'pnpm-lock.yaml': lock })
    mkdirSync(path.join(root, 'node_modules'))
    const side = project({ 'package.json': pkg(), 'pnpm-lock.yaml': lock })
    expect(await prepareDependencies(side, root, 'the base side')).toBe('linked')
    expect(lstatSync(path.join(side, 'node_modules')).isSymbolicLink()).toBe(true)
  })

  it("with workspaces, links each workspace package to the worktree's own copy and the rest to the main checkout", async () => {
    const files = { 'package.json': pkg({ workspaces: ['packages/*'] }), 'package-lock.json': emptyLock }
    const root = project(files)
    const side = project(files)
    for (const dir of [root, side]) {
      mkdirSync(path.join(dir, 'packages', 'lib'), { recursive: true })
      writeFileSync(path.join(dir, 'packages', 'lib', 'package.json'), JSON.stringify({ name: '@svc/lib', version: '1.0.0' }))
    }
    // The main checkout as npm leaves it: a registry package, and the workspace linked relatively.
    mkdirSync(path.join(root, 'node_modules', 'dep'), { recursive: true })
    mkdirSync(path.join(root, 'node_modules', '@svc'))
    symlinkSync('../../packages/lib', path.join(root, 'node_modules', '@svc', 'lib'))
    expect(await prepareDependencies(side, root, 'the base side')).toBe('linked')
    expect(realpathSync(path.join(side, 'node_modules', '@svc', 'lib'))).toBe(realpathSync(path.join(side, 'packages', 'lib')))
    expect(realpathSync(path.join(side, 'node_modules', 'dep'))).toBe(realpathSync(path.join(root, 'node_modules', 'dep')))
  })

  it('runs the manager of the lockfile when it differs (a real npm ci of a local dependency)', async () => {
    const root = project({ 'package.json': pkg(), 'package-lock.json': emptyLock })
    mkdirSync(path.join(root, 'node_modules'))
    const side = project({ 'package.json': pkg({ dependencies: { 'local-dep': 'file:./local-dep' } }) })
    mkdirSync(path.join(side, 'local-dep'))
    writeFileSync(path.join(side, 'local-dep', 'package.json'), JSON.stringify({ name: 'local-dep', version: '1.0.0' }))
    // The side's own lockfile, written by npm from the local dependency (no network).
    execFileSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { cwd: side, stdio: 'ignore' })
    expect(await prepareDependencies(side, root, 'the base side')).toBe('installed (npm)')
    expect(existsSync(path.join(side, 'node_modules', 'local-dep', 'package.json'))).toBe(true)
    expect(lstatSync(path.join(side, 'node_modules')).isSymbolicLink()).toBe(false)
  })

  it('a failed install names the command and shows its last lines', async () => {
    // package.json asks for a dependency the lockfile lacks: npm ci refuses before any download.
    const side = project({ 'package.json': pkg({ dependencies: { 'left-pad': '1.3.0' } }), 'package-lock.json': emptyLock })
    const e = await failure(prepareDependencies(side, project({ 'package.json': pkg() }), 'the base side (HEAD~1)'))
    expect(e.code).toBe('SIDE_INSTALL_FAILED')
    expect(e.exit).toBe(2)
    expect(e.message).toContain('the base side (HEAD~1): `npm ci --no-audit --no-fund` failed in')
    // npm's own reason, not the usage text npm prints after it.
    expect(e.message).toMatch(/can only install packages when your package\.json and package-lock\.json .* are in sync/)
    expect(e.message).toMatch(/Missing: left-pad@1\.3\.0 from lock file/)
    expect(e.message).not.toMatch(/Usage:|--install-strategy/)
    expect(existsSync(path.join(side, 'node_modules'))).toBe(false)
  })

  it('a manager that is not installed is named with how to get it', async () => {
    const side = project({ 'package.json': pkg(), 'yarn.lock': '' })
    const saved = process.env.PATH
    // A PATH without yarn, whatever this machine has installed.
    process.env.PATH = tempDir('perftrack-empty-path-')
    try {
      const e = await failure(runInstall(side, choosePackageManager(side), 'the head side (HEAD)'))
      expect(e.code).toBe('PACKAGE_MANAGER_MISSING')
      expect(e.message).toContain('`yarn install --frozen-lockfile` cannot run')
      expect(e.message).toContain('yarn.lock names it')
      expect(e.suggestions.join(' ')).toMatch(/corepack enable/)
    } finally {
      process.env.PATH = saved
    }
  })
})
