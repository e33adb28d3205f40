/**
 * The topic feeds (Atom 1.0 and JSON Feed 1.1), read back with a real feed parser and the JSON
 * Feed schema: what a subscriber's reader gets for the seed corpus, for hostile text, for many
 * papers, and for a user's template.
 */
import { describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { loadConfig } from '../src/config/config.js'
import { FEED_ENTRIES, renderFeeds, xmlText } from '../src/render/feeds.js'
import { matchTopic } from '../src/digest/matching.js'
import { loadTemplates, TemplateError, type Templates } from '../src/render/templates.js'
import type { Paper, PaperLinks, Topic, TopicEntry } from '../src/digest/types.js'
import { paperFixture } from '../test-support/fake-arxiv.js'
import { readAtom, readJsonFeed } from '../test-support/feeds.js'

const FIRST_SEEN = '2026-02-13T22:23:00Z'
const config = loadConfig(await readFile('examples/topics.yml', 'utf8'), 'examples/topics.yml')
const [vla, worldModels] = config.topics as [Topic, Topic]
const templates = await loadTemplates({}, async () => undefined)
const papers = JSON.parse(await readFile('__fixtures__/seed/papers.json', 'utf8')) as Paper[]
const links = JSON.parse(await readFile('__fixtures__/seed/links.json', 'utf8')) as Record<string, PaperLinks>

/** The entries a run gives a topic: its matching seed papers, with reason and "also in". */
function entries(topic: Topic, firstSeen = FIRST_SEEN): TopicEntry[] {
  return papers.flatMap(paper => {
    const match = matchTopic(paper, topic)
    if (!match.matched) return []
    const alsoIn = config.topics.filter(t => t !== topic && matchTopic(paper, t).matched).map(t => t.id)
    return [
      { paper, firstSeen, links: links[paper.id] ?? {}, score: match.score, reason: match.reason!, alsoIn }
    ]
  })
}

function feeds(
  topic: Topic,
  list: TopicEntry[],
  options: { templates?: Templates; repository?: boolean } = {}
) {
  const files = renderFeeds({
    topic,
    entries: list,
    config,
    templates: options.templates ?? templates,
    repository: options.repository ? { url: 'https://github.example/lab/papers', branch: 'main' } : undefined
  })
  expect([...files.keys()]).toEqual([`digests/feeds/${topic.id}.xml`, `digests/feeds/${topic.id}.json`])
  return {
    atom: files.get(`digests/feeds/${topic.id}.xml`)!,
    json: files.get(`digests/feeds/${topic.id}.json`)!
  }
}

describe('the Atom feed of a seed topic', () => {
  const list = entries(vla)
  const { atom } = feeds(vla, list)
  const feed = readAtom(atom)

  it('is a feed with an id, the topic as title and updated = the topic’s last change', () => {
    expect(feed.id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(feed.title).toMatchObject({ value: 'Vision-Language-Action Models' })
    expect(feed.updated).toBe('2026-02-13T22:23:00Z')
    expect(feed.links).toEqual([{ rel: 'alternate', href: '../vla.md' }])
    expect(feed.entries).toHaveLength(17)
  })

  it('has one entry per paper: arXiv link, authors, categories, the reason, project page and code', () => {
    for (const e of list) {
      const entry = feed.entries!.find(x => x.id === `https://arxiv.org/abs/${e.paper.id}`)!
      expect(entry.title).toMatchObject({ value: e.paper.title })
      expect(entry.links).toContainEqual({
        rel: 'alternate',
        type: 'text/html',
        href: `https://arxiv.org/abs/${e.paper.versionedId}`
      })
      expect(entry.authors!.map(a => a.name)).toEqual(e.paper.authors.map(a => a.trim()))
      expect(entry.categories!.map(c => c.term)).toEqual(e.paper.categories)
      expect(entry.summary).toMatchObject({ value: `Why: ${e.reason}` })
      expect(entry.updated).toBe(FIRST_SEEN)
      const related = entry.links!.filter(l => l.rel === 'related').map(l => [l.title, l.href])
      expect(related).toEqual([
        ['PDF', `https://arxiv.org/pdf/${e.paper.versionedId}.pdf`],
        ...(e.links.projectPage ? [['Project Page', e.links.projectPage]] : []),
        ...(e.links.code ? [['Code', e.links.code]] : [])
      ])
    }
    // GigaBrain is in both topics: its content names the other one, linked.
    const giga = feed.entries!.find(x => x.id === 'https://arxiv.org/abs/2602.12099')!
    expect(giga.content?.value).toContain('Also in: <a href="../world_models.md">World Models</a>')
  })

  it('lists the newest first sighting first, then the newest submission', () => {
    const older = entries(vla, '2026-02-06T22:23:00Z').slice(0, 2)
    const mixed = [...older, ...list.filter(e => !older.some(o => o.paper.id === e.paper.id))]
    const ids = readAtom(feeds(vla, mixed).atom).entries!.map(e => e.id)
    expect(ids.slice(-2).sort()).toEqual(older.map(e => `https://arxiv.org/abs/${e.paper.id}`).sort())
    const first = mixed.filter(e => e.firstSeen === FIRST_SEEN).map(e => e.paper.published)
    expect(first.sort().reverse()[0]).toBe(list.find(e => ids[0]!.endsWith(e.paper.id))!.paper.published)
  })
})

describe('the JSON feed of a seed topic', () => {
  const list = entries(worldModels)

  it('validates against the JSON Feed 1.1 schema and carries the same papers', () => {
    const feed = readJsonFeed(feeds(worldModels, list).json)
    expect(feed.title).toBe('World Models')
    expect(feed.items).toHaveLength(16)
    const giga = feed.items!.find(i => i.id === 'https://arxiv.org/abs/2602.12099')!
    expect(giga).toMatchObject({
      url: 'https://arxiv.org/abs/2602.12099v1',
      summary: 'keyword "world model" in title and abstract',
      date_published: FIRST_SEEN,
      external_url: 'https://gigabrain05m.github.io/',
      tags: ['cs.CV']
    })
    expect(giga.authors![0]).toEqual({ name: 'GigaBrain Team' })
  })

  it('keeps reason, "also in", project page and code in its _preprint_digest extension', () => {
    const raw = JSON.parse(feeds(worldModels, list).json) as {
      items: { id: string; _preprint_digest: Record<string, unknown> }[]
    }
    expect(raw.items.find(i => i.id === 'https://arxiv.org/abs/2602.12099')!._preprint_digest).toEqual({
      reason: 'keyword "world model" in title and abstract',
      also_in: ['vla'],
      submitted: '2026-02-12',
      project_page: 'https://gigabrain05m.github.io/',
      code: null,
      score: expect.any(Number)
    })
  })

  it('has absolute home page and feed addresses once the repository is known', () => {
    const { json, atom } = feeds(worldModels, list, { repository: true })
    const feed = readJsonFeed(json)
    expect(feed.home_page_url).toBe('https://github.example/lab/papers/blob/main/digests/world_models.md')
    expect(feed.feed_url).toBe('https://github.example/lab/papers/raw/main/digests/feeds/world_models.json')
    const parsed = readAtom(atom)
    expect(parsed.links).toEqual([
      { rel: 'alternate', href: 'https://github.example/lab/papers/blob/main/digests/world_models.md' },
      {
        rel: 'self',
        type: 'application/atom+xml',
        href: 'https://github.example/lab/papers/raw/main/digests/feeds/world_models.xml'
      }
    ])
    // Another repository, another feed id; the same repository, the same id.
    expect(parsed.id).not.toBe(readAtom(feeds(worldModels, list).atom).id)
    expect(parsed.id).toBe(readAtom(feeds(worldModels, list, { repository: true }).atom).id)
  })
})

describe('many papers', () => {
  const many: TopicEntry[] = Array.from({ length: 150 }, (_, i) => ({
    paper: paperFixture({
      id: `2602.${String(10000 + i)}`,
      title: `World model ${i}`,
      categories: ['cs.RO']
    }),
    firstSeen: new Date(Date.parse('2026-01-01T07:00:00Z') + Math.floor(i / 10) * 86_400_000)
      .toISOString()
      .replace('.000', ''),
    links: {},
    score: 3,
    reason: 'keyword "world model" in title',
    alsoIn: []
  }))

  it(`keeps the newest ${FEED_ENTRIES}, in the same bytes whatever the input order`, () => {
    const a = feeds(worldModels, many)
    const b = feeds(worldModels, [...many].reverse())
    expect(b).toEqual(a)
    const items = readJsonFeed(a.json).items!
    expect(items).toHaveLength(FEED_ENTRIES)
    expect(items[0]!.id).toBe('https://arxiv.org/abs/2602.10149')
    expect(items.at(-1)!.id).toBe('https://arxiv.org/abs/2602.10050')
    expect(readAtom(a.atom).updated).toBe(many.at(-1)!.firstSeen)
  })
})

describe('hostile text', () => {
  const evil = paperFixture({
    id: '2602.09001',
    title: 'World models <script>alert(1)</script> & "quotes" \'too\' ]]> \u0001bell \ud800lone',
    authors: ['<b>Mallory</b> & Co', 'Eve "the" O\'Brien'],
    abstract: 'A world model. </div></content></entry><entry><id>x</id> &amp; &#x26;',
    categories: ['cs.RO', 'a"b<c'],
    published: '2026-02-12T10:00:00Z'
  })
  const list: TopicEntry[] = [
    {
      paper: evil,
      firstSeen: FIRST_SEEN,
      links: { projectPage: 'https://evil.example/?a=1&b=<2>', code: 'javascript:alert(1)' },
      score: 3,
      reason: 'keyword "<world> & model" in title',
      alsoIn: ['vla']
    }
  ]
  const { atom, json } = feeds(worldModels, list)

  it('stays one well-formed entry whose text reads back as written (minus what XML cannot hold)', () => {
    const feed = readAtom(atom)
    expect(feed.entries).toHaveLength(1)
    const entry = feed.entries![0]!
    expect(entry.title).toMatchObject({
      value: 'World models <script>alert(1)</script> & "quotes" \'too\' ]]> bell lone'
    })
    expect(entry.authors!.map(a => a.name)).toEqual(['<b>Mallory</b> & Co', 'Eve "the" O\'Brien'])
    expect(entry.categories!.map(c => c.term)).toEqual(['cs.RO', 'a"b<c'])
    expect(entry.summary).toMatchObject({ value: 'Why: keyword "<world> & model" in title' })
    // Markup in the text is text: the content holds no element the paper wrote.
    expect(entry.content?.value).not.toMatch(/<(script|b|entry|id)\b/)
    // Only http(s) links: the javascript: "code" link is gone, the project page is kept and encoded.
    const hrefs = entry.links!.map(l => l.href)
    expect(hrefs).toContain('https://evil.example/?a=1&b=%3C2%3E')
    expect(hrefs.some(h => h?.startsWith('javascript'))).toBe(false)
  })

  it('stays valid JSON Feed with the text as written', () => {
    const item = readJsonFeed(json).items![0]!
    expect(item.title).toBe(evil.title.replace(/\s+/g, ' '))
    expect(item.content_text).toBe(evil.abstract)
    expect(
      (JSON.parse(json) as { items: { _preprint_digest: { code: unknown } }[] }).items[0]!._preprint_digest
        .code
    ).toBe(null)
  })

  it('escapes every XML special character and drops what XML 1.0 forbids', () => {
    expect(xmlText(`<a href="x">'&'</a>\u0000\u0008\ufffe\ud83d\ude00`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;\ud83d\ude00'
    )
  })
})

describe('user templates', () => {
  it('a template that renders broken XML or JSON stops the run with the field named', async () => {
    const broken = await loadTemplates({ atom: 'a.mustache', json: 'j.mustache' }, async path =>
      path === 'a.mustache' ? '<feed><title>{{{title}}}</feed>' : '{ "title": {{{title}}}, }'
    )
    expect(() => feeds(vla, entries(vla), { templates: broken })).toThrow(TemplateError)
    expect(() => feeds(vla, entries(vla), { templates: broken })).toThrow(
      /templates\.atom rendered digests\/feeds\/vla\.xml as invalid XML/
    )
    const jsonOnly = { ...broken, atom: templates.atom }
    expect(() => feeds(vla, entries(vla), { templates: jsonOnly })).toThrow(
      /templates\.json rendered digests\/feeds\/vla\.json as invalid JSON/
    )
  })

  it('a user JSON template decides the fields; the layout stays ours', async () => {
    const mine = await loadTemplates(
      { json: 'j.mustache' },
      async () =>
        '{"version":"https://jsonfeed.org/version/1.1","title":{{{title}}},"items":[{{#entries}}{"id":{{{id}}},"content_text":{{{reason}}}}{{^last}},{{/last}}{{/entries}}]}'
    )
    const { json } = feeds(vla, entries(vla).slice(0, 1), { templates: mine })
    expect(readJsonFeed(json).items).toHaveLength(1)
    expect(json).toMatch(/^\{\n {2}"version": /)
  })
})

describe('the shipped JSON template', () => {
  // Its output is written as rendered (a user's is parsed and laid out again), so it must already be
  // exactly what JSON.stringify(…, null, 2) gives, in every shape an entry or a feed can take.
  const bare: TopicEntry = {
    paper: paperFixture({ id: '2602.09002', title: 'A world model', authors: [], categories: [] }),
    firstSeen: FIRST_SEEN,
    links: {},
    score: 0,
    reason: '',
    alsoIn: []
  }
  const described = { ...vla, description: 'Robots that\n read  and act.' }
  const cases: [string, Topic, TopicEntry[], boolean][] = [
    ['a seed topic', vla, entries(vla), false],
    ['a seed topic, repository known', worldModels, entries(worldModels), true],
    ['a topic with a description and no papers', described, [], false],
    ['an entry without authors, categories, reason or links', worldModels, [bare], false],
    ['hostile text', worldModels, [{ ...bare, paper: { ...bare.paper, title: '"<\\>"\u2028\ud800' } }], true]
  ]
  it.each(cases)('lays out %s as JSON.stringify does', (_, topic, list, repository) => {
    const { json } = feeds(topic, list, { repository })
    expect(json).toBe(JSON.stringify(JSON.parse(json), null, 2) + '\n')
    expect((JSON.parse(json) as { items: unknown[] }).items).toHaveLength(list.length)
  })
})

describe('escaping', () => {
  it('escapes every string an Atom template can show', async () => {
    // A user's Atom template is checked for well-formedness: a field left unescaped breaks it.
    const fields = ['id', 'title', 'absUrl', 'pdfUrl', 'firstSeen', 'submitted', 'updated', 'authorsText']
      .concat(['categoriesText', 'primaryCategory', 'reason', 'projectPage', 'code', 'abstract', 'comment'])
      .map(f => `<f>{{{${f}}}}</f>`)
      .join('')
    const lists = '{{#authors}}<a>{{{name}}}</a>{{/authors}}{{#categories}}<c>{{{name}}}</c>{{/categories}}'
    const also = '{{#alsoIn}}<t>{{{id}}}{{{title}}}{{{link}}}</t>{{/alsoIn}}'
    const head = ['id', 'title', 'subtitle', 'updated', 'homeLink', 'selfLink', 'homePageUrl', 'generator']
      .map(f => `<h>{{{${f}}}}</h>`)
      .join('')
    const mine = await loadTemplates(
      { atom: 'a.mustache' },
      async () => `<feed>${head}{{#entries}}<e>${fields}${lists}${also}</e>{{/entries}}</feed>`
    )
    const evil = '<x>&'
    const paper = paperFixture({
      id: '2602.09003',
      title: `A world model ${evil}`,
      authors: [evil],
      categories: [evil],
      comment: evil,
      abstract: evil
    })
    const topic = { ...worldModels, title: evil, description: evil }
    const other = { ...vla, id: 'vla', title: evil }
    const list: TopicEntry[] = [
      {
        paper: { ...paper, primaryCategory: evil },
        firstSeen: FIRST_SEEN,
        links: {},
        score: 1,
        reason: evil,
        alsoIn: ['vla']
      }
    ]
    const files = renderFeeds({
      topic,
      entries: list,
      config: { ...config, topics: [topic, other] },
      templates: mine
    })
    const atom = files.get(`digests/feeds/${topic.id}.xml`)!
    expect(atom).not.toContain(evil)
    expect(atom.split('&lt;x&gt;&amp;').length - 1).toBe(12)
  })
})
