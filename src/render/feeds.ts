/**
 * A topic's feeds: `<output-dir>/feeds/<id>.xml` (Atom 1.0, RFC 4287) and `<output-dir>/feeds/<id>.json`
 * (JSON Feed 1.1), rendered through mustache templates from one view model whose strings are
 * escaped for the format (XML text, or JSON literals). A function of the topic's state: the newest
 * 100 papers by first sighting, `updated` = the topic's last change, so a run that adds nothing to
 * the topic renders the same bytes. See docs/feeds.md.
 */
import { XMLValidator } from 'fast-xml-parser'
import { v5 as uuidV5 } from 'uuid'
import {
  arxivAbsUrl,
  arxivPdfUrl,
  feedPath,
  fileUrl,
  relativeLink,
  topicPagePath,
  type RepositoryLocation
} from '../digest/layout.js'
import { safePath, safeUrl } from './markdown.js'
import { clean, cleanList } from '../digest/text.js'
import { isUtcSeconds } from '../digest/time.js'
import { render, TemplateError, type Templates } from './templates.js'
import type { Config, Topic, TopicEntry } from '../digest/types.js'
import { NAME, VERSION } from '../environment/version.js'

/** Entries per feed: the newest by first sighting. */
export const FEED_ENTRIES = 100

/** Namespace of the feeds' `urn:uuid:` ids (UUID v5 of the repository and the feed's path). */
const FEED_NAMESPACE = '0c5b2f38-7a8e-5d61-9f0e-3b1f4a6c2d90'

/** One other topic that selects the paper. */
export interface FeedTopicView {
  id: string
  title: string
  /** Its page: absolute when the repository is known, else relative to the feed file. */
  link: string
  last: boolean
}

/** One author or category, with `last` for separators (JSON needs commas between items). */
export interface FeedListItem {
  name: string
  last: boolean
}

/** What a feed template sees for one paper. Strings are escaped for the format. */
export interface FeedEntryView {
  /** `https://arxiv.org/abs/<id>` (no version): the same paper is the same entry everywhere. */
  id: string
  title: string
  absUrl: string
  pdfUrl: string
  /** First sighting by the digest, ISO 8601 UTC: the entry's published and updated time. */
  firstSeen: string
  /** v1 submission and the version shown, `YYYY-MM-DD`. */
  submitted: string
  updated: string
  authors: FeedListItem[]
  hasAuthors: boolean
  /** All authors, comma-separated. */
  authorsText: string
  /** arXiv category codes. */
  categories: FeedListItem[]
  hasCategories: boolean
  categoriesText: string
  primaryCategory: string
  reason: string
  hasReason: boolean
  alsoIn: FeedTopicView[]
  hasAlsoIn: boolean
  projectPage: string
  hasProjectPage: boolean
  code: string
  hasCode: boolean
  /** The whole abstract (feeds are read in a reader, not scrolled past on a page). */
  abstract: string
  hasAbstract: boolean
  comment: string
  hasComment: boolean
  score: number
  last: boolean
}

/** What a feed template sees. */
export interface FeedView {
  /** `urn:uuid:…`, stable for the repository, output folder and topic. */
  id: string
  title: string
  /** The topic's description as plain text. */
  subtitle: string
  hasSubtitle: boolean
  /** The topic's last change (ISO 8601 UTC); for a topic without papers, the Unix epoch. */
  updated: string
  /** The topic page: absolute when the repository is known, else relative to the feed file. */
  homeLink: string
  /** Absolute links (the repository is known): the feed's own address, and the topic page's. */
  hasAbsoluteLinks: boolean
  selfLink: string
  homePageUrl: string
  generator: string
  generatorVersion: string
  entryCount: number
  hasEntries: boolean
  entries: FeedEntryView[]
}

type Format = 'atom' | 'json'

/**
 * Renders a topic's two feeds.
 *
 * @param input.entries Every paper the topic lists (dismissed ones left out).
 * @param input.repository Where the repository's files are viewed, for absolute links; optional.
 * @returns Repository path → content: the Atom feed, then the JSON feed.
 * @throws TemplateError when a user's template renders an invalid XML or JSON document.
 */
export function renderFeeds(input: {
  topic: Topic
  entries: TopicEntry[]
  config: Config
  templates: Templates
  repository?: RepositoryLocation
}): Map<string, string> {
  const { topic, config } = input
  const newest = [...input.entries].sort(byFirstSighting).slice(0, FEED_ENTRIES)
  const files = new Map<string, string>()

  const plain = plainFields(input)
  // Each entry's text is cleaned once, then escaped for each format.
  const entries = newest.map((entry, i) => plainEntry(entry, i === newest.length - 1, plain))
  const view = (format: Format): FeedView => {
    const esc = format === 'atom' ? xmlText : jsonLiteral
    const path = feedPath(config, topic.id, format)
    return {
      id: esc(feedId(input.repository, path)),
      title: esc(plain.title),
      subtitle: esc(plain.subtitle),
      hasSubtitle: plain.subtitle !== '',
      updated: esc(plain.updated),
      homeLink: esc(plain.pageLink(topic.id)),
      hasAbsoluteLinks: input.repository !== undefined,
      selfLink: esc(input.repository ? fileUrl(input.repository, 'raw', path) : ''),
      homePageUrl: esc(plain.homePageUrl),
      generator: esc(NAME),
      generatorVersion: esc(VERSION),
      entryCount: entries.length,
      hasEntries: entries.length > 0,
      entries: entries.map(e => escapeEntry(e, esc))
    }
  }

  const atomPath = feedPath(config, topic.id, 'atom')
  const atom = render(input.templates.atom, view('atom'))
  // The shipped template is tested; a user's is checked, so a broken feed is never published.
  const problem = input.templates.custom?.includes('atom') ? XMLValidator.validate(atom) : true
  if (problem !== true) {
    throw new TemplateError(
      `templates.atom rendered ${atomPath} as invalid XML: ${problem.err.msg} (line ${problem.err.line})`
    )
  }
  files.set(atomPath, atom)

  const jsonPath = feedPath(config, topic.id, 'json')
  const text = render(input.templates.json, view('json'))
  // The shipped template writes the layout itself (a test holds it to JSON.stringify's); a user's
  // template decides the content only: its output is parsed and laid out by us.
  files.set(jsonPath, input.templates.custom?.includes('json') ? relaidJson(text, jsonPath) : text)
  return files
}

/** `text` parsed and written with two-space indentation. @throws TemplateError if it is not JSON. */
function relaidJson(text: string, path: string): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new TemplateError(`templates.json rendered ${path} as invalid JSON: ${(error as Error).message}`)
  }
  return JSON.stringify(parsed, null, 2) + '\n'
}

/** Newest first sighting first; then newest v1; then the highest id. */
function byFirstSighting(a: TopicEntry, b: TopicEntry): number {
  return (
    desc(a.firstSeen, b.firstSeen) ||
    desc(a.paper.published, b.paper.published) ||
    desc(a.paper.id, b.paper.id)
  )
}

function desc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0
}

/** What both feeds share, unescaped (they sit in the same folder, so relative links agree). */
interface PlainFields {
  title: string
  subtitle: string
  updated: string
  homePageUrl: string
  titles: Map<string, string>
  /** A topic's page: absolute when the repository is known, else relative to the feeds' folder. */
  pageLink: (id: string) => string
}

function plainFields(input: {
  topic: Topic
  config: Config
  repository?: RepositoryLocation
  entries: TopicEntry[]
}): PlainFields {
  const { topic, config, repository } = input
  const path = feedPath(config, topic.id, 'atom')
  const last = input.entries.reduce<string | undefined>(
    (a, e) => (a === undefined || e.firstSeen > a ? e.firstSeen : a),
    undefined
  )
  return {
    title: clean(topic.title),
    subtitle: clean(topic.description),
    updated: isoSeconds(last ?? '1970-01-01T00:00:00Z'),
    homePageUrl: repository ? fileUrl(repository, 'blob', topicPagePath(config, topic.id)) : '',
    titles: new Map(config.topics.map(t => [t.id, t.title.trim()])),
    pageLink: id => {
      const page = topicPagePath(config, id)
      return repository ? fileUrl(repository, 'blob', page) : safePath(relativeLink(path, page))
    }
  }
}

/** One entry with plain strings (cleaned, links checked): the same for both formats. */
function plainEntry(entry: TopicEntry, last: boolean, plain: PlainFields): FeedEntryView {
  const { paper } = entry
  const authors = cleanList(paper.authors)
  const categories = cleanList(paper.categories)
  const projectPage = entry.links.projectPage === undefined ? '' : (safeUrl(entry.links.projectPage) ?? '')
  const code = entry.links.code === undefined ? '' : (safeUrl(entry.links.code) ?? '')
  const alsoIn = entry.alsoIn.filter(id => plain.titles.has(id))
  const abstract = clean(paper.abstract)
  const comment = clean(paper.comment ?? '')
  return {
    id: arxivAbsUrl(paper.id),
    title: clean(paper.title),
    absUrl: safeUrl(arxivAbsUrl(paper.versionedId)) ?? '',
    pdfUrl: safeUrl(arxivPdfUrl(paper.versionedId)) ?? '',
    firstSeen: isoSeconds(entry.firstSeen),
    submitted: paper.published.slice(0, 10),
    updated: paper.updated.slice(0, 10),
    authors: authors.map((name, k) => ({ name, last: k === authors.length - 1 })),
    hasAuthors: authors.length > 0,
    authorsText: authors.join(', '),
    categories: categories.map((name, k) => ({ name, last: k === categories.length - 1 })),
    hasCategories: categories.length > 0,
    categoriesText: categories.join(', '),
    primaryCategory: clean(paper.primaryCategory),
    reason: entry.reason,
    hasReason: entry.reason !== '',
    alsoIn: alsoIn.map((id, k) => ({
      id,
      title: plain.titles.get(id)!,
      link: plain.pageLink(id),
      last: k === alsoIn.length - 1
    })),
    hasAlsoIn: alsoIn.length > 0,
    projectPage,
    hasProjectPage: projectPage !== '',
    code,
    hasCode: code !== '',
    abstract,
    hasAbstract: abstract !== '',
    comment,
    hasComment: comment !== '',
    score: entry.score,
    last
  }
}

/** `e` with every string escaped by `esc` for a format (numbers and booleans as they are). */
function escapeEntry(e: FeedEntryView, esc: (text: string) => string): FeedEntryView {
  const list = (items: FeedListItem[]) => items.map(({ name, last }) => ({ name: esc(name), last }))
  return {
    ...e,
    id: esc(e.id),
    title: esc(e.title),
    absUrl: esc(e.absUrl),
    pdfUrl: esc(e.pdfUrl),
    firstSeen: esc(e.firstSeen),
    submitted: esc(e.submitted),
    updated: esc(e.updated),
    authors: list(e.authors),
    authorsText: esc(e.authorsText),
    categories: list(e.categories),
    categoriesText: esc(e.categoriesText),
    primaryCategory: esc(e.primaryCategory),
    reason: esc(e.reason),
    alsoIn: e.alsoIn.map(({ id, title, link, last }) => ({
      id: esc(id),
      title: esc(title),
      link: esc(link),
      last
    })),
    projectPage: esc(e.projectPage),
    code: esc(e.code),
    abstract: esc(e.abstract),
    comment: esc(e.comment)
  }
}

/** The feed's id: a UUID v5 of the repository (when known), its branch and the feed's path. */
function feedId(repository: RepositoryLocation | undefined, path: string): string {
  const where = repository ? `${repository.url}@${repository.branch}` : ''
  return `urn:uuid:${uuidV5(`${where}:${path}`, FEED_NAMESPACE)}`
}

/** RFC 3339 with seconds, as Atom and JSON Feed dates are commonly read: `2026-02-13T22:23:00Z`. */
function isoSeconds(iso: string): string {
  if (isUtcSeconds(iso)) return iso
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? '1970-01-01T00:00:00Z' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * Characters XML 1.0 does not allow at all (controls other than tab and line breaks, lone
 * surrogates, U+FFFE/U+FFFF): no escape can carry them, so they are dropped.
 */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** What {@link xmlText} changes: a character to escape, or one XML cannot carry (a lone surrogate may). */
// eslint-disable-next-line no-control-regex
const XML_SPECIAL = /[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/

/** Text for XML content and attribute values (either quote style). */
export function xmlText(text: string): string {
  // Most strings (dates, ids, links, names) need nothing: one scan says so.
  if (!XML_SPECIAL.test(text)) return text
  return text
    .replace(NOT_XML, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
}

/** A JSON string literal, quotes included. */
export function jsonLiteral(text: string): string {
  return JSON.stringify(text)
}
