import { describe, expect, it } from '@jest/globals'
import { validateConfig } from '../src/config/config.js'
import { DigestError, isoMinute, runDigest, type ArxivSearch } from '../src/pipeline.js'
import { loadTemplates } from '../src/render/templates.js'
import { EMPTY_REPO, type RepoReader } from '../src/digest/repo.js'
import { writeTopicState } from '../src/digest/state.js'
import type { Paper } from '../src/digest/types.js'
import { paperFixture } from '../test-support/fake-arxiv.js'

const config = validateConfig(
  [
    { id: 'robots', title: 'Robots', keywords: ['robot policy'], categories: ['cs.RO'] },
    { id: 'proofs', title: 'Proofs', keywords: ['random walk'], categories: ['math.PR'] }
  ],
  'test',
  { 'stale-after-days': 3 }
)
const templates = await loadTemplates({}, async () => undefined)
const NOW = new Date('2026-03-02T07:00:00Z')

/** An arXiv stand-in: answers every query with `papers`, or fails the queries `fails` picks. */
function arxiv(
  papers: Paper[],
  fails: (query: string) => boolean = () => false
): ArxivSearch & { queries: string[] } {
  const queries: string[] = []
  return {
    queries,
    async search(query) {
      queries.push(query)
      if (fails(query)) throw new Error('arXiv answered 503 three times')
      return papers
    }
  }
}

function memory(files: Map<string, string>): RepoReader {
  return {
    list: async dir => [...files.keys()].filter(p => p.startsWith(dir + '/')),
    read: async path => files.get(path)
  }
}

const robot = paperFixture({
  id: '2603.00001',
  title: 'A Robot Policy for Tidying',
  categories: ['cs.RO'],
  published: '2026-02-28T10:00:00Z'
})
const walk = paperFixture({
  id: '2603.00002',
  title: 'Random Walks on Graphs',
  categories: ['math.PR'],
  published: '2026-02-27T10:00:00Z'
})
const old = paperFixture({
  id: '2601.00003',
  title: 'Robot Policies of Old',
  categories: ['cs.RO'],
  published: '2026-01-01T10:00:00Z'
})

/** A first run on an empty repository that finds `robot` and `walk`. */
const firstRun = () =>
  runDigest({ config, now: NOW, base: EMPTY_REPO, arxiv: arxiv([robot, walk]), templates })

describe('runDigest', () => {
  it('first run: looks back lookback-days, keeps matching papers only, renders pages, state and index', async () => {
    const search = arxiv([robot, walk, old])
    const result = await runDigest({ config, now: NOW, base: EMPTY_REPO, arxiv: search, templates })
    expect(search.queries).toHaveLength(1)
    expect(search.queries[0]).toContain('submittedDate:[202602230700 TO 202603020700]')
    const [robots, proofs] = result.topics
    expect(robots).toMatchObject({
      status: 'ok',
      fetched: 2,
      matched: 1,
      held: 1,
      lastChanged: '2026-03-02T07:00:00Z'
    })
    expect(robots.newPapers.map(e => e.paper.id)).toEqual(['2603.00001'])
    expect(proofs.newPapers.map(e => e.paper.id)).toEqual(['2603.00002'])
    expect([...result.files.keys()].sort()).toEqual([
      'README.md',
      'digests/feeds/proofs.json',
      'digests/feeds/proofs.xml',
      'digests/feeds/robots.json',
      'digests/feeds/robots.xml',
      'digests/latest.md',
      'digests/proofs.md',
      'digests/robots.md',
      'digests/state/proofs/2026-03.json',
      'digests/state/robots/2026-03.json'
    ])
  })

  it('a failed topic contributes no file and keeps its state; the others are published', async () => {
    const first = await firstRun()
    const base = memory(first.files)
    const later = new Date('2026-03-03T07:00:00Z')
    const newer = paperFixture({
      id: '2603.00009',
      title: 'Robot Policy Distillation',
      categories: ['cs.RO'],
      published: '2026-03-02T10:00:00Z'
    })
    const manyTopics = validateConfig(
      [
        { id: 'robots', title: 'Robots', keywords: ['robot policy'], categories: ['cs.RO'] },
        // Long enough to need a query of its own, which is the one that fails.
        {
          id: 'proofs',
          title: 'Proofs',
          keywords: Array.from({ length: 60 }, (_, i) => `random walk variant${i}`),
          categories: ['math.PR']
        }
      ],
      'test'
    )
    // Queries are packed first-fit, so the robots clause may share a query with part of proofs; fail the others.
    const search = arxiv([newer, walk], q => !q.includes('robot'))
    const result = await runDigest({ config: manyTopics, now: later, base, arxiv: search, templates })
    expect(search.queries.length).toBeGreaterThan(1)
    const proofs = result.topics.find(t => t.topic.id === 'proofs')!
    expect(proofs).toMatchObject({ status: 'failed', error: 'arXiv answered 503 three times', held: 1 })
    expect([...result.files.keys()].filter(p => p.includes('proofs'))).toEqual([])
    expect(result.topics.find(t => t.topic.id === 'robots')!.newPapers.map(e => e.paper.id)).toEqual([
      '2603.00009'
    ])
    expect(result.files.get('README.md')).toMatch(/Proofs/)
  })

  it('a broken marker region in the index file stops the run before any arXiv request', async () => {
    const search = arxiv([robot])
    const base = memory(
      new Map([['README.md', '# Lab\n<!-- preprint-digest:end -->\n<!-- preprint-digest:start -->\n']])
    )
    await expect(runDigest({ config, now: NOW, base, arxiv: search, templates })).rejects.toThrow(
      /README\.md/
    )
    expect(search.queries).toEqual([])
  })

  it('every topic failing is an error and produces nothing; the failure is said once', async () => {
    const warnings: string[] = []
    const error = await runDigest({
      config,
      now: NOW,
      base: EMPTY_REPO,
      arxiv: arxiv([], () => true),
      templates,
      log: { info: () => {}, warning: m => warnings.push(m) }
    }).catch(e => e as Error)
    expect(error).toBeInstanceOf(DigestError)
    // Both topics share the one failed query: one message, no warnings repeating it.
    expect((error as Error).message).toBe(
      'No topic could be fetched from arXiv; nothing was written. arXiv answered 503 three times'
    )
    expect(warnings).toEqual([])
  })

  it('a held paper is not new again as v2, and a quiet run renders no file', async () => {
    const first = await firstRun()
    const v2 = {
      ...robot,
      versionedId: '2603.00001v2',
      title: 'A Robot Policy for Tidying (revised)',
      updated: '2026-03-02T12:00:00Z'
    }
    const search = arxiv([v2, walk])
    const second = await runDigest({
      config,
      now: new Date('2026-03-03T07:00:00Z'),
      base: memory(first.files),
      arxiv: search,
      templates
    })
    expect(second.topics.map(t => t.newPapers.length)).toEqual([0, 0])
    expect(second.files).toEqual(new Map())
    expect(second.topics.map(t => t.held)).toEqual([1, 1])
    // The window starts at the last change minus overlap-days (30), not at the previous run.
    expect(search.queries[0]).toContain('submittedDate:[202601310700 TO 202603030700]')
  })

  it('a run that changes one topic renders that topic and the index; the other topic is not read in full', async () => {
    const first = await firstRun()
    const later = paperFixture({
      id: '2603.00009',
      title: 'A Robot Policy for Folding',
      categories: ['cs.RO'],
      published: '2026-03-02T20:00:00Z'
    })
    const reads: string[] = []
    const repo = memory(first.files)
    const counted: RepoReader = { ...repo, read: async path => (reads.push(path), repo.read(path)) }
    const second = await runDigest({
      config,
      now: new Date('2026-03-03T07:00:00Z'),
      base: counted,
      arxiv: arxiv([robot, walk, later]),
      templates
    })
    expect([...second.files.keys()].sort()).toEqual([
      'README.md',
      'digests/feeds/robots.json',
      'digests/feeds/robots.xml',
      'digests/latest.md',
      'digests/robots.md',
      'digests/state/robots/2026-03.json'
    ])
    // The latest batch is this run's paper alone; the feed holds both of the topic's papers.
    const latest = second.files.get('digests/latest.md')!
    expect(latest.match(/^### .*$/gm)).toEqual([
      '### [A Robot Policy for Folding](https://arxiv.org/abs/2603.00009v1)'
    ])
    expect(latest).toContain('**Why:** keyword "robot policy" in title\n')
    const feed = JSON.parse(second.files.get('digests/feeds/robots.json')!) as { items: { id: string }[] }
    expect(feed.items.map(i => i.id)).toEqual([
      'https://arxiv.org/abs/2603.00009',
      `https://arxiv.org/abs/${robot.id}`
    ])
    expect(second.files.get('README.md')).toMatch(/\| \[Robots\]\(digests\/robots\.md\) \| 2 \|/)
    // The untouched topic's count comes from its newest shard.
    expect(second.files.get('README.md')).toMatch(/\| \[Proofs\]\(digests\/proofs\.md\) \| 1 \|/)
    expect(JSON.parse(second.files.get('digests/state/robots/2026-03.json')!).listed).toBe(2)
    // Each shard is read once, pages are not read at all.
    expect(reads.filter(p => p.includes('/state/')).sort()).toEqual([
      'digests/state/proofs/2026-03.json',
      'digests/state/robots/2026-03.json'
    ])
  })

  it('a quiet run reads only the shards of the window: months before it cannot hold a paper found in it', async () => {
    // Robots last changed on March 20: its window starts February 18 (30 days of overlap).
    const history = new Map(
      ['2025-11-10', '2026-01-05', '2026-02-25', '2026-03-20'].map((day, i) => {
        const p = paperFixture({ id: `2603.0010${i}`, title: `A Robot Policy ${i}`, categories: ['cs.RO'] })
        return [p.id, { paper: p, firstSeen: `${day}T07:00:00Z` }]
      })
    )
    const files = writeTopicState(config, 'robots', history)
    for (const page of ['digests/robots.md', 'digests/proofs.md']) files.set(page, '# a page\n')
    const reads: string[] = []
    const repo = memory(files)
    const result = await runDigest({
      config,
      now: new Date('2026-03-21T07:00:00Z'),
      base: { ...repo, read: async path => (reads.push(path), repo.read(path)) },
      arxiv: arxiv([]),
      templates
    })
    expect(result.files).toEqual(new Map())
    expect(result.topics[0].held).toBe(4)
    expect(reads.filter(p => p.includes('/state/')).sort()).toEqual([
      'digests/state/robots/2026-02.json',
      'digests/state/robots/2026-03.json'
    ])
  })

  describe('the open pull request is part of what is held', () => {
    const today = new Date('2026-03-03T07:00:00Z')
    const both = paperFixture({
      id: '2603.00004',
      title: 'A Robot Policy Learned by Random Walk',
      categories: ['cs.RO', 'math.PR'],
      published: '2026-03-02T18:00:00Z'
    })

    it('its papers stay with their first sighting and first metadata; only new ones count as new', async () => {
      const yesterday = await runDigest({
        config,
        now: NOW,
        base: EMPTY_REPO,
        arxiv: arxiv([robot]),
        templates
      })
      const v2 = { ...robot, versionedId: '2603.00001v2', title: 'Retitled', updated: '2026-03-02T12:00:00Z' }
      const search = arxiv([v2, walk])
      const result = await runDigest({
        config,
        now: today,
        base: EMPTY_REPO,
        proposed: { files: memory(yesterday.files), closed: false },
        arxiv: search,
        templates
      })
      const [robots, proofs] = result.topics
      expect(robots.newPapers).toEqual([])
      expect(robots.proposed.map(e => [e.paper.id, e.paper.title, e.firstSeen])).toEqual([
        ['2603.00001', 'A Robot Policy for Tidying', '2026-03-02T07:00:00Z']
      ])
      expect(proofs.newPapers.map(e => e.firstSeen)).toEqual(['2026-03-03T07:00:00Z'])
      expect(result.counts).toEqual({ new: 1, proposed: 2 })
      expect(result.files.get('digests/robots.md')).toEqual(yesterday.files.get('digests/robots.md'))
      // The window starts from the latest change across base and pull request.
      expect(search.queries[0]).toContain('submittedDate:[202601310700 TO')
    })

    it('a paper in two topics is one distinct paper', async () => {
      const result = await runDigest({ config, now: NOW, base: EMPTY_REPO, arxiv: arxiv([both]), templates })
      expect(result.topics.map(t => t.newPapers.length)).toEqual([1, 1])
      expect(result.counts).toEqual({ new: 1, proposed: 1 })
    })

    it('a topic whose fetch fails keeps the papers the pull request carries for it', async () => {
      const split = validateConfig(
        [
          { id: 'robots', title: 'Robots', keywords: ['robot policy'], categories: ['cs.RO'] },
          // Long enough to need a query of its own, which is the one that fails.
          {
            id: 'proofs',
            title: 'Proofs',
            keywords: ['random walk', ...Array.from({ length: 60 }, (_, i) => `random walk variant${i}`)],
            categories: ['math.PR']
          }
        ],
        'test'
      )
      const yesterday = await runDigest({
        config: split,
        now: NOW,
        base: EMPTY_REPO,
        arxiv: arxiv([walk]),
        templates
      })
      expect(yesterday.topics[1].newPapers).toHaveLength(1)
      const result = await runDigest({
        config: split,
        now: today,
        base: EMPTY_REPO,
        proposed: { files: memory(yesterday.files), closed: false },
        arxiv: arxiv([robot, walk], q => !q.includes('robot')),
        templates
      })
      const proofs = result.topics[1]
      expect(proofs.status).toBe('failed')
      expect(proofs.proposed.map(e => e.paper.id)).toEqual(['2603.00002'])
      expect(result.counts).toEqual({ new: 1, proposed: 2 })
      for (const path of ['digests/proofs.md', 'digests/state/proofs/2026-03.json'])
        expect(result.files.get(path)).toEqual(yesterday.files.get(path))
    })

    it('a closed pull request: its papers are held as dismissed, listed nowhere, never new again', async () => {
      const yesterday = await runDigest({
        config,
        now: NOW,
        base: EMPTY_REPO,
        arxiv: arxiv([robot]),
        templates
      })
      const result = await runDigest({
        config,
        now: today,
        base: EMPTY_REPO,
        proposed: { files: memory(yesterday.files), closed: true },
        arxiv: arxiv([robot]),
        templates
      })
      expect(result.counts).toEqual({ new: 0, proposed: 0 })
      expect(result.topics[0]).toMatchObject({ held: 0, newPapers: [], proposed: [] })
      expect(result.files.get('digests/robots.md')).not.toContain('Tidying')
      const state = JSON.parse(result.files.get('digests/state/robots/2026-03.json')!)
      expect(state.papers).toEqual([expect.objectContaining({ id: '2603.00001', dismissed: true })])
      // Once that state is on the base (merged with a later pull request), it stays dismissed.
      const later = await runDigest({
        config,
        now: new Date('2026-03-04T07:00:00Z'),
        base: memory(result.files),
        arxiv: arxiv([robot]),
        templates
      })
      expect(later.counts).toEqual({ new: 0, proposed: 0 })
    })
  })

  it('reports a topic with no new paper for longer than stale-after-days', async () => {
    const first = await firstRun()
    const warnings: string[] = []
    const result = await runDigest({
      config,
      now: new Date('2026-03-07T07:00:00Z'),
      base: memory(first.files),
      arxiv: arxiv([robot, walk]),
      templates,
      log: { info: () => {}, warning: m => warnings.push(m) }
    })
    expect(result.topics.map(t => t.staleDays)).toEqual([5, 5])
    expect(warnings).toEqual([
      expect.stringMatching(/^robots: no new paper for 5 days \(stale-after-days is 3\)/),
      expect.stringMatching(/^proofs: no new paper for 5 days/)
    ])
  })
})

describe('isoMinute', () => {
  it('rounds down to the minute', () => {
    expect(isoMinute(new Date('2026-02-13T22:23:59.999Z'))).toBe('2026-02-13T22:23:00Z')
  })
})
