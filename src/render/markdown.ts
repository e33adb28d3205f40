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
import { FORMAT_CHARACTERS } from '../digest/text.js'
import { Buffer } from 'node:buffer'

/** ASCII punctuation as CommonMark defines it: the characters a backslash can escape. */
const ASCII_PUNCTUATION = /^[!-/:-@[-`{-~]$/

/** Letters and digits of any script: `_` between two of them can never open or close emphasis. */
const WORD_AT_END = /[\p{L}\p{N}]$/u
const WORD_AT_START = /^[\p{L}\p{N}]/u

/** What may precede a `www.` that starts an extended www autolink: not a letter, digit, `_`, `.`, `-`. */
const URL_WORD_AT_END = /[\p{L}\p{N}_.-]$/u

/** Characters an email autolink allows before the `@`. */
const EMAIL_LOCAL = /^[A-Za-z0-9._+-]$/

/** What CommonMark and HTML read as a character reference after `&`. */
const ENTITY_AFTER_AMPERSAND = /^#?[A-Za-z0-9]+;/

/**
 * What can start a block when the text begins a line: a list item (`- `, `+ `, `1. `, `1) `), a
 * thematic break (`---`) or a setext underline (`===`). `*`, `_`, `#` and `>` are handled anyway.
 */
const LINE_START_MARKER = /^(?:[-+=]|\d{1,9}[.)](?= |$))/

/** Runs of whitespace and control characters, each shown as one space. */
// eslint-disable-next-line no-control-regex
const COLLAPSE = /[\s\u0000-\u001f\u007f]+/g

/** What {@link COLLAPSE} would change (anything but a single space); most text has nothing to collapse. */
// eslint-disable-next-line no-control-regex
const COLLAPSIBLE = /[^\S ]|[\u0000-\u001f\u007f]| {2}/

/** A format character or what {@link COLLAPSIBLE} finds: text that the two steps before escaping change. */
const NEEDS_CLEANING = new RegExp(`${FORMAT_CHARACTERS.source}|${COLLAPSIBLE.source}`)

/**
 * Every character some rule of {@link escapeMarkdown} may change. The text between two of them is
 * copied as one slice, so the cost is one regex pass, not one string operation per character.
 */
const SPECIAL = /[`*[\]|~$\\<>&_#:.@]/g

/** Where the rules depend on the position in the line. */
interface LineContext {
  /** Index of the first character after the optional leading space: block syntax starts here. */
  lead: number
  /** Index where the run of `#` (and spaces) that ends the line starts; `#` from here on is escaped. */
  trailingHashes: number
}

/** The first `limit` of `items` escaped (see {@link escapeMarkdown}), joined with ", ". */
export function escapedList(items: readonly string[], limit = items.length): string {
  let out = ''
  for (let i = 0; i < items.length && i < limit; i++) out += (i === 0 ? '' : ', ') + escapeMarkdown(items[i])
  return out
}

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
  // Most text has neither (titles, names, abstracts as parsed): one scan says so.
  const line = NEEDS_CLEANING.test(text) ? visibleLine(text) : text
  // Block syntax may be indented; after the whitespace collapse at most one space precedes it.
  const lead = line.startsWith(' ') ? 1 : 0
  const context: LineContext = { lead, trailingHashes: trailingHashStart(line) }
  const marker = LINE_START_MARKER.exec(line.slice(lead))
  // Only the last character of a marker needs the backslash: `1\.`, `\-`. The marker is ASCII (its
  // length in code units is its length in characters), and the digits before that last character
  // never need escaping.
  const markerEnd = marker ? lead + marker[0].length - 1 : -1
  const head = marker ? line.slice(0, markerEnd) + '\\' + line[markerEnd] : ''
  const start = markerEnd + 1
  return (
    head + line.slice(start).replace(SPECIAL, (_c, offset: number) => escapeAt(line, start + offset, context))
  )
}

/** `text` without format characters, its whitespace and control characters collapsed to single spaces. */
function visibleLine(text: string): string {
  const visible = text.replace(FORMAT_CHARACTERS, '')
  return COLLAPSIBLE.test(visible) ? visible.replace(COLLAPSE, ' ') : visible
}

/**
 * The escaped form of `line[i]`, one of {@link SPECIAL}. Indexes are in code units: every rule that
 * looks at a neighbour either wants an ASCII character there (one code unit, whatever the code point
 * around it) or reads the whole code point (`_` between letters of any script).
 */
function escapeAt(line: string, i: number, context: LineContext): string {
  const c = line[i]!
  switch (c) {
    case '\\':
      // A backslash before punctuation (or at the end, where the template's next character
      // follows) would escape it and vanish; double it so the TeX source shows as written.
      return i + 1 === line.length || ASCII_PUNCTUATION.test(line[i + 1]!) ? '\\\\' : '\\'
    case '<':
      return '&lt;'
    case '>':
      return '&gt;'
    case '&':
      // An entity is ASCII, so 33 code units hold every one that 33 characters could hold.
      return ENTITY_AFTER_AMPERSAND.test(line.slice(i + 1, i + 34)) ? '&amp;' : '&'
    case '_':
      return wordBefore(line, i) && wordAfter(line, i) ? '_' : '\\_'
    case '#':
      return i === context.lead || i >= context.trailingHashes ? '\\#' : '#'
    case ':':
      // `scheme://` would become an extended autolink; an escaped colon stops the autolinker.
      return line[i + 1] === '/' && line[i + 2] === '/' ? '\\:' : ':'
    case '.':
      return isWwwPrefix(line, i) ? '\\.' : '.'
    case '@':
      return EMAIL_LOCAL.test(line[i - 1] ?? '') && /^[A-Za-z0-9]$/.test(line[i + 1] ?? '') ? '\\@' : '@'
    default:
      // `, *, [, ], |, ~, $: each can open inline markup anywhere in a line.
      return '\\' + c
  }
}

/** Where the run of `#` that ends the line starts (`#` closes an ATX heading only there; spaces may follow). */
function trailingHashStart(line: string): number {
  let end = line.length
  while (end > 0 && line[end - 1] === ' ') end--
  while (end > 0 && line[end - 1] === '#') end--
  return end
}

// A code point is at most two code units: the last one of `s.slice(i - 2, i)` (a surrogate pair, or
// the character before `i`) is the character before `i`, as the `u` flag reads it.

/** True when the character before `s[i]` is a letter or digit. */
function wordBefore(s: string, i: number): boolean {
  return WORD_AT_END.test(s.slice(Math.max(0, i - 2), i))
}

/** True when the character after `s[i]` is a letter or digit. */
function wordAfter(s: string, i: number): boolean {
  return WORD_AT_START.test(s.slice(i + 1, i + 3))
}

/** True when `s[i]` is the dot of a `www.` that starts a word (an extended www autolink). */
function isWwwPrefix(s: string, i: number): boolean {
  if (i < 3 || s.slice(i - 3, i).toLowerCase() !== 'www') return false
  return !URL_WORD_AT_END.test(s.slice(Math.max(0, i - 5), i - 3))
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

/** A character {@link percentEncodeUnsafe} encodes: not printable ASCII, or one that ends a link target. */
// eslint-disable-next-line no-control-regex
const URL_UNSAFE = /[\u0000-\u0020\u007f-\uffff()<>"\\|`]/

function percentEncodeUnsafe(s: string): string {
  // Nearly every URL (each paper has two) needs nothing: no per-character copy then.
  if (!URL_UNSAFE.test(s)) return s
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
