import js from '@eslint/js'
import tseslint from 'typescript-eslint'

// The layers of src/ (docs/architecture.md, "Layers"): a folder may import the folders below
// it, never one above it or a sibling (report may use stats). Each entry names what a folder
// must not import; `npm run lint` fails on an import that breaks the order.
const layers = {
  core: ['cli', 'commands', 'hooks', 'jobs', 'runner', 'history', 'git', 'stats', 'report'],
  runner: ['cli', 'commands', 'hooks', 'jobs', 'history', 'git', 'stats', 'report'],
  history: ['cli', 'commands', 'hooks', 'jobs', 'runner', 'git', 'stats', 'report'],
  git: ['cli', 'commands', 'hooks', 'jobs', 'runner', 'history', 'stats', 'report'],
  stats: ['cli', 'commands', 'hooks', 'jobs', 'runner', 'history', 'git', 'report'],
  report: ['cli', 'commands', 'hooks', 'jobs', 'runner', 'history', 'git'],
  jobs: ['cli', 'commands', 'hooks'],
  cli: ['commands', 'hooks'],
}

/** A relative import that reaches `src/<folder>/` from anywhere below src/. */
const reaching = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`

const layerRules = [
  ...Object.entries(layers).map(([folder, forbidden]) => ({
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: reaching(forbidden),
              message: `src/${folder} must not import ${forbidden.map((f) => `src/${f}`).join(', ')} (docs/architecture.md, "Layers"): move the shared part down, into the lower folder both may use.`,
            },
          ],
        },
      ],
    },
  })),
  {
    // The public barrel exports the plugin contract only.
    files: ['src/index.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\./(?!core/)', message: 'src/index.ts exports the plugin contract from src/core only.' }] }],
    },
  },
  {
    // The bundled plugins use perftrack's public API only, like any user's plugin.
    files: ['plugins/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(\\.\\./)+src/', message: "A plugin imports perftrack as 'perftrack' (the public API), never its source files." }] },
      ],
    },
  },
]

export default tseslint.config(
  { ignores: ['test/fixtures/plugins-bad/', 'dist/', 'node_modules/', 'coverage/', 'test-results/', '.perftrack/', 'history/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        NodeJS: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unused-expressions': ['error', { allowTernary: true, allowShortCircuit: true }],
    },
  },
  {
    // Every SQL statement of perftrack lives in src/history (docs/architecture.md, "Layers").
    files: ['src/**/*.ts'],
    ignores: ['src/history/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='knex']",
          message: 'Only src/history may use the history database (its knex): add a function there and call it.',
        },
      ],
    },
  },
  ...layerRules,
  {
    // Tests read the CLI's JSON output; typing every shape there would only restate it.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
)
