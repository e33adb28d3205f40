import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { blobsQuery, planBatches, readBlobs } from '../src/github/blobs.js'
import type { GitHubLog, Octokit } from '../src/github/client.js'
import { ActionableError } from '../src/github/errors.js'
import { gitBlobSha, openBranch, type GitHubBranch } from '../src/github/repo.js'
import { testOctokit } from '../test-support/setup.js'
import { startFakeGitHub, type FakeGitHub } from '../test-support/fake-github.js'

let fake: FakeGitHub
let octokit: Octokit
const log: GitHubLog = { debug: () => {}, info: () => {}, warning: () => {} }

beforeAll(async () => {
  fake = await startFakeGitHub()
})

afterAll(async () => {
  await fake.close()
})

beforeEach(() => {
  // A fresh client per test: blobs cached by an earlier test must not hide this test's requests.
  octokit = testOctokit(fake.url, log)
  fake.clearRequests()
  fake.clearFaults()
  fake.violations.length = 0
})

const graphqlRequests = () => fake.requests.filter(r => r.path === '/graphql')
const restBlobRequests = () => fake.requests.filter(r => r.operation === 'git/get-blob')

/** 100 topics' worth of monthly state files, plus the awkward ones. */
function stateFiles(topics: number): Record<string, string> {
  const files: Record<string, string> = {}
  for (let t = 0; t < topics; t++) {
    for (const month of ['2026-01', '2026-02']) {
      files[`digests/state/topic-${t}/${month}.json`] = `{"topic":${t},"month":"${month}","papers":[]}\n`
    }
  }
  return files
}

const AWKWARD = {
  'digests/ünïcödé.md': 'Größe, naïve café, 日本語, emoji 🙂🧪, RTL שלום, combining é\n',
  'digests/empty.md': '',
  // 300 KB with multi-byte characters throughout: below the fake's (and GitHub's) truncation size.
  'digests/large.md': 'line ∑ ünïcödé 🙂 and some ASCII to pad it out\n'.repeat(6000),
  'digests/crlf.txt': 'windows\r\nline endings\r\n\ttab\u00a0nbsp\n'
}

async function open(repo: string): Promise<GitHubBranch> {
  const branch = await openBranch(octokit, { owner: 'lab', repo, branch: 'main' })
  fake.clearRequests()
  return branch!
}

describe('prefetch through GraphQL', () => {
  it('reads many files in ceil(n / 250) GraphQL requests, byte for byte, with no REST blob request', async () => {
    const files = { ...stateFiles(100), ...AWKWARD }
    fake.createRepo('lab', 'many', { files })
    const branch = await open('many')
    const paths = Object.keys(files)
    expect(paths).toHaveLength(204)

    await branch.prefetch(paths)
    expect(graphqlRequests()).toHaveLength(1)
    expect(graphqlRequests().map(r => r.status)).toEqual([200])
    expect(fake.writeRequests()).toEqual([])

    for (const path of paths) {
      const text = await branch.readFile(path)
      expect(text).toBe(fake.readFile('lab', 'many', 'main', path))
      expect(Buffer.from(text!, 'utf8').equals(Buffer.from(files[path as keyof typeof files], 'utf8'))).toBe(
        true
      )
      expect(gitBlobSha(text!)).toBe(branch.blobSha(path))
    }
    expect(await branch.read('digests/empty.md')).toBe('')
    expect(restBlobRequests()).toEqual([])
    expect(fake.requests).toHaveLength(1)
    expect(fake.violations).toEqual([])
  })

  it('sends nothing for files already read, and shares them with other branches', async () => {
    fake.createRepo('lab', 'cached', { files: stateFiles(3) })
    fake.commitFiles('lab', 'cached', 'digest', { 'digests/new.md': 'new\n' }, { from: 'main' })
    const main = await open('cached')
    await main.readFile('digests/state/topic-0/2026-01.json')
    await main.prefetch(main.paths())
    // Five blobs in one request: the one already read is not asked for again.
    expect(fake.requestLines()).toEqual([
      'GET /repos/lab/cached/git/blobs/' + main.blobSha('digests/state/topic-0/2026-01.json'),
      'POST /graphql'
    ])
    expect(Object.keys((graphqlRequests()[0].body as { variables: object }).variables)).toHaveLength(2 + 5)
    fake.clearRequests()
    await main.prefetch(main.paths())
    expect(fake.requests).toEqual([])
    const digest = (await openBranch(octokit, { owner: 'lab', repo: 'cached', branch: 'digest' }))!
    fake.clearRequests()
    await digest.prefetch(digest.paths())
    expect(graphqlRequests()).toHaveLength(1)
    expect((graphqlRequests()[0].body as { variables: object }).variables).toEqual({
      owner: 'lab',
      name: 'cached',
      o0: digest.blobSha('digests/new.md')
    })
    expect(await digest.read('digests/new.md')).toBe('new\n')
    expect(fake.requests).toHaveLength(1)
  })

  it('ignores paths that are not files of the branch', async () => {
    fake.createRepo('lab', 'missing', { files: { 'README.md': '# Lab\n', 'digests/vla.md': '# VLA\n' } })
    const branch = await open('missing')
    await branch.prefetch(['nope.md', 'digests', 'digests/state/x/2026-02.json'])
    expect(fake.requests).toEqual([])
    await branch.prefetch(['nope.md', 'digests/vla.md', 'digests/vla.md'])
    expect(graphqlRequests()).toHaveLength(1)
    expect(await branch.read('digests/vla.md')).toBe('# VLA\n')
    expect(await branch.read('nope.md')).toBeUndefined()
    expect(fake.requests).toHaveLength(1)
  })

  it('lets a read that starts while the batch is in flight wait for it', async () => {
    fake.createRepo('lab', 'inflight', { files: stateFiles(2) })
    const branch = await open('inflight')
    const prefetching = branch.prefetch(branch.paths())
    const text = await branch.read('digests/state/topic-1/2026-02.json')
    await prefetching
    expect(text).toBe('{"topic":1,"month":"2026-02","papers":[]}\n')
    expect(fake.requestLines()).toEqual(['POST /graphql'])
  })

  it('reads a truncated text again through exactly one REST blob request', async () => {
    const long = 'ünïcödé 🙂 '.repeat(200)
    fake.createRepo('lab', 'truncated', { files: { 'long.md': long, 'short.md': 'short\n' } })
    const branch = await open('truncated')
    const limit = fake.graphqlTextLimit
    fake.graphqlTextLimit = 1000
    try {
      await branch.prefetch(['long.md', 'short.md'])
    } finally {
      fake.graphqlTextLimit = limit
    }
    expect(fake.requestLines()).toEqual([
      'POST /graphql',
      `GET /repos/lab/truncated/git/blobs/${branch.blobSha('long.md')}`
    ])
    expect(await branch.read('long.md')).toBe(long)
    expect(await branch.read('short.md')).toBe('short\n')
    expect(fake.requests).toHaveLength(2)
    expect(fake.violations).toEqual([])
  })

  it('reads a file larger than a whole request through REST directly', async () => {
    const big = 'ü'.repeat(300)
    fake.createRepo('lab', 'huge', { files: { 'huge.txt': big, 'small.txt': 'small' } })
    const branch = await open('huge')
    const [huge, small] = [branch.blobSha('huge.txt')!, branch.blobSha('small.txt')!]
    const sizes = new Map(branch.entries().map(e => [e.sha, e.size!]))
    expect(sizes.get(huge)).toBe(600)
    const texts = await readBlobs(octokit, { owner: 'lab', repo: 'huge' }, [huge, small], {
      sizes,
      maxBytes: 500
    })
    expect(fake.requestLines()).toEqual(['POST /graphql', `GET /repos/lab/huge/git/blobs/${huge}`])
    expect((graphqlRequests()[0].body as { variables: object }).variables).toEqual({
      owner: 'lab',
      name: 'huge',
      o0: small
    })
    expect(texts).toEqual(
      new Map([
        [small, 'small'],
        [huge, big]
      ])
    )
  })
})

describe('readBlobs', () => {
  it('bounds each request by count and by the sizes it is given', async () => {
    const files = stateFiles(10)
    fake.createRepo('lab', 'bounds', { files })
    const shas = Object.values(files).map(c => gitBlobSha(c))
    const small = await readBlobs(octokit, { owner: 'lab', repo: 'bounds' }, shas, { maxBlobs: 7 })
    expect(graphqlRequests()).toHaveLength(3)
    expect([...small.values()].sort()).toEqual(Object.values(files).sort())
    fake.clearRequests()
    const sizes = new Map(Object.values(files).map(c => [gitBlobSha(c), Buffer.byteLength(c)]))
    const size = Math.max(...sizes.values())
    await readBlobs(octokit, { owner: 'lab', repo: 'bounds' }, shas, { sizes, maxBytes: 4 * size })
    expect(graphqlRequests()).toHaveLength(5)
    expect(restBlobRequests()).toEqual([])
    expect(fake.violations).toEqual([])
  })

  it('plans batches in order and asks for nothing when given nothing', async () => {
    const sizes = new Map([
      ['a', 10],
      ['b', 10],
      ['c', 100],
      ['d', 1]
    ])
    expect(planBatches(['a', 'b', 'c', 'd', 'e'], sizes, 2, 50)).toEqual({
      batches: [
        ['a', 'b'],
        ['d', 'e']
      ],
      alone: ['c']
    })
    expect(planBatches(['a', 'b', 'd'], sizes, 100, 20)).toEqual({ batches: [['a', 'b'], ['d']], alone: [] })
    expect(await readBlobs(octokit, { owner: 'lab', repo: 'none' }, [])).toEqual(new Map())
    expect(fake.requests).toEqual([])
    expect(blobsQuery(2)).toMatch(/b1: object\(oid: \$o1\)/)
  })

  it('names a binary blob', async () => {
    fake.createRepo('lab', 'binary', { files: { 'logo.png': '\u0089PNG\r\n\u001a\n\u0000\u0000' } })
    const branch = await open('binary')
    const error = await branch.prefetch(['logo.png']).catch(e => e)
    expect(error).toBeInstanceOf(ActionableError)
    expect(error.code).toBe('binary-file')
    expect(error.message).toMatch(/"logo\.png"/)
    expect(error.message).toContain(branch.blobSha('logo.png'))
    const bare = await readBlobs(octokit, { owner: 'lab', repo: 'binary' }, [
      branch.blobSha('logo.png')!
    ]).catch(e => e)
    expect(bare.message).toContain(`blob ${branch.blobSha('logo.png')}`)
  })
})

describe('failures', () => {
  it('retries a GraphQL 502 through the Octokit plugins', async () => {
    fake.createRepo('lab', 'flaky', { files: stateFiles(2) })
    const branch = await open('flaky')
    fake.injectFault({ method: 'POST', path: '/graphql' }, { status: 502 })
    await branch.prefetch(branch.paths())
    expect(fake.requests.map(r => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /graphql 502',
      'POST /graphql 200'
    ])
    expect(await branch.read('digests/state/topic-0/2026-01.json')).toMatch(/"topic":0/)
    expect(fake.requests).toHaveLength(2)
  })

  it('names the read when GitHub keeps failing, and caches nothing of it', async () => {
    fake.createRepo('lab', 'down', { files: stateFiles(3) })
    const branch = await open('down')
    fake.injectFault({ path: '/graphql' }, { status: 502 }, 10)
    const error = await branch.prefetch(branch.paths()).catch(e => e)
    expect(error).toBeInstanceOf(ActionableError)
    expect(error.code).toBe('github-request')
    expect(error.message).toBe(
      'Reading 6 files ("digests/state/topic-0/2026-01.json", "digests/state/topic-0/2026-02.json", ' +
        '"digests/state/topic-1/2026-01.json", and 3 more) through the GraphQL API in lab/down failed. ' +
        'GitHub answered 502 to POST /graphql: Server Error. GitHub had a server error and retries did not ' +
        'help: run the workflow again later, and see https://www.githubstatus.com.'
    )
    expect(error.cause).toMatchObject({ status: 502 })
    // One attempt and three retries.
    expect(fake.requests).toHaveLength(4)
    fake.clearFaults()
    fake.clearRequests()
    expect(await branch.read('digests/state/topic-2/2026-02.json')).toMatch(/"topic":2/)
    expect(fake.requestLines()).toEqual([
      `GET /repos/lab/down/git/blobs/${branch.blobSha('digests/state/topic-2/2026-02.json')}`
    ])
  })

  it('turns "Resource not accessible by integration" into permission advice', async () => {
    fake.createRepo('lab', 'denied', { files: stateFiles(1) })
    const branch = await open('denied')
    fake.injectFault({ method: 'POST', path: '/graphql' }, { kind: 'not-accessible' })
    const error = await branch.prefetch(branch.paths()).catch(e => e)
    expect(error.code).toBe('permissions')
    expect(error.message).toMatch(
      /^GitHub refused reading 2 files \("digests\/state\/topic-0\/2026-01\.json", .*\) through the GraphQL API in lab\/denied: "Resource not accessible by integration" \(HTTP 403\)/
    )
    expect(error.message).toMatch(/contents: write\n {4}pull-requests: write/)
    expect(fake.requests).toHaveLength(1)
  })

  it('gives the same advice when GraphQL refuses with FORBIDDEN in an HTTP 200 answer', async () => {
    const refusing = {
      graphql: async () => {
        throw Object.assign(new Error('Request failed due to following response errors'), {
          name: 'GraphqlResponseError',
          errors: [
            { type: 'FORBIDDEN', path: ['repository'], message: 'Resource not accessible by integration' }
          ]
        })
      }
    } as unknown as Octokit
    const error = await readBlobs(refusing, { owner: 'lab', repo: 'x' }, [gitBlobSha('a')]).catch(e => e)
    expect(error.code).toBe('permissions')
  })

  it("passes GraphQL's own errors on with what was being read", async () => {
    const error = await readBlobs(octokit, { owner: 'lab', repo: 'ghost' }, [gitBlobSha('a')]).catch(e => e)
    expect(error).toBeInstanceOf(ActionableError)
    expect(error.message).toBe(
      `GitHub refused reading blob ${gitBlobSha('a')} through the GraphQL API in lab/ghost: ` +
        "Could not resolve to a Repository with the name 'lab/ghost'."
    )
    expect(fake.violations).toEqual([])
  })

  it('says when the token is refused', async () => {
    fake.createRepo('lab', 'token', { files: stateFiles(1) })
    const branch = await open('token')
    fake.injectFault({ path: '/graphql' }, { kind: 'bad-credentials' })
    const error = await branch.prefetch(branch.paths()).catch(e => e)
    expect(error.message).toMatch(
      /GitHub answered 401 to POST \/graphql: Bad credentials\. The token was refused/
    )
    expect(fake.requests).toHaveLength(1)
  })

  it('names a blob GitHub does not have', async () => {
    fake.createRepo('lab', 'gone', { files: stateFiles(1) })
    const error = await readBlobs(octokit, { owner: 'lab', repo: 'gone' }, [
      gitBlobSha('never committed')
    ]).catch(e => e)
    expect(error.message).toBe(`GitHub has no blob ${gitBlobSha('never committed')} in lab/gone.`)
  })
})
