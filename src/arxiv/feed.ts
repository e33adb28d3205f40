/**
 * Parses one page of arXiv's Atom response (docs/arxiv.md, "Responses") into `Paper` records.
 * Namespace prefixes are dropped, so `arxiv:comment` and `opensearch:totalResults` are found whatever
 * prefix the server declares.
 */
import { clean, FORMAT_CHARACTERS } from '../digest/text.js'
import { SaxesParser } from 'saxes'
import type { Paper } from '../digest/types.js'

/** One parsed response page. */
export interface FeedPage {
  /** `opensearch:totalResults`: how many papers the whole query matches. */
  totalResults: number
  papers: Paper[]
}

/** arXiv answered with an Atom error entry: the query or its parameters are wrong. Never retried. */
export class ArxivApiError extends Error {
  override readonly name = 'ArxivApiError'
  /** arXiv's own message (the error entry's `<summary>`). */
  readonly arxivMessage: string

  /** @param arxivMessage the error entry's summary; @param context what was asked, appended to the message. */
  constructor(arxivMessage: string, context?: string) {
    super(`arXiv rejected the request: ${arxivMessage}${context ? ` (${context})` : ''}`)
    this.arxivMessage = arxivMessage
  }
}

/** The body is not a complete Atom feed (blank, HTML, truncated). Transient on arXiv, so retryable. */
export class FeedFormatError extends Error {
  override readonly name = 'FeedFormatError'
}

/** The fields of one `<entry>`, as the body gives them (entities decoded, whitespace kept). */
interface RawEntry {
  /** Text of the entry's child elements by local name (`id`, `title`, `summary`, `comment`, …). */
  fields: Map<string, string>
  authors: string[]
  /** `term` of each `<category>`. */
  categories: string[]
  /** `term` of `<arxiv:primary_category>`. */
  primaryCategory?: string
}

/** A whole response, read by {@link readFeed}. */
interface RawFeed {
  /** Text of the feed's child elements by local name (`totalResults`, …). */
  fields: Map<string, string>
  entries: RawEntry[]
}

/** Elements of a feed and of an entry whose text is read. */
const FEED_FIELDS = new Set(['totalResults'])
const ENTRY_FIELDS = new Set([
  'id',
  'title',
  'summary',
  'updated',
  'published',
  'comment',
  'journal_ref',
  'doi'
])

/**
 * Failures saxes reports and carries on from, which are tolerated as the earlier parser tolerated
 * them: a character XML does not allow (kept; renderers drop what their format cannot carry) and an
 * undefined entity reference such as `&nbsp;` (kept as written). Anything else is not XML.
 */
const TOLERATED = /: (?:disallowed character|undefined entity)\.$/

/** Local name of a qualified name: namespace prefixes are dropped, so any prefix is accepted. */
function local(name: string): string {
  const colon = name.indexOf(':')
  return colon < 0 ? name : name.slice(colon + 1)
}

/**
 * Reads the elements of a feed the digest uses in one pass of a streaming parser (saxes), checking
 * well-formedness as it goes; nothing else of the body is kept. Strings may still be views into
 * the body: {@link collapse} detaches what a paper keeps.
 */
function readFeed(xml: string): RawFeed {
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true })
  const feed: RawFeed = { fields: new Map(), entries: [] }
  let isFeed = false
  // Local names of the open elements.
  const open: string[] = []
  // The element whose text is being read: its depth, its text so far, and where the text goes.
  let field: { depth: number; text: string; done: (text: string) => void } | undefined
  let entry: RawEntry | undefined
  let author: { name?: string } | undefined
  const read = (depth: number, done: (text: string) => void) => (field = { depth, text: '', done })
  // The first of a repeated element counts.
  const into = (fields: Map<string, string>, name: string) => (text: string) => {
    if (!fields.has(name)) fields.set(name, text)
  }
  parser.on('error', error => {
    if (TOLERATED.test(error.message)) return
    // The message quotes names cut out of the body (see `detached`); a failure message lasts the run.
    throw new FeedFormatError(`Response is not well-formed XML (${detached(error.message)}); truncated?`)
  })
  parser.on('doctype', () => {
    // arXiv never sends a DTD; refusing one rules out entity-expansion tricks from a misbehaving proxy.
    throw new FeedFormatError('Response has a DOCTYPE; not an arXiv Atom feed')
  })
  parser.on('opentag', tag => {
    const name = local(tag.name)
    const depth = open.push(name)
    if (depth === 1) isFeed = name === 'feed'
    if (!isFeed || field) return
    if (depth === 2) {
      if (name === 'entry') entry = { fields: new Map(), authors: [], categories: [] }
      else if (FEED_FIELDS.has(name)) read(depth, into(feed.fields, name))
    } else if (depth === 3 && entry) {
      if (ENTRY_FIELDS.has(name)) read(depth, into(entry.fields, name))
      else if (name === 'author') author = {}
      else if (name === 'category') entry.categories.push(tag.attributes.term ?? '')
      else if (name === 'primary_category') entry.primaryCategory ??= tag.attributes.term ?? ''
    } else if (depth === 4 && author && name === 'name') {
      const of = author
      read(depth, text => (of.name ??= text))
    }
  })
  const onText = (text: string) => {
    // Only the field's own text, as the earlier parser read mixed content.
    if (field && open.length === field.depth) field.text += text
  }
  parser.on('text', onText)
  parser.on('cdata', onText)
  parser.on('closetag', () => {
    const depth = open.length
    open.pop()
    if (field) {
      if (depth === field.depth) {
        field.done(field.text)
        field = undefined
      }
    } else if (depth === 3 && author) {
      entry!.authors.push(author.name ?? '')
      author = undefined
    } else if (depth === 2 && entry) {
      feed.entries.push(entry)
      entry = undefined
    }
  })
  parser.write(xml).close()
  if (!isFeed) throw new FeedFormatError('Response is XML but not an Atom <feed>')
  return feed
}

/** Whitespace collapsed, format characters removed, trimmed; a string of its own (see `detached`). */
function collapse(value: string | undefined): string {
  if (value === undefined) return ''
  return detached(clean(value.replace(FORMAT_CHARACTERS, '')))
}

/**
 * A copy of `s` that shares no memory with the response body. V8 represents a substring of 13 or more
 * characters as a view into its parent, and the XML parser cuts attribute values out of the body that
 * way: one `<category term="physics.comp-ph">` kept with its paper kept the whole page (megabytes)
 * alive for the run. Slicing a concatenation makes V8 copy the characters into a new string; unlike a
 * Buffer round trip, this keeps a lone surrogate as it is.
 */
function detached(s: string): string {
  return (' ' + s).slice(1)
}

/**
 * Longest accepted field lengths, in characters; longer text is cut with "…". Far above any real
 * paper's (titles run to about 250, author names to about 60, comments to a few hundred), so only
 * hostile or broken entries are cut, and one of them cannot crowd everything else out of a page or
 * a pull request body.
 */
export const FIELD_LIMITS = {
  title: 500,
  author: 200,
  authors: 500,
  comment: 2000,
  journalRef: 500,
  abstract: 10_000
}

function cut(s: string, limit: number): string {
  return s.length <= limit
    ? s
    : `${Array.from(s)
        .slice(0, limit - 1)
        .join('')}…`
}

function optional(value: string | undefined): string | undefined {
  const s = collapse(value)
  return s.length > 0 ? s : undefined
}

function integer(value: string | undefined, name: string): number {
  const s = collapse(value)
  if (!/^\d+$/.test(s)) throw new FeedFormatError(`Atom feed has no valid ${name} (${JSON.stringify(s)})`)
  return Number(s)
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|z|[+-]\d{2}:?\d{2})$/

/**
 * Normalises an RFC 3339 time with any offset to `YYYY-MM-DDTHH:MM:SSZ` in UTC.
 * @throws FeedFormatError for anything else.
 */
export function toUtcSeconds(value: string): string {
  const m = RFC3339.exec(value.trim())
  if (!m) throw new FeedFormatError(`Not an RFC 3339 time: ${JSON.stringify(value)}`)
  const [, y, mo, d, h, mi, s, zone] = m
  let offsetMinutes = 0
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)))
  }
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) - offsetMinutes * 60_000
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

const ABS_PREFIX = /^https?:\/\/(?:export\.)?arxiv\.org\/abs\//i
const VERSION = /v\d+$/

function isErrorEntry(entry: RawEntry): boolean {
  return (
    collapse(entry.fields.get('id')).includes('/api/errors') ||
    collapse(entry.fields.get('title')) === 'Error'
  )
}

function toPaper(entry: RawEntry): Paper {
  const field = (name: string) => entry.fields.get(name)
  const rawId = collapse(field('id'))
  const versionedId = rawId.replace(ABS_PREFIX, '')
  if (versionedId === '' || versionedId === rawId) {
    throw new FeedFormatError(`Atom entry has no arXiv abs id: ${JSON.stringify(rawId)}`)
  }
  const updatedText = collapse(field('updated'))
  const publishedText = collapse(field('published')) || updatedText
  if (publishedText === '') throw new FeedFormatError(`Atom entry ${versionedId} has no published date`)
  const published = toUtcSeconds(publishedText)
  const categories = entry.categories.map(collapse).filter(c => c !== '')
  const paper: Paper = {
    id: versionedId.replace(VERSION, ''),
    versionedId,
    title: cut(collapse(field('title')), FIELD_LIMITS.title),
    abstract: cut(collapse(field('summary')), FIELD_LIMITS.abstract),
    authors: entry.authors
      .map(a => cut(collapse(a), FIELD_LIMITS.author))
      .filter(a => a !== '')
      .slice(0, FIELD_LIMITS.authors),
    categories,
    primaryCategory: collapse(entry.primaryCategory) || (categories[0] ?? ''),
    published,
    updated: updatedText ? toUtcSeconds(updatedText) : published
  }
  const comment = optional(field('comment'))
  const journalRef = optional(field('journal_ref'))
  const doi = optional(field('doi'))
  if (comment) paper.comment = cut(comment, FIELD_LIMITS.comment)
  if (journalRef) paper.journalRef = cut(journalRef, FIELD_LIMITS.journalRef)
  if (doi) paper.doi = doi
  return paper
}

/**
 * Parses one API response body.
 * @throws ArxivApiError if the feed is arXiv's error feed (its message in `arxivMessage`).
 * @throws FeedFormatError if the body is blank, not XML, truncated, or not an Atom feed.
 */
export function parseFeed(xml: string): FeedPage {
  if (xml.trim() === '') throw new FeedFormatError('Empty response body (expected an Atom feed)')
  const { fields, entries } = readFeed(xml)
  const error = entries.find(isErrorEntry)
  if (error) throw new ArxivApiError(collapse(error.fields.get('summary')) || 'unknown error')
  const papers = entries.map(toPaper)
  return {
    totalResults: integer(fields.get('totalResults'), 'opensearch:totalResults'),
    papers
  }
}
