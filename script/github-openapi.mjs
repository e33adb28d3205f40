#!/usr/bin/env node
/**
 * Regenerates test-support/schemas/github-rest.openapi.json, the part of GitHub's REST description
 * (`@octokit/openapi`, generated/api.github.com.json, about 13 MB in a 385 MB package) that the
 * fake GitHub checks requests against: the operations the fake implements, with their parameters
 * and request bodies, plus every component those reference. Responses are left out: the fake
 * checks what it is sent, not what it answers.
 *
 *   node script/github-openapi.mjs                       # the version named in the current file
 *   node script/github-openapi.mjs --version latest      # another @octokit/openapi version
 *   node script/github-openapi.mjs --from DIR            # an unpacked @octokit/openapi folder
 *   node script/github-openapi.mjs --out FILE            # write elsewhere (tests)
 *
 * The package is installed into a temporary folder (npm install --no-save), never into
 * node_modules. Add an operation here when the fake learns a new endpoint; a test checks that the
 * subset and the fake's handlers list the same operations.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const SUBSET = join(ROOT, 'test-support', 'schemas', 'github-rest.openapi.json')

const R = '/repos/{owner}/{repo}'
/** Every operation the fake GitHub implements, as `METHOD template`. */
export const OPERATIONS = [
  `GET ${R}`,
  `GET ${R}/branches/{branch}`,
  `GET ${R}/commits`,
  `GET ${R}/compare/{basehead}`,
  `GET ${R}/git/trees/{tree_sha}`,
  `GET ${R}/git/blobs/{file_sha}`,
  `POST ${R}/git/blobs`,
  `POST ${R}/git/trees`,
  `POST ${R}/git/commits`,
  `GET ${R}/git/commits/{commit_sha}`,
  `GET ${R}/git/ref/{ref}`,
  `GET ${R}/git/matching-refs/{ref}`,
  `POST ${R}/git/refs`,
  `PATCH ${R}/git/refs/{ref}`,
  `DELETE ${R}/git/refs/{ref}`,
  `GET ${R}/pulls`,
  `POST ${R}/pulls`,
  `GET ${R}/pulls/{pull_number}`,
  `PATCH ${R}/pulls/{pull_number}`,
  `POST ${R}/issues/{issue_number}/labels`,
  `POST ${R}/issues/{issue_number}/assignees`,
  `POST ${R}/pulls/{pull_number}/requested_reviewers`
]

/** The fields of an operation the fake reads (and the two that say what it is). */
const KEPT = ['operationId', 'summary', 'externalDocs', 'parameters', 'requestBody']

/** The subset of `spec` for `operations`, with the components they reference, transitively. */
export function subset(spec, operations, source) {
  const paths = {}
  for (const op of operations) {
    const [method, template] = op.split(' ')
    const found = spec.paths[template]?.[method.toLowerCase()]
    if (!found) throw new Error(`${op} is not in ${source}`)
    const kept = Object.fromEntries(KEPT.filter(k => k in found).map(k => [k, found[k]]))
    paths[template] = { ...paths[template], [method.toLowerCase()]: kept }
  }
  // The fake looks both kinds up, so they are present even when empty.
  const components = { parameters: {}, schemas: {} }
  const pending = [paths]
  while (pending.length > 0) {
    for (const ref of refs(pending.pop())) {
      const [kind, name] = ref.replace(/^#\/components\//, '').split('/')
      if (components[kind]?.[name] !== undefined) continue
      const value = spec.components[kind]?.[name]
      if (value === undefined) throw new Error(`${ref} is referenced but not defined in ${source}`)
      components[kind] = { ...components[kind], [name]: value }
      pending.push(value)
    }
  }
  return {
    openapi: spec.openapi,
    info: {
      title: "A subset of GitHub's REST API description: the operations the fake GitHub implements",
      version: spec.info.version,
      'x-source': source,
      'x-regenerate': 'node script/github-openapi.mjs'
    },
    paths: sortKeys(paths),
    components: Object.fromEntries(
      Object.entries(components)
        .sort()
        .map(([k, v]) => [k, sortKeys(v)])
    )
  }
}

function* refs(value) {
  if (Array.isArray(value)) for (const v of value) yield* refs(v)
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/')) yield v
      else yield* refs(v)
    }
  }
}

function sortKeys(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** Installs @octokit/openapi@version into a temporary folder; returns it and a cleanup. */
function fetchPackage(version) {
  const temp = mkdtempSync(join(tmpdir(), 'preprint-digest-openapi-'))
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  execFileSync(
    npm,
    [
      'install',
      '--no-save',
      '--no-package-lock',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--prefix',
      temp,
      `@octokit/openapi@${version}`
    ],
    { stdio: 'inherit', shell: process.platform === 'win32' }
  )
  return {
    dir: join(temp, 'node_modules', '@octokit', 'openapi'),
    cleanup: () => rmSync(temp, { recursive: true, force: true })
  }
}

function currentVersion() {
  if (!existsSync(SUBSET)) return 'latest'
  return JSON.parse(readFileSync(SUBSET, 'utf8')).info.version
}

async function main() {
  const { values } = parseArgs({
    options: { version: { type: 'string' }, from: { type: 'string' }, out: { type: 'string' } }
  })
  const pkg = values.from
    ? { dir: values.from, cleanup: () => {} }
    : fetchPackage(values.version ?? currentVersion())
  try {
    const version = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8')).version
    const spec = JSON.parse(readFileSync(join(pkg.dir, 'generated', 'api.github.com.json'), 'utf8'))
    const out = subset(spec, OPERATIONS, `@octokit/openapi@${version} generated/api.github.com.json`)
    const file = values.out ?? SUBSET
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`)
    const kinds = Object.entries(out.components).map(([k, v]) => `${Object.keys(v).length} ${k}`)
    console.log(
      `wrote ${file}: ${OPERATIONS.length} operations, ${kinds.join(', ')} (from @octokit/openapi@${version})`
    )
  } finally {
    pkg.cleanup()
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main()
