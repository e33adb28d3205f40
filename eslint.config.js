import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  // my-digest/: the README's example output folder (git-ignored too).
  { ignores: ['dist/', 'build/', 'node_modules/', 'coverage/', 'my-digest/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    // The dashboard's script runs in the browser.
    files: ['templates/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { document: 'readonly', fetch: 'readonly', location: 'readonly', setTimeout: 'readonly' }
    }
  },
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  }
)
