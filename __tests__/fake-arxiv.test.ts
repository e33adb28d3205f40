import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ArxivApiError, parseFeed } from '../src/arxiv/feed.js'
import {
  matchesQuery,
  paperFixture,
  parseSearchQuery,
  startFakeArxiv,
  toAtom,
  type FakeArxiv
} from '../test-support/fake-arxiv.js'

const ATOM = { Accept: 'application/atom+xml' }

const corpus = [
  paperFixture({
    id: '2602.00001',
    title: 'Vision-Language-Action Models for Manipulation',
    abstract: 'We train a VLA.',
    authors: ['Yann LeCun', 'Ada Lovelace'],
    categories: ['cs.RO', 'cs.AI'],
    comment: '8 pages, ICRA',
    published: '2026-02-10T12:00:00Z'
  }),
  paperFixture({
    id: '2602.00002',
    title: 'World Models',
    abstract: 'A world model learns latent dynamics.',
    authors: ['Jürgen Schmidhuber'],
    categories: ['cs.LG'],
    published: '2026-02-11T08:30:00Z',
    updated: '2026-02-12T09:00:00Z'
  }),
  paperFixture({
    id: '2602.00003',
    title: 'Grasping in Clutter',
    abstract: 'Robots grasp objects.',
    authors: ['Christian Internò'],
    categories: ['cs.RO'],
    journalRef: 'Robotics Journal 5, 2026',
    published: '2026-02-12T23:59:00Z'
  })
]

function ids(query: string): string[] {
  const tree = parseSearchQuery(query)
  return corpus
    .filter(p => matchesQuery(tree, p))
    .map(p => p.id)
    .sort()
}

describe('fake arXiv query semantics', () => {
  it('matches phrases on words, treating hyphens as spaces, case-insensitively', () => {
    expect(ids('ti:"vision language action"')).toEqual(['2602.00001'])
    expect(ids('ti:"Vision-Language"')).toEqual(['2602.00001'])
    expect(ids('ti:"language vision"')).toEqual([])
  })

  it('does not stem: singular does not match plural', () => {
    expect(ids('ti:model')).toEqual([])
    expect(ids('ti:models')).toEqual(['2602.00001', '2602.00002'])
    expect(ids('abs:model')).toEqual(['2602.00002'])
  })

  it('searches each field on its own, and all: over every field', () => {
    expect(ids('au:lecun')).toEqual(['2602.00001'])
    expect(ids('au:"internò"')).toEqual(['2602.00003'])
    expect(ids('co:icra')).toEqual(['2602.00001'])
    expect(ids('jr:journal')).toEqual(['2602.00003'])
    expect(ids('cat:cs.RO')).toEqual(['2602.00001', '2602.00003'])
    expect(ids('cat:cs')).toEqual([])
    expect(ids('all:schmidhuber')).toEqual(['2602.00002'])
    expect(ids('robots')).toEqual(['2602.00003'])
  })

  it('does not match a phrase across two authors', () => {
    expect(ids('au:"lecun ada"')).toEqual([])
  })

  it('evaluates AND, OR, ANDNOT and parentheses', () => {
    expect(ids('cat:cs.RO AND ti:grasping')).toEqual(['2602.00003'])
    expect(ids('cat:cs.RO ANDNOT ti:grasping')).toEqual(['2602.00001'])
    expect(ids('(ti:grasping OR ti:models) AND cat:cs.LG')).toEqual(['2602.00002'])
    expect(ids('ti:grasping OR ti:models OR au:lecun')).toEqual(['2602.00001', '2602.00002', '2602.00003'])
  })

  it('filters submittedDate inclusively at minute precision', () => {
    expect(ids('submittedDate:[202602110830 TO 202602122359]')).toEqual(['2602.00002', '2602.00003'])
    expect(ids('submittedDate:[202602110831 TO 202602122358]')).toEqual([])
    expect(ids('lastUpdatedDate:[202602120900 TO 202602120900]')).toEqual(['2602.00002'])
  })

  it.each([
    'ti:"unterminated',
    '(ti:a',
    'ti:a AND',
    'ti:a AND ti:b OR ti:c',
    'xx:foo',
    'submittedDate:[2026 TO 2027]',
    'ti:[202601010000 TO 202601020000]'
  ])('rejects the malformed query %s', q => {
    expect(() => parseSearchQuery(q)).toThrow()
  })
})

describe('fake arXiv over HTTP', () => {
  let arxiv: FakeArxiv
  beforeAll(async () => {
    arxiv = await startFakeArxiv({ corpus })
  })
  afterAll(async () => {
    await arxiv.close()
  })

  const get = async (
    params: Record<string, string>,
    headers: Record<string, string> = ATOM
  ): Promise<Response> => fetch(`${arxiv.url}?${new URLSearchParams(params)}`, { headers })

  it('pages and sorts, reporting totals like arXiv', async () => {
    const res = await get({
      search_query: 'cat:cs.RO OR cat:cs.LG',
      sortBy: 'submittedDate',
      sortOrder: 'ascending',
      start: '1',
      max_results: '1'
    })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).toContain('<opensearch:startIndex>1</opensearch:startIndex>')
    expect(text).toContain('<opensearch:itemsPerPage>1</opensearch:itemsPerPage>')
    const page = parseFeed(text)
    expect(page.totalResults).toBe(3)
    expect(page.papers.map(p => p.id)).toEqual(['2602.00002'])
  })

  it('serves entries that parse back to the corpus papers', async () => {
    const res = await get({ search_query: 'all:lecun OR all:internò OR all:schmidhuber', max_results: '10' })
    const papers = parseFeed(await res.text()).papers
    expect(papers.sort((a, b) => a.id.localeCompare(b.id))).toEqual(corpus)
  })

  it('records requests with their parameters and headers', async () => {
    const before = arxiv.requests.length
    await get({ search_query: 'ti:grasping' }, { ...ATOM, 'User-Agent': 'test-agent/1' })
    const recorded = arxiv.requests[before]
    expect(recorded.method).toBe('GET')
    expect(recorded.params.search_query).toBe('ti:grasping')
    expect(recorded.headers['user-agent']).toBe('test-agent/1')
  })

  it('answers 406 without an Atom Accept header', async () => {
    expect((await get({ search_query: 'ti:grasping' }, { Accept: '*/*' })).status).toBe(406)
  })

  it('answers 400 with an Atom error entry for bad parameters and queries', async () => {
    const cases: Array<Record<string, string>> = [
      { search_query: 'ti:a', start: 'x' },
      { search_query: 'ti:a', max_results: '-1' },
      { search_query: 'ti:"a' }
    ]
    for (const params of cases) {
      const res = await get(params)
      expect(res.status).toBe(400)
      const body = await res.text()
      expect(body).toContain('/api/errors#')
      expect(() => parseFeed(body)).toThrow(ArxivApiError)
    }
  })

  it('applies injected faults in order, then answers normally', async () => {
    arxiv.injectFaults(
      { status: 429, retryAfter: '7' },
      { kind: 'blank' },
      { kind: 'truncated' },
      { kind: 'empty-page' }
    )
    const first = await get({ search_query: 'cat:cs.RO' })
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '7'])
    expect(await (await get({ search_query: 'cat:cs.RO' })).text()).toBe('')
    const truncated = await (await get({ search_query: 'cat:cs.RO' })).text()
    expect(truncated.startsWith('<?xml')).toBe(true)
    expect(() => parseFeed(truncated)).toThrow(/well-formed/)
    const empty = parseFeed(await (await get({ search_query: 'cat:cs.RO' })).text())
    expect([empty.totalResults, empty.papers.length]).toEqual([2, 0])
    const normal = parseFeed(await (await get({ search_query: 'cat:cs.RO' })).text())
    expect(normal.papers).toHaveLength(2)
  })

  it('serves the error-entry fault and replaces the corpus on request', async () => {
    arxiv.injectFaults({ kind: 'error-entry', message: 'rate limit test' })
    const res = await get({ search_query: 'ti:a' })
    const body = await res.text()
    expect(res.status).toBe(400)
    expect(() => parseFeed(body)).toThrow('rate limit test')
    arxiv.setCorpus([paperFixture({ id: '2602.09999', title: 'Only one' })])
    const page = parseFeed(await (await get({ search_query: 'ti:one' })).text())
    expect(page.papers.map(p => p.id)).toEqual(['2602.09999'])
    arxiv.setCorpus(corpus)
  })

  it('keeps its answers when asked to, until the corpus is replaced, and faults still apply', async () => {
    for (const cacheAnswers of [true, false]) {
      const papers = corpus.map(p => ({ ...p }))
      const fake = await startFakeArxiv({ corpus: papers, cacheAnswers })
      try {
        const ask = async () =>
          (await fetch(`${fake.url}?search_query=cat:cs.RO&max_results=5`, { headers: ATOM })).text()
        const first = await ask()
        papers.forEach(p => (p.title = 'Changed in place'))
        const again = await ask()
        expect([cacheAnswers, again === first]).toEqual([cacheAnswers, cacheAnswers])
        fake.injectFaults({ kind: 'truncated' })
        const truncated = await ask()
        expect(() => parseFeed(truncated)).toThrow()
        fake.setCorpus(papers)
        expect(await ask()).toContain('Changed in place')
      } finally {
        await fake.close()
      }
    }
  })

  it('closes even while a request hangs', async () => {
    const other = await startFakeArxiv({ corpus })
    other.injectFaults({ kind: 'hang' })
    const pending = fetch(`${other.url}?search_query=ti:a`, { headers: ATOM })
    pending.catch(() => undefined)
    await new Promise(r => setTimeout(r, 50))
    expect(other.requests).toHaveLength(1)
    await other.close()
    await expect(pending).rejects.toThrow()
  })

  it('toAtom escapes XML specials', () => {
    const xml = toAtom([paperFixture({ title: 'a < b & "c"' })], { totalResults: 1 })
    expect(xml).toContain('a &lt; b &amp; &quot;c&quot;')
  })
})
