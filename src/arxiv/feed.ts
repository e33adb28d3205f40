/**
 * Parses one page of arXiv's Atom response (docs/arxiv.md, "Responses") into `Paper` records.
 * Namespace prefixes are dropped, so `arxiv:comment` and `opensearch:totalResults` are found whatever
 * prefix the server declares.
 */
import { clean, FORMAT_CHARACTERS } from '../digest/text.js'
import { isUtcSeconds } from '../digest/time.js'
import { SaxesParser } from 'saxes'
import { paperRecord, type Paper } from '../digest/types.js'

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

/** Elements of an entry whose text is read, by local name. */
type EntryField = 'id' | 'title' | 'summary' | 'updated' | 'published' | 'comment' | 'journal_ref' | 'doi'
const ENTRY_FIELDS: ReadonlySet<string> = new Set<EntryField>([
  'id',
  'title',
  'summary',
  'updated',
  'published',
  'comment',
  'journal_ref',
  'doi'
])

/** The fields of one `<entry>`, each collapsed (see {@link collapse}) as it is read. */
interface RawEntry {
  /** Text of the entry's child elements by local name (`id`, `title`, `summary`, `comment`, …). */
  fields: Partial<Record<EntryField, string>>
  authors: string[]
  /** `term` of each `<category>`. */
  categories: string[]
  /** `term` of `<arxiv:primary_category>`. */
  primaryCategory?: string
}

/** A whole response, read by {@link readFeed}. */
interface RawFeed {
  /** Text of `opensearch:totalResults`, collapsed. */
  totalResults?: string
  entries: RawEntry[]
}

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
 * well-formedness as it goes; nothing else of the body is kept. Each field is collapsed when its
 * element closes, so what an entry holds until its paper is made is one string of its own per field
 * (see `detached`), not the pieces saxes cut out of the body.
 */
function readFeed(xml: string): RawFeed {
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true })
  const feed: RawFeed = { entries: [] }
  let isFeed = false
  // Depth of the innermost open element (1: the root).
  let depth = 0
  // The element whose text is being read (depth 0: none): its local name and its text so far.
  let fieldDepth = 0
  let fieldName = ''
  let text = ''
  let entry: RawEntry | undefined
  let author: { name?: string } | undefined
  // Text is taken only inside a field: between elements there is only white space, and a parser
  // without a text handler neither cuts it out of the body nor hands it over (a dozen times per entry).
  const read = (name: string) => {
    fieldDepth = depth
    fieldName = name
    parser.on('text', onText)
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
    depth++
    // Nothing inside a field, and nothing deeper than an author's name, is read.
    if (fieldDepth !== 0 || depth > 4 || (depth > 1 && !isFeed)) return
    const name = local(tag.name)
    if (depth === 1) isFeed = name === 'feed'
    else if (depth === 2) {
      if (name === 'entry') entry = { fields: {}, authors: [], categories: [] }
      else if (name === 'totalResults') read(name)
    } else if (depth === 3) {
      if (!entry) return
      if (ENTRY_FIELDS.has(name)) read(name)
      else if (name === 'author') author = {}
      else if (name === 'category') entry.categories.push(collapse(tag.attributes.term))
      else if (name === 'primary_category') entry.primaryCategory ??= collapse(tag.attributes.term)
    } else if (author && name === 'name') read(name)
  })
  const onText = (t: string) => {
    // Only the field's own text, as the earlier parser read mixed content.
    if (fieldDepth !== 0 && depth === fieldDepth) text += t
  }
  parser.on('cdata', onText)
  parser.on('closetag', () => {
    const closing = depth--
    if (fieldDepth !== 0) {
      if (closing !== fieldDepth) return
      // The first of a repeated element counts.
      if (closing === 2) feed.totalResults ??= collapse(text)
      else if (closing === 3) entry!.fields[fieldName as EntryField] ??= collapse(text)
      else author!.name ??= collapse(text)
      fieldDepth = 0
      text = ''
      parser.off('text')
    } else if (closing === 3 && author) {
      entry!.authors.push(author.name ?? '')
      author = undefined
    } else if (closing === 2 && entry) {
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
  if (isCollapsed(value)) return detached(value)
  return detached(clean(value.replace(FORMAT_CHARACTERS, '')))
}

/**
 * Whether {@link collapse} would return `value` unchanged, tested without a regular expression, as
 * most fields are (ids, dates, author names, categories): ASCII with no tab, line break, leading,
 * trailing or double space. Anything above ASCII takes the full path (format characters and
 * non-ASCII spaces are all above ASCII).
 */
function isCollapsed(value: string): boolean {
  const last = value.length - 1
  let space = true // at the start, a space is leading
  for (let i = 0; i <= last; i++) {
    const c = value.charCodeAt(i)
    if (c === 32) {
      if (space || i === last) return false
      space = true
    } else if (c >= 128 || (c >= 9 && c <= 13)) return false
    else space = false
  }
  return true
}

/**
 * A copy of `s` that shares no memory with the response body. V8 represents a substring of 13 or more
 * characters as a view into its parent, and the XML parser cuts attribute values out of the body that
 * way: one `<category term="physics.comp-ph">` kept with its paper kept the whole page (megabytes)
 * alive for the run. Slicing a concatenation makes V8 copy the characters into a new string; unlike a
 * Buffer round trip, this keeps a lone surrogate as it is. A shorter string is a copy already.
 */
function detached(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1)
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

/** @param s collapsed text. */
function integer(s: string, name: string): number {
  if (!/^\d+$/.test(s)) throw new FeedFormatError(`Atom feed has no valid ${name} (${JSON.stringify(s)})`)
  return Number(s)
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|z|[+-]\d{2}:?\d{2})$/

/**
 * Normalises an RFC 3339 time with any offset to `YYYY-MM-DDTHH:MM:SSZ` in UTC.
 * @throws FeedFormatError for anything else.
 */
export function toUtcSeconds(value: string): string {
  if (isUtcSeconds(value)) return value
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
  return (entry.fields.id ?? '').includes('/api/errors') || entry.fields.title === 'Error'
}

function toPaper(entry: RawEntry): Paper {
  const { fields } = entry
  const rawId = fields.id ?? ''
  const versionedId = rawId.replace(ABS_PREFIX, '')
  if (versionedId === '' || versionedId === rawId) {
    throw new FeedFormatError(`Atom entry has no arXiv abs id: ${JSON.stringify(rawId)}`)
  }
  const updatedText = fields.updated ?? ''
  const publishedText = fields.published || updatedText
  if (publishedText === '') throw new FeedFormatError(`Atom entry ${versionedId} has no published date`)
  const published = toUtcSeconds(publishedText)
  const categories = entry.categories.filter(c => c !== '')
  const authors: string[] = []
  for (const name of entry.authors) {
    if (authors.length === FIELD_LIMITS.authors) break
    if (name !== '') authors.push(cut(name, FIELD_LIMITS.author))
  }
  return paperRecord({
    id: versionedId.replace(VERSION, ''),
    versionedId,
    title: cut(fields.title ?? '', FIELD_LIMITS.title),
    abstract: cut(fields.summary ?? '', FIELD_LIMITS.abstract),
    authors,
    categories,
    primaryCategory: entry.primaryCategory || (categories[0] ?? ''),
    published,
    updated: updatedText ? toUtcSeconds(updatedText) : published,
    comment: fields.comment ? cut(fields.comment, FIELD_LIMITS.comment) : undefined,
    journalRef: fields.journal_ref ? cut(fields.journal_ref, FIELD_LIMITS.journalRef) : undefined,
    doi: fields.doi || undefined
  })
}

/**
 * Parses one API response body.
 * @throws ArxivApiError if the feed is arXiv's error feed (its message in `arxivMessage`).
 * @throws FeedFormatError if the body is blank, not XML, truncated, or not an Atom feed.
 */
export function parseFeed(xml: string): FeedPage {
  if (xml.trim() === '') throw new FeedFormatError('Empty response body (expected an Atom feed)')
  const { totalResults, entries } = readFeed(xml)
  const error = entries.find(isErrorEntry)
  if (error) throw new ArxivApiError(error.fields.summary || 'unknown error')
  const papers = entries.map(toPaper)
  return {
    totalResults: integer(totalResults ?? '', 'opensearch:totalResults'),
    papers
  }
}
