import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { OPENAPI_SUBSET, startFakeGitHub, type FakeGitHub } from '../test-support/fake-github.js'

let fake: FakeGitHub

async function call(
  method: string,
  path: string,
  body?: unknown
): Promise<{ status: number; json: Record<string, unknown> & unknown[]; headers: Headers }> {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization: 'token test', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers }
}

function gitAvailable(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

beforeAll(async () => {
  fake = await startFakeGitHub()
})

afterAll(async () => {
  await fake.close()
})

beforeEach(() => {
  fake.violations.length = 0
})

describe('git objects', () => {
  it('gives the empty blob and the empty tree their git ids', async () => {
    fake.createRepo('o', 'ids', { files: { 'empty.txt': '' } })
    const branch = await call('GET', '/repos/o/ids/branches/main')
    const treeSha = (branch.json.commit as { commit: { tree: { sha: string } } }).commit.tree.sha
    const tree = await call('GET', `/repos/o/ids/git/trees/${treeSha}?recursive=1`)
    expect(tree.json.tree).toEqual([
      expect.objectContaining({ path: 'empty.txt', sha: 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391' })
    ])
    const empty = await call('POST', '/repos/o/ids/git/trees', { tree: [] })
    expect(empty.status).toBe(201)
    // `git hash-object -t tree /dev/null`
    expect(empty.json.sha).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904')
    expect(fake.violations).toEqual([])
  })

  it('builds the same tree ids as git for nested folders and tricky name order', async () => {
    const files: Record<string, string> = {
      'a.txt': 'one\n',
      'a/b.md': '# b\n',
      'a-b/c': 'c',
      'a/x/y/z.json': '{}\n',
      z: 'zz',
      'ü.md': 'unicode\n'
    }
    fake.createRepo('o', 'nested', { files })
    const branch = await call('GET', '/repos/o/nested/branches/main')
    const treeSha = (branch.json.commit as { commit: { tree: { sha: string } } }).commit.tree.sha
    expect(treeSha).toMatch(/^[0-9a-f]{40}$/)
    if (!gitAvailable()) return
    const dir = mkdtempSync(join(tmpdir(), 'fake-github-'))
    try {
      execFileSync('git', ['init', '-q', dir])
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true })
        writeFileSync(join(dir, path), content)
      }
      execFileSync('git', ['-C', dir, '-c', 'core.quotepath=off', 'add', '-A'])
      const gitTree = execFileSync('git', ['-C', dir, 'write-tree']).toString().trim()
      expect(treeSha).toBe(gitTree)
      const blob = execFileSync('git', ['-C', dir, 'hash-object', 'a.txt']).toString().trim()
      const listing = await call('GET', `/repos/o/nested/git/trees/${treeSha}?recursive=1`)
      expect(
        (listing.json.tree as Array<{ path: string; sha: string }>).find(e => e.path === 'a.txt')?.sha
      ).toBe(blob)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('serves blobs base64-encoded, wrapped like GitHub', async () => {
    const text = 'x'.repeat(100) + '\nünïcødé\n'
    fake.createRepo('o', 'blob', { files: { 'f.md': text } })
    const branch = await call('GET', '/repos/o/blob/branches/main')
    const treeSha = (branch.json.commit as { commit: { tree: { sha: string } } }).commit.tree.sha
    const tree = await call('GET', `/repos/o/blob/git/trees/${treeSha}`)
    const sha = (tree.json.tree as Array<{ sha: string }>)[0].sha
    const blob = await call('GET', `/repos/o/blob/git/blobs/${sha}`)
    expect(blob.json.encoding).toBe('base64')
    expect(String(blob.json.content)).toContain('\n')
    expect(Buffer.from(String(blob.json.content), 'base64').toString('utf8')).toBe(text)
  })

  it('signs API commits only when no author, committer or signature is sent', async () => {
    fake.createRepo('o', 'sign')
    const head = fake.commit('o', 'sign', fake.branchSha('o', 'sign', 'main')!)
    const plain = await call('POST', '/repos/o/sign/git/commits', {
      message: 'm',
      tree: head.tree,
      parents: [head.sha]
    })
    expect(plain.status).toBe(201)
    expect(plain.json.verification).toEqual(expect.objectContaining({ verified: true }))
    expect(plain.json.author).toEqual(expect.objectContaining({ name: 'github-actions[bot]' }))
    const custom = await call('POST', '/repos/o/sign/git/commits', {
      message: 'm',
      tree: head.tree,
      parents: [head.sha],
      author: { name: 'A', email: 'a@example.com' }
    })
    expect(custom.json.verification).toEqual(expect.objectContaining({ verified: false }))
    expect(fake.violations).toEqual([])
  })

  it('creates trees on a base tree, deletes with sha null, and refuses to delete a missing path', async () => {
    fake.createRepo('o', 'trees', { files: { 'keep.md': 'k', 'dir/old.md': 'o' } })
    const base = fake.commit('o', 'trees', fake.branchSha('o', 'trees', 'main')!).tree
    const t = await call('POST', '/repos/o/trees/git/trees', {
      base_tree: base,
      tree: [
        { path: 'dir/new.md', mode: '100644', type: 'blob', content: 'n' },
        { path: 'dir/old.md', mode: '100644', type: 'blob', sha: null }
      ]
    })
    expect(t.status).toBe(201)
    const c = await call('POST', '/repos/o/trees/git/commits', {
      message: 'x',
      tree: t.json.sha,
      parents: []
    })
    expect(fake.listFiles('o', 'trees', String(c.json.sha))).toEqual(['dir/new.md', 'keep.md'])
    const missing = await call('POST', '/repos/o/trees/git/trees', {
      base_tree: base,
      tree: [{ path: 'nope.md', mode: '100644', type: 'blob', sha: null }]
    })
    expect(missing.status).toBe(422)
    expect(missing.json.message).toBe('GitRPC::BadObjectState')
    const both = await call('POST', '/repos/o/trees/git/trees', {
      tree: [
        {
          path: 'a',
          mode: '100644',
          type: 'blob',
          sha: 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391',
          content: ''
        }
      ]
    })
    expect(both.status).toBe(422)
  })
})

describe('refs and pull requests', () => {
  it('answers ref conflicts like GitHub', async () => {
    fake.createRepo('o', 'refs')
    const main = fake.branchSha('o', 'refs', 'main')!
    expect((await call('POST', '/repos/o/refs/git/refs', { ref: 'refs/heads/x/y', sha: main })).status).toBe(
      201
    )
    const dup = await call('POST', '/repos/o/refs/git/refs', { ref: 'refs/heads/x/y', sha: main })
    expect([dup.status, dup.json.message]).toEqual([422, 'Reference already exists'])
    const other = fake.commitFiles('o', 'refs', 'other', { 'f.md': 'f' })
    const moved = fake.commitFiles('o', 'refs', 'x/y', { 'g.md': 'g' })
    const nonFf = await call('PATCH', `/repos/o/refs/git/refs/heads%2Fx%2Fy`, { sha: other })
    expect([nonFf.status, nonFf.json.message]).toEqual([422, 'Update is not a fast forward'])
    expect(
      (await call('PATCH', `/repos/o/refs/git/refs/heads/x/y`, { sha: other, force: true })).status
    ).toBe(200)
    expect(fake.branchSha('o', 'refs', 'x/y')).toBe(other)
    expect(moved).not.toBe(other)
    const got = await call('GET', '/repos/o/refs/git/ref/heads%2Fnope')
    expect(got.status).toBe(404)
    expect(fake.violations).toEqual([])
  })

  it('refuses duplicate and empty pull requests, and merges like the merge button', async () => {
    fake.createRepo('o', 'pulls')
    fake.commitFiles('o', 'pulls', 'feature', { 'f.md': 'f' })
    const created = await call('POST', '/repos/o/pulls/pulls', { head: 'feature', base: 'main', title: 't' })
    expect(created.status).toBe(201)
    const dup = await call('POST', '/repos/o/pulls/pulls', { head: 'feature', base: 'main', title: 't' })
    expect(dup.status).toBe(422)
    expect(dup.json).toEqual(
      expect.objectContaining({
        message: 'Validation Failed',
        errors: [expect.objectContaining({ message: 'A pull request already exists for o:feature.' })]
      })
    )
    fake.createRepo('o', 'nodiff')
    fake.commitFiles('o', 'nodiff', 'main', { 'x.md': 'x' })
    await call('POST', '/repos/o/nodiff/git/refs', {
      ref: 'refs/heads/same',
      sha: fake.branchSha('o', 'nodiff', 'main')
    })
    const none = await call('POST', '/repos/o/nodiff/pulls', { head: 'same', base: 'main', title: 't' })
    expect((none.json.errors as Array<{ message: string }>)[0].message).toBe(
      'No commits between main and same'
    )

    const number = Number(created.json.number)
    fake.mergePullRequest('o', 'pulls', number)
    expect(fake.readFile('o', 'pulls', 'main', 'f.md')).toBe('f')
    expect(fake.pulls('o', 'pulls')[0]).toEqual(expect.objectContaining({ state: 'closed', merged: true }))
    const list = await call('GET', '/repos/o/pulls/pulls?head=o:feature&base=main&state=open')
    expect(list.json).toEqual([])
    expect(fake.violations).toEqual([])
  })

  it('answers 409 for git data in an empty repository and 404 for its branches', async () => {
    fake.createRepo('o', 'empty', { empty: true })
    const tree = await call('GET', '/repos/o/empty/git/trees/main')
    expect([tree.status, tree.json.message]).toEqual([409, 'Git Repository is empty.'])
    const branch = await call('GET', '/repos/o/empty/branches/main')
    expect([branch.status, branch.json.message]).toEqual([404, 'Branch not found'])
    expect((await call('GET', '/repos/o/empty')).json.default_branch).toBe('main')
  })
})

describe('OpenAPI checks', () => {
  it('checks against a committed subset with exactly the operations the fake implements', () => {
    const spec = JSON.parse(readFileSync(OPENAPI_SUBSET, 'utf8'))
    const inSubset = Object.entries(spec.paths as Record<string, object>).flatMap(([template, methods]) =>
      Object.keys(methods).map(m => `${m.toUpperCase()} ${template}`)
    )
    expect(inSubset.sort()).toEqual(fake.implementedOperations())
    expect(spec.info['x-source']).toMatch(
      /^@octokit\/openapi@\d+\.\d+\.\d+ generated\/api\.github\.com\.json$/
    )
  })

  it('regenerates the same subset from a description holding more (script/github-openapi.mjs)', () => {
    const spec = JSON.parse(readFileSync(OPENAPI_SUBSET, 'utf8'))
    const dir = mkdtempSync(join(tmpdir(), 'openapi-pkg-'))
    try {
      const full = {
        ...spec,
        info: { version: spec.info.version },
        paths: {
          ...spec.paths,
          '/repos/{owner}/{repo}/contents/{path}': {
            get: { operationId: 'repos/get-content', responses: {} }
          },
          '/repos/{owner}/{repo}': {
            ...spec.paths['/repos/{owner}/{repo}'],
            delete: { operationId: 'repos/delete' }
          }
        },
        components: { ...spec.components, schemas: { unused: { type: 'string' } } }
      }
      full.paths['/repos/{owner}/{repo}/pulls'] = {
        get: { ...full.paths['/repos/{owner}/{repo}/pulls'].get, responses: { 200: { description: 'x' } } },
        post: full.paths['/repos/{owner}/{repo}/pulls'].post
      }
      mkdirSync(join(dir, 'generated'))
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: spec.info.version }))
      writeFileSync(join(dir, 'generated', 'api.github.com.json'), JSON.stringify(full))
      execFileSync(process.execPath, [
        'script/github-openapi.mjs',
        '--from',
        dir,
        '--out',
        join(dir, 'out.json')
      ])
      expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe(readFileSync(OPENAPI_SUBSET, 'utf8'))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('rejects a body that does not match the schema, and records it', async () => {
    fake.createRepo('o', 'spec')
    const res = await call('POST', '/repos/o/spec/git/trees', { base_tree: 'abc' })
    expect(res.status).toBe(422)
    expect(String(res.json.message)).toMatch(/^Invalid request\./)
    const bad = await call('POST', '/repos/o/spec/git/commits', { message: 'm', tree: 5 })
    expect(bad.status).toBe(422)
    const badEnum = await call('POST', '/repos/o/spec/git/trees', {
      tree: [{ path: 'a', mode: '644', type: 'blob', content: 'x' }]
    })
    expect(badEnum.status).toBe(422)
    expect(fake.violations.map(v => v.kind)).toEqual(['invalid-body', 'invalid-body', 'invalid-body'])
  })

  it('rejects unknown endpoints, wrong methods and bad path parameters', async () => {
    fake.createRepo('o', 'spec2')
    expect((await call('GET', '/repos/o/spec2/no-such-thing')).status).toBe(404)
    expect((await call('PUT', '/repos/o/spec2/git/trees')).status).toBe(404)
    expect((await call('GET', '/repos/o/spec2/pulls/abc')).status).toBe(404)
    expect(fake.violations.map(v => v.kind)).toEqual([
      'unknown-endpoint',
      'method-not-allowed',
      'invalid-path-parameter'
    ])
  })

  it('records requests GitHub would silently misread', async () => {
    fake.createRepo('o', 'spec3')
    expect((await call('GET', '/repos/o/spec3/pulls?head=feature&colour=blue')).status).toBe(200)
    expect((await call('GET', '/repos/o/spec3/pulls?state=bogus')).status).toBe(422)
    const main = fake.branchSha('o', 'spec3', 'main')
    expect(
      (await call('POST', '/repos/o/spec3/git/refs', { ref: 'refs/heads/z', sha: main, force: true })).status
    ).toBe(201)
    expect(fake.violations.map(v => v.kind).sort()).toEqual([
      'ignored-filter',
      'invalid-query-parameter',
      'unknown-body-field',
      'unknown-query-parameter'
    ])
  })

  it('logs every request', async () => {
    fake.clearRequests()
    fake.createRepo('o', 'log')
    await call('GET', '/repos/o/log')
    await call('POST', '/repos/o/log/git/trees', { tree: [] })
    expect(fake.requestLines()).toEqual(['GET /repos/o/log', 'POST /repos/o/log/git/trees'])
    expect(fake.writeRequests()).toEqual([
      expect.objectContaining({
        method: 'POST',
        status: 201,
        operation: 'git/create-tree',
        body: { tree: [] }
      })
    ])
  })
})

describe('faults', () => {
  it('injects server errors a given number of times', async () => {
    fake.createRepo('o', 'f1')
    fake.injectFault({ method: 'GET', path: '/repos/{owner}/{repo}' }, { status: 502 }, 2)
    expect((await call('GET', '/repos/o/f1')).status).toBe(502)
    expect((await call('GET', '/repos/o/f1')).status).toBe(502)
    expect((await call('GET', '/repos/o/f1')).status).toBe(200)
  })

  it('injects rate limits and refusals with GitHub’s status, headers and messages', async () => {
    fake.createRepo('o', 'f2')
    fake.injectFault({ path: /\/pulls$/ }, { kind: 'secondary-rate-limit', retryAfter: 7 })
    const limited = await call('GET', '/repos/o/f2/pulls')
    expect(limited.status).toBe(403)
    expect(limited.headers.get('retry-after')).toBe('7')
    expect(String(limited.json.message)).toMatch(/secondary rate limit/)
    fake.injectFault(
      { method: 'POST', path: '/repos/o/f2/pulls' },
      { kind: 'actions-cannot-create-pull-requests' }
    )
    const refused = await call('POST', '/repos/o/f2/pulls', { head: 'x', base: 'main', title: 't' })
    expect([refused.status, refused.json.message]).toEqual([
      403,
      'GitHub Actions is not permitted to create or approve pull requests.'
    ])
    expect(refused.json.documentation_url).toBe('https://docs.github.com/rest/pulls/create')
    fake.injectFault({ method: 'POST' }, { kind: 'not-accessible' })
    const denied = await call('POST', '/repos/o/f2/git/trees', { tree: [] })
    expect([denied.status, denied.json.message]).toEqual([403, 'Resource not accessible by integration'])
    let ran = false
    fake.injectFault({ method: 'GET', path: '/repos/o/f2' }, { kind: 'before', action: () => (ran = true) })
    expect((await call('GET', '/repos/o/f2')).status).toBe(200)
    expect(ran).toBe(true)
  })

  it('can refuse PR creation through the repository setting', async () => {
    fake.createRepo('o', 'f3', { actionsCanCreatePullRequests: false })
    fake.commitFiles('o', 'f3', 'b', { 'x.md': 'x' })
    const refused = await call('POST', '/repos/o/f3/pulls', { head: 'b', base: 'main', title: 't' })
    expect(refused.status).toBe(403)
  })
})

describe('GraphQL', () => {
  const BLOB = '... on Blob { oid byteSize isBinary isTruncated text }'

  it('answers repository objects by oid and by expression, and is not a write', async () => {
    fake.clearRequests()
    fake.createRepo('o', 'gql', { files: { 'README.md': '# gql\n', 'docs/a.md': 'ä\n' } })
    const readme = (await call('GET', '/repos/o/gql/git/trees/main?recursive=1')).json.tree as Array<{
      path: string
      sha: string
    }>
    const query = `query($owner: String!, $name: String!, $oid: GitObjectID!) {
      repository(owner: $owner, name: $name) {
        nameWithOwner
        byOid: object(oid: $oid) { __typename ${BLOB} }
        byPath: object(expression: "main:docs/a.md") { ${BLOB} }
        missing: object(expression: "main:nope.md") { oid }
        tree: object(expression: "main:docs") { ... on Tree { entries { name path type mode oid } } }
        head: object(expression: "main") { ... on Commit { message tree { oid } } }
      }
    }`
    const sha = readme.find(e => e.path === 'README.md')!.sha
    const res = await call('POST', '/graphql', { query, variables: { owner: 'o', name: 'gql', oid: sha } })
    expect(res.status).toBe(200)
    expect(res.json).toEqual({
      data: {
        repository: {
          nameWithOwner: 'o/gql',
          byOid: {
            __typename: 'Blob',
            oid: sha,
            byteSize: 6,
            isBinary: false,
            isTruncated: false,
            text: '# gql\n'
          },
          byPath: expect.objectContaining({ byteSize: 3, text: 'ä\n' }),
          missing: null,
          tree: {
            entries: [
              expect.objectContaining({ name: 'a.md', path: 'docs/a.md', type: 'blob', mode: 0o100644 })
            ]
          },
          head: { message: 'Initial commit', tree: { oid: expect.stringMatching(/^[0-9a-f]{40}$/) } }
        }
      }
    })
    expect(fake.requests.at(-1)).toEqual(
      expect.objectContaining({
        method: 'POST',
        path: '/graphql',
        template: '/graphql',
        operation: 'graphql/query'
      })
    )
    expect(fake.writeRequests()).toEqual([])
    expect(fake.violations).toEqual([])
  })

  it('answers refs, the default branch, emptiness and pull requests by head branch, newest first', async () => {
    fake.createRepo('o', 'refs', { files: { 'README.md': '# refs\n' } })
    const head = fake.branchSha('o', 'refs', 'main')!
    fake.commitFiles('o', 'refs', 'digest', { 'a.md': 'a\n' })
    for (const title of ['first', 'second']) {
      const res = await call('POST', '/repos/o/refs/pulls', { title, head: 'digest', base: 'main' })
      expect(res.status).toBe(201)
      if (title !== 'first') continue
      fake.mergePullRequest('o', 'refs', (res.json as unknown as { number: number }).number)
      fake.commitFiles('o', 'refs', 'digest', { 'b.md': 'b\n' })
    }
    fake.createRepo('o', 'bare', { empty: true })
    const query = `query($name: String!) {
      repository(owner: "o", name: $name) {
        isEmpty
        defaultBranchRef { name target { oid } }
        main: ref(qualifiedName: "refs/heads/main") { name target { ... on Commit { oid parents(first: 5) { nodes { oid } } } } }
        nope: ref(qualifiedName: "refs/heads/nope") { name }
        pullRequests(headRefName: "digest", first: 10, orderBy: { field: CREATED_AT, direction: DESC }) {
          nodes { title state merged baseRefName headRefOid headRepository { nameWithOwner } labels(first: 5) { nodes { name } } }
        }
      }
    }`
    const res = await call('POST', '/graphql', { query, variables: { name: 'refs' } })
    expect(res.json.errors).toBeUndefined()
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a GraphQL answer, checked field by field below
    type Answer = { data: { repository: Record<string, any> } }
    const repo = (res.json as unknown as Answer).data.repository
    expect(repo.isEmpty).toBe(false)
    expect(repo.defaultBranchRef).toEqual({
      name: 'main',
      target: { oid: fake.branchSha('o', 'refs', 'main') }
    })
    expect(repo.main.target.parents.nodes.length).toBeGreaterThan(0)
    expect(repo.nope).toBeNull()
    expect(repo.pullRequests.nodes.map((p: { title: string; state: string }) => [p.title, p.state])).toEqual([
      ['second', 'OPEN'],
      ['first', 'MERGED']
    ])
    expect(repo.pullRequests.nodes[0]).toMatchObject({
      baseRefName: 'main',
      headRefOid: fake.branchSha('o', 'refs', 'digest'),
      headRepository: { nameWithOwner: 'o/refs' }
    })
    expect(head).toMatch(/^[0-9a-f]{40}$/)
    const bare = await call('POST', '/graphql', { query, variables: { name: 'bare' } })
    expect((bare.json as unknown as Answer).data.repository).toMatchObject({
      isEmpty: true,
      defaultBranchRef: null,
      main: null
    })
    expect(fake.violations).toEqual([])
  })

  it('truncates long texts at graphqlTextLimit and reports a missing repository like GitHub', async () => {
    fake.createRepo('o', 'gql2', { files: { 'big.txt': 'x'.repeat(50) } })
    const limit = fake.graphqlTextLimit
    fake.graphqlTextLimit = 10
    try {
      const res = await call('POST', '/graphql', {
        query: `{ repository(owner: "o", name: "gql2") { object(expression: "HEAD:big.txt") { ${BLOB} } } }`
      })
      expect(res.json.data).toEqual({
        repository: {
          object: expect.objectContaining({ byteSize: 50, isTruncated: true, text: 'x'.repeat(10) })
        }
      })
    } finally {
      fake.graphqlTextLimit = limit
    }
    const ghost = await call('POST', '/graphql', {
      query: '{ repository(owner: "o", name: "ghost") { name } }'
    })
    expect(ghost.status).toBe(200)
    expect(ghost.json).toEqual({
      data: { repository: null },
      errors: [
        expect.objectContaining({
          type: 'NOT_FOUND',
          path: ['repository'],
          message: "Could not resolve to a Repository with the name 'o/ghost'."
        })
      ]
    })
    expect(fake.violations).toEqual([])
  })

  it("refuses queries that do not validate against GitHub's schema, and records them", async () => {
    fake.createRepo('o', 'gql3')
    const misspelt = await call('POST', '/graphql', {
      query:
        '{ repository(owner: "o", name: "gql3") { object(expression: "main:README.md") { ... on Blob { texxt } } } }'
    })
    expect(misspelt.status).toBe(200)
    expect(misspelt.json.data).toBeUndefined()
    expect(misspelt.json.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/Cannot query field "texxt" on type "Blob"/) })
    ])
    const unpaginated = await call('POST', '/graphql', {
      query: '{ repository(owner: "o", name: "gql3") { refs(refPrefix: "refs/heads/") { totalCount } } }'
    })
    expect(unpaginated.json.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/provide a `first` or `last` value/) })
    ])
    const unparsable = await call('POST', '/graphql', { query: '{ repository(owner: "o" ' })
    expect(unparsable.json.errors).toEqual([expect.objectContaining({ locations: [expect.anything()] })])
    const untyped = await call('POST', '/graphql', {
      query: 'query($o: GitObjectID!) { repository(owner: "o", name: "gql3") { object(oid: $o) { oid } } }'
    })
    expect(untyped.json.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/\$o/) })])
    expect(fake.violations.map(v => [v.kind, v.method, v.path])).toEqual([
      ['invalid-graphql', 'POST', '/graphql'],
      ['invalid-graphql', 'POST', '/graphql'],
      ['invalid-graphql', 'POST', '/graphql'],
      ['invalid-graphql', 'POST', '/graphql']
    ])
    fake.violations.length = 0
    // Valid against the schema, but not modelled by the fake: a loud violation too.
    const viewer = await call('POST', '/graphql', { query: '{ viewer { login } }' })
    expect(viewer.json.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/Query\.viewer/) })
    ])
    expect(fake.violations.map(v => v.kind)).toEqual(['unimplemented'])
  })

  it('needs a token, and takes faults like the REST side', async () => {
    fake.createRepo('o', 'gql4')
    const query = '{ repository(owner: "o", name: "gql4") { name } }'
    const anonymous = await fetch(`${fake.url}/graphql`, { method: 'POST', body: JSON.stringify({ query }) })
    expect(anonymous.status).toBe(401)
    fake.injectFault({ method: 'POST', path: '/graphql' }, { kind: 'bad-credentials' })
    const refused = await call('POST', '/graphql', { query })
    expect([refused.status, refused.json.message]).toEqual([401, 'Bad credentials'])
    expect(refused.json.documentation_url).toBe('https://docs.github.com/graphql')
    fake.injectFault({ path: '/graphql' }, { status: 502 })
    expect((await call('POST', '/graphql', { query })).status).toBe(502)
    expect((await call('POST', '/graphql', { query })).json).toEqual({
      data: { repository: { name: 'gql4' } }
    })
    expect(fake.violations).toEqual([])
  })
})
