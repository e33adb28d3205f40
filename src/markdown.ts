/**
 * Escaping for text and links that come from arXiv (titles, abstracts, author names, URLs) before
 * they go into GitHub-flavoured Markdown pages, inside or outside `<details>` blocks.
 *
 * The goal is that no paper can break a page or slip in links or markup, while the raw Markdown
 * stays readable: letters, digits, spaces, hyphens, dots, commas, apostrophes, quotes, parentheses
 * and braces pass unchanged, and only characters that can open markup are escaped.
 *
 * TeX is kept as raw source text: `$` is escaped so GitHub never turns `$…$` into math. Math
 * rendering would mangle our own escapes inside formulas (`\_` is not a subscript), and an
 * abstract cut at `abstract-length` can leave a lone `$` that would swallow the rest of the page.
 */
import { FORMAT_CHARACTERS } from './arxiv-feed.js'
import { Buffer } from 'node:buffer'

/** ASCII punctuation as CommonMark defines it: the characters a backslash can escape. */
const ASCII_PUNCTUATION = /^[!-/:-@[-`{-~]$/

/** Always escaped with a backslash: each can open inline markup anywhere in a line. */
const ALWAYS = new Set(['`', '*', '[', ']', '|', '~', '$'])

/** Letters and digits of any script: `_` between two of them can never open or close emphasis. */
const WORD = /^[\p{L}\p{N}]$/u

/** Characters an email autolink allows before the `@`. */
const EMAIL_LOCAL = /^[A-Za-z0-9._+-]$/

/** What CommonMark and HTML read as a character reference after `&`. */
const ENTITY_AFTER_AMPERSAND = /^#?[A-Za-z0-9]+;/

/**
 * What can start a block when the text begins a line: a list item (`- `, `+ `, `1. `, `1) `), a
 * thematic break (`---`) or a setext underline (`===`). `*`, `_`, `#` and `>` are handled anyway.
 */
const LINE_START_MARKER = /^(?:[-+=]|\d{1,9}[.)](?= |$))/

/**
 * Escapes plain text for use anywhere in a Markdown line: in a paragraph, a heading, link text or a
 * table cell. Whitespace runs (newlines included) become one space, so the text stays on one line and
 * cannot start a block of its own; the caller trims if it wants to. See the module comment for the
 * policy; `docs/templates.md` has the full table.
 *
 * @param text Text from arXiv (raw TeX kept).
 * @returns The text, safe to paste into a Markdown line.
 */
export function escapeMarkdown(text: string): string {
  // Format characters (bidi overrides, zero-width spaces) could reorder or hide text: removed.
  // Control characters would be invisible or rewritten by the renderer; treat them as spaces.
  // eslint-disable-next-line no-control-regex
  const chars = Array.from(text.replace(FORMAT_CHARACTERS, '').replace(/[\s\u0000-\u001f\u007f]+/g, ' '))
  // Block syntax may be indented; after the whitespace collapse at most one space precedes it.
  const lead = chars[0] === ' ' ? 1 : 0
  const marker = LINE_START_MARKER.exec(chars.slice(lead).join(''))
  // Only the last character of a marker needs the backslash: `1\.`, `\-`.
  const markerEnd = marker ? lead + Array.from(marker[0]).length - 1 : -1
  // `#` closes an ATX heading only in the run that ends the line (spaces may follow it).
  let trailingHashes = chars.length
  while (trailingHashes > 0 && chars[trailingHashes - 1] === ' ') trailingHashes--
  while (trailingHashes > 0 && chars[trailingHashes - 1] === '#') trailingHashes--
  let out = ''
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    const prev = chars[i - 1] ?? ''
    const next = chars[i + 1] ?? ''
    if (ALWAYS.has(c)) out += '\\' + c
    else if (c === '\\') {
      // A backslash before punctuation (or at the end, where the template's next character
      // follows) would escape it and vanish; double it so the TeX source shows as written.
      out += next === '' || ASCII_PUNCTUATION.test(next) ? '\\\\' : '\\'
    } else if (c === '<') out += '&lt;'
    else if (c === '>') out += '&gt;'
    else if (c === '&')
      out += ENTITY_AFTER_AMPERSAND.test(chars.slice(i + 1, i + 34).join('')) ? '&amp;' : '&'
    else if (c === '_') out += WORD.test(prev) && WORD.test(next) ? '_' : '\\_'
    else if (c === '#') out += i === lead || i >= trailingHashes ? '\\#' : '#'
    else if (i === markerEnd) out += '\\' + c
    else if (c === ':' && next === '/' && chars[i + 2] === '/') {
      // `scheme://` would become an extended autolink; an escaped colon stops the autolinker.
      out += '\\:'
    } else if (c === '.' && isWwwPrefix(chars, i)) out += '\\.'
    else if (c === '@' && EMAIL_LOCAL.test(prev) && /^[A-Za-z0-9]$/.test(next)) out += '\\@'
    else out += c
  }
  return out
}

/** True when `chars[i]` is the dot of a `www.` that starts a word (an extended www autolink). */
function isWwwPrefix(chars: string[], i: number): boolean {
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

/**
 * Makes an absolute link target safe for `[text](url)` and `<a href>`: only `http:` and `https:` URLs
 * are accepted, and characters that could end the destination or start a title (spaces, `(`, `)`,
 * `<`, `>`, `"`, `\`, `|`, backquote) or that are not printable ASCII are percent-encoded. The URL is
 * otherwise kept as written (no normalisation), so `https://lap-vla.github.io` gains no slash.
 *
 * @param url A URL from the paper's metadata or from the link extractor.
 * @returns The encoded URL, or undefined when it is not an http(s) URL; the caller drops the link.
 */
export function safeUrl(url: string): string | undefined {
  const trimmed = url.trim()
  if (!/^https?:\/\/[^/?#\s]/i.test(trimmed)) return undefined
  try {
    new URL(trimmed)
  } catch {
    return undefined
  }
  return percentEncodeUnsafe(trimmed)
}

/**
 * Makes a repository-relative link (`../README.md`, `archive/vla/2026-01.md`) safe as a link target:
 * each path segment is percent-encoded like {@link safeUrl} does, `/` kept.
 *
 * @param path A relative path with POSIX separators.
 * @returns The encoded path.
 */
export function safePath(path: string): string {
  // A colon before the first slash would read as a URL scheme (`javascript:x.md`).
  const encoded = percentEncodeUnsafe(path)
  return /^[^/]*:/.test(encoded) ? './' + encoded : encoded
}

function percentEncodeUnsafe(s: string): string {
  let out = ''
  for (const c of s) {
    const code = c.codePointAt(0)!
    out += code <= 0x20 || code >= 0x7f || '()<>"\\|`'.includes(c) ? encodeUtf8(c) : c
  }
  return out
}

// Buffer rather than encodeURIComponent: a lone surrogate from a bad feed must not throw.
function encodeUtf8(c: string): string {
  let out = ''
  for (const byte of Buffer.from(c, 'utf8')) out += '%' + byte.toString(16).toUpperCase().padStart(2, '0')
  return out
}
