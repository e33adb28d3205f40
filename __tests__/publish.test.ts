import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createOctokit, type GitHubLog, type Octokit } from '../src/github/client.js'
import { ActionableError } from '../src/github/errors.js'
import { checkPublishPath, compareUrl, publish, type PublishOptions } from '../src/github/publish.js'
import { RepoPathError } from '../src/digest/repo-path.js'
import { openBase } from '../src/github/repo.js'
import { testOctokit } from '../test-support/setup.js'
import { OCTOCAT, startFakeGitHub, type FakeGitHub } from '../test-support/fake-github.js'

let fake: FakeGitHub
let octokit: Octokit
const warnings: string[] = []
const log: GitHubLog = { debug: () => {}, info: () => {}, warning: m => void warnings.push(m) }

const OWNER = 'lab'
const BRANCH = 'preprint-digest/update'
const MESSAGE = 'Update paper digest'
const BASE_FILES = { 'README.md': '# Lab\n', 'digests/vla.md': '# VLA\n\nNothing yet.\n' }

beforeAll(async () => {
  fake = await startFakeGitHub()
  octokit = testOctokit(fake.url, log)
})

afterAll(async () => {
  await fake.close()
})

beforeEach(() => {
  warnings.length = 0
  fake.violations.length = 0
})

let repoCount = 0
function newRepo(files: Record<string, string> = BASE_FILES): string {
  const repo = `digest-${++repoCount}`
  fake.createRepo(OWNER, repo, { files })
  return repo
}

/**
 * One run of the action's GitHub side: open the base, then publish. Requests are counted from a clean
 * log, and each run has its own client (and so its own object cache), as each action run does.
 */
async function run(repo: string, files: Record<string, string>, over: Partial<PublishOptions> = {}) {
  fake.clearRequests()
  const octokit = testOctokit(fake.url, log)
  const base = await openBase(octokit, { owner: OWNER, repo, base: 'main' })
  const result = await publish({
    octokit,
    owner: OWNER,
    repo,
    base,
    branch: BRANCH,
    files: new Map(Object.entries(files)),
    proposed: 1,
    commitMessage: MESSAGE,
    pr: { title: 'New papers on arXiv', labels: [], reviewers: [], assignees: [], draft: false },
    body: ({ foreignCommits }) =>
      `New papers:\n${Object.values(files).join('\n')}` +
      (foreignCommits.length ? `\n\nWarning: dropped ${foreignCommits.map(c => c.sha).join(', ')}` : ''),
    dryRun: false,
    serverUrl: 'https://github.com',
    log,
    followUpRetryDelayMs: 1,
    ...over
  })
  return { result, lines: fake.requestLines(), writes: fake.writeRequests() }
}

const DAY1 = { 'digests/vla.md': '# VLA\n\n- paper A\n', 'digests/state/vla/2026-02.json': '{"a":1}\n' }
const DAY2 = {
  'digests/vla.md': '# VLA\n\n- paper B\n- paper A\n',
  'digests/state/vla/2026-02.json': '{"a":1,"b":2}\n'
}

describe('publish: the rolling pull request', () => {
  it('first run: creates the branch with one signed commit and opens the PR (7 requests)', async () => {
    const repo = newRepo()
    const { result, lines, writes } = await run(repo, DAY1)
    const base = fake.branchSha(OWNER, repo, 'main')!
    const tree = fake.commit(OWNER, repo, base).tree
    expect(lines).toEqual([
      `GET /repos/lab/${repo}/branches/main`,
      `GET /repos/lab/${repo}/git/trees/${tree}`,
      `GET /repos/lab/${repo}/branches/${BRANCH}`,
      `POST /repos/lab/${repo}/git/trees`,
      `POST /repos/lab/${repo}/git/commits`,
      `POST /repos/lab/${repo}/git/refs`,
      `POST /repos/lab/${repo}/pulls`
    ])
    // No author, committer or signature: GitHub signs it as the bot.
    const commitBody = writes.find(w => w.operation === 'git/create-commit')!.body as Record<string, unknown>
    expect(Object.keys(commitBody).sort()).toEqual(['message', 'parents', 'tree'])
    expect(commitBody.parents).toEqual([base])
    const treeBody = writes.find(w => w.operation === 'git/create-tree')!.body as Record<string, unknown>
    expect(treeBody.base_tree).toBe(tree)
    expect(result).toEqual(
      expect.objectContaining({
        operation: 'created',
        changedFiles: ['digests/state/vla/2026-02.json', 'digests/vla.md'],
        number: 1,
        url: `https://github.com/lab/${repo}/pull/1`,
        verified: true,
        foreignCommits: [],
        warnings: []
      })
    )
    const head = fake.commit(OWNER, repo, fake.branchSha(OWNER, repo, BRANCH)!)
    expect(head.sha).toBe(result.commitSha)
    expect(head.parents).toEqual([base])
    expect(head.message).toBe(MESSAGE)
    expect(fake.readFile(OWNER, repo, BRANCH, 'digests/vla.md')).toBe(DAY1['digests/vla.md'])
    expect(fake.readFile(OWNER, repo, BRANCH, 'README.md')).toBe('# Lab\n')
    expect(fake.pulls(OWNER, repo)).toEqual([
      expect.objectContaining({
        number: 1,
        state: 'open',
        head: BRANCH,
        base: 'main',
        title: 'New papers on arXiv'
      })
    ])
    expect(fake.violations).toEqual([])
  })

  it('update: force-updates the branch and the same PR (9 requests), no second PR', async () => {
    const repo = newRepo()
    await run(repo, DAY1)
    const first = fake.branchSha(OWNER, repo, BRANCH)
    const { result, lines, writes } = await run(repo, DAY2)
    expect(lines.map(l => l.replace(`/repos/lab/${repo}`, '').replace(/[0-9a-f]{40}/g, 'SHA'))).toEqual([
      'GET /branches/main',
      'GET /git/trees/SHA',
      `GET /branches/${BRANCH}`,
      'GET /git/trees/SHA',
      'GET /pulls',
      // No comparison: the branch is the digest's one commit on the current base head.
      'POST /git/trees',
      'POST /git/commits',
      `PATCH /git/refs/heads/${BRANCH}`,
      'PATCH /pulls/1'
    ])
    expect(writes.find(w => w.method === 'PATCH' && w.operation === 'git/update-ref')!.body).toEqual({
      sha: result.commitSha,
      force: true
    })
    expect(fake.requests.find(r => r.operation === 'pulls/list')!.query).toEqual({
      head: `lab:${BRANCH}`,
      base: 'main',
      state: 'all',
      per_page: '100'
    })
    expect(result).toEqual(expect.objectContaining({ operation: 'updated', number: 1, foreignCommits: [] }))
    expect(fake.branchSha(OWNER, repo, BRANCH)).not.toBe(first)
    // Rebuilt from base: one commit on top of main, not on top of yesterday's.
    expect(fake.commit(OWNER, repo, result.commitSha!).parents).toEqual([fake.branchSha(OWNER, repo, 'main')])
    expect(fake.pulls(OWNER, repo)).toHaveLength(1)
    expect(fake.pulls(OWNER, repo)[0].body).toMatch(/New papers/)
    expect(fake.readFile(OWNER, repo, BRANCH, 'digests/vla.md')).toBe(DAY2['digests/vla.md'])
    expect(fake.violations).toEqual([])
  })

  it('same content again: unchanged, no write at all (5 requests)', async () => {
    const repo = newRepo()
    await run(repo, DAY1)
    const before = fake.branchSha(OWNER, repo, BRANCH)
    const { result, lines, writes } = await run(repo, DAY1)
    expect(lines).toHaveLength(5)
    expect(lines[4]).toBe(`GET /repos/lab/${repo}/pulls`)
    expect(writes).toEqual([])
    expect(result).toEqual(
      expect.objectContaining({ operation: 'unchanged', action: 'unchanged', number: 1 })
    )
    expect(result.commitSha).toBeUndefined()
    expect(fake.branchSha(OWNER, repo, BRANCH)).toBe(before)
    expect(fake.violations).toEqual([])
  })

  it('same content but a new title: refreshes the PR only', async () => {
    const repo = newRepo()
    await run(repo, DAY1)
    const { result, writes } = await run(repo, DAY1, {
      pr: { title: 'Papers!', labels: [], reviewers: [], assignees: [], draft: false }
    })
    expect(result.operation).toBe('unchanged')
    expect(writes.map(w => w.operation)).toEqual(['pulls/update'])
    expect(fake.pulls(OWNER, repo)[0].title).toBe('Papers!')
  })

  it('content equal to base: none, and zero requests from publish', async () => {
    const repo = newRepo()
    const { result, lines, writes } = await run(repo, { 'digests/vla.md': BASE_FILES['digests/vla.md'] })
    expect(result).toEqual(expect.objectContaining({ operation: 'none', changedFiles: [] }))
    expect(lines).toHaveLength(2)
    expect(writes).toEqual([])
  })

  it('content equal to base while the digest branch exists: none, branch untouched', async () => {
    const repo = newRepo()
    await run(repo, DAY1)
    const branch = fake.branchSha(OWNER, repo, BRANCH)
    const { result, writes } = await run(repo, BASE_FILES)
    expect(result.operation).toBe('none')
    expect(writes).toEqual([])
    expect(fake.branchSha(OWNER, repo, BRANCH)).toBe(branch)
  })

  it('after the PR was merged, new content opens a new PR', async () => {
    const repo = newRepo()
    await run(repo, DAY1)
    fake.mergePullRequest(OWNER, repo, 1)
    const { result } = await run(repo, DAY2)
    expect(result).toEqual(expect.objectContaining({ operation: 'created', number: 2, foreignCommits: [] }))
    expect(result.changedFiles).toEqual(['digests/state/vla/2026-02.json', 'digests/vla.md'])
    expect(fake.pulls(OWNER, repo).map(p => [p.number, p.state, p.merged])).toEqual([
      [1, 'closed', true],
      [2, 'open', false]
    ])
    expect(fake.violations).toEqual([])
  })

  it('after a merge whose branch GitHub deleted, the branch is created again', async () => {
    const repo = newRepo()
    await run(repo, DAY1)
    fake.mergePullRequest(OWNER, repo, 1)
    fake.deleteBranch(OWNER, repo, BRANCH)
    const { result, writes } = await run(repo, DAY2)
    expect(result.operation).toBe('created')
    expect(writes.map(w => w.operation)).toEqual([
      'git/create-tree',
      'git/create-commit',
      'git/create-ref',
      'pulls/create'
    ])
  })

  it('after a PR was closed without merging, new content opens a new PR; the old one stays closed', async () => {
    const repo = newRepo()
    await run(repo, DAY1)
    fake.closePullRequest(OWNER, repo, 1)
    const { result } = await run(repo, DAY2)
    expect(result).toEqual(expect.objectContaining({ operation: 'created', number: 2 }))
    expect(fake.pulls(OWNER, repo).map(p => p.state)).toEqual(['closed', 'open'])
  })

  it('files that differ from the base but carry no paper to review: none, not a single request', async () => {
    const repo = newRepo()
    await run(repo, DAY1)
    fake.closePullRequest(OWNER, repo, 1)
    // The pipeline holds a closed PR's papers as dismissed: its state files differ, no paper awaits.
    const { result, lines } = await run(repo, DAY1, { proposed: 0 })
    expect(result).toEqual(expect.objectContaining({ operation: 'none', action: 'none' }))
    expect(result.number).toBeUndefined()
    expect(lines).toHaveLength(2)
    expect(fake.pulls(OWNER, repo)).toHaveLength(1)
  })

  it('a branch pushed by a run that could not open the PR gets its PR on the rerun', async () => {
    const repo = newRepo()
    fake.injectFault(
      { method: 'POST', path: '/repos/{owner}/{repo}/pulls' },
      { kind: 'actions-cannot-create-pull-requests' }
    )
    await expect(run(repo, DAY1)).rejects.toThrow(ActionableError)
    const { result, writes } = await run(repo, DAY1)
    expect(result).toEqual(expect.objectContaining({ operation: 'created', number: 1 }))
    expect(writes.map(w => w.operation)).toEqual(['pulls/create'])
  })

  it('the base moving on is not mistaken for foreign commits', async () => {
    const repo = newRepo()
    await run(repo, DAY1)
    fake.commitFiles(OWNER, repo, 'main', { 'CONTRIBUTING.md': 'be nice' })
    const { result } = await run(repo, DAY1)
    expect(result).toEqual(expect.objectContaining({ operation: 'updated', foreignCommits: [] }))
    expect(fake.readFile(OWNER, repo, BRANCH, 'CONTRIBUTING.md')).toBe('be nice')
  })
})

describe('publish: other people and other runs', () => {
  it('reports commits somebody pushed to the digest branch, then rebuilds it', async () => {
    const repo = newRepo()
    await run(repo, DAY1)
    const theirs = fake.commitFiles(
      OWNER,
      repo,
      BRANCH,
      { 'notes.md': 'mine' },
      { author: OCTOCAT, message: 'My notes\n\nDetails' }
    )
    const { result } = await run(repo, DAY1)
    expect(result.operation).toBe('updated')
    expect(result.foreignCommits).toEqual([
      {
        sha: theirs,
        message: 'My notes',
        author: 'octocat',
        date: expect.any(String),
        url: expect.stringContaining(theirs)
      }
    ])
    expect(warnings.join('\n')).toMatch(/1 commit\(s\) not made by the digest: .*"My notes" by octocat/)
    expect(result.warnings).toHaveLength(1)
    expect(fake.pulls(OWNER, repo)[0].body).toContain(`Warning: dropped ${theirs}`)
    expect(fake.readFile(OWNER, repo, BRANCH, 'notes.md')).toBeUndefined()
    expect(fake.violations).toEqual([])
  })

  it('reports a force-push that replaced the digest commit', async () => {
    const repo = newRepo()
    await run(repo, DAY1)
    fake.deleteBranch(OWNER, repo, BRANCH)
    const theirs = fake.commitFiles(OWNER, repo, BRANCH, { 'x.md': 'x' }, { message: 'Experiment' })
    const { result } = await run(repo, DAY2)
    expect(result.foreignCommits.map(c => c.sha)).toEqual([theirs])
  })

  it('race: the branch appears between the read and the write, so it is updated instead', async () => {
    const repo = newRepo()
    fake.injectFault(
      { method: 'POST', path: '/repos/{owner}/{repo}/git/refs' },
      {
        kind: 'before',
        action: () => void fake.commitFiles(OWNER, repo, BRANCH, { 'other.md': 'other run' })
      }
    )
    const { result, writes } = await run(repo, DAY1)
    expect(writes.map(w => `${w.operation} ${w.status}`)).toEqual([
      'git/create-tree 201',
      'git/create-commit 201',
      'git/create-ref 422',
      'git/update-ref 200',
      'pulls/create 201'
    ])
    expect(result.operation).toBe('created')
    expect(fake.branchSha(OWNER, repo, BRANCH)).toBe(result.commitSha)
    expect(fake.violations).toEqual([])
  })

  it('race: a PR appears between the lookup and the creation, so it is updated', async () => {
    const repo = newRepo()
    fake.injectFault(
      { method: 'POST', path: '/repos/{owner}/{repo}/pulls' },
      {
        kind: 'before',
        action: () =>
          void fake.openPullRequest(OWNER, repo, { head: BRANCH, base: 'main', title: 'by another run' })
      }
    )
    const { result, writes } = await run(repo, DAY1)
    expect(writes.map(w => `${w.operation} ${w.status}`).slice(-2)).toEqual([
      'pulls/create 422',
      'pulls/update 200'
    ])
    expect(result).toEqual(expect.objectContaining({ operation: 'updated', number: 1 }))
    expect(fake.pulls(OWNER, repo)).toEqual([
      expect.objectContaining({ title: 'New papers on arXiv', state: 'open' })
    ])
  })

  it('matches the PR by head and base: a PR from the branch into another base is left alone', async () => {
    const repo = newRepo()
    await run(repo, DAY1)
    fake.commitFiles(OWNER, repo, 'release', { 'r.md': 'r' }, { from: 'main' })
    fake.openPullRequest(OWNER, repo, { head: BRANCH, base: 'release', title: 'other base' })
    const { result } = await run(repo, DAY2)
    expect(result).toEqual(expect.objectContaining({ operation: 'updated', number: 1 }))
    expect(fake.pulls(OWNER, repo).find(p => p.base === 'release')!.title).toBe('other base')
  })
})

describe('publish: labels, reviewers, assignees, draft', () => {
  const pr = {
    title: 'New papers on arXiv',
    labels: ['digest', 'arxiv'],
    reviewers: ['alice', 'lab/reviewers'],
    assignees: ['bob'],
    draft: true
  }

  it('sets them on a new PR and only adds what is missing on later runs', async () => {
    const repo = newRepo()
    fake.injectFault({ method: 'POST', path: /\/labels$/ }, { kind: 'could-not-resolve-node' })
    const first = await run(repo, DAY1, { pr })
    expect(first.writes.map(w => `${w.operation} ${w.status}`).slice(-5)).toEqual([
      'pulls/create 201',
      'issues/add-labels 422',
      'issues/add-labels 200',
      'issues/add-assignees 201',
      'pulls/request-reviewers 201'
    ])
    expect(first.writes.find(w => w.operation === 'pulls/request-reviewers')!.body).toEqual({
      reviewers: ['alice'],
      team_reviewers: ['reviewers']
    })
    expect(fake.pulls(OWNER, repo)[0]).toEqual(
      expect.objectContaining({
        draft: true,
        labels: ['digest', 'arxiv'],
        assignees: ['bob'],
        requestedReviewers: ['alice'],
        requestedTeams: ['reviewers']
      })
    )
    const second = await run(repo, DAY2, { pr: { ...pr, labels: ['digest', 'new'], draft: false } })
    expect(
      second.writes.filter(
        w => w.operation?.startsWith('issues/') || w.operation === 'pulls/request-reviewers'
      )
    ).toEqual([expect.objectContaining({ operation: 'issues/add-labels', body: { labels: ['new'] } })])
    expect(fake.pulls(OWNER, repo)[0]).toEqual(
      expect.objectContaining({ draft: true, labels: ['digest', 'arxiv', 'new'] })
    )
    expect(fake.violations).toEqual([])
  })

  it('a failing follow-up call is a warning, not a failed run', async () => {
    const repo = newRepo()
    fake.injectFault({ method: 'POST', path: /requested_reviewers$/ }, { kind: 'not-accessible' })
    const { result } = await run(repo, DAY1, { pr })
    expect(result.operation).toBe('created')
    expect(result.warnings).toEqual([
      expect.stringMatching(/^Failed requesting reviews on #1: GitHub refused/)
    ])
  })
})

describe('publish: transient failures', () => {
  it('retries a 5xx on a write and succeeds', async () => {
    const repo = newRepo()
    fake.injectFault({ method: 'POST', path: '/repos/{owner}/{repo}/git/commits' }, { status: 502 })
    fake.injectFault({ method: 'GET', path: `/repos/lab/${repo}/branches/${BRANCH}` }, { status: 500 })
    const { result, writes } = await run(repo, DAY1)
    expect(result.operation).toBe('created')
    expect(writes.filter(w => w.operation === 'git/create-commit').map(w => w.status)).toEqual([502, 201])
    expect(fake.violations).toEqual([])
  })

  it('waits for a secondary rate limit (briefly in tests) and retries', async () => {
    const repo = newRepo()
    fake.injectFault(
      { method: 'POST', path: '/repos/{owner}/{repo}/pulls' },
      { kind: 'secondary-rate-limit', retryAfter: 3 }
    )
    const started = Date.now()
    const { result, writes } = await run(repo, DAY1)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(result.operation).toBe('created')
    expect(writes.filter(w => w.operation === 'pulls/create').map(w => w.status)).toEqual([403, 201])
    expect(warnings.join('\n')).toMatch(/secondary rate limit .*retrying in 3 s/)
  })
})

describe('publish: refusals become instructions', () => {
  it('403 "Resource not accessible by integration": the permissions block, and no retry', async () => {
    const repo = newRepo()
    fake.injectFault({ method: 'POST', path: '/repos/{owner}/{repo}/git/trees' }, { kind: 'not-accessible' })
    const error = await run(repo, DAY1).catch(e => e)
    expect(error).toBeInstanceOf(ActionableError)
    expect(error.code).toBe('permissions')
    expect(error.message).toContain(`GitHub refused writing the digest files in lab/${repo}`)
    expect(error.message).toContain('permissions:\n    contents: write\n    pull-requests: write\n')
    expect(error.message).toContain('pull_request from a fork')
    expect(error.message).toContain('GitHub App token')
    expect(fake.writeRequests()).toHaveLength(1)
  })

  it('Actions may not create PRs: the setting to change and a compare link to the pushed branch', async () => {
    const repo = newRepo()
    fake.injectFault(
      { method: 'POST', path: '/repos/{owner}/{repo}/pulls' },
      { kind: 'actions-cannot-create-pull-requests' }
    )
    const error = await run(repo, DAY1).catch(e => e)
    expect(error.code).toBe('pull-requests-disabled')
    expect(error.message).toContain(
      'Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and approve pull requests"'
    )
    expect(error.message).toContain('organization')
    expect(error.message).toContain(
      `https://github.com/lab/${repo}/compare/main...preprint-digest/update?expand=1`
    )
    expect(fake.branchSha(OWNER, repo, BRANCH)).toBeDefined()
    expect(fake.writeRequests().filter(w => w.operation === 'pulls/create')).toHaveLength(1)
  })

  it('refuses .github/workflows, absolute paths and ".." before any request', async () => {
    const repo = newRepo()
    for (const path of [
      '.github/workflows/digest.yml',
      '/etc/passwd',
      'digests/../x.md',
      'C:/x.md',
      'a\\b.md',
      '.git/config'
    ]) {
      fake.clearRequests()
      const base = await openBase(octokit, { owner: OWNER, repo, base: 'main' })
      fake.clearRequests()
      const error = await publish({
        octokit,
        owner: OWNER,
        repo,
        base,
        branch: BRANCH,
        files: new Map([
          ['digests/vla.md', 'x'],
          [path, 'x']
        ]),
        proposed: 1,
        commitMessage: MESSAGE,
        pr: { title: 't', labels: [], reviewers: [], assignees: [], draft: false },
        body: () => '',
        dryRun: false,
        serverUrl: 'https://github.com'
      }).catch(e => e)
      expect(error).toBeInstanceOf(RepoPathError)
      expect(error.message).toMatch(/^Refusing to publish /)
      expect(fake.requests).toEqual([])
    }
    expect(() => checkPublishPath('.github/workflows')).toThrow(/never writes/)
    expect(() => checkPublishPath('.github/dependabot.yml')).not.toThrow()
  })

  it('builds compare links for branch names with slashes', () => {
    expect(compareUrl('https://ghe.example.com/', 'o', 'r', 'main', 'a/b#c')).toBe(
      'https://ghe.example.com/o/r/compare/main...a/b%23c?expand=1'
    )
  })
})

describe('publish: a dry run agrees with the real run that follows', () => {
  const title = (t: string) => ({ pr: { title: t, labels: [], reviewers: [], assignees: [], draft: false } })
  const scenarios: Array<
    [string, (repo: string) => Promise<unknown>, Record<string, string>, Partial<PublishOptions>]
  > = [
    ['none', async () => {}, DAY1, { proposed: 0 }],
    ['commit-create', async () => {}, DAY1, {}],
    ['commit-update', repo => run(repo, DAY1), DAY2, {}],
    ['unchanged', repo => run(repo, DAY1), DAY1, {}],
    ['refresh', repo => run(repo, DAY1), DAY1, title('Renamed')],
    [
      'create-pull',
      async repo => {
        fake.injectFault(
          { method: 'POST', path: '/repos/{owner}/{repo}/pulls' },
          { kind: 'actions-cannot-create-pull-requests' }
        )
        await expect(run(repo, DAY1)).rejects.toThrow(ActionableError)
      },
      DAY1,
      {}
    ]
  ]
  it.each(scenarios)('%s', async (action, before, files, over) => {
    const repo = newRepo()
    await before(repo)
    const dry = await run(repo, files, { ...over, dryRun: true })
    expect(dry.writes).toEqual([])
    expect(dry.lines.every(l => l.startsWith('GET '))).toBe(true)
    const real = await run(repo, files, over)
    expect(dry.result.action).toBe(action)
    expect(real.result.action).toBe(action)
    expect(dry.result.planned).toBe(real.result.operation)
    expect(dry.result.body).toBe(real.result.body)
    expect(dry.result.changedFiles).toEqual(real.result.changedFiles)
  })
})

describe('publish: dry run and long bodies', () => {
  it('sends no write, reports what it would do and the body', async () => {
    const repo = newRepo()
    const first = await run(repo, DAY1, { dryRun: true })
    expect(first.writes).toEqual([])
    expect(first.result).toEqual(
      expect.objectContaining({
        operation: 'none',
        planned: 'created',
        changedFiles: ['digests/state/vla/2026-02.json', 'digests/vla.md'],
        body: expect.stringContaining('New papers')
      })
    )
    await run(repo, DAY1)
    const update = await run(repo, DAY2, { dryRun: true })
    expect(update.writes).toEqual([])
    expect(update.result).toEqual(
      expect.objectContaining({ operation: 'none', planned: 'updated', number: 1 })
    )
    const same = await run(repo, DAY1, { dryRun: true })
    expect(same.result.planned).toBe('unchanged')
    expect(fake.violations).toEqual([])
  })
})

describe('publish: commits made with a personal access token', () => {
  it('reports them as not verified', async () => {
    const pat = await startFakeGitHub({
      actor: { name: 'Alice', email: 'alice@example.com', login: 'alice', type: 'User' }
    })
    try {
      pat.createRepo(OWNER, 'pat', { files: BASE_FILES })
      const client = createOctokit({
        token: 't',
        baseUrl: pat.url,
        userAgent: 'test',
        retryAfterBaseValue: 1,
        paceWrites: false
      })
      const base = await openBase(client, { owner: OWNER, repo: 'pat', base: 'main' })
      const result = await publish({
        octokit: client,
        owner: OWNER,
        repo: 'pat',
        base,
        branch: BRANCH,
        files: new Map(Object.entries(DAY1)),
        proposed: 1,
        commitMessage: MESSAGE,
        pr: { title: 't', labels: [], reviewers: [], assignees: [], draft: false },
        body: () => 'b',
        dryRun: false,
        serverUrl: 'https://github.com'
      })
      expect(result).toEqual(expect.objectContaining({ operation: 'created', verified: false }))
      // Next day: a PAT commit is authored by the user, but carries our message, so it is ours.
      const again = await publish({
        octokit: client,
        owner: OWNER,
        repo: 'pat',
        base,
        branch: BRANCH,
        files: new Map(Object.entries(DAY2)),
        proposed: 1,
        commitMessage: MESSAGE,
        pr: { title: 't', labels: [], reviewers: [], assignees: [], draft: false },
        body: () => 'b2',
        dryRun: false,
        serverUrl: 'https://github.com'
      })
      expect(again).toEqual(expect.objectContaining({ operation: 'updated', foreignCommits: [] }))
      expect(pat.violations).toEqual([])
    } finally {
      await pat.close()
    }
  })
})
