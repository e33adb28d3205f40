import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import tseslint from 'typescript-eslint'

const OCTOKIT = {
  patterns: [{ group: ['@octokit/*'], message: 'Only src/github/ talks to GitHub.' }],
  paths: [
    { name: '@actions/github', importNames: ['getOctokit'], message: 'Only src/github/ talks to GitHub.' }
  ]
}
const IO = ['node:fs', 'node:fs/*', 'node:http', 'node:https', 'node:net', 'node:child_process', 'undici']
/** The folders a folder of src/ may import from (besides its own files and npm packages). */
const MAY_IMPORT = {
  digest: [],
  environment: ['digest'],
  // The option table (defaults and validators) is a leaf the arXiv client reads its defaults from.
  arxiv: ['digest', 'environment', 'config/options.js'],
  github: ['digest', 'environment'],
  render: ['digest', 'environment'],
  config: ['digest', 'environment']
}
const FOLDERS = ['digest', 'environment', 'arxiv', 'github', 'render', 'config', 'action', 'cli']
const TOP = ['pipeline', 'report', 'assets']

const boundaries = [
  {
    files: ['src/**/*.ts'],
    ignores: ['src/github/**'],
    rules: { 'no-restricted-imports': ['error', OCTOKIT] }
  },
  ...Object.entries(MAY_IMPORT).map(([folder, allowed]) => {
    const files = allowed.filter(a => a.includes('/'))
    const forbidden = [
      ...FOLDERS.filter(f => f !== folder && !allowed.includes(f)).map(f => `../${f}/*`),
      ...files.map(file => `!../${file}`),
      ...TOP.filter(f => !(folder === 'render' && f === 'assets')).map(f => `../${f}.js`)
    ]
    const pure =
      folder === 'digest' ? IO.map(name => ({ group: [name], message: 'src/digest/ does no I/O.' })) : []
    return {
      files: [`src/${folder}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: folder === 'github' ? [] : OCTOKIT.paths,
            patterns: [
              ...(folder === 'github' ? [] : OCTOKIT.patterns),
              ...pure,
              {
                group: forbidden,
                message: `src/${folder}/ may import only ${['its own files', ...allowed.map(f => (f.includes('/') ? `src/${f}` : `src/${f}/`))].join(', ')}.`
              }
            ]
          }
        ]
      }
    }
  })
]

export default tseslint.config(
  // my-digest/: the README's example output folder (git-ignored too).
  {
    ignores: ['dist/', 'build/', 'node_modules/', 'coverage/', 'my-digest/', 'src/config/file-validator.ts']
  },
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
  // The folders of src/ are the steps of the data flow (docs/design.md); these rules keep them so.
  ...boundaries,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  }
)
