/**
 * The linear `escapeMarkdown` and the render path that escapes only what a page shows must give
 * exactly what the first implementation gave. That implementation (one character at a time over an
 * `Array.from` copy, every field escaped in full) is kept here as the reference, and both are run on
 * many generated strings made of the pieces that have caught escaping code out: TeX, backslashes
 * before punctuation, entities, `#` runs, list markers, autolinks, surrogate pairs and lone
 * surrogates, bidi controls, control characters and long whitespace runs.
 */
import { describe, expect, it } from '@jest/globals'
import { FORMAT_CHARACTERS } from '../src/digest/text.js'
import { escapeMarkdown } from '../src/render/markdown.js'
import { codePointPrefix } from '../src/render/views.js'
import { loadTemplates, type Templates } from '../src/render/templates.js'
import { renderTopic } from '../src/render/pages.js'
import type { Config, Paper, Topic } from '../src/digest/types.js'
import { defaultConfig } from '../test-support/setup.js'
import { random } from '../test-support/random.js'

// ---------------------------------------------------------------------------------------------------
// The reference: src/render/markdown.ts and render.ts as they were before the linear builder.

const ASCII_PUNCTUATION = /^[!-/:-@[-`{-~]$/
const ALWAYS = new Set(['`', '*', '[', ']', '|', '~', '$'])
const WORD = /^[\p{L}\p{N}]$/u
const EMAIL_LOCAL = /^[A-Za-z0-9._+-]$/
const ENTITY_AFTER_AMPERSAND = /^#?[A-Za-z0-9]+;/
const LINE_START_MARKER = /^(?:[-+=]|\d{1,9}[.)](?= |$))/

function referenceEscape(text: string): string {
  // eslint-disable-next-line no-control-regex
  const chars = Array.from(text.replace(FORMAT_CHARACTERS, '').replace(/[\s\u0000-\u001f\u007f]+/g, ' '))
  const lead = chars[0] === ' ' ? 1 : 0
  const marker = LINE_START_MARKER.exec(chars.slice(lead).join(''))
  const markerEnd = marker ? lead + Array.from(marker[0]).length - 1 : -1
  let trailingHashes = chars.length
  while (trailingHashes > 0 && chars[trailingHashes - 1] === ' ') trailingHashes--
  while (trailingHashes > 0 && chars[trailingHashes - 1] === '#') trailingHashes--
  let out = ''
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    const prev = chars[i - 1] ?? ''
    const next = chars[i + 1] ?? ''
    if (ALWAYS.has(c)) out += '\\' + c
    else if (c === '\\') out += next === '' || ASCII_PUNCTUATION.test(next) ? '\\\\' : '\\'
    else if (c === '<') out += '&lt;'
    else if (c === '>') out += '&gt;'
    else if (c === '&')
      out += ENTITY_AFTER_AMPERSAND.test(chars.slice(i + 1, i + 34).join('')) ? '&amp;' : '&'
    else if (c === '_') out += WORD.test(prev) && WORD.test(next) ? '_' : '\\_'
    else if (c === '#') out += i === lead || i >= trailingHashes ? '\\#' : '#'
    else if (i === markerEnd) out += '\\' + c
    else if (c === ':' && next === '/' && chars[i + 2] === '/') out += '\\:'
    else if (c === '.' && referenceIsWww(chars, i)) out += '\\.'
    else if (c === '@' && EMAIL_LOCAL.test(prev) && /^[A-Za-z0-9]$/.test(next)) out += '\\@'
    else out += c
  }
  return out
}

function referenceIsWww(chars: string[], i: number): boolean {
  if (
    i < 3 ||
    chars
      .slice(i - 3, i)
      .join('')
      .toLowerCase() !== 'www'
  )
    return false
  const before = chars[i - 4]
  return before === undefined || !/^[\p{L}\p{N}_.-]$/u.test(before)
}

const clean = (text: string): string => text.replace(/\s+/g, ' ').trim()

/** The reference's author and abstract fields of a paper view. */
function referenceFields(paper: Paper, config: Config): Record<string, string> {
  const names = paper.authors.map(clean).filter(name => name !== '')
  const shown = names.slice(0, config.maxAuthors).map(referenceEscape).join(', ')
  const abstract = clean(paper.abstract)
  const points = Array.from(abstract)
  const truncated = points.length > config.abstractLength
  return {
    authors: names.length > config.maxAuthors ? `${shown} et al. (${names.length} authors)` : shown,
    allAuthors: names.map(referenceEscape).join(', '),
    abstract: truncated
      ? referenceEscape(points.slice(0, config.abstractLength).join('')) + '...'
      : referenceEscape(abstract),
    abstractFull: referenceEscape(abstract),
    abstractTruncated: String(truncated),
    hasAbstract: String(abstract !== '' && config.abstractLength > 0),
    comment: referenceEscape(clean(paper.comment ?? '')),
    title: referenceEscape(clean(paper.title))
  }
}

// ---------------------------------------------------------------------------------------------------
// Generated input

/** Pieces that trip escaping up, alone or next to each other. */
const PIECES = [
  'a',
  'Zo',
  'word',
  'x_1',
  'snake_case',
  '_init_',
  '_',
  '__',
  '\\_',
  '\\',
  '\\\\',
  '\\%',
  '\\{',
  '\\alpha',
  '$',
  '$x^2$',
  '$\\mathcal{L}$',
  '`',
  '*',
  '**',
  '[',
  ']',
  '|',
  '~',
  '<',
  '>',
  '</details>',
  '&',
  '&amp;',
  '&#x41;',
  '&lt;',
  '&nbsp',
  '&a1234567890123456789012345678901;',
  '#',
  '##',
  ' #',
  '# ',
  'C#',
  '-',
  '+',
  '=',
  '---',
  '1.',
  '12)',
  '123456789.',
  '1234567890.',
  '1.5x',
  '.',
  ':',
  '//',
  '://',
  'http://',
  'https:',
  'www.',
  'WWW.',
  'awww.',
  '_www.',
  'ww',
  '@',
  'me@x.com',
  'a@',
  '@b',
  '😀',
  '𝒳',
  '世界',
  'é',
  'İ',
  'K',
  '\ud835',
  '\udcb3',
  '\ud835\ud835',
  '\u202e',
  '\u202c',
  '\u2066',
  '\u2069',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\u061c',
  '\u0000',
  '\u0007',
  '\u001f',
  '\u007f',
  '\u00a0',
  '\u2028',
  '\u3000',
  ' ',
  '  ',
  '\n',
  '\t',
  '\r\n',
  ' \n\t ',
  ' '.repeat(40),
  '\n'.repeat(12),
  ',',
  '(',
  ')',
  '{',
  '}',
  '"',
  "'",
  '0',
  '9'
]

function generate(next: () => number, maxPieces: number): string {
  const count = Math.floor(next() * (maxPieces + 1))
  let s = ''
  for (let i = 0; i < count; i++) s += PIECES[Math.floor(next() * PIECES.length)]
  return s
}

// ---------------------------------------------------------------------------------------------------

describe('escapeMarkdown equals the reference implementation', () => {
  it('on every piece, every pair of pieces and each piece at the start and end of a line', () => {
    for (const a of PIECES) {
      for (const b of PIECES) {
        for (const s of [a + b, ' ' + a + b, a + ' ' + b, a + b + ' '])
          expect(escapeMarkdown(s)).toBe(referenceEscape(s))
      }
    }
  })

  it('on 20,000 generated strings', () => {
    const next = random(20260213)
    for (let i = 0; i < 20_000; i++) {
      const s = generate(next, 24)
      const got = escapeMarkdown(s)
      if (got !== referenceEscape(s)) expect({ input: s, got }).toEqual({ input: s, got: referenceEscape(s) })
    }
  })

  it('on a long TeX-heavy abstract', () => {
    const abstract =
      'We study $\\alpha_t$-mixing of \\emph{world models} (see https://x.org & www.y.com) at 50\\% cost; ' +
      'C# and F# code, x_1 < y_2 > z, a_b_c, _start_, e-mail me@lab.org. #1 result! '
    expect(escapeMarkdown(abstract.repeat(40))).toBe(referenceEscape(abstract.repeat(40)))
  })
})

describe('codePointPrefix', () => {
  it('cuts where Array.from would, surrogate pairs and lone surrogates included', () => {
    const next = random(7)
    for (let i = 0; i < 5_000; i++) {
      const s = generate(next, 12)
      const limit = Math.floor(next() * 30)
      const points = Array.from(s)
      expect(codePointPrefix(s, limit)).toBe(
        points.length > limit ? points.slice(0, limit).join('') : undefined
      )
    }
  })
})

describe('rendering escapes only what is shown, with the same bytes', () => {
  const topic: Topic = {
    id: 'eq',
    title: 'Equivalence',
    description: '',
    keywords: ['x'],
    categories: [],
    require: [],
    exclude: [],
    authors: []
  }
  const FIELDS = [
    'title',
    'authors',
    'allAuthors',
    'abstract',
    'abstractFull',
    'abstractTruncated',
    'hasAbstract',
    'comment'
  ]
  // `<…>` around each value keeps the trailing-space trim of `render` away from it.
  const template = `{{#papers}}\n${FIELDS.map(f => `${f}<{{{${f}}}}>`).join('\n')}\n{{/papers}}\n`

  function paper(i: number, next: () => number): Paper {
    const authorCount = Math.floor(next() * 9)
    return {
      id: `2602.${String(i).padStart(5, '0')}`,
      versionedId: `2602.${String(i).padStart(5, '0')}v1`,
      title: generate(next, 8),
      abstract: generate(next, 60),
      authors: Array.from({ length: authorCount }, () => generate(next, 4)),
      ...(next() < 0.5 ? { comment: generate(next, 10) } : {}),
      categories: ['cs.RO'],
      primaryCategory: 'cs.RO',
      published: '2026-02-10T12:00:00Z',
      updated: '2026-02-10T12:00:00Z'
    }
  }

  it('for many papers, abstract lengths and author limits', async () => {
    const shipped = await loadTemplates({}, async () => undefined)
    const templates: Templates = { ...shipped, topic: template }
    const next = random(42)
    for (const abstractLength of [0, 1, 2, 3, 7, 20, 50, 500]) {
      for (const maxAuthors of [0, 1, 2, 5]) {
        const config: Config = { ...defaultConfig(), abstractLength, maxAuthors }
        const papers = Array.from({ length: 60 }, (_, i) => paper(i, next))
        const page = renderTopic({
          topic,
          entries: papers.map(p => ({
            paper: p,
            firstSeen: '2026-02-13T22:23:00Z',
            links: {},
            score: 0,
            reason: '',
            alsoIn: []
          })),
          config,
          templates
        }).get('digests/eq.md')!
        // renderTopic lists the papers newest first, then by id descending: all share a date here.
        const expected = [...papers]
          .reverse()
          .map(p => {
            const fields = referenceFields(p, config)
            return FIELDS.map(f => `${f}<${fields[f]}>`).join('\n')
          })
          .join('\n')
        expect(page).toBe(expected + '\n')
      }
    }
  })
})
