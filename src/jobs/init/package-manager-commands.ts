import type { PackageManagerName } from '../../git/package-manager.js'

/** What a generated workflow types for each package manager. */
export interface ManagerCommands {
  install: string
  /** Runs the perftrack binary installed in the project. */
  exec: string
  /** actions/setup-node's `cache` input. */
  cache: string
  /** Steps needed before setup-node (pnpm is not on the runner image). */
  setupSteps: string[]
}

export const managerCommands: Record<PackageManagerName, ManagerCommands> = {
  npm: { install: 'npm ci', exec: 'npx perftrack', cache: 'npm', setupSteps: [] },
  pnpm: {
    install: 'pnpm install --frozen-lockfile',
    exec: 'pnpm exec perftrack',
    cache: 'pnpm',
    setupSteps: ['- uses: pnpm/action-setup@v4 # the version comes from packageManager in package.json'],
  },
  yarn: { install: 'yarn install --frozen-lockfile', exec: 'yarn perftrack', cache: 'yarn', setupSteps: [] },
}
