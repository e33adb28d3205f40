import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { ArxivApiError, FeedFormatError, parseFeed, toUtcSeconds } from '../src/arxiv/feed.js'
import { paperFixture, toAtom } from '../test-support/fake-arxiv.js'

const fixture = (name: string): string =>
  readFileSync(new URL(`../__fixtures__/arxiv/${name}`, import.meta.url), 'utf8')

describe('parseFeed on a normal page', () => {
  const page = parseFeed(fixture('page.xml'))

  it('reads the total the query matches (opensearch:totalResults)', () => {
    expect(page.totalResults).toBe(37)
    expect(page.papers).toHaveLength(4)
  })

  it('maps a full entry, collapsing whitespace and keeping TeX', () => {
    expect(page.papers[0]).toEqual({
      id: '2602.12099',
      versionedId: '2602.12099v1',
      title:
        'GigaBrain-0.5: Scaling Vision-Language-Action Models with World Model Rollouts for $\\mathcal{O}(n)$ Planning',
      abstract:
        'Vision-language-action (VLA) models promise general-purpose robot control, but their training data ' +
        'covers few embodiments. We present GigaBrain-0.5, which couples a VLA policy with a learned world ' +
        'model & plans in $\\mathcal{O}(n)$ time. Project page: https://gigabrain.example.org/ .',
      authors: ['GigaBrain Team', 'Christian Internò', 'Jürgen Schmidhuber'],
      comment:
        '18 pages, 7 figures. Project page: \\href{https://gigabrain.example.org/}{gigabrain.example.org}; ' +
        'code at \\url{https://github.com/example/gigabrain}',
      categories: ['cs.RO', 'cs.AI', 'cs.CV'],
      primaryCategory: 'cs.RO',
      published: '2026-02-12T18:59:59Z',
      updated: '2026-02-12T18:59:59Z'
    })
  })

  it('keeps DOI and journal ref, converts offsets to UTC, decodes entities exactly once', () => {
    const p = page.papers[1]
    expect(p.versionedId).toBe('2601.04321v2')
    expect(p.doi).toBe('10.1109/LRA.2026.0001234')
    expect(p.journalRef).toBe('IEEE Robotics and Automation Letters 11(3):1-18, 2026')
    expect(p.published).toBe('2026-01-08T22:30:00Z')
    expect(p.updated).toBe('2026-02-10T14:15:02Z')
    expect(p.abstract).toBe(
      'We survey world models for contact-rich manipulation. We cover <i>latent dynamics</i>, video ' +
        'prediction and simulators, and compare them on 12 benchmarks.'
    )
    expect(p.categories).toEqual(['cs.RO', 'cs.LG', 'I.2.9'])
  })

  it('gives absent optional fields as undefined, every paper with the same keys, and keeps numeric titles as strings', () => {
    const p = page.papers[2]
    expect(p.title).toBe('2048')
    expect([p.comment, p.doi, p.journalRef]).toEqual([undefined, undefined, undefined])
    // One shape for papers with and without the optional fields (see paperRecord).
    expect(Object.keys(p)).toEqual(Object.keys(page.papers[0]))
    expect(page.papers[0].comment).toBeDefined()
  })

  it('strips the abs prefix of old-style ids and removes only the version', () => {
    const p = page.papers[3]
    expect([p.id, p.versionedId]).toEqual(['hep-th/9901001', 'hep-th/9901001v2'])
    expect(p.published).toBe('1999-01-04T17:00:00Z')
    expect(p.title).toBe('Old-Style Identifiers and Dualities')
  })
})

describe('parseFeed on other shapes', () => {
  it('reads a single-entry feed with per-element namespace declarations and a subject-class id', () => {
    const page = parseFeed(fixture('single.xml'))
    expect(page.totalResults).toBe(1)
    expect(page.papers).toHaveLength(1)
    expect(page.papers[0]).toMatchObject({
      id: 'math.CA/0611800',
      versionedId: 'math.CA/0611800v2',
      title: 'Orthogonal Polynomials & Special Functions',
      authors: ['Jürgen Schmidhuber'],
      primaryCategory: 'math.CA',
      published: '2006-11-27T14:00:00Z',
      updated: '2007-03-02T15:11:12Z'
    })
  })

  it('reads an empty result', () => {
    expect(parseFeed(fixture('empty.xml'))).toEqual({
      totalResults: 0,
      papers: []
    })
  })

  it('throws ArxivApiError with arXiv message for the error feed, never a paper', () => {
    expect(() => parseFeed(fixture('error.xml'))).toThrow(ArxivApiError)
    try {
      parseFeed(fixture('error.xml'))
    } catch (e) {
      expect((e as ArxivApiError).arxivMessage).toBe('incorrect id format for 1234.12345')
    }
  })

  it('detects an error entry by its title alone', () => {
    const xml = fixture('error.xml').replace(/api\/errors#/g, 'abs/')
    expect(() => parseFeed(xml)).toThrow(/incorrect id format/)
  })

  it.each([
    ['blank', '   \n'],
    ['plain text', 'Service temporarily unavailable'],
    ['HTML', '<html><body><h1>Bad gateway</h1></body></html>'],
    ['truncated', fixture('page.xml').slice(0, 2500)],
    ['truncated before </feed>', fixture('page.xml').replace('</feed>', '')],
    ['a DOCTYPE', '<!DOCTYPE feed [<!ENTITY a "aaaa">]><feed><title>&a;</title></feed>']
  ])('throws FeedFormatError for %s', (_name, body) => {
    expect(() => parseFeed(body)).toThrow(FeedFormatError)
  })

  it('reads CDATA as text, leaves out child elements, comments and links, and keeps a page with a stray character or entity', () => {
    const base = toAtom([paperFixture({ id: '2602.00007', abstract: 'ABSTRACT' })], { totalResults: 1 })
    const abstract = (xml: string) => parseFeed(base.replace('ABSTRACT', xml)).papers[0].abstract
    expect(abstract('<![CDATA[x < y]]> &amp; more')).toBe('x < y & more')
    expect(abstract('a<b>bold</b>c<!-- note -->d')).toBe('acd')
    // Not XML, but no reason to lose the page: the control character is kept (renderers drop what
    // their format cannot carry), the undefined entity is kept as written.
    expect(abstract('a\u0001b &nbsp; &#233;')).toBe('a\u0001b &nbsp; é')
    expect(() => parseFeed(base.replace('ABSTRACT', 'a & b'))).toThrow(FeedFormatError)
    expect(() => parseFeed(base.replace('</feed>', '</feed><feed></feed>'))).toThrow(FeedFormatError)
  })

  it('throws FeedFormatError when totalResults is missing', () => {
    const xml = fixture('empty.xml').replace(/<opensearch:totalResults>0<\/opensearch:totalResults>/, '')
    expect(() => parseFeed(xml)).toThrow(FeedFormatError)
  })

  it('round-trips what the fake server serialises, including XML specials', () => {
    const paper = paperFixture({
      id: '2602.00042',
      versionedId: '2602.00042v3',
      title: 'Tags <b> & "quotes" in a title long enough that the fake server has to wrap it over lines',
      abstract: 'x < y && y > z; ' + 'words '.repeat(40).trim(),
      authors: ['Christian Internò'],
      comment: '\\href{https://a.example/?q=1&r=2}{site}',
      doi: '10.1/abc',
      journalRef: 'J. Tests 1 (2026)'
    })
    const page = parseFeed(toAtom([paper], { totalResults: 1 }))
    expect(page.papers).toEqual([paper])
  })
})

describe('toUtcSeconds', () => {
  it.each([
    ['2026-02-12T18:59:59Z', '2026-02-12T18:59:59Z'],
    ['2026-02-12T13:59:59-05:00', '2026-02-12T18:59:59Z'],
    ['2026-02-13T00:30:00+05:30', '2026-02-12T19:00:00Z'],
    ['2026-02-12T18:59:59.123Z', '2026-02-12T18:59:59Z'],
    ['2025-12-31T23:00:00-01:00', '2026-01-01T00:00:00Z'],
    // Out-of-range fields roll over as Date.UTC has them, also in the form arXiv sends (a fast path).
    ['2026-02-29T12:00:00Z', '2026-03-01T12:00:00Z'],
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00Z'],
    ['2026-02-12T24:00:00Z', '2026-02-13T00:00:00Z']
  ])('%s → %s', (input, expected) => {
    expect(toUtcSeconds(input)).toBe(expected)
  })

  it('rejects what is not RFC 3339', () => {
    expect(() => toUtcSeconds('12 Feb 2026')).toThrow(FeedFormatError)
  })
})

describe('parseFeed keeps hostile fields inert', () => {
  it('removes bidi controls and zero-width characters, and cuts over-long fields with an ellipsis', () => {
    const hostile = paperFixture({
      id: '2602.30001',
      title: `A ${'very '.repeat(20_000)}long title`,
      authors: [
        'Mallory \u202eevil\u202c Author',
        'Zero\u200bWidth',
        ...Array.from({ length: 600 }, (_, i) => `A${i}`)
      ],
      comment: `Code: https://github.com/a/b ${'x'.repeat(5000)}`
    })
    const [paper] = parseFeed(toAtom([hostile], { totalResults: 1 })).papers
    expect(paper.title).toHaveLength(500)
    expect(paper.title.endsWith('…')).toBe(true)
    expect(paper.authors.slice(0, 2)).toEqual(['Mallory evil Author', 'ZeroWidth'])
    expect(paper.authors).toHaveLength(500)
    expect(paper.comment).toHaveLength(2000)
    expect(paper.comment!.startsWith('Code: https://github.com/a/b ')).toBe(true)
  })
})
