import { describe, expect, it } from '@jest/globals'
import Mustache from 'mustache'
import { REGION_END, REGION_START } from '../src/render/index-region.js'
import { loadTemplates, render, TemplateError } from '../src/render/templates.js'
import { renderIndex, renderLatest, renderTopic } from '../src/render/pages.js'
import type { Config, Paper, Topic, TopicEntry } from '../src/digest/types.js'
import { defaultConfig } from '../test-support/setup.js'

const topic: Topic = {
  id: 'vla',
  title: 'Vision-Language-Action Models',
  description: 'Papers on VLAs.',
  keywords: ['VLA'],
  categories: ['cs.RO'],
  require: [],
  exclude: [],
  authors: []
}
const worldModels: Topic = {
  ...topic,
  id: 'world_models',
  title: 'World *Models*',
  keywords: ['world model']
}

const config: Config = defaultConfig({ topics: [topic, worldModels] })

const noRepo = async (): Promise<string | undefined> => undefined
const defaults = await loadTemplates({}, noRepo)

function paper(id: string, extra: Partial<Paper> = {}): Paper {
  return {
    id,
    versionedId: `${id}v1`,
    title: `Paper ${id}`,
    abstract: `Abstract of ${id}.`,
    authors: ['Ada Lovelace'],
    categories: ['cs.RO'],
    primaryCategory: 'cs.RO',
    published: '2026-02-10T12:00:00Z',
    updated: '2026-02-10T12:00:00Z',
    ...extra
  }
}

function entry(p: Paper, firstSeen = '2026-02-13T22:23:00Z', extra: Partial<TopicEntry> = {}): TopicEntry {
  return { paper: p, firstSeen, links: {}, score: 0, reason: '', alsoIn: [], ...extra }
}

function page(entries: TopicEntry[], options: Partial<Config> = {}): string {
  return renderTopic({ topic, entries, config: { ...config, ...options }, templates: defaults }).get(
    'digests/vla.md'
  )!
}

/** The `### [title](url)` lines of a page, in order. */
function headings(text: string): string[] {
  return text.split('\n').filter(line => line.startsWith('### '))
}

describe('renderTopic', () => {
  it('renders a page with no papers', () => {
    expect(page([])).toBe(
      [
        '# Vision-Language-Action Models',
        '',
        'Papers on VLAs.',
        '',
        '**Papers found:** 0',
        '',
        '[Back to Home](../README.md) | Follow: [Atom feed](feeds/vla.xml) | [JSON Feed](feeds/vla.json)',
        '',
        '---',
        '',
        'No papers yet. They appear here after the first run that finds one.',
        ''
      ].join('\n')
    )
  })

  it('renders one paper in the reference layout, leaving out the empty section', () => {
    const p = paper('2602.00001', {
      title: 'A  Title\nover two lines',
      authors: ['  Ada   Lovelace ', 'Alan Turing'],
      categories: ['cs.RO', 'cs.AI', 'cs.CV', 'cs.LG'],
      published: '2026-02-12T23:30:00-02:00'
    })
    const why = { reason: 'keyword "VLA" in title, required "robot*" in abstract', alsoIn: ['world_models'] }
    expect(page([entry(p, undefined, why)])).toBe(
      [
        '# Vision-Language-Action Models',
        '',
        'Papers on VLAs.',
        '',
        '**Last updated:** 2026-02-13 22:23 UTC',
        '',
        '**Papers found:** 1',
        '',
        '[Back to Home](../README.md) | Follow: [Atom feed](feeds/vla.xml) | [JSON Feed](feeds/vla.json)',
        '',
        '---',
        '',
        '## Other Recent Papers',
        '',
        '### [A Title over two lines](https://arxiv.org/abs/2602.00001v1)',
        '',
        '**Authors:** Ada Lovelace, Alan Turing',
        '',
        '**Published:** 2026-02-13 | **Categories:** cs.RO, cs.AI, cs.CV',
        '',
        '**Why:** keyword "VLA" in title, required "robot\\*" in abstract | **Also in:** [World \\*Models\\*](world_models.md)',
        '',
        '**Links:** [arXiv](https://arxiv.org/abs/2602.00001v1) | [PDF](https://arxiv.org/pdf/2602.00001v1.pdf)',
        '',
        '<details>',
        '<summary>Abstract</summary>',
        '',
        'Abstract of 2602.00001.',
        '',
        '</details>',
        '',
        '---',
        ''
      ].join('\n')
    )
  })

  it('is deterministic: same state, same bytes, whatever the input order', () => {
    const entries = [
      entry(paper('2602.00003', { published: '2026-02-11T10:00:00Z' })),
      entry(paper('2602.00001', { published: '2026-02-12T10:00:00Z' }), '2026-02-12T07:00:00Z'),
      entry(paper('2602.00002', { published: '2026-02-12T10:00:00Z' }), '2026-01-02T07:00:00Z', {
        links: { code: 'https://github.com/a/b' }
      })
    ]
    const render = (list: TopicEntry[]) => renderTopic({ topic, entries: list, config, templates: defaults })
    const first = render(entries)
    expect(render(entries)).toEqual(first)
    expect(render([...entries].reverse())).toEqual(first)
    for (const text of first.values()) {
      expect(text.endsWith('\n')).toBe(true)
      expect(text.endsWith('\n\n')).toBe(false)
      expect(text).not.toMatch(/[ \t]$/m)
    }
  })

  it('sorts by date: published descending, ties by id descending', () => {
    const text = page([
      entry(paper('2602.00001', { published: '2026-02-12T10:00:00Z' })),
      entry(paper('2602.00009', { published: '2026-02-11T10:00:00Z' })),
      entry(paper('2602.00002', { published: '2026-02-12T10:00:00Z' })),
      entry(paper('2602.00005', { published: '2026-02-12T11:00:00Z' }))
    ])
    expect(headings(text).map(h => /abs\/(\S+)v1/.exec(h)![1])).toEqual([
      '2602.00005',
      '2602.00002',
      '2602.00001',
      '2602.00009'
    ])
  })

  it('sorts by relevance: score descending, then date', () => {
    const text = page(
      [
        entry(paper('2602.00001', { published: '2026-02-12T10:00:00Z' }), undefined, { score: 1 }),
        entry(paper('2602.00002', { published: '2026-02-10T10:00:00Z' }), undefined, { score: 5 }),
        entry(paper('2602.00003', { published: '2026-02-11T10:00:00Z' }), undefined, { score: 1 })
      ],
      { sort: 'relevance' }
    )
    expect(headings(text).map(h => /abs\/(\S+)v1/.exec(h)![1])).toEqual([
      '2602.00002',
      '2602.00001',
      '2602.00003'
    ])
  })

  it('puts papers with a project page or code first, labelled as the reference does', () => {
    const text = page([
      entry(paper('2602.00003'), undefined, { links: {} }),
      entry(paper('2602.00002'), undefined, { links: { code: 'https://gitlab.com/a/b' } }),
      entry(paper('2602.00001'), undefined, {
        links: { projectPage: 'https://x.github.io', code: 'https://github.com/a/b' }
      })
    ])
    const linksSection = text.indexOf('## Papers with Project Pages / Code')
    const otherSection = text.indexOf('## Other Recent Papers')
    expect(linksSection).toBeGreaterThan(0)
    expect(otherSection).toBeGreaterThan(linksSection)
    expect(text.indexOf('abs/2602.00003v1')).toBeGreaterThan(otherSection)
    expect(text).toContain(
      '**Links:** [arXiv](https://arxiv.org/abs/2602.00001v1) | [PDF](https://arxiv.org/pdf/2602.00001v1.pdf)' +
        ' | [Project Page](https://x.github.io) | [GitHub](https://github.com/a/b)\n'
    )
    expect(text).toContain('| [Code](https://gitlab.com/a/b)\n')
  })

  it('drops links that are not http(s), and the paper then counts as one without links', () => {
    const text = page([
      entry(paper('2602.00001'), undefined, { links: { projectPage: 'javascript:alert(1)' } })
    ])
    expect(text).not.toContain('javascript')
    expect(text).not.toContain('## Papers with Project Pages / Code')
    expect(text).toContain('## Other Recent Papers')
  })

  it('shows the first max-authors names, then "et al. (N authors)" only when there are more', () => {
    const names = ['A One', 'B Two', 'C Three', 'D Four', 'E Five', 'F Six']
    expect(page([entry(paper('2602.00001', { authors: names }))])).toContain(
      '**Authors:** A One, B Two, C Three, D Four, E Five et al. (6 authors)\n'
    )
    expect(page([entry(paper('2602.00001', { authors: names.slice(0, 5) }))])).toContain(
      '**Authors:** A One, B Two, C Three, D Four, E Five\n'
    )
    expect(page([entry(paper('2602.00001', { authors: names }))], { maxAuthors: 2 })).toContain(
      '**Authors:** A One, B Two et al. (6 authors)\n'
    )
  })

  it('cuts the abstract on code points of the plain text, adding ... only when it was cut', () => {
    const abstractOf = (abstract: string, abstractLength = 10) =>
      /<summary>Abstract<\/summary>\n\n(.*)\n\n<\/details>/.exec(
        page([entry(paper('2602.00001', { abstract }))], { abstractLength })
      )?.[1]
    expect(abstractOf('0123456789')).toBe('0123456789')
    expect(abstractOf('0123456789A')).toBe('0123456789...')
    expect(abstractOf('𝒳𝒳𝒳𝒳𝒳𝒳𝒳𝒳𝒳𝒳𝒳')).toBe('𝒳𝒳𝒳𝒳𝒳𝒳𝒳𝒳𝒳𝒳...')
    // The cut comes before escaping: ten characters shown, the escapes do not count.
    expect(abstractOf('a*b*c*d*e*f*g')).toBe('a\\*b\\*c\\*d\\*e\\*...')
    expect(abstractOf('123456789\\textit')).toBe('123456789\\\\...')
    expect(abstractOf('Short.', 0)).toBeUndefined()
  })

  it('escapes hostile titles, authors and abstracts', () => {
    const text = page([
      entry(
        paper('2602.00001', {
          title: '[click](http://evil) <script>alert(1)</script> </details> @user | x',
          authors: ['<img src=x onerror=alert(1)>', '[Mallory](http://evil)'],
          abstract: '</details>\n\n# Injected heading\n\n<b>bold</b> [link](javascript:alert(1))'
        })
      )
    ])
    expect(headings(text)).toEqual([
      '### [\\[click\\](http\\://evil) &lt;script&gt;alert(1)&lt;/script&gt; &lt;/details&gt; @user \\| x]' +
        '(https://arxiv.org/abs/2602.00001v1)'
    ])
    expect(text).toContain('**Authors:** &lt;img src=x onerror=alert(1)&gt;, \\[Mallory\\](http\\://evil)\n')
    // Newlines are collapsed, so the `#` is mid-line and cannot start a heading.
    expect(text).toContain(
      '\n&lt;/details&gt; # Injected heading &lt;b&gt;bold&lt;/b&gt; \\[link\\](javascript:alert(1))\n'
    )
    expect(text.match(/<\/details>/g)).toHaveLength(1)
    expect(text).not.toContain('<script')
  })

  it('keeps papers within keep-days of the last change, archives older ones by month, loses none', () => {
    const entries = [
      entry(paper('2603.00001'), '2026-03-20T07:00:00Z'),
      entry(paper('2602.00010'), '2026-02-18T07:00:00Z'), // exactly 30 days before: kept
      entry(paper('2602.00009'), '2026-02-18T06:59:00Z'), // one minute older: archived
      entry(paper('2602.00002'), '2026-02-01T07:00:00Z'),
      entry(paper('2601.00005'), '2026-01-05T07:00:00Z')
    ]
    const files = renderTopic({ topic, entries, config, templates: defaults })
    expect([...files.keys()]).toEqual([
      'digests/vla.md',
      'digests/archive/vla/2026-01.md',
      'digests/archive/vla/2026-02.md'
    ])
    const ids = (text: string) => headings(text).map(h => /abs\/(\S+)v1/.exec(h)![1])
    expect(ids(files.get('digests/vla.md')!)).toEqual(['2603.00001', '2602.00010'])
    expect(ids(files.get('digests/archive/vla/2026-02.md')!)).toEqual(['2602.00009', '2602.00002'])
    expect(ids(files.get('digests/archive/vla/2026-01.md')!)).toEqual(['2601.00005'])
    const all = [...files.values()].flatMap(ids).sort()
    expect(all).toEqual(entries.map(e => e.paper.id).sort())

    const main = files.get('digests/vla.md')!
    expect(main).toContain('**Last updated:** 2026-03-20 07:00 UTC\n')
    expect(main).toContain('**Papers found:** 2\n')
    expect(
      main.endsWith(
        [
          '---',
          '',
          '## Archive',
          '',
          'Older papers, by the month the digest first saw them:',
          '',
          '- [February 2026](archive/vla/2026-02.md) (2 papers)',
          '- [January 2026](archive/vla/2026-01.md) (1 paper)',
          ''
        ].join('\n')
      )
    ).toBe(true)

    const january = files.get('digests/archive/vla/2026-01.md')!
    expect(
      january.startsWith(
        [
          '# Vision-Language-Action Models: January 2026',
          '',
          'Papers first seen in January 2026. Newer ones are on the [topic page](../../vla.md).',
          '',
          '**Papers found:** 1',
          '',
          '[Back to Vision-Language-Action Models](../../vla.md) | [Back to Home](../../../README.md)',
          '',
          '---',
          '',
          '## Other Recent Papers',
          ''
        ].join('\n')
      )
    ).toBe(true)
  })

  it('dates "Last updated" from the state, so adding an older paper changes no header', () => {
    const newest = entry(paper('2602.00002'), '2026-02-13T22:23:00Z')
    const older = entry(paper('2602.00001'), '2026-02-10T07:00:00Z')
    expect(page([newest])).toContain('**Last updated:** 2026-02-13 22:23 UTC\n')
    expect(page([newest, older])).toContain('**Last updated:** 2026-02-13 22:23 UTC\n')
  })

  it('shows the UTC date of a time in any offset, and a time that is not one as written', () => {
    const shown = (published: string) =>
      /\*\*Published:\*\* (\S+)/.exec(page([entry(paper('2602.00001', { published }))]))![1]
    expect(shown('2026-02-10T12:00:00Z')).toBe('2026-02-10')
    expect(shown('2026-02-10T23:30:00-02:00')).toBe('2026-02-11')
    expect(shown('2026-02-30T12:00:00Z')).toBe('2026-03-02')
    expect(shown('not-a-date*')).toBe('not-a-date\\*')
  })

  it('refuses an entry whose first-seen time is not a date, naming topic and paper', () => {
    expect(() => page([entry(paper('2602.00001'), 'yesterday')])).toThrow(
      'Topic vla: paper 2602.00001 has an invalid first-seen time "yesterday"'
    )
  })

  it('uses the layout options for paths and links', () => {
    const files = renderTopic({
      topic,
      entries: [
        entry(paper('2602.00001'), '2026-03-20T07:00:00Z'),
        entry(paper('2601.00001'), '2026-01-01T07:00:00Z')
      ],
      config: { ...config, outputDir: 'docs/my papers', indexFile: 'docs/index.md' },
      templates: defaults
    })
    expect([...files.keys()]).toEqual(['docs/my papers/vla.md', 'docs/my papers/archive/vla/2026-01.md'])
    expect(files.get('docs/my papers/vla.md')).toContain('[Back to Home](../index.md)')
    expect(files.get('docs/my papers/archive/vla/2026-01.md')).toContain('[Back to Home](../../../index.md)')
  })
})

describe('renderIndex', () => {
  const other: Topic = { ...topic, id: 'world_models', title: 'World Models | Sim' }
  const topics = [
    { topic, paperCount: 17, lastChanged: '2026-02-13T22:23:00Z' },
    { topic: other, paperCount: 0 }
  ]
  const table = [
    '## Topics',
    '',
    'The papers of the latest update, all topics: [latest.md](digests/latest.md)',
    '',
    '| Topic | Papers | Last updated | Feeds |',
    '| --- | ---: | --- | --- |',
    '| [Vision-Language-Action Models](digests/vla.md) | 17 | 2026-02-13 | [Atom](digests/feeds/vla.xml) · [JSON](digests/feeds/vla.json) |',
    '| [World Models \\| Sim](digests/world_models.md) | 0 | never | [Atom](digests/feeds/world_models.xml) · [JSON](digests/feeds/world_models.json) |',
    '',
    'Thank you to arXiv for use of its open access interoperability.',
    ''
  ].join('\n')

  it('creates a missing index file with the topics table in the marked region', () => {
    expect(renderIndex({ existing: undefined, topics, config, templates: defaults })).toBe(
      `# Paper digests\n\n${REGION_START}\n${table}${REGION_END}\n`
    )
  })

  it('replaces the region of an existing file and nothing else', () => {
    const existing = `# Lab\n\nOur notes.\n\n${REGION_START}\nold\n${REGION_END}\n\nMore notes.\n`
    expect(renderIndex({ existing, topics, config, templates: defaults })).toBe(
      `# Lab\n\nOur notes.\n\n${REGION_START}\n${table}${REGION_END}\n\nMore notes.\n`
    )
  })

  it('links topic pages relative to the index file', () => {
    const text = renderIndex({
      existing: undefined,
      topics: [topics[0]!],
      config: { ...config, indexFile: 'docs/index.md' },
      templates: defaults
    })
    expect(text).toContain('[Vision-Language-Action Models](../digests/vla.md)')
  })
})

describe('renderLatest', () => {
  const at = '2026-02-13T22:23:00Z'
  const shared = paper('2602.00001', { title: 'A VLA world model' })
  const batch = [
    {
      topic,
      entries: [
        entry(paper('2602.00002', { published: '2026-02-13T01:00:00Z' }), at, {
          reason: 'keyword "VLA" in abstract'
        }),
        entry(shared, at, { reason: 'keyword "VLA" in title', alsoIn: ['world_models'] })
      ]
    },
    {
      topic: worldModels,
      entries: [entry(shared, at, { reason: 'keyword "world model" in title', alsoIn: ['vla'] })]
    }
  ]

  it('lists the batch by topic in configuration order, counting a paper in two topics once', () => {
    const text = renderLatest({ batch, at, config, templates: defaults })
    expect(text.split('\n').slice(0, 8)).toEqual([
      '# Latest papers',
      '',
      "**2 papers** in the digest's latest update (2026-02-13 22:23 UTC), by topic. Earlier papers are on the topic pages.",
      '',
      '[Back to Home](../README.md)',
      '',
      '---',
      ''
    ])
    expect(text.split('\n').filter(line => line.startsWith('## '))).toEqual([
      '## [Vision-Language-Action Models](vla.md) (2 papers)',
      '## [World \\*Models\\*](world_models.md) (1 paper)'
    ])
    // Papers in page order (newest first), each with its reason and the other topic linked.
    expect(headings(text)).toEqual([
      '### [Paper 2602.00002](https://arxiv.org/abs/2602.00002v1)',
      '### [A VLA world model](https://arxiv.org/abs/2602.00001v1)',
      '### [A VLA world model](https://arxiv.org/abs/2602.00001v1)'
    ])
    expect(text).toContain(
      '**Why:** keyword "VLA" in title | **Also in:** [World \\*Models\\*](world_models.md)\n'
    )
    expect(text).toContain(
      '**Why:** keyword "world model" in title | **Also in:** [Vision-Language-Action Models](vla.md)\n'
    )
  })

  it('says so when the digest holds no paper yet', () => {
    const text = renderLatest({ batch: [], at: undefined, config, templates: defaults })
    expect(text).toContain('No papers yet.')
    expect(text).not.toContain('## ')
  })
})

describe('"also in" links', () => {
  it('are relative to the page: an archive page links two folders up', () => {
    const old = entry(paper('2602.00009'), '2025-12-01T00:00:00Z', { reason: 'r', alsoIn: ['world_models'] })
    const recent = entry(paper('2602.00001'), '2026-02-13T22:23:00Z', {
      reason: 'r',
      alsoIn: ['world_models', 'gone']
    })
    const files = renderTopic({ topic, entries: [old, recent], config, templates: defaults })
    expect(files.get('digests/archive/vla/2025-12.md')).toContain(
      '**Also in:** [World \\*Models\\*](../../world_models.md)'
    )
    // An id the configuration no longer has is left out.
    expect(files.get('digests/vla.md')).toContain(
      '**Why:** r | **Also in:** [World \\*Models\\*](world_models.md)\n'
    )
  })
})

describe('templates', () => {
  it.each([
    ['a  \nb\t \n  \n\n'],
    [' x\t'],
    ['   '],
    ['no trailing\n'],
    ['a \n\n b  '],
    ['line ends other than \\n: x \r\ny \u2028z \u2029'],
    ['{{x}}  \n{{x}}\t']
  ])('renders %j without spaces or tabs at line ends, ending in one newline', text => {
    const expected =
      text
        .replace(/{{x}}/g, 'v')
        .replace(/[ \t]+$/gm, '')
        .replace(/\n*$/, '') + '\n'
    expect(render(text, { x: 'v' })).toBe(expected)
  })

  it('renders a user template read through the repository reader, without HTML escaping', async () => {
    const read = async (path: string) =>
      path === 'tpl/topic.md'
        ? '{{title}} / {{{title}}}: {{paperCount}}\r\n{{#papers}}- {{title}}\r\n{{/papers}}'
        : undefined
    const templates = await loadTemplates({ topic: 'tpl/topic.md' }, read)
    expect(templates.archive).toBe(defaults.archive)
    const text = renderTopic({
      topic: { ...topic, title: 'A & B' },
      entries: [entry(paper('2602.00001', { title: 'x < y*' }))],
      config,
      templates
    }).get('digests/vla.md')
    expect(text).toBe('A & B / A & B: 1\n- x &lt; y\\*\n')
  })

  it("does not change mustache's global escaping", () => {
    page([entry(paper('2602.00001'))])
    expect(Mustache.render('{{x}}', { x: '<&>' })).toBe('&lt;&amp;&gt;')
  })

  it('names the field and path of a missing user template', async () => {
    await expect(loadTemplates({ index: 'tpl/index.md' }, noRepo)).rejects.toThrow(
      new TemplateError('templates.index: template file "tpl/index.md" was not found in the repository')
    )
  })

  it('names the field, path, problem and place of an invalid user template', async () => {
    const read = async () => '# {{title}}\n\n{{#papers}}\n- {{title}}\n'
    const error = await loadTemplates({ topic: 'tpl/topic.md' }, read).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TemplateError)
    expect((error as Error).message).toBe(
      'templates.topic ("tpl/topic.md") is not a valid mustache template: ' +
        'Unclosed section "papers" at 37 (line 5, column 1)'
    )
  })

  it('lets a user template include the shipped paper block, {{> paper}}', async () => {
    const read = async () => '# {{{title}}}\n\n{{#papers}}\n{{> paper}}\n{{/papers}}'
    const templates = await loadTemplates({ archive: 'tpl/archive.md' }, read)
    const [text] = [
      ...renderTopic({ topic, entries: [entry(paper('2602.00001'))], config, templates }).values()
    ]
    const custom = renderTopic({ topic, entries: [entry(paper('2602.00001'))], config, templates: defaults })
    // The same paper block as the shipped topic page, cut from its first heading to its rule.
    const shipped = custom.get('digests/vla.md')!
    const block = shipped.slice(
      shipped.indexOf('### ['),
      shipped.indexOf('---\n', shipped.indexOf('### [')) + 4
    )
    expect(block).toContain('**Authors:** Ada Lovelace')
    expect(text).toContain(block)
  })

  it('names the field, path and the partials there are when a template includes an unknown one', async () => {
    const read = async () => '{{#papers}}{{> entry}}{{/papers}}'
    await expect(loadTemplates({ latest: 'tpl/latest.md' }, read)).rejects.toThrow(
      new TemplateError(
        'templates.latest ("tpl/latest.md") includes the partial {{> entry}}, which does not exist; ' +
          'the partials are: {{> paper}}'
      )
    )
  })

  it('ships default templates that include the arXiv acknowledgement', () => {
    expect(defaults.index).toContain('Thank you to arXiv for use of its open access interoperability.')
  })
})
