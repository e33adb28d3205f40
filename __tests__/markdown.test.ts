import { describe, expect, it } from '@jest/globals'
import { escapeMarkdown, safePath, safeUrl } from '../src/render/markdown.js'

describe('escapeMarkdown', () => {
  it('leaves ordinary prose alone', () => {
    const prose =
      'Vision-Language-Action (VLA) models: a "quoted" and \'single\' word, 3.5x faster, {x}, 50% of 1:1 R&D, e.g. C-JEPA.'
    expect(escapeMarkdown(prose)).toBe(prose)
  })

  it('keeps TeX commands readable: a backslash before a letter stays single', () => {
    expect(escapeMarkdown('\\textit{GigaBrain} and \\our{} ~\\citep{x}')).toBe(
      '\\textit{GigaBrain} and \\our{} \\~\\citep{x}'
    )
  })

  it('doubles a backslash that would otherwise escape the next character or vanish at the end', () => {
    expect(escapeMarkdown('50\\% and \\{x\\}')).toBe('50\\\\% and \\\\{x\\\\}')
    expect(escapeMarkdown('ends with \\')).toBe('ends with \\\\')
    expect(escapeMarkdown('\\*')).toBe('\\\\\\*')
  })

  it.each([
    ['a*b*c', 'a\\*b\\*c'],
    ['``quoted``', '\\`\\`quoted\\`\\`'],
    ['[x]', '\\[x\\]'],
    ['a | b', 'a \\| b'],
    ['~~gone~~', '\\~\\~gone\\~\\~'],
    ['$x^2$ and $\\alpha$', '\\$x^2\\$ and \\$\\alpha\\$'],
    ['![img](x.png)', '!\\[img\\](x.png)']
  ])('escapes markup characters everywhere: %s', (input, output) => {
    expect(escapeMarkdown(input)).toBe(output)
  })

  it('escapes `_` only where it could open or close emphasis', () => {
    expect(escapeMarkdown('snake_case_name x_1')).toBe('snake_case_name x_1')
    expect(escapeMarkdown('_init_ and a_ b')).toBe('\\_init\\_ and a\\_ b')
  })

  it('turns < and > into entities and & only where it would start a character reference', () => {
    expect(escapeMarkdown('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(escapeMarkdown('</details>')).toBe('&lt;/details&gt;')
    expect(escapeMarkdown('R&D, Q & A')).toBe('R&D, Q & A')
    expect(escapeMarkdown('&amp; &#x41; &lt;')).toBe('&amp;amp; &amp;#x41; &amp;lt;')
  })

  it('cannot form a link, image or autolink', () => {
    expect(escapeMarkdown('[click](http://evil)')).toBe('\\[click\\](http\\://evil)')
    expect(escapeMarkdown('see https://x.org or www.evil.com')).toBe('see https\\://x.org or www\\.evil.com')
    expect(escapeMarkdown('mail me@evil.com')).toBe('mail me\\@evil.com')
    expect(escapeMarkdown('<http://evil>')).toBe('&lt;http\\://evil&gt;')
    // Not autolinks: unchanged.
    expect(escapeMarkdown('awww.x @user')).toBe('awww.x @user')
  })

  it.each([
    ['# Title', '\\# Title'],
    ['- item', '\\- item'],
    ['-based', '\\-based'],
    ['+ item', '\\+ item'],
    ['---', '\\---'],
    ['===', '\\==='],
    ['1. First', '1\\. First'],
    ['12) First', '12\\) First'],
    ['> quote', '&gt; quote'],
    ['Solving C #', 'Solving C \\#'],
    ['Solving C ## ', 'Solving C \\#\\# '],
    [' # indented', ' \\# indented'],
    ['\n- indented', ' \\- indented']
  ])('escapes what would start a block at the start of a line: %s', (input, output) => {
    expect(escapeMarkdown(input)).toBe(output)
  })

  it('leaves line-start look-alikes in the middle, and numbers that are not list markers', () => {
    expect(escapeMarkdown('a - b + c = d # e 1. f')).toBe('a - b + c = d # e 1. f')
    expect(escapeMarkdown('1.5x faster; 2024 results; C# code')).toBe('1.5x faster; 2024 results; C# code')
  })

  it('puts everything on one line with single spaces, control characters included', () => {
    expect(escapeMarkdown('a\n\n    b\tc\r\nd\u0000e')).toBe('a b c d e')
  })

  it('keeps non-ASCII text', () => {
    expect(escapeMarkdown('Christian Internò, 𝒳-space, 世界模型')).toBe(
      'Christian Internò, 𝒳-space, 世界模型'
    )
  })
})

describe('safeUrl', () => {
  it('keeps an http(s) URL exactly as written', () => {
    expect(safeUrl('https://lap-vla.github.io')).toBe('https://lap-vla.github.io')
    expect(safeUrl('http://example.org/a?b=c#d')).toBe('http://example.org/a?b=c#d')
    expect(safeUrl('  https://x.org/  ')).toBe('https://x.org/')
  })

  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,<b>x</b>',
    'ftp://example.org/x',
    'mailto:a@b.org',
    '/relative/path',
    '//evil.org/x',
    'https://',
    'https://exa mple.org/',
    '\\href{https://vista-wm.github.io/}{https://vista-wm.github.io}'
  ])('refuses %s', url => {
    expect(safeUrl(url)).toBeUndefined()
  })

  it('percent-encodes what could end the link target or start a title', () => {
    expect(safeUrl('https://en.wikipedia.org/wiki/Foo_(bar) baz')).toBe(
      'https://en.wikipedia.org/wiki/Foo_%28bar%29%20baz'
    )
    expect(safeUrl('https://x.org/<a>"b"\\c|d`e')).toBe('https://x.org/%3Ca%3E%22b%22%5Cc%7Cd%60e')
    expect(safeUrl('https://x.org/é')).toBe('https://x.org/%C3%A9')
  })
})

describe('safePath', () => {
  it('keeps ordinary relative paths and encodes the rest', () => {
    expect(safePath('../README.md')).toBe('../README.md')
    expect(safePath('my docs/x (1).md')).toBe('my%20docs/x%20%281%29.md')
  })

  it('cannot be read as a URL scheme', () => {
    expect(safePath('javascript:alert.md')).toBe('./javascript:alert.md')
  })
})

describe('escapeMarkdown and invisible characters', () => {
  it('removes bidi overrides and isolates, zero-width spaces and the BOM', () => {
    expect(escapeMarkdown('Mallory \u202eevil\u202c \u2066x\u2069 a\u200bb\ufeff')).toBe('Mallory evil x ab')
  })
})
