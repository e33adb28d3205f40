/**
 * action.yml and every workflow the repository shows (its own under .github/workflows/, those in
 * examples/, and the YAML blocks of README.md and docs/ that are workflows or a job's steps) are
 * valid against SchemaStore's published schemas for action metadata and workflows (draft-07,
 * vendored in test-support/schemas/ by script/schemastore.mjs, so no network).
 */
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { load as parse } from 'js-yaml'

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv

function validator(file: string): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  return ajv.compile(JSON.parse(readFileSync(join('test-support', 'schemas', file), 'utf8')))
}

const action = validator('github-action.json')
const workflow = validator('github-workflow.json')

function errors(v: ValidateFunction, data: unknown): string[] {
  return v(data) ? [] : (v.errors ?? []).map(e => `${e.instancePath || '/'} ${e.message}`)
}

/** A job's steps as a workflow, so that a README fragment is checked in its place. */
function asWorkflow(steps: unknown): unknown {
  return { on: 'workflow_dispatch', jobs: { fragment: { 'runs-on': 'ubuntu-latest', steps } } }
}

type Found = { where: string; doc: unknown }

/** The YAML code blocks of a Markdown file that are workflows or steps, as workflows. */
function markdownWorkflows(file: string): Found[] {
  const text = readFileSync(file, 'utf8')
  const found: Found[] = []
  for (const m of text.matchAll(/^```ya?ml\n([\s\S]*?)^```$/gm)) {
    const line = text.slice(0, m.index).split('\n').length
    const doc = parse(m[1]) as unknown
    const where = `${file}:${line}`
    if (Array.isArray(doc) && doc.every(s => s && typeof s === 'object' && ('uses' in s || 'run' in s))) {
      found.push({ where: `${where} (steps)`, doc: asWorkflow(doc) })
    } else if (doc && typeof doc === 'object' && 'jobs' in doc) {
      found.push({ where, doc })
    } else if (doc && typeof doc === 'object' && Object.keys(doc).join() === 'steps') {
      found.push({ where: `${where} (steps)`, doc: asWorkflow((doc as { steps: unknown }).steps) })
    }
  }
  return found
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(f => /\.ya?ml$/.test(f))
    .map(f => join(dir, f))
    .sort()
}

const fileWorkflows: Found[] = [...yamlFiles('.github/workflows'), ...yamlFiles('examples')]
  .map(file => ({ where: file, doc: parse(readFileSync(file, 'utf8')) as unknown }))
  .filter(
    f => f.where.startsWith('.github') || (f.doc !== null && typeof f.doc === 'object' && 'jobs' in f.doc)
  )
const docWorkflows = [
  'README.md',
  ...readdirSync('docs')
    .filter(f => f.endsWith('.md'))
    .map(f => join('docs', f))
].flatMap(markdownWorkflows)

describe('action.yml', () => {
  const metadata = parse(readFileSync('action.yml', 'utf8')) as { description: string }

  it('is valid action metadata', () => {
    expect(errors(action, metadata)).toEqual([])
  })

  it('has a description the Marketplace accepts (under 125 characters)', () => {
    expect(metadata.description.length).toBeLessThan(125)
  })
})

describe('workflows', () => {
  it('are found where the repository shows them', () => {
    const where = [...fileWorkflows, ...docWorkflows].map(f => f.where)
    expect(where).toEqual(
      expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/release.yml'])
    )
    expect(where.filter(w => w.startsWith('README.md:') && !w.endsWith('(steps)')).length).toBeGreaterThan(0)
    expect(where.filter(w => w.startsWith('README.md:') && w.endsWith('(steps)')).length).toBeGreaterThan(0)
  })

  it.each([...fileWorkflows, ...docWorkflows].map(f => [f.where, f.doc]))(
    '%s is a valid workflow',
    (_, doc) => {
      expect(errors(workflow, doc)).toEqual([])
    }
  )
})

describe('the schemas refuse what GitHub refuses', () => {
  it('a misspelt key, a bad permission and an unknown runtime', () => {
    const good = docWorkflows.find(f => !f.where.endsWith('(steps)'))!.doc as Record<string, unknown>
    expect(errors(workflow, good)).toEqual([])
    const jobs = good.jobs as Record<string, Record<string, unknown>>
    const [name, job] = Object.entries(jobs)[0]
    const { 'runs-on': runsOn, ...rest } = job
    expect(errors(workflow, { ...good, jobs: { [name]: { ...rest, runs_on: runsOn } } })).not.toEqual([])
    expect(errors(workflow, { ...good, permissions: { contents: 'writ' } })).not.toEqual([])
    const metadata = parse(readFileSync('action.yml', 'utf8')) as { runs: object }
    expect(errors(action, { ...metadata, runs: { ...metadata.runs, using: 'node99' } })).not.toEqual([])
  })
})

describe('script/schemastore.mjs', () => {
  it('writes the schemas it is given, adding node24 to a copy that predates it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schemastore-'))
    try {
      const old = JSON.parse(readFileSync('test-support/schemas/github-action.json', 'utf8'))
      const using = old.definitions['runs-javascript'].properties.using
      using.enum = using.enum.filter((v: string) => v !== 'node24')
      writeFileSync(join(dir, 'a.json'), JSON.stringify(old))
      const out = execFileSync(
        process.execPath,
        [
          'script/schemastore.mjs',
          '--action',
          join(dir, 'a.json'),
          '--workflow',
          'test-support/schemas/github-workflow.json',
          '--out',
          dir
        ],
        { encoding: 'utf8' }
      )
      expect(out).toContain('github-action.json: added node24 to runs.using')
      for (const file of ['github-action.json', 'github-workflow.json']) {
        expect(readFileSync(join(dir, file), 'utf8')).toBe(
          readFileSync(join('test-support', 'schemas', file), 'utf8')
        )
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
