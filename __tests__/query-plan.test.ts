import { describe, expect, it } from '@jest/globals'
import { choosePlan } from '../src/arxiv/plan-choice.js'
import {
  DEFAULT_MAX_QUERY_LENGTH,
  keywordPhrases,
  planByCategory,
  planQueries,
  type TopicWindow
} from '../src/arxiv/plan.js'
import type { Paper, Topic } from '../src/digest/types.js'
import { matchesQuery, paperFixture, parseSearchQuery } from '../test-support/fake-arxiv.js'

const TO = new Date('2026-02-13T07:00:00Z')
const FROM = new Date('2026-02-06T07:00:00Z')
const ROBOTICS = ['cs.RO', 'cs.CV', 'cs.LG', 'cs.AI']

function topic(id: string, keywords: string[], extra: Partial<Topic> = {}): Topic {
  return {
    id,
    title: id,
    description: '',
    keywords,
    categories: ROBOTICS,
    require: [],
    exclude: [],
    authors: [],
    ...extra
  }
}

function win(t: Topic, from = FROM): TopicWindow {
  return { topic: t, from }
}

/** Papers a plan would fetch: the union over its queries, as the fake arXiv evaluates them. */
function fetched(windows: TopicWindow[], corpus: Paper[], max?: number): string[] {
  const plan = planQueries(windows, TO, { maxQueryLength: max })
  const ids = new Set<string>()
  for (const q of plan)
    for (const p of corpus) if (matchesQuery(parseSearchQuery(q.searchQuery), p)) ids.add(p.id)
  return [...ids].sort()
}

describe('keywordPhrases', () => {
  it('varies only the last word, over all its singular/plural forms', () => {
    expect(keywordPhrases('World-Model')).toEqual(['world model', 'world models'])
    // terms.ts over-generates forms on purpose; what matters is that both real forms are asked for.
    expect(keywordPhrases('control policies')).toEqual(
      expect.arrayContaining(['control policies', 'control policy'])
    )
    expect(keywordPhrases('control policies')[0]).toBe('control policies')
    expect(keywordPhrases('---')).toEqual([])
  })
})

describe('planQueries', () => {
  it('gives ONE query for two topics with 3+3 keywords and the same categories', () => {
    const plan = planQueries(
      [
        win(topic('vla', ['VLA', 'vision-language-action', 'vision language action model'])),
        win(topic('world_models', ['world model', 'world models', 'latent dynamics']))
      ],
      TO
    )
    expect(plan).toHaveLength(1)
    expect(plan[0].topicIds).toEqual(['vla', 'world_models'])
    const q = plan[0].searchQuery
    // The categories appear once: topics with one category set share one clause.
    expect(q.match(/cat:cs\.RO/g)).toHaveLength(1)
    // Duplicated phrases ("world model" from two keywords) are sent once.
    expect(q.match(/ti:"world models"/g)).toHaveLength(1)
    expect(q).toContain('ti:"vision language action models"')
    expect(q.endsWith('AND submittedDate:[202602060700 TO 202602130700]')).toBe(true)
    expect(() => parseSearchQuery(q)).not.toThrow()
  })

  it('starts a shared query at the earliest window start', () => {
    const early = new Date('2026-01-01T00:00:00Z')
    const plan = planQueries([win(topic('a', ['alpha'])), win(topic('b', ['beta']), early)], TO)
    expect(plan).toHaveLength(1)
    expect(plan[0].from).toEqual(early)
    expect(plan[0].to).toEqual(TO)
    expect(plan[0].searchQuery).toContain('submittedDate:[202601010000 TO 202602130700]')
  })

  it('OR-s groups with different categories and keeps each keyword set with its own categories', () => {
    const windows = [
      win(topic('rob', ['grasping'], { categories: ['cs.RO'] })),
      win(topic('th', ['duality'], { categories: ['hep-th'] }))
    ]
    const plan = planQueries(windows, TO)
    expect(plan).toHaveLength(1)
    const corpus = [
      paperFixture({ id: '1', title: 'Grasping', categories: ['cs.RO'] }),
      paperFixture({ id: '2', title: 'Grasping', categories: ['hep-th'] }),
      paperFixture({ id: '3', title: 'Duality', categories: ['hep-th'] }),
      paperFixture({ id: '4', title: 'Duality', categories: ['cs.RO'] })
    ]
    expect(fetched(windows, corpus)).toEqual(['1', '3'])
  })

  it('asks for every plural form and for hyphen/space variants, in title and abstract', () => {
    const windows = [win(topic('wm', ['world model', 'vision-language-action']))]
    const corpus = [
      paperFixture({ id: 'plural', title: 'Learning World Models' }),
      paperFixture({ id: 'hyphen', abstract: 'a world-model based planner' }),
      paperFixture({ id: 'spaces', abstract: 'vision language actions for robots' }),
      paperFixture({ id: 'none', title: 'World of models' }),
      paperFixture({ id: 'other-cat', title: 'World models', categories: ['math.AG'] })
    ]
    expect(fetched(windows, corpus)).toEqual(['hyphen', 'plural', 'spaces'])
  })

  it('adds author clauses at the top level, outside the category filter but inside the window', () => {
    const windows = [win(topic('wm', ['world model'], { authors: ['Yann LeCun'] }))]
    const corpus = [
      paperFixture({ id: 'by-him', title: 'Energy', authors: ['Y. LeCun'], categories: ['q-bio.NC'] }),
      paperFixture({ id: 'too-old', authors: ['Yann LeCun'], published: '2025-01-01T00:00:00Z' }),
      paperFixture({ id: 'other', authors: ['Ada Lovelace'] })
    ]
    expect(fetched(windows, corpus)).toEqual(['by-him'])
    const plan = planQueries(windows, TO)
    expect(plan[0].searchQuery).toMatch(/ OR au:lecun\) AND submittedDate:/)
  })

  it('shares one author clause between topics and plans author-only topics without categories', () => {
    const plan = planQueries(
      [
        win(topic('a', [], { authors: ['Yann LeCun'] })),
        win(topic('b', ['x ray'], { authors: ['LeCun, Yann'] }))
      ],
      TO
    )
    expect(plan).toHaveLength(1)
    expect(plan[0].searchQuery.match(/au:lecun/g)).toHaveLength(1)
    expect(plan[0].topicIds).toEqual(['a', 'b'])
    // The author-only topic must not turn into "everything in its categories".
    const windows = [win(topic('a', [], { authors: ['Yann LeCun'] }))]
    const corpus = [
      paperFixture({ id: 'his', authors: ['Yann LeCun'], categories: ['math.AG'] }),
      paperFixture({ id: 'robotics', authors: ['Ada Lovelace'], categories: ['cs.RO'] })
    ]
    expect(fetched(windows, corpus)).toEqual(['his'])
  })

  it('fetches everything in the categories for a topic without keywords or authors', () => {
    const windows = [
      win(topic('all-ro', [], { categories: ['cs.RO'] })),
      win(topic('kw', ['grasping'], { categories: ['cs.RO'] }))
    ]
    const corpus = [paperFixture({ id: 'x', title: 'Anything', categories: ['cs.RO'] })]
    expect(fetched(windows, corpus)).toEqual(['x'])
  })

  it('is deterministic', () => {
    const windows = [
      win(topic('a', ['alpha', 'beta'])),
      win(topic('b', ['gamma'], { categories: ['cs.SY'] }))
    ]
    expect(planQueries(windows, TO)).toEqual(planQueries(windows, TO))
    expect(planQueries(windows, TO)[0].searchQuery).toBe(
      '(((ti:alpha OR abs:alpha OR ti:alphas OR abs:alphas OR ti:beta OR abs:beta OR ti:betas OR abs:betas) AND ' +
        '(cat:cs.AI OR cat:cs.CV OR cat:cs.LG OR cat:cs.RO)) OR ((ti:gamma OR abs:gamma OR ti:gammas OR abs:gammas) ' +
        'AND (cat:cs.SY OR cat:eess.SY))) AND submittedDate:[202602060700 TO 202602130700]'
    )
  })

  it('splits only when the length limit is reached, and never beyond it', () => {
    const windows = Array.from({ length: 40 }, (_, i) =>
      win(
        topic(`t${i}`, [`keyword number ${i}`, `another phrase ${i}`], {
          categories: i % 2 ? ['cs.RO'] : ['hep-th']
        })
      )
    )
    const plan = planQueries(windows, TO)
    const total = windows.length * 2 * 2 * 2 // topics × keywords × forms × fields
    expect(plan.length).toBeGreaterThan(1)
    expect(plan.length).toBeLessThan(total / 10)
    for (const q of plan) {
      expect(q.searchQuery.length).toBeLessThanOrEqual(DEFAULT_MAX_QUERY_LENGTH)
      expect(() => parseSearchQuery(q.searchQuery)).not.toThrow()
    }
    // Every topic is covered.
    expect(new Set(plan.flatMap(q => q.topicIds)).size).toBe(40)
    // The number of queries follows the total query length, not topics × keywords.
    const totalLength = plan.reduce((n, q) => n + q.searchQuery.length, 0)
    expect(plan.length).toBeLessThanOrEqual(Math.ceil(totalLength / (DEFAULT_MAX_QUERY_LENGTH * 0.75)))
    const doubled = planQueries(
      [...windows, ...windows.map(w => win({ ...w.topic, id: w.topic.id + 'b' }))],
      TO
    )
    // Same keywords again cost nothing: duplicates are removed, only the topic ids grow.
    expect(doubled.length).toBe(plan.length)
  })

  it('splits a single oversized topic by keywords, still finding every paper', () => {
    const keywords = Array.from({ length: 30 }, (_, i) => `long keyword phrase ${i} robot`)
    const windows = [win(topic('big', keywords, { categories: ['cs.RO'] }))]
    const plan = planQueries(windows, TO, { maxQueryLength: 600 })
    expect(plan.length).toBeGreaterThan(1)
    for (const q of plan) {
      expect(q.searchQuery.length).toBeLessThanOrEqual(600)
      expect(q.topicIds).toEqual(['big'])
      expect(q.searchQuery).toContain('cat:cs.RO')
    }
    const corpus = keywords.map((k, i) =>
      paperFixture({ id: `p${i}`, abstract: `about ${k}s`, categories: ['cs.RO'] })
    )
    expect(fetched(windows, corpus, 600)).toHaveLength(30)
  })

  it('splits greedily: no piece could have taken the next term', () => {
    const keywords = Array.from({ length: 30 }, (_, i) => `long keyword phrase ${i} robot`)
    const windows = [win(topic('big', keywords, { categories: ['cs.RO'] }))]
    for (const max of [300, 450, 600, 1000]) {
      const plan = planQueries(windows, TO, { maxQueryLength: max })
      // Each query is `((t1 OR t2 …) AND cat:cs.RO) AND submittedDate:[…]`.
      const shape = /^\(\((.*)\) AND cat:cs\.RO\) AND (submittedDate:\[\d{12} TO \d{12}\])$/
      const pieces = plan.map(q => shape.exec(q.searchQuery)!)
      expect(pieces.every(p => p !== null)).toBe(true)
      for (let i = 0; i + 1 < pieces.length; i++) {
        const next = pieces[i + 1][1].split(' OR ')[0]
        const merged = `((${pieces[i][1]} OR ${next}) AND cat:cs.RO) AND ${pieces[i][2]}`
        expect([max, i, merged.length > max]).toEqual([max, i, true])
      }
      // And nothing is lost or repeated: the pieces hold every term once, in order.
      const terms = pieces.flatMap(p => p[1].split(' OR '))
      expect(terms).toHaveLength(30 * 2 * 2)
      expect(new Set(terms).size).toBe(terms.length)
    }
  })

  it('rejects a limit too small for a single term and windows that start after `to`', () => {
    expect(() => planQueries([win(topic('a', ['alpha']))], TO, { maxQueryLength: 50 })).toThrow(RangeError)
    expect(() => planQueries([win(topic('a', ['alpha']), new Date('2026-03-01'))], TO)).toThrow(/after/)
  })

  it('plans nothing for no topics', () => {
    expect(planQueries([], TO)).toEqual([])
  })
})

describe('planByCategory', () => {
  const many = Array.from({ length: 60 }, (_, i) => `rare phrase number${i}`)
  const windows = [
    win(topic('vla', ['VLA'])),
    win(topic('wide', many, { categories: ['math.PR'] }), new Date('2026-02-01T07:00:00Z')),
    win(topic('people', [], { authors: ['Yann LeCun'] })),
    win(topic('anywhere', ['sheaf'], { categories: [] }))
  ]

  it('serves the topics with categories and no authors, from the earliest window; the others keep keyword queries', () => {
    const { byCategory, byKeyword } = planByCategory(windows, TO)
    expect(byCategory).toHaveLength(1)
    expect(byCategory[0]).toMatchObject({ topicIds: ['vla', 'wide'], byCategory: true })
    expect(byCategory[0].searchQuery).toBe(
      '(cat:cs.AI OR cat:cs.CV OR cat:cs.LG OR cat:cs.RO OR cat:math.PR) AND submittedDate:[202602010700 TO 202602130700]'
    )
    expect(byKeyword.flatMap(q => q.topicIds).sort()).toEqual(['anywhere', 'people'])
  })

  it('asks for a superset of what local matching accepts: every paper of the categories in the window', () => {
    const corpus = [
      paperFixture({ id: '2602.00001', categories: ['math.PR'], published: '2026-02-02T00:00:00Z' }),
      paperFixture({ id: '2602.00002', categories: ['cs.RO'], published: '2026-02-12T00:00:00Z' }),
      paperFixture({ id: '2602.00003', categories: ['q-bio.NC'], published: '2026-02-12T00:00:00Z' }),
      paperFixture({ id: '2601.00004', categories: ['cs.RO'], published: '2026-01-20T00:00:00Z' })
    ]
    const [query] = planByCategory(windows, TO).byCategory
    const got = corpus.filter(p => matchesQuery(parseSearchQuery(query.searchQuery), p)).map(p => p.id)
    expect(got).toEqual(['2602.00001', '2602.00002'])
  })

  it('splits the categories over several queries only when one would be too long', () => {
    const { byCategory } = planByCategory(windows, TO, { maxQueryLength: 80 })
    expect(byCategory.length).toBeGreaterThan(1)
    for (const q of byCategory) expect(q.searchQuery.length).toBeLessThanOrEqual(80)
    expect(byCategory.filter(q => q.topicIds.includes('wide'))).toHaveLength(1)
    expect(byCategory.filter(q => q.topicIds.includes('vla')).length).toBeGreaterThan(1)
  })
})

describe('choosePlan', () => {
  const fragmented = [
    win(
      topic(
        'a',
        Array.from({ length: 40 }, (_, i) => `long distinct phrase ${i}`)
      )
    ),
    win(
      topic(
        'b',
        Array.from({ length: 40 }, (_, i) => `other distinct words ${i}`)
      )
    )
  ]
  const probe = (total: number | Error) => {
    const probes: string[] = []
    return {
      probes,
      pageSize: 2000,
      count: async (q: string) => {
        probes.push(q)
        if (total instanceof Error) throw total
        return total
      }
    }
  }
  const keywordQueries = planQueries(fragmented, TO).length

  it('fetches by category when its pages, probe found, are fewer than the keyword queries', async () => {
    expect(keywordQueries).toBeGreaterThanOrEqual(4)
    const arxiv = probe(3999)
    const lines: string[] = []
    const plan = await choosePlan(fragmented, TO, arxiv, { info: m => lines.push(m) })
    expect(plan.map(q => q.byCategory)).toEqual([true])
    expect(arxiv.probes).toHaveLength(1)
    expect(lines).toEqual([
      `arXiv plan: ${keywordQueries} keyword queries, or 1 category query of 2 page(s) (found with 1 probe request(s)): fetching by category`
    ])
  })

  it.each([
    ['the category pages are not fewer', 2000 * keywordQueries],
    ['the category query matches more than arXiv pages through', 30_001],
    ['the probe fails', new Error('HTTP 503')]
  ])('keeps the keyword queries when %s', async (_, total) => {
    const plan = await choosePlan(fragmented, TO, probe(total))
    expect(plan).toEqual(planQueries(fragmented, TO))
  })

  it('does not probe when the keyword plan is already small', async () => {
    const arxiv = probe(10)
    const small = [win(topic('vla', ['VLA']))]
    expect(await choosePlan(small, TO, arxiv)).toEqual(planQueries(small, TO))
    expect(arxiv.probes).toEqual([])
  })
})
