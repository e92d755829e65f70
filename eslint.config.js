import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['test/fixtures/plugins-bad/', 'dist/', 'node_modules/', 'coverage/', 'test-results/', '.perftrack/', 'history/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', NodeJS: 'readonly' } },
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
      'no-restricted-syntax': ['error', { selector: "MemberExpression[property.name='knex']", message: 'Only src/history may use the history database (its knex): add a function there and call it.' }],
    },
  },
  {
    // Tests read the CLI's JSON output; typing every shape there would only restate it.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
)
