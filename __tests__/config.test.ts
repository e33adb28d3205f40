import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  ConfigError,
  loadConfig,
  mergeConfiguration,
  validateConfig,
  type ConfigurationSources
} from '../src/config/config.js'

const topic = (extra: Record<string, unknown> = {}) => ({
  id: 'vla',
  title: 'VLA',
  keywords: ['VLA'],
  categories: ['cs.RO'],
  ...extra
})

/** The problems a configuration is rejected with. */
function problems(raw: unknown, overrides: Record<string, unknown> = {}): string[] {
  try {
    validateConfig(raw, 'topics.yml', overrides)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).problems
  }
  throw new Error('expected the configuration to be rejected')
}

describe('loadConfig', () => {
  it('reads the example topic file with the documented defaults', async () => {
    const config = loadConfig(await readFile('examples/topics.yml', 'utf8'), 'examples/topics.yml')
    expect(config.topics.map(t => t.id)).toEqual(['vla', 'world_models'])
    expect(config.topics[1]).toEqual({
      id: 'world_models',
      title: 'World Models',
      description: 'Papers on world models for robotics, video prediction, and simulation.',
      keywords: ['world model', 'world models'],
      categories: ['cs.RO', 'cs.CV', 'cs.LG', 'cs.AI'],
      require: [],
      exclude: [],
      authors: []
    })
    expect(config).toMatchObject({
      outputDir: 'digests',
      indexFile: 'README.md',
      lookbackDays: 7,
      overlapDays: 30,
      keepDays: 30,
      staleAfterDays: 14,
      abstractLength: 500,
      maxAuthors: 5,
      sort: 'date',
      templates: {}
    })
  })

  it('accepts a bare list of topics and lets overrides win over the file', () => {
    const config = loadConfig('- {id: a, title: A, keywords: [x], categories: [cs.RO]}', 'inline', {
      'abstract-length': 80,
      sort: 'relevance'
    })
    expect(config.abstractLength).toBe(80)
    expect(config.sort).toBe('relevance')
  })

  it('resolves category aliases to the canonical code and drops duplicates', () => {
    const config = validateConfig([topic({ categories: ['cs.SY', 'eess.SY', 'math.MP'] })], 'x')
    expect(config.topics[0].categories).toEqual(['eess.SY', 'math-ph'])
  })

  it('normalises whitespace in phrases and removes repeated ones', () => {
    const config = validateConfig([topic({ keywords: ['  world   model ', 'world model'] })], 'x')
    expect(config.topics[0].keywords).toEqual(['world model'])
  })

  it('reports YAML syntax errors with their position', () => {
    expect(() => loadConfig('topics: [a, b\n', 'broken.yml')).toThrow(
      /broken\.yml[\s\S]*YAML syntax: .* \(2:1\)$/
    )
    expect(() => loadConfig('topics: []\ntopics: []\n', 'twice.yml')).toThrow(
      /twice\.yml[\s\S]*YAML syntax: duplicated mapping key \(2:1\)$/
    )
    expect(() => loadConfig('topics: []\n---\ntopics: []\n', 'two.yml')).toThrow(
      /YAML syntax: 2 documents \(separated by ---\); expected one$/
    )
  })

  it('reads an empty file as no topics list, and YAML 1.2 scalars as written', () => {
    expect(() => loadConfig('# nothing yet\n', 'empty.yml')).toThrow(
      /expected a list of topics, or a mapping with `topics:` and options; got null/
    )
    const text = 'topics:\n  - {id: a, title: A, keywords: [2026-01-01, yes, on], categories: [cs.RO]}\n'
    expect(loadConfig(text, 'x').topics[0].keywords).toEqual(['2026-01-01', 'yes', 'on'])
  })
})

describe('the generated validator (src/config/file-validator.ts)', () => {
  it('is what script/config-validator.mjs makes of the current schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-validator-'))
    try {
      const out = join(dir, 'file-validator.ts')
      execFileSync(process.execPath, ['script/config-validator.mjs', '--out', out])
      expect(readFileSync(out, 'utf8')).toBe(readFileSync('src/config/file-validator.ts', 'utf8'))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("counts a title's length in characters, a surrogate pair as one", () => {
    const emoji = '\u{1F916}' // two UTF-16 code units
    expect(validateConfig([topic({ title: emoji.repeat(200) })], 'x').topics[0].title).toHaveLength(400)
    expect(problems([topic({ title: emoji.repeat(201) })])).toEqual([
      'topics[0].title: is longer than 200 characters'
    ])
    // A lone surrogate counts as one, as ajv's own count does.
    expect(validateConfig([topic({ title: '\ud800'.repeat(200) })], 'x').topics[0].title).toHaveLength(200)
  })
})

describe('validation errors name the field and what is allowed', () => {
  it('unknown option at the top level and in a topic', () => {
    expect(problems({ topics: [topic({ colour: 'red' })], output_dir: 'x' })).toEqual([
      expect.stringMatching(
        /^unknown option "output_dir"; allowed: topics, output-dir, index-file, .*sort, site-dir, templates$/
      ),
      expect.stringMatching(/^topics\[0\]: unknown field "colour"; allowed: id, title, description, keywords/)
    ])
  })

  it('unknown arXiv category, with a hint for a wrong case', () => {
    const found = problems([topic({ categories: ['cs.RO', 'cs.ro', 'quant.ph'] })])
    expect(found).toEqual([
      expect.stringMatching(
        /^topics\[0\]\.categories\[1\]: unknown arXiv category "cs\.ro"; did you mean cs\.RO\?/
      ),
      expect.stringMatching(/^topics\[0\]\.categories\[2\]: unknown arXiv category "quant\.ph".*Allowed:/)
    ])
  })

  it('empty keyword list, keyword without letters, missing categories', () => {
    expect(problems([topic({ keywords: [] })])).toEqual([
      'topics[0].keywords: must list at least one entry (got an empty list)'
    ])
    expect(problems([topic({ keywords: ['--'] })])).toEqual([
      'topics[0].keywords[0]: "--" has no letters or digits to match'
    ])
    expect(problems([{ id: 'a', title: 'A', keywords: ['x'] }])).toEqual([
      'topics[0]: missing required field "categories"'
    ])
  })

  it('topic id "latest", which names the page of the latest papers', () => {
    expect(problems([topic({ id: 'latest' })])).toEqual([
      'topics[0].id: "latest" names the page of the latest papers; choose another id'
    ])
  })

  it('duplicate topic id', () => {
    expect(problems([topic(), topic({ title: 'Other' })])).toEqual([
      'topics[1].id: duplicate topic id "vla" (also topics[0])'
    ])
  })

  it.each(['../x', 'A/B', 'Has Space', '.hidden', 'x'.repeat(65), ''])(
    'id %j is not a safe file name',
    id => {
      expect(problems([topic({ id })])[0]).toMatch(
        /^topics\[0\]\.id: .*(not a safe file name|must not be empty)/
      )
    }
  )

  it.each([
    ['/etc', /is absolute/],
    ['C:/x', /is absolute/],
    ['a\\b', /contains a backslash/],
    ['docs/../..', /contains "\.\."/],
    ['.github/workflows', /lies under \.github\/workflows/],
    ['./.github/workflows/digest', /lies under \.github\/workflows/],
    ['.github/./workflows', /lies under \.github\/workflows/],
    ['.github//workflows', /lies under \.github\/workflows/],
    ['.GitHub/Workflows', /lies under \.github\/workflows/],
    ['.git', /lies inside \.git/],
    ['docs/.Git/x', /lies inside \.git/],
    ['docs/aux', /"aux", a name Windows reserves/],
    ['Nul.txt', /"Nul\.txt", a name Windows reserves/]
  ])('output-dir %j is refused', (dir, message) => {
    const found = problems([topic()], { 'output-dir': dir })
    expect(found).toEqual([expect.stringMatching(new RegExp(`^output-dir: .*${message.source}`))])
  })

  it('index file and template paths are checked the same way', () => {
    expect(
      problems({ topics: [topic()], 'index-file': '../README.md', templates: { topic: '/t.mustache' } })
    ).toEqual([
      expect.stringMatching(/^index-file: .*"\.\."/),
      expect.stringMatching(/^templates\.topic: .*is absolute/)
    ])
  })

  it.each(['.github/./workflows/ci.yml', '.git/config', '.github//workflows/x.md'])(
    'index-file %j is refused before anything is fetched',
    file => {
      expect(problems([topic()], { 'index-file': file })).toEqual([
        expect.stringMatching(/^index-file: .*(\.github\/workflows|\.git)/)
      ])
    }
  )

  it.each(['con', 'lpt1', 'com9'])('topic id %j is refused: Windows could not check the page out', id => {
    expect(problems([topic({ id })])).toEqual([
      expect.stringMatching(new RegExp(`^topics\\[0\\]\\.id: "${id}" uses "${id}", a name Windows reserves`))
    ])
  })

  it('a path written another way is normalised: "./digests//news/" is "digests/news"', () => {
    const config = validateConfig([topic()], 'test', { 'output-dir': './digests//news/' })
    expect(config.outputDir).toBe('digests/news')
  })

  it('an index file that the digest itself generates', () => {
    expect(problems([topic()], { 'index-file': 'digests/vla.md' })).toEqual([
      'index-file: "digests/vla.md" is the page of topic "vla"; choose another file (e.g. README.md)'
    ])
    expect(problems([topic()], { 'index-file': 'digests/latest.md' })).toEqual([
      'index-file: "digests/latest.md" is the page of the latest papers; choose another file'
    ])
    expect(problems([topic()], { 'index-file': 'digests/feeds/x.md' })).toEqual([
      'index-file: "digests/feeds/x.md" lies in digests/feeds/, which the digest generates; choose another file'
    ])
    expect(problems([topic()], { 'index-file': 'digests/state/x.md' })).toEqual([
      'index-file: "digests/state/x.md" lies in digests/state/, which the digest generates; choose another file'
    ])
    expect(validateConfig([topic()], 'x', { 'index-file': 'digests/README.md' }).indexFile).toBe(
      'digests/README.md'
    )
  })

  it('numbers and enums say the allowed range or values', () => {
    expect(
      problems({ topics: [topic()], 'lookback-days': 0, sort: 'newest', 'max-authors': 'five' })
    ).toEqual([
      'lookback-days: must be a whole number from 1 to 365 (got number 0)',
      'max-authors: must be a whole number (got string "five")',
      'sort: must be one of date, relevance (got string "newest")'
    ])
  })

  it('reports every problem in one pass, schema and semantic alike', () => {
    const found = problems({
      topics: [topic({ categories: ['cs.XX'] }), topic({ id: 'b', keywords: [] })],
      sort: 1
    })
    expect(found).toHaveLength(3)
    expect(found.join('\n')).toMatch(/cs\.XX/)
  })

  it('a configuration that is not a list or mapping', () => {
    expect(problems('just text')).toEqual([
      'expected a list of topics, or a mapping with `topics:` and options; got string "just text"'
    ])
  })
})

describe("mergeConfiguration: the action's inline topics, topic file and inputs", () => {
  const FILE = {
    path: 'topics.yml',
    text:
      'sort: relevance\nkeep-days: 60\ntemplates: {topic: t.mustache, archive: a.mustache}\n' +
      'topics:\n  - {id: file, title: F, keywords: [x], categories: [cs.RO]}\n'
  }
  const INLINE = '- {id: inline, title: I, keywords: [y], categories: [cs.LG]}'
  const merge = (sources: Partial<ConfigurationSources>) =>
    mergeConfiguration({ topics: '', options: {}, templates: {}, ...sources })

  it('inline topics win over the file, whose options still apply; non-empty inputs win over both', () => {
    const config = merge({
      file: FILE,
      topics: INLINE,
      options: { sort: 'date', 'keep-days': undefined },
      templates: { topic: 'mine.mustache' }
    })
    expect(config.topics.map(t => t.id)).toEqual(['inline'])
    expect(config).toMatchObject({
      sort: 'date',
      keepDays: 60,
      templates: { topic: 'mine.mustache', archive: 'a.mustache' }
    })
  })

  it('the file alone, or the inline topics alone', () => {
    expect(merge({ file: FILE }).topics.map(t => t.id)).toEqual(['file'])
    expect(merge({ topics: INLINE })).toMatchObject({ sort: 'date', keepDays: 30, templates: {} })
  })

  it('names where a problem is', () => {
    const origin = (sources: Partial<ConfigurationSources>) => {
      try {
        merge(sources)
      } catch (error) {
        return (error as ConfigError).origin
      }
    }
    const bad = { options: { 'output-dir': '../x' } }
    expect(origin({ ...bad, topics: INLINE })).toBe('input "topics"')
    expect(origin({ ...bad, file: FILE })).toBe('topics.yml')
    expect(origin({ ...bad, file: FILE, topics: INLINE })).toBe('input "topics" with options from topics.yml')
    expect(origin({ topics: '[a, b' })).toBe('input "topics"')
  })

  it('a topic file that is empty gives no options beside inline topics; any other non-mapping is refused', () => {
    const empty = { path: 'topics.yml', text: '# options later\n' }
    const templates = { topic: 'mine.mustache' }
    expect(merge({ file: empty, topics: INLINE, templates })).toMatchObject({
      topics: [{ id: 'inline' }],
      templates: { topic: 'mine.mustache' }
    })
    const problems = (sources: Partial<ConfigurationSources>) => {
      try {
        merge(sources)
      } catch (error) {
        return [(error as ConfigError).origin, (error as ConfigError).problems]
      }
    }
    const expected = (got: string) => [
      'topics.yml',
      ['expected a list of topics, or a mapping with `topics:` and options; got ' + got]
    ]
    expect(problems({ file: empty, templates })).toEqual(expected('null'))
    expect(problems({ file: { path: 'topics.yml', text: 'just text' }, topics: INLINE, templates })).toEqual(
      expected('string "just text"')
    )
    expect(problems({ file: { path: 'topics.yml', text: '42' }, topics: INLINE })).toEqual(
      expected('number 42')
    )
  })

  it('asks for the topics when neither source is given', () => {
    expect(() => merge({ topics: ' \n' })).toThrow(
      'Give the topics: either inline with the input "topics", or as a file with the input "config".'
    )
  })
})
