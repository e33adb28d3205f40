/**
 * Hostile paper text, end to end: papers served by the fake arXiv as Atom, fetched and published by
 * the action (in-process) to the fake GitHub, then the topic page and the pull request body rendered
 * with a CommonMark/GFM renderer (markdown-it, raw HTML and autolinks on, as GitHub reads them).
 * The assertions are on the HTML a reader's browser would get.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import MarkdownIt from 'markdown-it'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { extractLinks } from '../src/digest/links.js'
import { actionRunner } from '../test-support/action-runner.js'
import { readAtom, readJsonFeed } from '../test-support/feeds.js'
import { SimulatedClock } from '../test-support/clock.js'
import { paperFixture, startFakeArxiv, type FakeArxiv } from '../test-support/fake-arxiv.js'
import { startFakeGitHub, type FakeGitHub } from '../test-support/fake-github.js'

const DAY1 = Date.parse('2026-02-13T22:23:00Z') / 1000
const EVIL = 'evil.example'
const BRANCH = 'preprint-digest/update'

const hostile = [
  paperFixture({
    id: '2602.09001',
    title:
      'World models [click here](https://evil.example/a) <a href="https://evil.example/b">b</a> ' +
      '<script>alert(1)</script> ![pixel](https://evil.example/p.png)',
    authors: ['Mallory \u202eevil\u202c Author', '@octocat', 'Eve\u200b\u2066Bidi\u2069'],
    abstract:
      'A world model. See https://evil.example/bare and www.evil.example and ' +
      '<img src="https://evil.example/i.png" onerror="alert(1)"> and ![x](https://evil.example/x.png) ' +
      'and </details><details open><summary>boo</summary> javascript:alert(1) [ref]: https://evil.example/ref ' +
      'fixes #12 for @octo-org/team and mail me at eve@evil.example',
    comment:
      'Code: https://github.com/octocat/Hello-World/issues/1 and https://github.com/octocat/Hello-World/pull/2',
    categories: ['cs.RO'],
    published: '2026-02-12T10:00:00Z'
  }),
  paperFixture({
    id: '2602.09002',
    title: 'Sparse World Models',
    abstract: 'We train a world model with sparse attention.',
    comment: 'Project page: https://sparse-wm.github.io/ Code: https://github.com/lab/wm-code',
    categories: ['cs.RO'],
    published: '2026-02-12T11:00:00Z'
  }),
  paperFixture({
    id: '2602.09003',
    title: `World model ${'very long title '.repeat(6_500)}`,
    abstract: 'A world model with a title of about 100 KB.',
    comment: 'Code: https://anonymous.4open.science/r/wm-review-123',
    categories: ['cs.RO'],
    published: '2026-02-12T12:00:00Z'
  }),
  ...Array.from({ length: 16 }, (_, i) =>
    paperFixture({
      id: `2602.${String(9100 + i).padStart(5, '0')}`,
      title: `Ordinary World Model ${i + 1}`,
      abstract: 'A world model.',
      categories: ['cs.RO'],
      published: '2026-02-13T08:00:00Z'
    })
  )
]

const TOPICS = `- id: world_models
  title: World Models
  keywords: [world model]
  categories: [cs.RO]`

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u

/** Every link target and resource in rendered HTML. */
function targets(html: string): string[] {
  return [...html.matchAll(/\b(?:href|src)="([^"]*)"/g)].map(m => m[1])
}

describe('hostile paper text stays inert', () => {
  let arxiv: FakeArxiv
  let github: FakeGitHub
  let temp: string
  let page: string
  let body: string
  let latest: string
  let atom: string
  let json: string
  const md = new MarkdownIt({ html: true, linkify: true })

  beforeAll(async () => {
    arxiv = await startFakeArxiv({ corpus: hostile })
    github = await startFakeGitHub()
    temp = await mkdtemp(join(tmpdir(), 'preprint-digest-hostile-'))
    github.createRepo('lab', 'papers', { files: { 'README.md': '# Lab\n' } })
    const action = await actionRunner({
      owner: 'lab',
      arxivUrl: arxiv.url,
      githubUrl: github.url,
      temp,
      clock: new SimulatedClock(),
      inputs: { topics: TOPICS }
    })
    const run = await action('papers', DAY1)
    expect({ code: run.code, stdout: run.stdout }).toMatchObject({ code: 0 })
    page = github.readFile('lab', 'papers', BRANCH, 'digests/world_models.md')!
    body = github.pulls('lab', 'papers')[0].body ?? ''
    latest = github.readFile('lab', 'papers', BRANCH, 'digests/latest.md')!
    atom = github.readFile('lab', 'papers', BRANCH, 'digests/feeds/world_models.xml')!
    json = github.readFile('lab', 'papers', BRANCH, 'digests/feeds/world_models.json')!
  })

  afterAll(async () => {
    await arxiv?.close()
    await github?.close()
    await rm(temp, { recursive: true, force: true })
  })

  it.each([
    ['the topic page', () => page],
    ['the pull request body', () => body],
    ['latest.md', () => latest]
  ])('%s links only to arXiv, the repository and the papers’ own project and code pages', (_, text) => {
    const html = md.render(text())
    // Ours: arXiv's pages, the repository, and the project and code links the extractor chose.
    const extracted = new Set(
      hostile.flatMap(p => Object.values(extractLinks(p)).filter(u => u !== undefined))
    )
    const allowed = (url: string): boolean =>
      /^https:\/\/arxiv\.org\/(abs\/2602\.\d{5}v\d|pdf\/2602\.\d{5}v\d\.pdf)$/.test(url) ||
      /^https:\/\/info\.arxiv\.org\//.test(url) ||
      /^https:\/\/github\.example\/lab\/papers\//.test(url) ||
      extracted.has(url) ||
      !/^[a-z][a-z0-9+.-]*:/i.test(url)
    expect(targets(html).filter(url => !allowed(url))).toEqual([])
    // Markup in the text made no link: the only evil.example link is the URL the abstract gives
    // as it is (the extractor reads "See https://…" as the paper's project page).
    expect(targets(html).filter(url => url.includes(EVIL))).toEqual(
      extracted.has('https://evil.example/bare') ? ['https://evil.example/bare'] : []
    )
    expect(html).not.toMatch(/<(script|img|iframe)\b/i)
    expect(html).not.toMatch(/<[^>]+\son\w+=/i)
    expect(html).not.toMatch(BIDI)
    expect(html).not.toContain('Hello-World')
  })

  it('the pull request body pings nobody and cross-references no issue', () => {
    // GitHub links @user and #123 in pull request bodies (not in committed files): a zero-width
    // space after the sigil keeps the text and drops the link.
    expect(body).toContain('@&#8203;octocat')
    expect(body).not.toMatch(/@octo/)
    expect(body).not.toMatch(/#12\b/)
  })

  it('the topic page has one <details> per paper, each closed again', () => {
    const html = md.render(page)
    expect(html.match(/<details>/g)).toHaveLength(hostile.length)
    expect(html.match(/<\/details>/g)).toHaveLength(hostile.length)
    expect(html).not.toMatch(/<details open/)
    expect(page.match(/^### /gm)).toHaveLength(hostile.length)
  })

  it('an over-long title is cut, not the list: the pull request body lists every paper', () => {
    expect(body.length).toBeLessThan(65_536)
    for (const paper of hostile) expect(body).toContain(`https://arxiv.org/abs/${paper.id}v1`)
    expect(body).not.toMatch(/more papers/)
    const longLine = page.split('\n').find(line => line.includes('very long title'))!
    expect(longLine.length).toBeLessThan(600)
    expect(longLine).toContain('…')
  })

  it('the feeds parse, keep the hostile text as text, and link only arXiv and the papers’ own pages', () => {
    const feed = readAtom(atom)
    expect(feed.entries).toHaveLength(hostile.length)
    const evil = feed.entries!.find(e => e.id === 'https://arxiv.org/abs/2602.09001')!
    expect(evil.title?.value).toBe(hostile[0]!.title)
    // As held: the parser of arXiv's answer already dropped the bidi and zero-width controls.
    expect(evil.authors!.map(a => a.name)).toEqual(['Mallory evil Author', '@octocat', 'EveBidi'])
    expect(atom).not.toMatch(BIDI)
    // The content is XHTML the digest wrote: the paper's markup is in it as text only.
    expect(evil.content?.value).not.toMatch(/<(script|img|details|summary)\b/i)
    expect(evil.content?.value).not.toMatch(/href="https:\/\/evil\.example\/(?!bare")/)
    expect(evil.content?.value).toContain('&lt;img src=&quot;https://evil.example/i.png&quot;')
    const extracted = new Set(
      hostile.flatMap(p => Object.values(extractLinks(p)).filter(u => u !== undefined))
    )
    const hrefs = feed.entries!.flatMap(e => (e.links ?? []).map(l => l.href!))
    expect(
      hrefs.filter(
        h => !/^https:\/\/arxiv\.org\/(abs|pdf)\/2602\.\d{5}v1(\.pdf)?$/.test(h) && !extracted.has(h)
      )
    ).toEqual([])
    const items = readJsonFeed(json).items!
    expect(items.find(i => i.id === 'https://arxiv.org/abs/2602.09001')!.title).toBe(hostile[0]!.title)
  })

  it('code links are repositories only', () => {
    expect(page).toContain('(https://github.com/lab/wm-code)')
    expect(page).toContain('(https://anonymous.4open.science/r/wm-review-123)')
    expect(page).toContain('(https://sparse-wm.github.io/)')
  })
})
