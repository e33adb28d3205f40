/**
 * The dashboard's files (`site-dir`): what the CLI writes for the seed corpus, that a quiet rerun
 * writes nothing, that turning it on later fills in every topic with the next change, the page's
 * security policy, and the option's validation. The page itself is tested in a browser in
 * dashboard.browser.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { ConfigError, validateConfig } from '../src/config/config.js'
import { readInputs } from '../src/action/inputs.js'
import { matchTopic } from '../src/digest/matching.js'
import { loadTemplates } from '../src/render/templates.js'
import {
  renderSiteData,
  renderSitePage,
  safeJson,
  weeklyCounts,
  type SiteManifest,
  type SiteTopicData
} from '../src/render/site.js'
import type { Paper, PaperLinks, Topic } from '../src/digest/types.js'
import { cli, listedIds } from '../test-support/cli-runner.js'
import { expectedSeedPage, SEED_FILES } from '../test-support/seed.js'
import { changed, snapshot } from '../test-support/files.js'
import { paperFixture, startFakeArxiv } from '../test-support/fake-arxiv.js'
import { generateSite, SEED_EPOCH, siteConfig } from '../test-support/site.js'

const DAY = 86_400

describe('the dashboard files for the seed corpus', () => {
  let out: string
  let files: Map<string, string>
  let seed: Paper[]
  let links: Record<string, PaperLinks>
  const data = (id: string) => JSON.parse(files.get(`docs/data/${id}.json`)!) as SiteTopicData

  beforeAll(async () => {
    seed = JSON.parse(await readFile('__fixtures__/seed/papers.json', 'utf8'))
    links = JSON.parse(await readFile('__fixtures__/seed/links.json', 'utf8'))
    const run = await generateSite()
    // Standard error has the progress lines only: no warning, no error.
    expect(run.result.stderr.split('\n').filter(l => l !== '' && !l.startsWith('arXiv request '))).toEqual([])
    expect(run.result.code).toBe(0)
    out = run.out
    files = await snapshot(out)
  })
  afterAll(async () => {
    await rm(dirname(out), { recursive: true, force: true })
  })

  it('writes the page, the topic list and one data file per topic beside the usual files', async () => {
    expect([...files.keys()].sort()).toEqual([
      ...SEED_FILES,
      'docs/data/vla.json',
      'docs/data/world_models.json',
      'docs/index.html',
      'docs/topics.json'
    ])
    // The topic pages are those of a run without the dashboard.
    expect(files.get('digests/vla.md')).toBe(await expectedSeedPage('vla'))
    expect(files.get('digests/world_models.md')).toBe(await expectedSeedPage('world_models'))
  })

  it('lists the topics with their counts and last change in topics.json', () => {
    const manifest = JSON.parse(files.get('docs/topics.json')!) as SiteManifest
    expect(manifest).toEqual({
      format: 1,
      sort: 'date',
      maxAuthors: 5,
      topics: [
        {
          id: 'vla',
          title: 'Vision-Language-Action Models',
          description: 'Papers on VLAs and vision-language-action architectures for robotics.',
          papers: 17,
          lastChanged: '2026-02-13T22:23:00Z',
          data: 'data/vla.json'
        },
        {
          id: 'world_models',
          title: 'World Models',
          description: 'Papers on world models for robotics, video prediction, and simulation.',
          papers: 16,
          lastChanged: '2026-02-13T22:23:00Z',
          data: 'data/world_models.json'
        }
      ]
    })
  })

  it.each(['vla', 'world_models'])('puts every paper of the %s page into its data file', id => {
    const topic = data(id)
    const page = files.get(`digests/${id}.md`)!
    expect(topic.papers.map(p => p.id).sort()).toEqual(listedIds(page).sort())
    // Newest first, as on a page sorted by date.
    const published = topic.papers.map(p => p.published)
    expect(published).toEqual([...published].sort().reverse())
    expect(topic).toMatchObject({ format: 1, id, lastChanged: '2026-02-13T22:23:00Z' })
  })

  it('gives each paper its metadata, cut abstract, links and the reason it surfaced', () => {
    const vla = data('vla')
    const topic = vlaTopic()
    for (const p of vla.papers) {
      const paper = seed.find(s => s.id === p.id)!
      expect(p.title).toBe(paper.title)
      expect(p.authors).toEqual(paper.authors.map(a => a.trim()))
      expect(p.categories).toEqual(paper.categories)
      expect(p.published).toBe(paper.published)
      expect(p.firstSeen).toBe('2026-02-13T22:23:00Z')
      expect([...p.abstract].length).toBeLessThanOrEqual(503)
      expect(paper.abstract.startsWith(p.abstract.replace(/\.\.\.$/, ''))).toBe(true)
      expect(p.links.abs).toBe(`https://arxiv.org/abs/${paper.versionedId}`)
      expect(p.links.pdf).toBe(`https://arxiv.org/pdf/${paper.versionedId}.pdf`)
      expect(p.links.projectPage).toBe(links[p.id]?.projectPage)
      expect(p.links.code).toBe(links[p.id]?.code)
      const match = matchTopic(paper, topic)
      expect(p.reason).toBe(match.reason)
      expect(p.score).toBe(match.score)
      expect(p.reason).toMatch(/^keyword "[^"]+" in (title|abstract|title and abstract)/)
    }
    const giga = vla.papers.find(p => p.id === '2602.12099')!
    expect(giga.title).toBe(
      'GigaBrain-0.5M*: a VLA That Learns From World Model-Based Reinforcement Learning'
    )
    expect(giga.links.projectPage).toBe('https://gigabrain05m.github.io/')
    expect(giga.reason).toContain('keyword "VLA" in title')
  })

  it('counts new papers per week for the 12 weeks up to the last change', () => {
    const { weeks } = data('world_models')
    expect(weeks).toHaveLength(12)
    // 2026-02-13 is a Friday: the last week starts on Monday 2026-02-09.
    expect(weeks[11]).toEqual({ start: '2026-02-09', count: 16 })
    expect(weeks[0]).toEqual({ start: '2025-11-24', count: 0 })
    expect(weeks.slice(0, 11).every(w => w.count === 0)).toBe(true)
  })

  it('a quiet rerun writes no file; a new paper rewrites its topic, the list, and nothing else', async () => {
    const configFile = join(dirname(out), 'topics.yml')
    const extra = paperFixture({
      id: '2602.13002',
      title: 'Video World Models at Scale',
      categories: ['cs.CV'],
      published: '2026-02-14T09:00:00Z'
    })
    const arxiv = await startFakeArxiv({ corpus: [...seed] })
    try {
      const args = ['--config', configFile, '--out', out, '--arxiv-url', arxiv.url, '--request-delay', '0']
      const quiet = await cli(args, SEED_EPOCH + DAY)
      expect(quiet.stdout).toMatch(/^Nothing new: no file written\.$/m)
      expect(changed(files, await snapshot(out))).toEqual([])

      arxiv.setCorpus([...seed, extra])
      const next = await cli(args, SEED_EPOCH + 3 * DAY)
      expect(next.code).toBe(0)
      const after = await snapshot(out)
      expect(changed(files, after)).toEqual([
        'README.md',
        'digests/feeds/world_models.json',
        'digests/feeds/world_models.xml',
        'digests/latest.md',
        'digests/state/world_models/2026-02.json',
        'digests/world_models.md',
        'docs/data/world_models.json',
        'docs/topics.json'
      ])
      const world = JSON.parse(after.get('docs/data/world_models.json')!) as SiteTopicData
      expect(world.papers[0]).toMatchObject({ id: '2602.13002', firstSeen: '2026-02-16T22:23:00Z' })
      // Monday starts a week: the new paper is its only one.
      expect(world.weeks.slice(-2)).toEqual([
        { start: '2026-02-09', count: 16 },
        { start: '2026-02-16', count: 1 }
      ])
      const manifest = JSON.parse(after.get('docs/topics.json')!) as SiteManifest
      expect(manifest.topics.map(t => [t.papers, t.lastChanged])).toEqual([
        [17, '2026-02-13T22:23:00Z'],
        [17, '2026-02-16T22:23:00Z']
      ])
    } finally {
      await arxiv.close()
    }
  })
})

describe('turning the dashboard on for a digest that already exists', () => {
  it('writes nothing until a paper is new, then every topic data file at once', async () => {
    const seed = JSON.parse(await readFile('__fixtures__/seed/papers.json', 'utf8')) as Paper[]
    const dir = await mkdtemp(join(tmpdir(), 'preprint-digest-site-on-'))
    const arxiv = await startFakeArxiv({ corpus: seed })
    try {
      const configFile = join(dir, 'topics.yml')
      const out = join(dir, 'repo')
      const args = ['--config', configFile, '--out', out, '--arxiv-url', arxiv.url, '--request-delay', '0']
      await writeFile(configFile, await readFile('examples/topics.yml', 'utf8'))
      expect((await cli(args, SEED_EPOCH)).code).toBe(0)
      const before = await snapshot(out)

      await writeFile(configFile, await siteConfig())
      const quiet = await cli(args, SEED_EPOCH + DAY)
      expect(quiet.stdout).toMatch(/^Nothing new: no file written\.$/m)
      expect(changed(before, await snapshot(out))).toEqual([])

      const extra = paperFixture({ id: '2602.13003', title: 'A VLA for Kitchens', categories: ['cs.RO'] })
      arxiv.setCorpus([...seed, { ...extra, published: '2026-02-14T10:00:00Z' }])
      expect((await cli(args, SEED_EPOCH + 3 * DAY)).code).toBe(0)
      expect(changed(before, await snapshot(out))).toEqual([
        'README.md',
        'digests/feeds/vla.json',
        'digests/feeds/vla.xml',
        'digests/latest.md',
        'digests/state/vla/2026-02.json',
        'digests/vla.md',
        'docs/data/vla.json',
        'docs/data/world_models.json',
        'docs/index.html',
        'docs/topics.json'
      ])
    } finally {
      await arxiv.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('the page', () => {
  it('allows exactly its own script by hash and loads topics.json', async () => {
    const templates = await loadTemplates({}, async () => undefined)
    const page = renderSitePage(templates)
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)![1]!
    expect(script).toBe(templates.siteScript)
    const hash = createHash('sha256').update(script).digest('base64')
    expect(page).toContain(`script-src 'sha256-${hash}'`)
    expect(page.match(/<script/g)).toHaveLength(1)
    expect(page).toContain('data-manifest="topics.json"')
    // No way for data to become markup: the script never parses HTML.
    expect(templates.siteScript).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/)
  })

  it('is the same for a user template, which gets mustache HTML escaping', async () => {
    const read = async (path: string) =>
      path === 'site.html' ? '<meta content="{{contentSecurityPolicy}}">{{{script}}}' : undefined
    const templates = await loadTemplates({ site: 'site.html' }, read)
    const page = renderSitePage(templates)
    expect(page).toMatch(/^<meta content="default-src &#39;none&#39;; script-src &#39;sha256-/)
    expect(page).toContain(`<script>${templates.siteScript}</script>`)
    await expect(loadTemplates({ site: 'nope.html' }, read)).rejects.toThrow(
      'templates.site: template file "nope.html" was not found in the repository'
    )
    await expect(loadTemplates({ site: 'site.html' }, async () => '{{#script}}')).rejects.toThrow(
      /^templates\.site \("site\.html"\) is not a valid mustache template: Unclosed section "script"/
    )
  })
})

describe('safeJson', () => {
  it('keeps the value but leaves no character that can end a tag or a script', () => {
    const hostile = {
      title: '</script><script>alert(1)</script><!-- & \u2028\u2029',
      abstract: '<img src=x onerror=alert(1)>'
    }
    const text = safeJson(hostile)
    expect(text).not.toMatch(/[<>&\u2028\u2029]/)
    expect(JSON.parse(text)).toEqual(hostile)
    expect(text.endsWith('}\n')).toBe(true)
  })
})

describe('weeklyCounts', () => {
  it('uses Monday-to-Sunday UTC weeks ending with the week of the last change', () => {
    const papers = [
      { firstSeen: '2026-02-09T00:00:00Z' },
      { firstSeen: '2026-02-08T23:59:00Z' },
      { firstSeen: '2025-11-23T23:59:00Z' }
    ]
    const weeks = weeklyCounts(papers, '2026-02-15T23:59:00Z')
    expect(weeks.map(w => w.start)).toEqual([
      '2025-11-24',
      '2025-12-01',
      '2025-12-08',
      '2025-12-15',
      '2025-12-22',
      '2025-12-29',
      '2026-01-05',
      '2026-01-12',
      '2026-01-19',
      '2026-01-26',
      '2026-02-02',
      '2026-02-09'
    ])
    expect(weeks.map(w => w.count)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1])
  })
})

describe('site-dir validation', () => {
  const topics = [{ id: 'vla', title: 'VLA', keywords: ['VLA'], categories: ['cs.RO'] }]
  const problems = (overrides: Record<string, unknown>): string[] => {
    try {
      validateConfig(topics, 'topics.yml', overrides)
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      return (error as ConfigError).problems
    }
    throw new Error('expected the configuration to be rejected')
  }

  it('is off by default and takes a folder inside the repository, normalised', () => {
    expect(validateConfig(topics, 'test').siteDir).toBeUndefined()
    expect(validateConfig(topics, 'test', { 'site-dir': './docs/' }).siteDir).toBe('docs')
    expect(validateConfig(topics, 'test', { 'site-dir': '.' }).siteDir).toBe('.')
  })

  it.each([
    ['../site', /^site-dir: "\.\.\/site" contains "\.\."; .*\(e\.g\. "digests"\)$/],
    ['/srv/www', /^site-dir: "\/srv\/www" is absolute; /],
    ['.github/workflows/site', /^site-dir: ".github\/workflows\/site" lies under \.github\/workflows/],
    ['docs\\site', /^site-dir: "docs\\site" contains a backslash/],
    [
      'digests/state',
      /^site-dir: "digests\/state" lies in digests\/state\/, which the digest generates; choose another folder \(e\.g\. "docs"\)$/
    ],
    ['digests/archive/x', /^site-dir: "digests\/archive\/x" lies in digests\/archive\//],
    ['', /^site-dir: must not be empty$/],
    [3, /^site-dir: must be a string \(got number 3\)$/]
  ])('site-dir %j is refused with the field named', (value, message) => {
    expect(problems({ 'site-dir': value })).toEqual([expect.stringMatching(message)])
  })

  it('refuses an index file that is one of the dashboard files', () => {
    expect(problems({ 'site-dir': 'docs', 'index-file': 'docs/index.html' })).toEqual([
      'index-file: "docs/index.html" is a file of the dashboard in site-dir "docs"; choose another file (e.g. README.md)'
    ])
    expect(problems({ 'site-dir': 'docs', 'index-file': 'docs/data/x.md' })).toHaveLength(1)
  })

  it('names the template field in the list of allowed ones', () => {
    expect(problems({ templates: { dashboard: 'x.html' } })).toEqual([
      'templates: unknown field "dashboard"; allowed: topic, archive, index, site, latest, atom, json'
    ])
  })

  it('comes from the action inputs site-dir and site-template', () => {
    const values: Record<string, string> = {
      'github-token': 't',
      'site-dir': ' docs ',
      'site-template': '.github/site.html'
    }
    const inputs = readInputs(name => values[name] ?? '')
    expect(inputs.options['site-dir']).toBe('docs')
    expect(inputs.templates).toEqual({ site: '.github/site.html' })
    expect(readInputs(name => (name === 'github-token' ? 't' : '')).options['site-dir']).toBeUndefined()
  })

  it('stops the CLI before any request, exit 2, writing nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'preprint-digest-site-bad-'))
    try {
      const configFile = join(dir, 'topics.yml')
      await writeFile(configFile, await siteConfig('site-dir: ../www\n'))
      const result = await cli(
        ['--config', configFile, '--out', join(dir, 'repo'), '--arxiv-url', 'http://127.0.0.1:9/'],
        0
      )
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('site-dir: "../www" contains ".."; give a path inside the repository')
      await expect(stat(join(dir, 'repo'))).rejects.toThrow(/ENOENT/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('renderSiteData', () => {
  it('cleans author names and categories as the pages do, leaving out empty ones', () => {
    const config = validateConfig([vlaTopic()], 'test', { 'site-dir': 'site' })
    const paper = paperFixture({
      id: '2602.00001',
      authors: [' Ada  Lovelace ', ' ', 'Alan Turing'],
      categories: ['cs.RO', '', ' cs.LG ']
    })
    const entry = { paper, firstSeen: '2026-02-13T22:23:00Z', links: {}, score: 1, reason: 'r', alsoIn: [] }
    const [, text] = renderSiteData({ topic: config.topics[0], entries: [entry], config, siteDir: 'site' })
    const [shown] = (JSON.parse(text) as SiteTopicData).papers
    expect(shown.authors).toEqual(['Ada Lovelace', 'Alan Turing'])
    expect(shown.categories).toEqual(['cs.RO', 'cs.LG'])
  })
})

function vlaTopic(): Topic {
  return {
    id: 'vla',
    title: 'Vision-Language-Action Models',
    description: '',
    keywords: ['VLA', 'vision-language-action', 'vision language action'],
    categories: ['cs.RO', 'cs.CV', 'cs.LG', 'cs.AI'],
    require: [],
    exclude: [],
    authors: []
  }
}
