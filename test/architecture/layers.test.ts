import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

import { repoRoot } from '../helpers/cli.js'

// The rule that keeps the layers of docs/architecture.md true must be able to fail: each case
// lints one line as if it stood in the named file, with the repository's own eslint.config.js.
const eslint = new ESLint({ cwd: repoRoot })

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {}\n`, { filePath })
  return result.messages.map((m) => m.ruleId ?? m.message)
}

describe('npm run lint enforces the layers', () => {
  it.each([
    ['src/core/summary.ts', "import '../history/store.js'"],
    ['src/core/summary.ts', "import '../jobs/run-job.js'"],
    ['src/stats/fdr.ts', "import '../report/format.js'"],
    ['src/history/store.ts', "import '../runner/runner.js'"],
    ['src/report/html/index.ts', "import '../../jobs/trend-job.js'"],
    ['src/report/json.ts', "import '../history/store.js'"],
    ['src/runner/runner.ts', "import '../git/repo.js'"],
    ['src/jobs/run-job.ts', "import '../commands/run.js'"],
    ['src/index.ts', "export * from './runner/runner.js'"],
    ['plugins/example/index.ts', "import '../../src/core/errors.js'"],
  ])('refuses an import upwards or sideways: %s ← %s', async (file, code) => {
    expect(await ruleIds(file, code)).toContain('no-restricted-imports')
  })

  it.each([
    ['src/report/markdown.ts', "import '../stats/index.js'"],
    ['src/report/html/index.ts', "import '../../core/metric-key.js'"],
    ['src/jobs/run-job.ts', "import '../history/store.js'"],
    ['src/commands/run.ts', "import '../report/console.js'"],
    ['src/history/series.ts', "import '../core/series.js'"],
  ])('allows an import downwards: %s ← %s', async (file, code) => {
    expect(await ruleIds(file, code)).not.toContain('no-restricted-imports')
  })

  it('keeps every use of the history database (store.knex) inside src/history', async () => {
    expect(await ruleIds('src/jobs/run-job.ts', 'declare const store: { knex: unknown }\nconsole.log(store.knex)')).toContain('no-restricted-syntax')
    expect(await ruleIds('src/history/prune.ts', 'declare const store: { knex: unknown }\nconsole.log(store.knex)')).not.toContain('no-restricted-syntax')
  })
})
