/**
 * Parses one page of arXiv's Atom response (docs/arxiv.md, "Responses") into `Paper` records.
 * Namespace prefixes are dropped, so `arxiv:comment` and `opensearch:totalResults` are found whatever
 * prefix the server declares.
 */
import { clean, FORMAT_CHARACTERS } from '../digest/text.js'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import type { Paper } from '../digest/types.js'

/** One parsed response page. */
export interface FeedPage {
  /** `opensearch:totalResults`: how many papers the whole query matches. */
  totalResults: number
  /** `opensearch:startIndex`: the `start` this page was asked for. */
  startIndex: number
  /** `opensearch:itemsPerPage`: the requested `max_results` (not the number of entries returned). */
  itemsPerPage: number
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

type Node = Record<string, unknown>

const ARRAY_TAGS = new Set(['entry', 'author', 'category', 'link'])

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  // Titles like "2048" must stay strings.
  parseTagValue: false,
  parseAttributeValue: false,
  // Decodes numeric character references (&#233;); &amp; is decoded once, never twice.
  htmlEntities: true,
  isArray: (tagName, _path, _leaf, isAttribute) => !isAttribute && ARRAY_TAGS.has(tagName)
})

/** Text content of an element, whether the parser gave a string or an object with attributes. */
function text(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value && typeof value === 'object' && '#text' in value) return text((value as Node)['#text'])
  return ''
}

/** Whitespace collapsed, format characters removed, trimmed; a string of its own (see `detached`). */
function collapse(value: unknown): string {
  return detached(clean(text(value).replace(FORMAT_CHARACTERS, '')))
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

function optional(value: unknown): string | undefined {
  const s = collapse(value)
  return s.length > 0 ? s : undefined
}

function list(value: unknown): Node[] {
  if (Array.isArray(value)) return value.filter((v): v is Node => typeof v === 'object' && v !== null)
  return []
}

function integer(value: unknown, name: string, fallback?: number): number {
  const s = collapse(value)
  if (s === '' && fallback !== undefined) return fallback
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

function isErrorEntry(entry: Node): boolean {
  return collapse(entry.id).includes('/api/errors') || collapse(entry.title) === 'Error'
}

function toPaper(entry: Node): Paper {
  const rawId = collapse(entry.id)
  const versionedId = rawId.replace(ABS_PREFIX, '')
  if (versionedId === '' || versionedId === rawId) {
    throw new FeedFormatError(`Atom entry has no arXiv abs id: ${JSON.stringify(rawId)}`)
  }
  const updatedText = collapse(entry.updated)
  const publishedText = collapse(entry.published) || updatedText
  if (publishedText === '') throw new FeedFormatError(`Atom entry ${versionedId} has no published date`)
  const published = toUtcSeconds(publishedText)
  const categories = list(entry.category)
    .map(c => collapse(c['@_term']))
    .filter(c => c !== '')
  const primary = entry.primary_category as Node | undefined
  const paper: Paper = {
    id: versionedId.replace(VERSION, ''),
    versionedId,
    title: cut(collapse(entry.title), FIELD_LIMITS.title),
    abstract: cut(collapse(entry.summary), FIELD_LIMITS.abstract),
    authors: list(entry.author)
      .map(a => cut(collapse(a.name), FIELD_LIMITS.author))
      .filter(a => a !== '')
      .slice(0, FIELD_LIMITS.authors),
    categories,
    primaryCategory: collapse(primary?.['@_term']) || (categories[0] ?? ''),
    published,
    updated: updatedText ? toUtcSeconds(updatedText) : published
  }
  const comment = optional(entry.comment)
  const journalRef = optional(entry.journal_ref)
  const doi = optional(entry.doi)
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
  // arXiv never sends a DTD; refusing one rules out entity-expansion tricks from a misbehaving proxy.
  if (/<!DOCTYPE/i.test(xml)) throw new FeedFormatError('Response has a DOCTYPE; not an arXiv Atom feed')
  const valid = XMLValidator.validate(xml)
  if (valid !== true) {
    const { msg, line } = valid.err
    // The message quotes tag names cut out of the body (see `detached`); a failure message lasts the run.
    throw new FeedFormatError(`Response is not well-formed XML (line ${line}: ${detached(msg)}); truncated?`)
  }
  const doc = parser.parse(xml) as Node
  const feed = doc.feed
  if (!feed || typeof feed !== 'object') throw new FeedFormatError('Response is XML but not an Atom <feed>')
  const root = feed as Node
  const entries = list(root.entry)
  const error = entries.find(isErrorEntry)
  if (error) throw new ArxivApiError(collapse(error.summary) || 'unknown error')
  const papers = entries.map(toPaper)
  return {
    totalResults: integer(root.totalResults, 'opensearch:totalResults'),
    startIndex: integer(root.startIndex, 'opensearch:startIndex', 0),
    itemsPerPage: integer(root.itemsPerPage, 'opensearch:itemsPerPage', papers.length),
    papers
  }
}
