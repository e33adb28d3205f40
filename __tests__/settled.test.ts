/**
 * A topic asked after the latest arXiv announcement settled, with the settings it was asked
 * with, is not asked again until the next announcement; any change of settings, a newer
 * announcement or a shard without a fingerprint makes the run ask.
 */
import { describe, expect, it } from '@jest/globals'
import { latestAnnouncement, settledSince } from '../src/digest/announcements.js'
import { validateConfig } from '../src/config/config.js'
import { runDigest, type ArxivSearch } from '../src/pipeline.js'
import { loadTemplates } from '../src/render/templates.js'
import { EMPTY_REPO, type RepoReader } from '../src/digest/repo.js'
import { searchSettings } from '../src/digest/settled.js'
import type { Paper } from '../src/digest/types.js'
import { paperFixture } from '../test-support/fake-arxiv.js'

const iso = (d: Date | undefined) => d?.toISOString().replace('.000Z', 'Z')

describe('the announcement schedule (20:00 US Eastern, Sunday to Thursday)', () => {
  it.each([
    // Friday evening and the weekend: Thursday's announcement (EST: 01:00 UTC on Friday).
    ['2026-02-13T22:23:00Z', '2026-02-13T01:00:00Z'],
    ['2026-02-14T12:00:00Z', '2026-02-13T01:00:00Z'],
    ['2026-02-16T00:59:00Z', '2026-02-13T01:00:00Z'],
    // Sunday 20:00 ET is Monday 01:00 UTC; the announcement counts from that minute on.
    ['2026-02-16T01:00:00Z', '2026-02-16T01:00:00Z'],
    ['2026-02-17T00:59:00Z', '2026-02-16T01:00:00Z'],
    // After the switch to daylight saving time (2026-03-08), 20:00 EDT is 00:00 UTC.
    ['2026-03-10T00:30:00Z', '2026-03-10T00:00:00Z'],
    ['2026-03-09T23:59:00Z', '2026-03-09T00:00:00Z'],
    // Back to standard time on 2026-11-01.
    ['2026-11-03T02:00:00Z', '2026-11-03T01:00:00Z']
  ])('at %s the latest announcement is %s', (now, expected) => {
    expect(iso(latestAnnouncement(new Date(now)))).toBe(expected)
  })

  it('results count as settled 6 hours after an announcement, not before', () => {
    expect(settledSince(new Date('2026-02-16T06:59:00Z'))).toBeUndefined()
    expect(iso(settledSince(new Date('2026-02-16T07:00:00Z')))).toBe('2026-02-16T07:00:00Z')
    expect(iso(settledSince(new Date('2026-02-14T12:00:00Z')))).toBe('2026-02-13T07:00:00Z')
  })
})

describe('searchSettings', () => {
  const topic = {
    id: 't',
    title: 'T',
    description: '',
    keywords: ['robot policy'],
    categories: ['cs.RO'],
    require: [],
    exclude: [],
    authors: []
  }
  it('changes with every field that decides the results, and only with those', () => {
    const base = searchSettings(topic, { overlapDays: 30 })
    expect(searchSettings({ ...topic, title: 'Other', description: 'x' }, { overlapDays: 30 })).toBe(base)
    for (const changed of [
      { ...topic, keywords: ['robot policies'] },
      { ...topic, categories: ['cs.AI'] },
      { ...topic, require: ['x'] },
      { ...topic, exclude: ['x'] },
      { ...topic, authors: ['A. Person'] }
    ])
      expect(searchSettings(changed, { overlapDays: 30 })).not.toBe(base)
    expect(searchSettings(topic, { overlapDays: 31 })).not.toBe(base)
  })
})

describe('runDigest asks arXiv only for topics that can have something new', () => {
  const topics = [
    { id: 'robots', title: 'Robots', keywords: ['robot policy'], categories: ['cs.RO'] },
    { id: 'proofs', title: 'Proofs', keywords: ['random walk'], categories: ['math.PR'] }
  ]
  const config = validateConfig({ topics }, 'test')
  const robot = paperFixture({
    id: '2602.00001',
    title: 'A Robot Policy for Tidying',
    categories: ['cs.RO'],
    published: '2026-02-12T10:00:00Z'
  })
  const walk = paperFixture({
    id: '2602.00002',
    title: 'Random Walks on Graphs',
    categories: ['math.PR'],
    published: '2026-02-12T11:00:00Z'
  })
  const templates = loadTemplates({}, async () => undefined)
  const memory = (files: Map<string, string>): RepoReader => ({
    list: async dir => [...files.keys()].filter(p => p.startsWith(dir + '/')),
    read: async path => files.get(path)
  })
  const search = (papers: Paper[]): ArxivSearch & { queries: string[] } => {
    const queries: string[] = []
    return { queries, search: async q => (queries.push(q), papers) }
  }
  // Friday 22:23 UTC: after Thursday's announcement settled (Friday 07:00 UTC).
  const FIRST = new Date('2026-02-13T22:23:00Z')

  async function firstRun(): Promise<RepoReader> {
    const arxiv = search([robot, walk])
    const result = await runDigest({
      config,
      now: FIRST,
      base: EMPTY_REPO,
      arxiv,
      templates: await templates
    })
    expect(arxiv.queries).toHaveLength(1)
    const shard = JSON.parse(result.files.get('digests/state/robots/2026-02.json')!)
    expect(shard.settings).toBe(searchSettings(config.topics[0], config))
    return memory(result.files)
  }

  it('before the next announcement: no request, no file, each topic says why', async () => {
    const base = await firstRun()
    const arxiv = search([robot, walk])
    const lines: string[] = []
    const log = { info: (m: string) => lines.push(m), warning: (m: string) => lines.push(m) }
    const result = await runDigest({
      config,
      now: new Date('2026-02-15T12:00:00Z'),
      base,
      arxiv,
      templates: await templates,
      log
    })
    expect(arxiv.queries).toEqual([])
    expect(result.files.size).toBe(0)
    expect(result.topics.map(t => [t.topic.id, t.status, t.settled])).toEqual([
      ['robots', 'ok', true],
      ['proofs', 'ok', true]
    ])
    expect(lines).toContain(
      'robots: not asked: nothing announced on arXiv since its last change (2026-02-13T22:23:00Z) with the same settings (lists 1)'
    )
  })

  it('after the next announcement settled: asks again', async () => {
    const base = await firstRun()
    const arxiv = search([robot, walk])
    // Sunday's announcement (Monday 01:00 UTC) settles at 07:00 UTC.
    const early = await runDigest({
      config,
      now: new Date('2026-02-16T06:59:00Z'),
      base,
      arxiv,
      templates: await templates
    })
    expect(arxiv.queries).toHaveLength(1)
    expect(early.topics.every(t => !t.settled)).toBe(true)
  })

  it('a topic whose settings changed is asked; the unchanged one is not', async () => {
    const base = await firstRun()
    const changed = validateConfig(
      { topics: [topics[0], { ...topics[1], keywords: ['random walk', 'markov chain'] }] },
      'test'
    )
    const arxiv = search([robot, walk])
    const result = await runDigest({
      config: changed,
      now: new Date('2026-02-14T12:00:00Z'),
      base,
      arxiv,
      templates: await templates
    })
    expect(arxiv.queries).toHaveLength(1)
    expect(arxiv.queries[0]).toContain('markov')
    expect(arxiv.queries[0]).not.toContain('robot')
    expect(result.topics.map(t => t.settled)).toEqual([true, undefined])
  })

  it('a shard written without a fingerprint (an older version) is asked', async () => {
    const base = await firstRun()
    const files = new Map<string, string>()
    for (const path of ['digests/state/robots/2026-02.json', 'digests/state/proofs/2026-02.json']) {
      const shard = JSON.parse((await base.read(path))!)
      delete shard.settings
      files.set(path, JSON.stringify(shard, null, 2) + '\n')
    }
    files.set('README.md', (await base.read('README.md'))!)
    for (const id of ['robots', 'proofs'])
      files.set(`digests/${id}.md`, (await base.read(`digests/${id}.md`))!)
    const arxiv = search([robot, walk])
    await runDigest({
      config,
      now: new Date('2026-02-14T12:00:00Z'),
      base: memory(files),
      arxiv,
      templates: await templates
    })
    expect(arxiv.queries).toHaveLength(1)
  })
})
