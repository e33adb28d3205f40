import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import type { GitHubLog, Octokit } from '../src/github/client.js'
import { ActionableError } from '../src/github/errors.js'
import { gitBlobSha, openBase, openBranch, treeShaWith } from '../src/github/repo.js'
import { testOctokit } from '../test-support/setup.js'
import { startFakeGitHub, type FakeGitHub } from '../test-support/fake-github.js'

let fake: FakeGitHub
let octokit: Octokit
const warnings: string[] = []
const log: GitHubLog = { debug: () => {}, info: () => {}, warning: m => void warnings.push(m) }

beforeAll(async () => {
  fake = await startFakeGitHub()
  octokit = testOctokit(fake.url, log)
})

afterAll(async () => {
  await fake.close()
})

beforeEach(() => {
  // A fresh client per test: objects cached by an earlier test must not hide this test's requests.
  octokit = testOctokit(fake.url, log)
  fake.clearRequests()
  fake.violations.length = 0
  warnings.length = 0
})

const FILES = {
  'README.md': '# Lab\n',
  'digests/vla.md': '# VLA\n',
  'digests/state/vla/2026-02.json': '{"papers":[]}\n',
  'docs/other.md': 'other'
}

describe('git ids computed locally', () => {
  it('hashes blobs like git', () => {
    expect(gitBlobSha('')).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391')
    expect(gitBlobSha('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a')
  })

  it('computes the tree GitHub builds from a listing plus changed files', async () => {
    fake.createRepo('lab', 'hash', { files: FILES })
    const branch = (await openBranch(octokit, { owner: 'lab', repo: 'hash', branch: 'main' }))!
    expect(treeShaWith(branch.entries(), new Map())).toBe(branch.treeSha)
    const changes = {
      'digests/vla.md': '# VLA\n\nnew\n',
      'digests/archive/vla/2026-01.md': 'old\n',
      'a-b.md': 'x'
    }
    const sha = fake.commitFiles('lab', 'hash', 'main', changes)
    expect(treeShaWith(branch.entries(), new Map(Object.entries(changes)))).toBe(
      fake.commit('lab', 'hash', sha).tree
    )
  })
})

describe('openBranch', () => {
  it('lists files from one recursive tree call and reads blobs once', async () => {
    fake.createRepo('lab', 'read', { files: FILES })
    const branch = (await openBranch(octokit, { owner: 'lab', repo: 'read', branch: 'main' }))!
    expect(fake.requestLines()).toEqual([
      'GET /repos/lab/read/branches/main',
      `GET /repos/lab/read/git/trees/${branch.treeSha}`
    ])
    expect(branch.commitSha).toBe(fake.branchSha('lab', 'read', 'main'))
    expect(branch.name).toBe('main')
    expect(branch.paths()).toEqual(Object.keys(FILES).sort())
    expect(branch.paths('digests')).toEqual(['digests/state/vla/2026-02.json', 'digests/vla.md'])
    expect(branch.paths('digests/')).toEqual(branch.paths('digests'))
    expect(await branch.list('digests/state')).toEqual(['digests/state/vla/2026-02.json'])
    expect(branch.blobSha('digests/vla.md')).toBe(gitBlobSha('# VLA\n'))
    expect(branch.blobSha('nope.md')).toBeUndefined()
    expect(await branch.readFile('digests/vla.md')).toBe('# VLA\n')
    expect(await branch.read('digests/vla.md')).toBe('# VLA\n')
    expect(await branch.readFile('missing.md')).toBeUndefined()
    expect(fake.requests.filter(r => r.operation === 'git/get-blob')).toHaveLength(1)
    expect(fake.violations).toEqual([])
  })

  it('shares fetched trees and blobs between branches of the same repository', async () => {
    fake.createRepo('lab', 'shared', { files: FILES })
    fake.commitFiles('lab', 'shared', 'digest', { 'digests/vla.md': '# VLA\n\nchanged\n' }, { from: 'main' })
    const main = (await openBranch(octokit, { owner: 'lab', repo: 'shared', branch: 'main' }))!
    const digest = (await openBranch(octokit, { owner: 'lab', repo: 'shared', branch: 'digest' }))!
    fake.clearRequests()
    expect(await main.read('README.md')).toBe('# Lab\n')
    expect(await digest.read('README.md')).toBe('# Lab\n')
    expect(await digest.read('digests/vla.md')).toBe('# VLA\n\nchanged\n')
    expect(await main.read('digests/vla.md')).toBe('# VLA\n')
    // README.md is one blob on both branches: fetched once; vla.md differs: fetched per branch.
    expect(fake.requestLines().filter(l => l.includes('/git/blobs/'))).toHaveLength(3)
    const again = (await openBranch(octokit, { owner: 'lab', repo: 'shared', branch: 'main' }))!
    expect(again.paths()).toEqual(main.paths())
    expect(fake.requestLines().filter(l => l.includes('/git/trees/'))).toHaveLength(0)
  })

  it('opens branches whose names contain slashes, and reports missing ones as undefined', async () => {
    fake.createRepo('lab', 'slash')
    fake.commitFiles('lab', 'slash', 'preprint-digest/update', { 'x.md': 'x' })
    const b = await openBranch(octokit, { owner: 'lab', repo: 'slash', branch: 'preprint-digest/update' })
    expect(b?.paths()).toEqual(['README.md', 'x.md'])
    expect(await openBranch(octokit, { owner: 'lab', repo: 'slash', branch: 'nope' })).toBeUndefined()
    expect(b).toEqual(expect.objectContaining({ parents: [fake.branchSha('lab', 'slash', 'main')] }))
    expect(fake.violations).toEqual([])
  })

  it('retries a 5xx and a secondary rate limit, but not a 404', async () => {
    fake.createRepo('lab', 'retry', { files: FILES })
    fake.injectFault({ method: 'GET', path: '/repos/{owner}/{repo}/branches/{branch}' }, { status: 502 })
    fake.injectFault(
      { path: '/repos/{owner}/{repo}/git/trees/{tree_sha}' },
      { kind: 'secondary-rate-limit', retryAfter: 2 }
    )
    const started = Date.now()
    const b = await openBranch(octokit, { owner: 'lab', repo: 'retry', branch: 'main' })
    expect(Date.now() - started).toBeLessThan(1000)
    expect(b?.paths()).toHaveLength(4)
    expect(fake.requests.map(r => r.status)).toEqual([502, 200, 403, 200])
    expect(warnings.join('\n')).toMatch(/secondary rate limit/)
    fake.clearRequests()
    await openBranch(octokit, { owner: 'lab', repo: 'retry', branch: 'gone' })
    expect(fake.requests.map(r => r.status)).toEqual([404])
  })

  it('gives up after the configured number of retries', async () => {
    fake.createRepo('lab', 'down')
    fake.injectFault({ path: '/repos/lab/down/branches/main' }, { status: 503 }, 10)
    await expect(openBranch(octokit, { owner: 'lab', repo: 'down', branch: 'main' })).rejects.toMatchObject({
      status: 503
    })
    expect(fake.requests).toHaveLength(4)
  })
})

describe('openBase', () => {
  it('uses the default branch when no base is given', async () => {
    fake.createRepo('lab', 'dflt', { defaultBranch: 'trunk' })
    const b = await openBase(octokit, { owner: 'lab', repo: 'dflt' })
    expect(b.name).toBe('trunk')
    expect(fake.requestLines()[0]).toBe('GET /repos/lab/dflt')
  })

  it('names the missing base branch and the input', async () => {
    fake.createRepo('lab', 'nobase')
    const error = await openBase(octokit, { owner: 'lab', repo: 'nobase', base: 'develop' }).catch(e => e)
    expect(error).toBeInstanceOf(ActionableError)
    expect(error.code).toBe('base-missing')
    expect(error.message).toBe(
      'The base branch "develop" (input `base`) does not exist in lab/nobase. Set `base` to an existing ' +
        "branch, or leave it empty to use the repository's default branch."
    )
  })

  it('tells the user to push an initial commit to an empty repository', async () => {
    fake.createRepo('lab', 'void', { empty: true })
    const error = await openBase(octokit, { owner: 'lab', repo: 'void' }).catch(e => e)
    expect(error.code).toBe('empty-repository')
    expect(error.message).toMatch(/lab\/void is empty/)
    expect(error.message).toMatch(/Push an initial commit/)
    expect(fake.violations).toEqual([])
  })

  it('turns "Resource not accessible by integration" into permission advice', async () => {
    fake.createRepo('lab', 'private')
    fake.injectFault({ method: 'GET' }, { kind: 'not-accessible' })
    const error = await openBase(octokit, { owner: 'lab', repo: 'private', base: 'main' }).catch(e => e)
    expect(error.code).toBe('permissions')
    expect(error.message).toMatch(/contents: write\n {4}pull-requests: write/)
    expect(fake.requests).toHaveLength(1)
  })

  it('says when the repository cannot be found', async () => {
    const error = await openBase(octokit, { owner: 'lab', repo: 'ghost' }).catch(e => e)
    expect(error.code).toBe('repository-missing')
  })
})
