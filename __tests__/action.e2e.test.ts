/**
 * End to end: the built action (dist/main.js, the bundle dist/index.js loads) run the way the
 * Actions runner runs it (INPUT_* variables with action.yml's defaults, GITHUB_* variables, output
 * and summary files), on Node 24, against the fake arXiv and the fake GitHub, over simulated days,
 * without GitHub's write pacing (test-support/action-runner.ts). `npm test` builds dist/ first (pretest).
 */
import { SEED_FILES } from '../test-support/seed.js'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Paper } from '../src/digest/types.js'
import { paperFixture, startFakeArxiv, type FakeArxiv } from '../test-support/fake-arxiv.js'
import { startFakeGitHub, type FakeGitHub } from '../test-support/fake-github.js'
import { describeOnNode24 } from '../test-support/node24.js'
import { actionRunner, declared, NODE24 } from '../test-support/action-runner.js'

const DAY1 = Date.parse('2026-02-13T22:23:00Z') / 1000
const DAY = 86_400
// DAY1 is a Friday evening; the later runs are on weekdays after an arXiv announcement (Monday on),
// since a run before the next announcement does not ask arXiv (src/digest/settled.ts).

const TOPICS = `
- id: vla
  title: Vision-Language-Action Models
  description: Papers on VLAs and vision-language-action architectures for robotics.
  keywords: [VLA, vision-language-action, vision language action]
  categories: [cs.RO, cs.CV, cs.LG, cs.AI]
- id: world_models
  title: World Models
  description: Papers on world models for robotics, video prediction, and simulation.
  keywords: [world model, world models]
  categories: [cs.RO, cs.CV, cs.LG, cs.AI]
`

describeOnNode24('the action over simulated days', () => {
  let arxiv: FakeArxiv
  let github: FakeGitHub
  let temp: string
  let seed: Paper[]
  let defaults: Awaited<ReturnType<typeof declared>>
  let action: Awaited<ReturnType<typeof actionRunner>>
  const owner = 'lab'

  beforeAll(async () => {
    expect(execFileSync(NODE24!, ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./)
    seed = JSON.parse(await readFile('__fixtures__/seed/papers.json', 'utf8'))
    arxiv = await startFakeArxiv({ corpus: seed })
    github = await startFakeGitHub()
    temp = await mkdtemp(join(tmpdir(), 'preprint-digest-e2e-'))
    defaults = await declared()
    action = await actionRunner({
      owner,
      arxivUrl: arxiv.url,
      githubUrl: github.url,
      temp,
      inputs: { topics: TOPICS },
      beforeRun: () => github.clearRequests()
    })
  })
  afterAll(async () => {
    await arxiv.close()
    await github.close()
    await rm(temp, { recursive: true, force: true })
  })

  describe('a repository followed from its first run', () => {
    const repo = 'papers'
    const readme = '# Our lab\n\nNotes we keep by hand.\n'
    const day2Paper = paperFixture({
      id: '2602.13001',
      title: 'Scaling Video World Models with Sparse Attention',
      abstract: 'We train video world models. Contact @octocat, see #12.',
      comment: 'Project page: https://sparse-wm.github.io/',
      categories: ['cs.CV'],
      published: '2026-02-13T16:30:00Z'
    })
    const day3Paper = paperFixture({
      id: '2602.14002',
      title: 'A VLA for Kitchen Tasks',
      categories: ['cs.RO'],
      published: '2026-02-14T11:00:00Z'
    })

    beforeAll(() => github.createRepo(owner, repo, { files: { 'README.md': readme } }))

    it('day 1 creates the pull request with the pages, the index and the state', async () => {
      const run = await action(repo, DAY1)
      expect(run.code).toBe(0)
      expect(Object.keys(run.outputs).sort()).toEqual([...defaults.outputs].sort())
      expect(run.outputs['pull-request-operation']).toBe('created')
      expect(run.outputs['pull-request-number']).toBe('1')
      expect(run.outputs['commits-verified']).toBe('true')
      const byTopic = JSON.parse(run.outputs['new-papers-by-topic'])
      // 33 topic entries, 28 distinct papers: five papers are in both topics.
      expect(byTopic.vla + byTopic.world_models).toBe(33)
      expect(run.outputs['new-papers']).toBe('28')
      expect(run.outputs['pull-request-papers']).toBe('28')
      expect(byTopic.world_models).toBe(16)
      expect(JSON.parse(run.outputs['changed-files'])).toEqual(SEED_FILES)
      const [pr] = github.pulls(owner, repo)
      expect(pr).toMatchObject({ number: 1, state: 'open', head: 'preprint-digest/update', base: 'main' })
      expect(pr.title).toBe('28 new papers: vla 17, world_models 16')
      const pages = 'https://github.example/lab/papers/blob/preprint-digest/update/digests'
      expect(pr.body).toContain(`### [Vision-Language-Action Models](${pages}/vla.md) · 17 new\n`)
      expect(pr.body).toContain(`### [World Models](${pages}/world_models.md) · 16 new\n`)
      // The feeds know where they live: absolute links to the base branch's files.
      const feed = github.readFile(owner, repo, 'preprint-digest/update', 'digests/feeds/vla.json')!
      expect(JSON.parse(feed)).toMatchObject({
        home_page_url: 'https://github.example/lab/papers/blob/main/digests/vla.md',
        feed_url: 'https://github.example/lab/papers/raw/main/digests/feeds/vla.json'
      })
      expect(pr.body).toContain('Thank you to arXiv for use of its open access interoperability.')
      const index = github.readFile(owner, repo, 'preprint-digest/update', 'README.md')!
      expect(index.startsWith(readme)).toBe(true)
      expect(index).toMatch(
        /<!-- preprint-digest:start -->[\s\S]*World Models[\s\S]*<!-- preprint-digest:end -->/
      )
      expect(github.readFile(owner, repo, 'main', 'digests/vla.md')).toBeUndefined()
      expect(run.summary).toMatch(/## preprint-digest/)
      expect(run.summary).toMatch(/\| \[World Models\]\([^)]+\) \| 16 \| 16 \| 16 \| ok \|/)
      expect(arxiv.requests.at(-1)!.headers['user-agent']).toBe(
        'preprint-digest/0.1.0 (+https://github.example/lab/papers)'
      )
      // Reads: both branches and the pull requests (one GraphQL query), the base's tree, the index
      // blob (GraphQL); writes: tree, commit, ref, pull request.
      expect(github.requests).toHaveLength(7)
      expect(github.writeRequests()).toHaveLength(4)
      expect(github.violations).toEqual([])
    })

    it('day 2 with a new paper updates the same pull request; earlier papers keep their first-seen time', async () => {
      arxiv.setCorpus([...seed, day2Paper])
      const run = await action(repo, DAY1 + 3 * DAY)
      expect(run.code).toBe(0)
      expect(run.outputs['pull-request-operation']).toBe('updated')
      expect(run.outputs['pull-request-number']).toBe('1')
      // Counted as a user reads them: one paper new in this run, 29 distinct papers awaiting review.
      expect(JSON.parse(run.outputs['new-papers-by-topic'])).toEqual({ vla: 0, world_models: 1 })
      expect(run.outputs['new-papers']).toBe('1')
      expect(JSON.parse(run.outputs['pull-request-papers-by-topic'])).toEqual({ vla: 17, world_models: 17 })
      expect(run.outputs['pull-request-papers']).toBe('29')
      expect(github.pulls(owner, repo)).toHaveLength(1)
      const body = github.pulls(owner, repo)[0].body
      expect(body).toContain('Scaling Video World Models with Sparse Attention')
      expect(body).not.toMatch(/@octocat|#12/)
      const state = JSON.parse(
        github.readFile(owner, repo, 'preprint-digest/update', 'digests/state/world_models/2026-02.json')!
      )
      const firstSeen = Object.fromEntries(
        state.papers.map((p: { id: string; firstSeen: string }) => [p.id, p.firstSeen])
      )
      expect(firstSeen['2602.13001']).toBe('2026-02-16T22:23:00Z')
      expect(firstSeen[seed[0].id] ?? firstSeen[seed[1].id]).toBe('2026-02-13T22:23:00Z')
      // One commit on top of the base, made by the action.
      const head = github.commit(owner, repo, github.branchSha(owner, repo, 'preprint-digest/update')!)
      expect(head.parents).toEqual([github.branchSha(owner, repo, 'main')])
      expect(github.violations).toEqual([])
    })

    it('a rerun with nothing new sends no write request and leaves the PR as it is', async () => {
      github.clearRequests()
      // The rebuilt branch would drop latest.md or a feed that the rerun did not render the same.
      const generated = ['digests/latest.md', 'digests/feeds/vla.xml', 'digests/feeds/world_models.json']
      const read = () => generated.map(p => github.readFile(owner, repo, 'preprint-digest/update', p))
      const before = read()
      const run = await action(repo, DAY1 + 3 * DAY + 3600)
      expect(run.code).toBe(0)
      expect(run.outputs['pull-request-operation']).toBe('unchanged')
      expect(github.writeRequests()).toEqual([])
      expect(before.every(text => text !== undefined && text.length > 0)).toBe(true)
      expect(read()).toEqual(before)
    })

    it('after the merge, day 3 opens a new PR with only the papers new since the merge', async () => {
      github.mergePullRequest(owner, repo, 1)
      arxiv.setCorpus([...seed, day2Paper, day3Paper])
      const run = await action(repo, DAY1 + 4 * DAY)
      expect(run.code).toBe(0)
      expect(run.outputs['pull-request-operation']).toBe('created')
      expect(run.outputs['pull-request-number']).toBe('2')
      expect(JSON.parse(run.outputs['new-papers-by-topic'])).toEqual({ vla: 1, world_models: 0 })
      const pr = github.pulls(owner, repo).find(p => p.number === 2)!
      expect(pr.body).toContain('A VLA for Kitchen Tasks')
      expect(pr.body).not.toContain('Scaling Video World Models')
      expect(JSON.parse(run.outputs['changed-files'])).toEqual([
        'README.md',
        'digests/feeds/vla.json',
        'digests/feeds/vla.xml',
        'digests/latest.md',
        'digests/state/vla/2026-02.json',
        'digests/vla.md'
      ])
      expect(pr.title).toBe('1 new paper: vla 1')
    })

    it('after that merge, a run with nothing new does nothing at all: operation none', async () => {
      github.mergePullRequest(owner, repo, 2)
      const run = await action(repo, DAY1 + 5 * DAY)
      expect(run.code).toBe(0)
      expect(run.outputs['pull-request-operation']).toBe('none')
      expect(run.outputs['pull-request-number']).toBe('')
      expect(run.outputs['new-papers']).toBe('0')
      expect(run.outputs['changed-files']).toBe('[]')
      // No pull request, maybe no digest branch: the summary links the pages on the base.
      expect(run.summary).toContain('(https://github.example/lab/papers/blob/main/digests/vla.md)')
      expect(run.summary).not.toContain('/blob/preprint-digest/')
      expect(github.writeRequests()).toEqual([])
      // Both branches and the pull requests (one GraphQL query), the base's tree, one GraphQL read
      // of the newest shards and the index. The digest branch is the merged one: its tree is the base's.
      expect(github.requestLines()).toEqual([
        'POST /graphql',
        expect.stringMatching(/^GET \/repos\/lab\/papers\/git\/trees\//),
        'POST /graphql'
      ])
      expect(run.stdout).toMatch(/::notice::No new papers: nothing to commit, no pull request\./)
    })

    it('a topic whose fetch fails keeps its page while the other topics are published', async () => {
      const before = github.readFile(owner, repo, 'main', 'digests/world_models.md')
      const late = paperFixture({
        id: '2602.15003',
        title: 'World Models for Tides',
        categories: ['cs.LG'],
        published: '2026-02-15T09:00:00Z'
      })
      const vla = paperFixture({
        id: '2602.15004',
        title: 'Tiny VLA',
        categories: ['cs.RO'],
        published: '2026-02-15T10:00:00Z'
      })
      arxiv.setCorpus([...seed, day2Paper, day3Paper, late, vla])
      // Enough keywords that world_models needs queries of its own; fail the one without vla.
      const topics = TOPICS.replace(
        'keywords: [world model, world models]',
        `keywords: [world model, world models, ${Array.from({ length: 70 }, (_, i) => `tidal variant${i}`).join(', ')}]`
      )
      // So many keywords make the run probe the category plan first: refuse the probe, so that the
      // keyword queries are sent.
      arxiv.injectFaults(
        { kind: 'error-entry', message: 'probe refused', match: /^\(cat:/ },
        {
          kind: 'error-entry',
          message: 'search_query malformed',
          match: /^(?![\s\S]*\bvla\b)[\s\S]*variant/
        }
      )
      const run = await action(repo, DAY1 + 6 * DAY, { topics })
      expect(run.code).toBe(0)
      expect(run.stdout).toMatch(
        /::warning::world_models: fetch failed, papers kept as they were: .*search_query malformed/
      )
      expect(JSON.parse(run.outputs['new-papers-by-topic'])).toEqual({ vla: 1, world_models: 0 })
      const changed = JSON.parse(run.outputs['changed-files']) as string[]
      expect(changed.filter(p => p.includes('world_models'))).toEqual([])
      expect(github.readFile(owner, repo, 'preprint-digest/update', 'digests/world_models.md')).toBe(before)
      const pr = github.pulls(owner, repo).find(p => p.state === 'open')!
      expect(pr.body).toMatch(
        /Topics that could not be fetched[\s\S]*World Models\*\* \(`world_models`\): .*search_query malformed/
      )
    })
  })

  describe('error paths show the user what to do', () => {
    it('invalid topics: the field and the allowed values, before any request', async () => {
      github.createRepo(owner, 'bad-config')
      const requests = arxiv.requests.length
      github.clearRequests()
      const run = await action('bad-config', DAY1, {
        topics: '- {id: x, title: X, keywords: [x], categories: [cs.XX]}'
      })
      expect(run.code).toBe(2)
      expect(run.stdout).toMatch(
        /::error::Invalid configuration in input "topics":%0A {2}- topics\[0\]\.categories\[0\]: unknown arXiv category "cs\.XX"/
      )
      expect(arxiv.requests.length).toBe(requests)
      // Inline topics are checked before any request, and a failed run still leaves a summary.
      expect(github.requests).toEqual([])
      expect(run.summary).toMatch(
        /^## preprint-digest\n\n\*\*The run failed\.\*\*\n\n<pre>Invalid configuration in input "topics":/
      )
      expect(run.summary).toContain('Nothing was written')
    })

    it('a template from the repository replaces the shipped one; a missing one stops the run first', async () => {
      github.createRepo(owner, 'themed', {
        files: {
          'README.md': '# Lab\n',
          '.github/topic.mustache': '# {{{title}}}\n{{#papers}}\n- {{{title}}}\n{{/papers}}\n'
        }
      })
      const run = await action('themed', DAY1, { 'topic-template': '.github/topic.mustache' })
      expect(run.code).toBe(0)
      const page = github.readFile(owner, 'themed', 'preprint-digest/update', 'digests/world_models.md')!
      expect(page).toMatch(/^# World Models\n- /)
      expect(page).not.toContain('<details>')
      const requests = arxiv.requests.length
      const missing = await action('themed', DAY1, { 'index-template': '.github/nope.mustache' })
      expect(missing.code).toBe(2)
      expect(missing.stdout).toMatch(
        /::error::templates\.index: template file "\.github\/nope\.mustache" was not found/
      )
      expect(arxiv.requests.length).toBe(requests)
    })

    it('site-dir puts the dashboard into the same commit; a bad one names the input first', async () => {
      github.createRepo(owner, 'site', { files: { 'README.md': '# Lab\n' } })
      const run = await action('site', DAY1, { 'site-dir': 'docs' })
      expect(run.code).toBe(0)
      expect(JSON.parse(run.outputs['changed-files'])).toEqual([
        ...SEED_FILES,
        'docs/data/vla.json',
        'docs/data/world_models.json',
        'docs/index.html',
        'docs/topics.json'
      ])
      const read = (path: string) =>
        JSON.parse(github.readFile(owner, 'site', 'preprint-digest/update', path)!)
      const manifest = read('docs/topics.json') as { topics: Array<{ id: string; papers: number }> }
      expect(manifest.topics.map(t => t.id)).toEqual(['vla', 'world_models'])
      for (const t of manifest.topics) expect(read(`docs/data/${t.id}.json`).papers).toHaveLength(t.papers)
      expect(github.violations).toEqual([])
      const requests = arxiv.requests.length
      const bad = await action('site', DAY1, { 'site-dir': '.github/workflows' })
      expect(bad.code).toBe(2)
      expect(bad.stdout).toContain('site-dir: ".github/workflows" lies under .github/workflows')
      expect(arxiv.requests.length).toBe(requests)
    })

    it('a bad input value names the input', async () => {
      const run = await action('bad-config', DAY1, { 'dry-run': 'maybe' })
      expect(run.code).toBe(2)
      expect(run.stdout).toContain('::error::Input "dry-run": must be true or false (got "maybe")')
    })

    it('a base branch that does not exist', async () => {
      github.createRepo(owner, 'no-base')
      const run = await action('no-base', DAY1, { base: 'trunk' })
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(
        /::error::The base branch "trunk" \(input `base`\) does not exist in lab\/no-base/
      )
    })

    it('an empty repository', async () => {
      github.createRepo(owner, 'empty', { empty: true })
      const run = await action('empty', DAY1)
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(/::error::.*lab\/empty.*(empty|no commit)/i)
    })

    it('Actions may not create pull requests: the setting to change and a link to open it by hand', async () => {
      github.createRepo(owner, 'no-prs', { actionsCanCreatePullRequests: false })
      const run = await action('no-prs', DAY1)
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(/::error::.*Allow GitHub Actions to create and approve pull requests/)
      expect(run.stdout).toContain(
        'https://github.example/lab/no-prs/compare/main...preprint-digest/update?expand=1'
      )
      expect(github.branchSha(owner, 'no-prs', 'preprint-digest/update')).toBeDefined()
    })

    it('a token without write permission: the permissions block to add', async () => {
      github.createRepo(owner, 'read-only')
      github.injectFault({ method: 'POST', path: /\/git\/trees$/ }, { kind: 'not-accessible' })
      const run = await action('read-only', DAY1)
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(/::error::.*contents: write.*pull-requests: write/)
    })

    it('a refused token (401): which request, its status, and what to check', async () => {
      github.createRepo(owner, 'bad-token')
      github.injectFault({ method: 'POST', path: '/graphql' }, { kind: 'bad-credentials' })
      const run = await action('bad-token', DAY1)
      expect(run.code).toBe(1)
      const errors = run.stdout.split('\n').filter(l => l.startsWith('::error::'))
      expect(errors).toEqual([
        expect.stringMatching(
          /^::error::Reading the base branch "main", the digest branch "preprint-digest\/update" and its pull requests in lab\/bad-token failed\. GitHub answered 401 to POST \/graphql: Bad credentials\. The token was refused: check the `github-token` input/
        )
      ])
      expect(run.summary).toContain('**The run failed.**')
    })

    it('a persistent server error on a write: which request, and to retry later', async () => {
      github.createRepo(owner, 'server-error')
      github.injectFault({ method: 'POST', path: '/repos/{owner}/{repo}/git/trees' }, { status: 500 }, 10)
      const run = await action('server-error', DAY1)
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(
        /::error::GitHub answered 500 to POST \/repos\/lab\/server-error\/git\/trees: .*run the workflow again later, and see https:\/\/www\.githubstatus\.com/
      )
      expect(run.summary).toContain('The run failed while publishing')
    })

    it('a pull request from a fork: explains the read-only token before doing anything', async () => {
      github.createRepo(owner, 'forked')
      const payload = {
        repository: { default_branch: 'main' },
        pull_request: { head: { repo: { fork: true } } }
      }
      const run = await action('forked', DAY1, {}, { name: 'pull_request', payload })
      expect(run.code).toBe(2)
      expect(run.stdout).toMatch(
        /::error::This run was triggered by a pull request from a fork, whose token is read-only/
      )
      expect(github.requests).toEqual([])
    })

    it('dry-run sends no write request and prints the changed files and the body', async () => {
      github.createRepo(owner, 'dry')
      github.clearRequests()
      const run = await action('dry', DAY1, { 'dry-run': 'true' })
      expect(run.code).toBe(0)
      expect(github.writeRequests()).toEqual([])
      expect(run.outputs['pull-request-operation']).toBe('none')
      expect(run.stdout).toMatch(/Changed files \(10\):\n {2}README\.md/)
      expect(run.stdout).toMatch(/Pull request body:\n\*\*\d+ new papers\*\*/)
    })
  })
})
