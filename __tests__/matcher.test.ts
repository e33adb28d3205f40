/**
 * `createMatcher()` gives what matching a fresh copy of every paper against every topic gave, however
 * its caches are hit: the first implementation (a string → positions map per text, phrases compiled on
 * every call) is kept here as the reference and compared on generated papers and topics, including
 * copies of one paper, changed copies under the same versionedId, and mutated papers and topics.
 */
import { describe, expect, it } from '@jest/globals'
import { canonicalCategory } from '../src/digest/categories.js'
import { createMatcher, matchTopic, SCORE, type TopicMatch } from '../src/digest/matching.js'
import { sameAuthor } from '../src/digest/names.js'
import { wordForms, words } from '../src/digest/terms.js'
import type { Paper, Topic } from '../src/digest/types.js'
import { random } from '../test-support/random.js'

// ---------------------------------------------------------------------------------------------------
// The reference: src/digest/matching.ts before the matcher (author names compared with sameAuthor, which is
// the same rule as the token comparison it used).

function referenceCount(text: string, phrase: string): number {
  const ws = words(phrase)
  const tokens = words(text)
  const head = ws.slice(0, -1)
  const forms = new Set(wordForms(ws[ws.length - 1]!))
  let count = 0
  for (let start = 0; start + head.length < tokens.length; start++) {
    if (head.every((w, k) => tokens[start + k] === w) && forms.has(tokens[start + head.length]!)) count++
  }
  return count
}

interface Hit {
  phrase: string
  title: number
  abstract: number
}

function referenceHits(phrases: string[], paper: Paper): Hit[] {
  return phrases
    .filter(phrase => words(phrase).length > 0)
    .map(phrase => ({
      phrase,
      title: referenceCount(paper.title, phrase),
      abstract: referenceCount(paper.abstract, phrase)
    }))
    .filter(h => h.title > 0 || h.abstract > 0)
}

const where = (h: Hit): string =>
  h.title > 0 && h.abstract > 0 ? 'title and abstract' : h.title > 0 ? 'title' : 'abstract'

/** Keywords that match the same text (spelling, hyphens, plural) count once, named by the first. */
const sameText = (a: string, b: string): boolean => {
  const [x, y] = [words(a), words(b)]
  return (
    x.length === y.length &&
    x.slice(0, -1).every((w, i) => w === y[i]) &&
    [...wordForms(x[x.length - 1]!)].sort().join() === [...wordForms(y[y.length - 1]!)].sort().join()
  )
}
const distinct = (hits: Hit[]): Hit[] =>
  hits.filter((h, i) => hits.findIndex(o => sameText(o.phrase, h.phrase)) === i)
const keywordReasons = (hits: Hit[]): string[] =>
  distinct(hits).map(h => `keyword "${h.phrase}" in ${where(h)}`)

const score = (hits: Hit[]): number =>
  distinct(hits).reduce(
    (sum, h) =>
      sum +
      Math.min(h.title, SCORE.maxHitsPerField) * SCORE.titleHit +
      Math.min(h.abstract, SCORE.maxHitsPerField) * SCORE.abstractHit,
    0
  )

function referenceMatch(paper: Paper, topic: Topic): TopicMatch {
  const keywordHits = referenceHits(topic.keywords, paper)
  const authors: [string, string][] = []
  for (const wanted of topic.authors) {
    const hit = paper.authors.find(actual => sameAuthor(wanted, actual))
    if (hit !== undefined) authors.push([wanted, hit])
  }
  if (authors.length > 0) {
    const reasons = authors.map(([w, a]) => `author "${a}"` + (w === a ? '' : ` (~ "${w}")`))
    return {
      matched: true,
      score: authors.length * SCORE.author + score(keywordHits),
      reason: [...reasons, ...keywordReasons(keywordHits)].join(', ')
    }
  }
  if (topic.categories.length > 0) {
    const wanted = new Set(topic.categories.map(canonicalCategory))
    if (![paper.primaryCategory, ...paper.categories].map(canonicalCategory).some(c => wanted.has(c)))
      return { matched: false, score: 0, reason: `not in categories ${topic.categories.join(', ')}` }
  }
  if (keywordHits.length === 0) return { matched: false, score: 0, reason: 'no keyword' }
  const required = referenceHits(topic.require, paper)
  if (topic.require.length > 0 && required.length === 0)
    return { matched: false, score: 0, reason: 'no required term' }
  const excluded = referenceHits(topic.exclude, paper)
  if (excluded.length > 0)
    return {
      matched: false,
      score: 0,
      reason: `excluded term "${excluded[0]!.phrase}" in ${where(excluded[0]!)}`
    }
  const reason = [
    ...keywordReasons(keywordHits),
    ...required.slice(0, 1).map(h => `required "${h.phrase}" in ${where(h)}`)
  ].join(', ')
  return { matched: true, score: score(keywordHits), reason }
}

// ---------------------------------------------------------------------------------------------------
// Generated papers and topics

const TEXT_WORDS = [
  'world',
  'model',
  'models',
  'World-Models',
  'policy',
  'policies',
  'box',
  'boxes',
  'VLA',
  'VLAs',
  'vla.',
  'vision-language-action',
  'Vision',
  'language',
  'action',
  'diffusion',
  'the',
  'a',
  'of',
  '(VLA)',
  'robot',
  'robots',
  'Ω-space',
  'ＷＯＲＬＤ',
  'MODEL',
  'x_1',
  '$\\alpha$',
  '2048',
  'survey',
  'surveys'
]
const PHRASES = [
  'world model',
  'world models',
  'VLA',
  'vision language action',
  'policy',
  'policies',
  'boxes',
  'diffusion policy',
  'robot',
  'survey',
  'world world model',
  'the model',
  '--',
  'Ω space',
  'world'
]
const NAMES = ['Yann LeCun', 'Y. LeCun', 'Lucy Xiaoyang Shi', 'Lucy Shi', 'Ada Lovelace', 'Chelsea Finn']
const CATEGORIES = ['cs.RO', 'cs.SY', 'eess.SY', 'cs.LG', 'math.PR', 'I.2.9']

function some<T>(next: () => number, from: T[], max: number): T[] {
  return Array.from({ length: Math.floor(next() * (max + 1)) }, () => from[Math.floor(next() * from.length)]!)
}

function paper(i: number, next: () => number): Paper {
  const categories = some(next, CATEGORIES, 2)
  return {
    id: `2602.${String(i).padStart(5, '0')}`,
    versionedId: `2602.${String(i).padStart(5, '0')}v1`,
    title: some(next, TEXT_WORDS, 8).join(' '),
    abstract: some(next, TEXT_WORDS, 40).join(next() < 0.5 ? ' ' : '\n'),
    authors: some(next, NAMES, 3),
    categories,
    primaryCategory: categories[0] ?? '',
    published: '2026-02-10T12:00:00Z',
    updated: '2026-02-10T12:00:00Z'
  }
}

function topic(i: number, next: () => number): Topic {
  return {
    id: `t${i}`,
    title: `Topic ${i}`,
    description: '',
    keywords: some(next, PHRASES, 3),
    categories: some(next, CATEGORIES, 2),
    require: next() < 0.3 ? some(next, PHRASES, 2) : [],
    exclude: next() < 0.3 ? some(next, PHRASES, 2) : [],
    authors: next() < 0.2 ? some(next, NAMES, 2) : []
  }
}

// ---------------------------------------------------------------------------------------------------

describe('createMatcher', () => {
  const next = random(2026)
  const papers = Array.from({ length: 150 }, (_, i) => paper(i, next))
  const topics = Array.from({ length: 40 }, (_, i) => topic(i, next))

  it('gives the reference result for every paper and topic, in any order', () => {
    const matcher = createMatcher()
    let matched = 0
    for (const t of topics) {
      for (const p of papers) {
        const expected = referenceMatch(p, t)
        expect({ id: p.id, topic: t.id, ...matcher.match(p, t) }).toEqual({
          id: p.id,
          topic: t.id,
          ...expected
        })
        if (expected.matched) matched++
      }
    }
    // The generated data exercises both outcomes.
    expect(matched).toBeGreaterThan(100)
    expect(matched).toBeLessThan(papers.length * topics.length - 100)
  })

  it('candidates leave out only topics that cannot match, and do leave some out', () => {
    const matcher = createMatcher()
    const mayMatch = matcher.candidates(topics)
    let left = 0
    for (const p of papers) {
      const may = mayMatch({ ...p })
      for (const t of topics) {
        if (may.has(t)) continue
        left++
        expect({ id: p.id, topic: t.id, matched: referenceMatch(p, t).matched }).toEqual({
          id: p.id,
          topic: t.id,
          matched: false
        })
      }
    }
    expect(left).toBeGreaterThan(papers.length)
  })

  it('gives the same results for copies of a paper (one object per query that found it)', () => {
    const matcher = createMatcher()
    for (const t of topics) {
      for (const p of papers) {
        const copy = { ...p, authors: [...p.authors], categories: [...p.categories] }
        expect(matcher.match(copy, t)).toEqual(referenceMatch(p, t))
      }
    }
  })

  it('indexes a copy again when its text differs under the same versionedId', () => {
    const matcher = createMatcher()
    const t: Topic = { ...topics[0]!, keywords: ['world model'], categories: [], require: [], exclude: [] }
    const p = { ...papers[0]!, title: 'A world model', abstract: 'Nothing.', authors: [] }
    expect(matcher.match(p, t).matched).toBe(true)
    const other = { ...p, title: 'Grasping' }
    expect(matcher.match(other, t)).toEqual({ matched: false, score: 0, reason: 'no keyword' })
    expect(matcher.match(p, t).matched).toBe(true)
  })

  it('does not reuse what it derived from a paper or topic object that was changed since', () => {
    const matcher = createMatcher()
    const t: Topic = { ...topics[0]!, keywords: ['world model'], categories: ['cs.RO'], authors: [] }
    const p = {
      ...papers[0]!,
      title: 'A world model',
      authors: ['Ada Lovelace'],
      categories: ['cs.RO'],
      primaryCategory: 'cs.LG'
    }
    t.require = []
    t.exclude = []
    expect(matcher.match(p, t).matched).toBe(true)
    p.categories[0] = 'math.PR'
    expect(matcher.match(p, t)).toEqual(referenceMatch(p, t))
    expect(matcher.match(p, t).matched).toBe(false)
    p.primaryCategory = 'cs.RO'
    expect(matcher.match(p, t)).toEqual(referenceMatch(p, t))
    expect(matcher.match(p, t).matched).toBe(true)
    t.categories.push('math.PR')
    expect(matcher.match(p, t)).toEqual(referenceMatch(p, t))
    t.exclude.push('model')
    expect(matcher.match(p, t)).toEqual(referenceMatch(p, t))
    p.authors.push('Yann LeCun')
    t.authors.push('Y. LeCun')
    expect(matcher.match(p, t)).toEqual(referenceMatch(p, t))
    expect(matcher.match(p, t).matched).toBe(true)
    p.authors[1] = 'Xavier LeCun'
    expect(matcher.match(p, t)).toEqual(referenceMatch(p, t))
    expect(matcher.match(p, t).matched).toBe(false)
    t.exclude = []
    p.primaryCategory = 'cs.RO'
    expect(matcher.match(p, t).matched).toBe(true)
    p.title = 'Grasping'
    p.abstract = 'Nothing here.'
    expect(matcher.match(p, t)).toEqual({ matched: false, score: 0, reason: 'no keyword' })
  })

  it('matching() lists exactly the topics match() accepts, also after a topic changed', () => {
    const matcher = createMatcher()
    for (const p of papers) {
      expect(matcher.matching(p, topics).map(t => t.id)).toEqual(
        topics.filter(t => referenceMatch(p, t).matched).map(t => t.id)
      )
    }
    const changed = topics.map(t => ({ ...t, keywords: [...t.keywords] }))
    const list = [...changed]
    expect(matcher.matching(papers[0]!, list)).toEqual(
      changed.filter(t => referenceMatch(papers[0]!, t).matched)
    )
    for (const t of list) t.keywords.push('robot')
    list[1]!.authors = ['Ada Lovelace']
    for (const p of papers.slice(0, 40)) {
      expect(matcher.matching(p, list).map(t => t.id)).toEqual(
        list.filter(t => referenceMatch(p, t).matched).map(t => t.id)
      )
    }
  })

  it('agrees with matchTopic, which uses a matcher of its own per call', () => {
    const matcher = createMatcher()
    for (const p of papers.slice(0, 30))
      for (const t of topics) expect(matcher.match(p, t)).toEqual(matchTopic(p, t))
  })
})
