import type { ManagerCommands } from './package-manager-commands.js'

/** Where `perftrack init` puts everything: plugins and the history live under perf/. */
export const initLayout = {
  pluginDir: 'perf',
  examplePlugin: 'perf/example/index.ts',
  history: 'perf/history/perftrack.sqlite',
  historyIgnore: 'perf/history/.gitignore',
  config: 'perftrack.config.ts',
  prWorkflow: '.github/workflows/perftrack-pr.yml',
  nightlyWorkflow: '.github/workflows/perftrack-nightly.yml',
} as const

export function configFile(): string {
  return `// perftrack's settings (see "Configuration" in perftrack's README).
export default {
  // Folders holding perftrack plugins, each as <name>/index.ts. Only these are scanned, so a
  // plugins/ folder of your framework (Fastify, Nuxt) is left alone.
  pluginDirs: ['${initLayout.pluginDir}'],
  // The history of runs (git-ignored); a postgres:// URL shares it across machines.
  db: '${initLayout.history}',
  baseBranch: 'main',
}
`
}

/** The example plugin; `entry` is the project's own module when one was found, for the import hint. */
export function examplePlugin(entry: string | null): string {
  const hint = entry ? `import { yourFunction } from '../../${entry.replace(/\.ts$/, '.js')}'` : `import { yourFunction } from '../../src/index.js'`
  return `import { readFileSync } from 'node:fs'
import path from 'node:path'

import { definePlugin } from 'perftrack'

// Measure your own code: import it and call it in fn, e.g.
// ${hint}
// Until then this measures parsing your package.json, so the first run has something to show.

export default definePlugin({
  name: 'example',
  description: 'A starting point: replace the body of fn with a call into your service',
  // Runs once, untimed; its result is the state every benchmark receives.
  setup: async () => ({ text: readFileSync(path.join(process.cwd(), 'package.json'), 'utf8') }),
  benchmarks: [
    {
      name: 'parse-package-json',
      kind: 'latency',
      fn: (state) => {
        JSON.parse(state.text)
      },
      targets: [{ stat: 'p95', op: '<', value: 5 }],
    },
  ],
})
`
}

export function historyIgnore(): string {
  return `# perftrack's history of runs: kept by CI (cache, artifact or PostgreSQL), never committed.
*
!.gitignore
`
}

function setupSteps(m: ManagerCommands): string {
  const steps = [
    ...m.setupSteps.map((s) => `      ${s}`),
    `      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: ${m.cache}`,
    `      - run: ${m.install}`,
  ]
  return steps.join('\n\n')
}

export function prWorkflow(m: ManagerCommands): string {
  return `# perftrack: A/B the pull request against its base branch on this runner, now.
name: perftrack-pr
on:
  pull_request:

permissions:
  contents: read

jobs:
  compare:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # both revisions must be in the clone

${setupSteps(m)}

      # The checkout has the base branch only as a remote-tracking ref.
      - run: git branch --force base origin/\${{ github.base_ref }}

      - name: Compare with the base branch
        # Both sides run here, interleaved in separate processes; exit 1 on a regression.
        run: ${m.exec} compare base..HEAD --markdown "$GITHUB_STEP_SUMMARY" --junit perftrack-junit.xml --fail-on regression

      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: perftrack-compare
          path: perftrack-junit.xml
`
}

export function nightlyWorkflow(m: ManagerCommands): string {
  return `# perftrack: measure the main branch nightly, find change points, publish the HTML report.
name: perftrack-nightly
on:
  schedule:
    - cron: '0 2 * * *'
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: perftrack-nightly
  cancel-in-progress: false

jobs:
  measure:
    runs-on: ubuntu-24.04
    env:
      # A shared server instead of the cached file: set the secret and drop the cache steps.
      # PERFTRACK_DB: \${{ secrets.PERFTRACK_DB }}
      PERFTRACK_DB: ${initLayout.history}
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # commit messages and times of every run come from git

${setupSteps(m)}

      - name: Restore history
        uses: actions/cache/restore@v4
        with:
          path: ${initLayout.history}
          key: perftrack-history-\${{ github.run_id }}
          restore-keys: perftrack-history-

      - name: Measure
        run: ${m.exec} run --no-baseline --markdown perftrack-run.md
        continue-on-error: true
        id: run

      - name: Change points
        run: ${m.exec} trend --new-since 1d | tee perftrack-trend.txt
        continue-on-error: true
        id: trend

      - run: ${m.exec} report --out site --title "Nightly performance"
      - run: ${m.exec} history prune --keep 365d

      - name: Save history
        if: always()
        uses: actions/cache/save@v4
        with:
          path: ${initLayout.history}
          key: perftrack-history-\${{ github.run_id }}

      - name: Export history
        if: always()
        run: ${m.exec} history export perftrack-history.json --json

      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: perftrack-history
          path: |
            perftrack-history.json
            perftrack-trend.txt
            perftrack-run.md
          retention-days: 90

      - uses: actions/upload-pages-artifact@v3
        with:
          path: site

      - name: Fail on a target or a new regression
        if: steps.run.outcome == 'failure' || steps.trend.outcome == 'failure'
        run: exit 1

  deploy:
    needs: measure
    if: always() && needs.measure.result != 'cancelled'
    runs-on: ubuntu-24.04
    environment:
      name: github-pages
      url: \${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
`
}
