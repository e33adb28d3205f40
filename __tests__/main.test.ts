/**
 * The action's `run()` (src/action/main.ts) in-process, with `@actions/core` mocked as GitHub's
 * actions/typescript-action template does (`__fixtures__/core.ts`), against the fake GitHub and the
 * fake arXiv: where the topics come from (`topics`, `config`, both, neither), a published run's
 * outputs, and a user's mistake reported once through `setFailed`.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as core from '../__fixtures__/core.js'
import type { Paper } from '../src/digest/types.js'
import { declared } from '../test-support/action-runner.js'
import { SimulatedClock } from '../test-support/clock.js'
import { startFakeArxiv, type FakeArxiv } from '../test-support/fake-arxiv.js'
import { startFakeGitHub, type FakeGitHub } from '../test-support/fake-github.js'
import { TEST_PACING } from '../test-support/setup.js'

// The mock is declared before the action is imported, so that the action gets it.
jest.unstable_mockModule('@actions/core', () => core)
const { run } = await import('../src/action/main.js')

const EPOCH = Date.parse('2026-02-13T22:23:00Z') / 1000
const OWNER = 'lab'
const VLA = '{id: vla, title: VLA, keywords: [VLA], categories: [cs.RO, cs.CV, cs.LG, cs.AI]}'
const WORLD = '{id: world, title: World Models, keywords: [world model], categories: [cs.RO, cs.CV, cs.LG]}'

let arxiv: FakeArxiv
let github: FakeGitHub
let temp: string
let defaults: Record<string, string>
let saved: NodeJS.ProcessEnv
let count = 0

beforeAll(async () => {
  const corpus = JSON.parse(await readFile('__fixtures__/seed/papers.json', 'utf8')) as Paper[]
  arxiv = await startFakeArxiv({ corpus })
  github = await startFakeGitHub()
  temp = await mkdtemp(join(tmpdir(), 'preprint-digest-main-'))
  defaults = (await declared()).inputs
})
afterAll(async () => {
  await arxiv.close()
  await github.close()
  await rm(temp, { recursive: true, force: true })
})
beforeEach(() => {
  saved = process.env
  core.summary.text = ''
  arxiv.reset()
  github.clearRequests()
})
afterEach(() => {
  process.env = saved
})

/** A new repository whose default branch `main` holds `files`; returns its name. */
function newRepo(files: Record<string, string> = {}): string {
  const repo = `repo-${++count}`
  github.createRepo(OWNER, repo, { files: { 'README.md': '# Lab\n', ...files } })
  return repo
}

/**
 * Runs the action once for `repo`, with action.yml's defaults and `inputs`. `@actions/github`
 * reads the repository and the event from `process.env`, as on a runner.
 */
async function action(repo: string, inputs: Record<string, string>) {
  core.setOutput.mockClear()
  core.setFailed.mockClear()
  const event = join(temp, `event-${count}.json`)
  await writeFile(event, JSON.stringify({ repository: { default_branch: 'main' } }))
  const env = {
    GITHUB_REPOSITORY: `${OWNER}/${repo}`,
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_EVENT_NAME: 'schedule',
    GITHUB_EVENT_PATH: event,
    SOURCE_DATE_EPOCH: String(EPOCH)
  }
  process.env = { PATH: saved.PATH, ...env }
  const given: Record<string, string> = {
    ...defaults,
    'arxiv-api-url': arxiv.url,
    'request-delay': '0',
    ...inputs
  }
  core.getInput.mockImplementation(name => given[name] ?? '')
  core.getBooleanInput.mockImplementation(name => given[name] === 'true')
  const code = await run(env, new SimulatedClock(), TEST_PACING)
  const outputs = Object.fromEntries(core.setOutput.mock.calls.map(([name, value]) => [name, String(value)]))
  return { code, outputs, failures: core.setFailed.mock.calls.map(([message]) => String(message)) }
}

describe('a run that publishes', () => {
  it('opens the pull request, sets every output and writes the summary; the token is masked', async () => {
    const repo = newRepo()
    const { code, outputs, failures } = await action(repo, { topics: `- ${VLA}` })
    expect(code).toBe(0)
    expect(failures).toEqual([])
    expect(Object.keys(outputs).sort()).toEqual([...(await declared()).outputs].sort())
    expect(outputs).toMatchObject({
      'pull-request-operation': 'created',
      'pull-request-number': '1',
      'new-papers': '16',
      'new-papers-by-topic': '{"vla":16}'
    })
    expect(JSON.parse(outputs['changed-files'])).toContain('digests/vla.md')
    expect(github.pulls(OWNER, repo)).toMatchObject([{ number: 1, state: 'open', base: 'main' }])
    expect(core.notice).toHaveBeenCalledWith(expect.stringMatching(/^Opened pull request #1: /))
    expect(core.setSecret).toHaveBeenCalledWith(defaults['github-token'])
    expect(core.summary.text).toMatch(/^## preprint-digest/)
    expect(github.violations).toEqual([])
  })
})

describe('where the topics come from', () => {
  const file = `output-dir: papers\ntopics:\n  - ${WORLD}\n`

  it('config: the topic file is read from the base branch, with its options', async () => {
    const repo = newRepo({ 'topics.yml': file })
    const { outputs, failures } = await action(repo, { config: 'topics.yml' })
    expect(failures).toEqual([])
    expect(outputs['new-papers-by-topic']).toBe('{"world":15}')
    expect(JSON.parse(outputs['changed-files'])).toContain('papers/world.md')
    expect(github.readFile(OWNER, repo, 'preprint-digest/update', 'papers/world.md')).toMatch(/World Models/)
  })

  it('config: a file missing on the base branch stops the run before any write; on the base given, it is found', async () => {
    const repo = newRepo()
    github.commitFiles(OWNER, repo, 'research', { 'topics.yml': file })
    const missing = await action(repo, { config: 'topics.yml' })
    expect(missing.failures).toEqual([
      'Input "config": topics.yml does not exist on branch main. ' +
        'Commit the topic file there, or give the topics inline with the input "topics".'
    ])
    expect(missing.outputs).toEqual({})
    expect(github.writeRequests()).toEqual([])
    const found = await action(repo, { config: 'topics.yml', base: 'research' })
    expect(found.failures).toEqual([])
    expect(found.outputs['new-papers-by-topic']).toBe('{"world":15}')
    expect(github.pulls(OWNER, repo)).toMatchObject([{ number: 1, base: 'research' }])
  })

  it('topics and config: the inline topics win; the file still gives the options', async () => {
    const { outputs, failures } = await action(newRepo({ 'topics.yml': file }), {
      config: 'topics.yml',
      topics: `- ${VLA}`
    })
    expect(failures).toEqual([])
    expect(outputs['new-papers-by-topic']).toBe('{"vla":16}')
    const changed = JSON.parse(outputs['changed-files']) as string[]
    expect(changed).toContain('papers/vla.md')
    expect(changed.some(path => path.includes('world'))).toBe(false)
  })

  it('an option input wins over the file', async () => {
    const { outputs, failures } = await action(newRepo({ 'topics.yml': file }), {
      config: 'topics.yml',
      'output-dir': 'reading'
    })
    expect(failures).toEqual([])
    expect(JSON.parse(outputs['changed-files'])).toContain('reading/world.md')
  })

  it('neither: which inputs to give, before any request', async () => {
    const { failures, outputs } = await action(newRepo(), {})
    expect(failures).toEqual([
      'Give the topics: either inline with the input "topics", or as a file with the input "config".'
    ])
    expect(outputs).toEqual({})
    expect(github.requests).toEqual([])
    expect(arxiv.requests).toEqual([])
  })
})

describe("a user's mistake", () => {
  it('is reported once through setFailed, with the field and what is allowed, before any request', async () => {
    const { code, failures, outputs } = await action(newRepo(), {
      topics: '- {id: vla, title: VLA, keywords: [VLA], categories: [cs.XX]}'
    })
    // The exit status is returned for the entry point to set: the test process's own stays untouched.
    expect(code).toBe(2)
    expect(process.exitCode).toBeUndefined()
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatch(/topics\[0\]\.categories\[0\]: unknown arXiv category "cs\.XX"/)
    expect(outputs).toEqual({})
    expect(github.requests).toEqual([])
    expect(arxiv.requests).toEqual([])
  })
})
