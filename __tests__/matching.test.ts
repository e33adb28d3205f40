import { describe, expect, it } from '@jest/globals'
import { indexText, matchesPhrase, matchTopic, SCORE } from '../src/digest/matching.js'
import { nameTokens, sameAuthor } from '../src/digest/names.js'
import { words } from '../src/digest/terms.js'
import type { Paper, Topic } from '../src/digest/types.js'
import { random } from '../test-support/random.js'

function paper(over: Partial<Paper> = {}): Paper {
  return {
    id: '2602.12063',
    versionedId: '2602.12063v1',
    title: 'VLAW: Iterative Co-Improvement of Vision-Language-Action Policy and World Model',
    abstract:
      'The goal of this paper is to improve the performance and reliability of vision-language-action (VLA) ' +
      'models through iterative online interaction. Since collecting policy rollouts in the real world is ' +
      'expensive, we investigate whether a learned simulator can be used to generate additional rollout data.',
    authors: ['Yanjiang Guo', 'Tony Lee', 'Lucy Xiaoyang Shi', 'Jianyu Chen', 'Percy Liang', 'Chelsea Finn'],
    categories: ['cs.RO'],
    primaryCategory: 'cs.RO',
    published: '2026-02-12T18:00:00Z',
    updated: '2026-02-12T18:00:00Z',
    ...over
  }
}

function topic(over: Partial<Topic> = {}): Topic {
  return {
    id: 'vla',
    title: 'Vision-Language-Action Models',
    description: '',
    keywords: ['VLA', 'vision-language-action'],
    categories: ['cs.RO', 'cs.CV', 'cs.LG', 'cs.AI'],
    require: [],
    exclude: [],
    authors: [],
    ...over
  }
}

/** A paper with nothing else that could match, to test one phrase against one text. */
function only(title: string, abstract = 'Nothing relevant here.'): Paper {
  return paper({ title, abstract, authors: ['Ada Example'] })
}

describe('matchesPhrase', () => {
  it.each([
    ['VLA models for robots', 'VLA'],
    ['a new vla.', 'VLA'],
    ['Scaling VLAs with data', 'VLA'],
    ['(VLA)', 'vla'],
    ['Vision-Language-Action Models', 'vision language action'],
    ['vision language action models', 'vision-language-action'],
    ['Vision–Language–Action', 'vision-language-action'], // en dashes, as some titles have
    ['Learning World Models through Object-Level Latent Interventions', 'world model'],
    ['a world model', 'world models'],
    ['World Model-Based Reinforcement Learning', 'world model'],
    ['safe policies for arms', 'policy'],
    ['a bounding box', 'boxes'],
    ['WORLD\u00a0MODEL', 'world model']
  ])('%j contains %j', (text, phrase) => {
    expect(matchesPhrase(text, phrase)).toBe(true)
  })

  it.each([
    ['VLAM: a new model', 'VLA'],
    ['eVLA telescope', 'VLA'],
    ['the underworld modeling toolkit', 'world model'],
    ['world modeling', 'world model'],
    ['worlds model', 'world model'], // only the last word is plural-tolerant, as in the arXiv query
    ['model world', 'world model'],
    ['world', 'world model'],
    ['visionlanguage action', 'vision-language-action'],
    ['', 'VLA'],
    ['VLA', '--'] // a phrase without letters never matches (config rejects it anyway)
  ])('%j does not contain %j', (text, phrase) => {
    expect(matchesPhrase(text, phrase)).toBe(false)
  })

  it('accepts a pre-indexed text', () => {
    const text = indexText('Vision-Language-Action Models')
    expect(matchesPhrase(text, 'VLA')).toBe(false)
    expect(matchesPhrase(text, 'vision language action model')).toBe(true)
  })

  it('is linear-ish on a long text of the phrase first word repeated', () => {
    const text = 'world '.repeat(200_000) + 'model'
    const t0 = performance.now()
    expect(matchesPhrase(text, 'world model')).toBe(true)
    expect(matchesPhrase(text, 'world world world world world world model')).toBe(true)
    expect(matchesPhrase(text, 'world map')).toBe(false)
    expect(performance.now() - t0).toBeLessThan(1000)
  })
})

describe('indexText', () => {
  /** What `indexText` must give: the words of `words()`, numbered in the order they first occur. */
  function expectWordsOf(text: string): void {
    const ws = words(text)
    const ids = new Map<string, number>()
    for (const w of ws) if (!ids.has(w)) ids.set(w, ids.size)
    const indexed = indexText(text)
    const tokens = ws.map(w => ids.get(w)!)
    expect([...indexed.tokens]).toEqual(tokens)
    for (const [w, id] of ids) expect(indexed.vocabulary.get(w)).toBe(id)
    const byWord = tokens.map((_, i) => i).sort((i, j) => tokens[i] - tokens[j] || i - j)
    expect([...indexed.byWord]).toEqual(byWord)
  }

  it('splits ASCII text by character codes exactly as words() does, and other text through words()', () => {
    const next = random(7)
    // ASCII: letters of both cases, digits, and separators (control characters too) around them.
    const pieces = ['a', 'Z', 'q', 'M', '0', '7', ' ', '-', '_', '.', '\\', '\t', '@', '\u007f']
    // Not: accents precomposed and combining, a ligature, a numeral, full width, Greek, CJK, an emoji.
    const other = [...'éÉﬁⅫＡ１Σς机İß²\u00a0🤖', 'e\u0301', 'ｶﾞ']
    for (let i = 0; i < 3000; i++) {
      const pool = i % 2 === 0 ? pieces : [...pieces, ...other]
      const length = Math.floor(next() * 30)
      expectWordsOf(Array.from({ length }, () => pool[Math.floor(next() * pool.length)]).join(''))
    }
    for (const text of ['', ' ', '--', 'a', 'A1b2', 'Vision-Language-Action Models', 'x_{i}^{2} $O(n)$'])
      expectWordsOf(text)
  })

  it('holds thousands of distinct words in one text', () => {
    expectWordsOf(Array.from({ length: 5000 }, (_, i) => `W${(i * 7919).toString(36)}`).join(' '))
    expectWordsOf(Array.from({ length: 5000 }, (_, i) => `é${i.toString(36)}`).join(' '))
  })
})

describe('matchTopic: keywords and categories', () => {
  it('matches a keyword in the title and says where', () => {
    const m = matchTopic(paper(), topic({ keywords: ['world model'] }))
    expect(m.matched).toBe(true)
    expect(m.reason).toBe('keyword "world model" in title')
  })

  it('matches the reference VLA paper on the VLA topic', () => {
    const m = matchTopic(paper(), topic())
    expect(m.matched).toBe(true)
    expect(m.reason).toContain('keyword "VLA" in abstract')
    expect(m.reason).toContain('keyword "vision-language-action" in title and abstract')
  })

  it('does not match without a keyword', () => {
    const m = matchTopic(only('Robot-DIFT: Distilling Diffusion Features for Visuomotor Control'), topic())
    expect(m).toEqual({ matched: false, score: 0, reason: 'no keyword' })
  })

  it('does not match on the comment', () => {
    const p = only('Grasping with diffusion', 'We grasp things.')
    expect(matchTopic({ ...p, comment: 'Extends our VLA work' }, topic()).matched).toBe(false)
  })

  it('does not match a paper outside the categories', () => {
    const m = matchTopic(paper({ categories: ['astro-ph.IM'], primaryCategory: 'astro-ph.IM' }), topic())
    expect(m.matched).toBe(false)
    expect(m.reason).toBe('not in categories cs.RO, cs.CV, cs.LG, cs.AI')
  })

  it('accepts any of the paper categories, not only the primary', () => {
    const p = paper({ categories: ['eess.SY', 'cs.AI'], primaryCategory: 'eess.SY' })
    expect(matchTopic(p, topic()).matched).toBe(true)
    expect(matchTopic(p, topic({ categories: ['cs.LG'] })).matched).toBe(false)
  })

  it('compares canonical category codes on both sides', () => {
    const p = paper({ categories: ['cs.SY'], primaryCategory: 'cs.SY' })
    expect(matchTopic(p, topic({ categories: ['eess.SY'] })).matched).toBe(true)
    const q = paper({ categories: ['eess.SY'], primaryCategory: 'eess.SY' })
    expect(matchTopic(q, topic({ categories: ['cs.SY'] })).matched).toBe(true)
  })

  it('ignores ACM/MSC codes among the categories', () => {
    const p = paper({ categories: ['I.2.9', '68T40'], primaryCategory: 'I.2.9' })
    expect(matchTopic(p, topic()).matched).toBe(false)
  })

  it('treats an empty category list as any category', () => {
    const p = paper({ categories: ['q-bio.NC'], primaryCategory: 'q-bio.NC' })
    expect(matchTopic(p, topic({ categories: [] })).matched).toBe(true)
  })
})

describe('matchTopic: require and exclude', () => {
  const wm = topic({ id: 'world_models', keywords: ['world model'] })

  it('needs one of the required terms', () => {
    expect(matchTopic(paper(), { ...wm, require: ['robot', 'manipulation'] })).toEqual({
      matched: false,
      score: 0,
      reason: 'no required term'
    })
    expect(matchTopic(paper(), { ...wm, require: ['manipulation', 'rollout'] }).matched).toBe(true)
  })

  it('says which required term was found, after the keywords', () => {
    const m = matchTopic(paper(), { ...wm, require: ['manipulation', 'rollout'] })
    expect(m.reason).toMatch(/^keyword "world model" in [a-z ]+, required "rollout" in abstract$/)
  })

  it('applies plural tolerance to required terms', () => {
    expect(matchTopic(paper(), { ...wm, require: ['rollouts'] }).matched).toBe(true)
  })

  it('rejects a paper with an excluded term and names it', () => {
    const m = matchTopic(paper(), { ...wm, exclude: ['survey', 'simulators'] })
    expect(m).toEqual({ matched: false, score: 0, reason: 'excluded term "simulators" in abstract' })
  })

  it('excludes whole words only', () => {
    expect(matchTopic(paper(), { ...wm, exclude: ['simul'] }).matched).toBe(true)
  })

  it('does not look for excluded terms in the comment', () => {
    const p = paper({ comment: 'Accepted to the CoRL 2026 workshop on world models' })
    expect(matchTopic(p, { ...wm, exclude: ['workshop'] }).matched).toBe(true)
  })
})

describe('matchTopic: authors', () => {
  const lecun = topic({ id: 'jepa', keywords: ['JEPA'], authors: ['Y. LeCun'], exclude: ['survey'] })
  const cjepa = paper({
    title: 'A survey of robot dancing',
    abstract: 'We survey dancing robots.',
    authors: ['Heejeong Nam', 'Quentin Le Lidec', 'Lucas Maes', 'Yann LeCun', 'Randall Balestriero'],
    categories: ['math.PR'],
    primaryCategory: 'math.PR'
  })

  it('matches a paper by a listed author regardless of keywords, categories, require and exclude', () => {
    const m = matchTopic(cjepa, { ...lecun, require: ['latent'] })
    expect(m.matched).toBe(true)
    expect(m.score).toBe(SCORE.author)
    expect(m.reason).toBe('author "Yann LeCun" (~ "Y. LeCun")')
  })

  it('does not match when no author is listed in the topic', () => {
    expect(matchTopic(cjepa, { ...lecun, authors: [] }).matched).toBe(false)
  })

  it('does not match other authors with the same surname', () => {
    const p = { ...cjepa, authors: ['Xavier LeCun', 'Ada Example'] }
    expect(matchTopic(p, lecun).matched).toBe(false)
  })

  it('folds diacritics', () => {
    const p = { ...cjepa, authors: ['Christian Internò', 'Jumpei Yamaguchi'] }
    const m = matchTopic(p, { ...lecun, authors: ['Christian Interno'] })
    expect(m.matched).toBe(true)
    expect(m.reason).toBe('author "Christian Internò" (~ "Christian Interno")')
  })

  it('adds keyword hits to the author score', () => {
    const p = { ...cjepa, title: 'Causal-JEPA: Learning World Models', abstract: 'A JEPA.' }
    expect(matchTopic(p, lecun).score).toBe(SCORE.author + SCORE.titleHit + SCORE.abstractHit)
    expect(matchTopic(p, lecun).reason).toBe(
      'author "Yann LeCun" (~ "Y. LeCun"), keyword "JEPA" in title and abstract'
    )
  })
})

describe('author names', () => {
  it.each([
    ['Yann LeCun', 'Yann LeCun'],
    ['yann lecun', 'Yann LeCun'],
    ['Y. LeCun', 'Yann LeCun'],
    ['Y LeCun', 'Yann LeCun'],
    ['Yann LeCun', 'Y. LeCun'],
    ['Yann Le Cun', 'Yann LeCun'],
    ['  Yann   LeCun ', 'Yann LeCun'],
    ['LeCun, Yann', 'Yann LeCun'],
    ['Christian Interno', 'Christian Internò'],
    ['Christian Intern\\`o', 'Christian Internò'],
    ['Jorgensen, Lars', 'Lars Jørgensen'],
    ['Lars J{\\o}rgensen', 'Lars Jørgensen'],
    ['Lukasz Kaiser', 'Łukasz Kaiser'],
    ['Lucy Shi', 'Lucy Xiaoyang Shi'],
    ['L. X. Shi', 'Lucy Xiaoyang Shi'],
    ['Loren Amdahl Culleton', 'Loren Amdahl-Culleton'],
    ['L. Amdahl-Culleton', 'Loren Amdahl-Culleton'],
    ['J.-P. Dupont', 'Jean-Pierre Dupont'],
    ['Quentin Le Lidec', 'Quentin Le Lidec'],
    ["Conor O'Brien", 'Conor OBrien'],
    ['Martin Luther King Jr.', 'Martin Luther King'],
    ['GigaBrain Team', ' GigaBrain Team']
  ])('%j is %j', (wanted, actual) => {
    expect(sameAuthor(wanted, actual)).toBe(true)
  })

  it.each([
    ['Yann LeCun', 'Yang LeCun'],
    ['Y. LeCun', 'Xavier LeCun'],
    ['LeCun', 'Yann LeCun'], // a bare surname is not a person
    ['Kai Liu', 'Kai Liuzzi'],
    ['Kai Liu', 'Kaiming Liu'],
    ['Bo Chen', 'Xingyu Chen'],
    ['Jianyu Chen', 'Jianyu Cheng'],
    ['X. Shi', 'Lucy Xiaoyang Shi'],
    ['Lucy Shi', 'Lucy'],
    ['Yann LeCun', 'LeCun Yann'], // no guessing at name order without a comma
    ['', 'Yann LeCun'],
    ['Yann LeCun', '']
  ])('%j is not %j', (wanted, actual) => {
    expect(sameAuthor(wanted, actual)).toBe(false)
  })

  it('tokenises names', () => {
    expect(nameTokens('Ł. Ó Dónaill-Šimić, Jr.')).toEqual(['l', 'o', 'donaill', 'simic'])
    expect(nameTokens("Kova\\v{c}evi\\'c, Ana")).toEqual(['ana', 'kovacevic'])
  })
})

describe('matchTopic: score', () => {
  const wm = topic({ keywords: ['world model', 'VLA'] })

  it('weights title hits above abstract hits', () => {
    const inTitle = only('A World Model for robots')
    const inAbstract = only('Robots', 'We learn a world model.')
    expect(matchTopic(inTitle, wm).score).toBe(SCORE.titleHit)
    expect(matchTopic(inAbstract, wm).score).toBe(SCORE.abstractHit)
  })

  it('adds up keywords and occurrences, capped per field', () => {
    const p = only('World models and VLA', 'world model '.repeat(10) + 'and a VLA')
    const expected =
      SCORE.titleHit + SCORE.maxHitsPerField * SCORE.abstractHit + SCORE.titleHit + SCORE.abstractHit
    expect(matchTopic(p, wm).score).toBe(expected)
  })

  it('counts phrases that match the same text once, named by the first', () => {
    const p = only('World models for VLA', 'A world model.')
    const once = matchTopic(p, wm)
    const twice = matchTopic(p, topic({ keywords: ['world model', 'World-Models', 'VLA', 'vlas'] }))
    expect(twice).toEqual(once)
    expect(once).toEqual({
      matched: true,
      score: SCORE.titleHit + SCORE.abstractHit + SCORE.titleHit,
      reason: 'keyword "world model" in title and abstract, keyword "VLA" in title'
    })
  })

  it('is deterministic', () => {
    const p = paper()
    expect(matchTopic(p, wm)).toEqual(matchTopic({ ...p }, wm))
  })

  it('is 0 when not matched', () => {
    expect(matchTopic(paper(), { ...wm, exclude: ['policy'] }).score).toBe(0)
  })

  it('does not reuse words of a paper object whose text changed', () => {
    const p = paper()
    expect(matchTopic(p, wm).matched).toBe(true)
    p.title = 'Grasping'
    p.abstract = 'Nothing.'
    expect(matchTopic(p, wm).matched).toBe(false)
  })
})
