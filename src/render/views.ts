/**
 * View models: what a template sees for a paper, a topic page, an archive page, the index table and
 * `latest.md` (documented for template authors in `docs/templates.md`). Every string is already safe
 * Markdown: text through `escapeMarkdown`, links through `safeUrl`/`safePath`. Only what a page shows
 * is escaped (the cut abstract, the first authors); the rest is escaped when a template asks.
 */
import { posix } from 'node:path'
import { arxivAbsUrl, arxivPdfUrl, relativeLink, topicPagePath } from '../digest/layout.js'
import type { Config, Topic, TopicEntry } from '../digest/types.js'
import { clean, cleanList } from '../digest/text.js'
import { isUtcSeconds } from '../digest/time.js'
import { escapedList, escapeMarkdown, safePath, safeUrl } from './markdown.js'

/** One link of a paper's **Links:** line. */
export interface LinkView {
  label: string
  url: string
  /** True for the first link, so a template can put separators between links. */
  first: boolean
}

/** Another topic that selects a paper, as a template sees it. */
export interface AlsoInView {
  id: string
  title: string
  /** Relative link from the page being rendered to that topic's page. */
  link: string
  first: boolean
}

/** What a template sees for one paper. Strings are pre-escaped Markdown; absent values are ''. */
export interface PaperView {
  id: string
  versionedId: string
  title: string
  absUrl: string
  pdfUrl: string
  /** First `max-authors` names, then ` et al. (N authors)` when there are more. */
  authors: string
  allAuthors: string
  authorCount: number
  /** `YYYY-MM-DD` (UTC) of v1. */
  published: string
  /** `YYYY-MM-DD` (UTC) of the version shown. */
  updated: string
  /** `YYYY-MM-DD` (UTC) the digest first saw it. */
  firstSeen: string
  /** The first three categories, comma-separated. */
  categories: string
  allCategories: string
  primaryCategory: string
  links: LinkView[]
  projectPage: string
  code: string
  hasLinks: boolean
  /** Cut at `abstract-length` code points, then `...` if it was longer. */
  abstract: string
  abstractFull: string
  abstractTruncated: boolean
  /** False when the paper has no abstract or `abstract-length` is 0. */
  hasAbstract: boolean
  comment: string
  hasComment: boolean
  journalRef: string
  doi: string
  doiUrl: string
  score: number
  /** Why it surfaced (see {@link TopicEntry.reason}), escaped. */
  reason: string
  hasReason: boolean
  alsoIn: AlsoInView[]
  hasAlsoIn: boolean
}

/** A titled group of papers; empty groups are left out. */
export interface SectionView {
  /** `links` (project page or code) or `other`. */
  kind: 'links' | 'other'
  heading: string
  papers: PaperView[]
}

/** One archive page as linked from the topic page. */
export interface ArchiveLinkView {
  /** `YYYY-MM` */
  month: string
  /** `January 2026` */
  label: string
  link: string
  paperCount: number
  papersLabel: string
}

/** What the topic template sees. */
export interface TopicPageView {
  id: string
  title: string
  description: string
  hasDescription: boolean
  /** `YYYY-MM-DD HH:MM UTC` of the topic's last change; '' when it holds no paper. */
  lastUpdated: string
  /** Papers on this page. */
  paperCount: number
  papersLabel: string
  /** Papers on this page and its archive pages. */
  totalCount: number
  homeLink: string
  /** Relative links to the topic's Atom and JSON feeds. */
  atomLink: string
  jsonLink: string
  hasPapers: boolean
  sections: SectionView[]
  papers: PaperView[]
  hasArchives: boolean
  /** Newest month first. */
  archives: ArchiveLinkView[]
}

/** What the archive template sees. */
export interface ArchivePageView {
  id: string
  title: string
  description: string
  hasDescription: boolean
  month: string
  monthLabel: string
  paperCount: number
  papersLabel: string
  topicLink: string
  homeLink: string
  hasPapers: boolean
  sections: SectionView[]
  papers: PaperView[]
}

/** One topic in the index template. */
export interface TopicLineView {
  id: string
  title: string
  description: string
  link: string
  paperCount: number
  papersLabel: string
  /** `YYYY-MM-DD HH:MM UTC`, or ''. */
  lastChanged: string
  /** `YYYY-MM-DD`, or ''. */
  lastChangedDate: string
  hasLastChanged: boolean
  /** Relative links from the index file to the topic's Atom and JSON feeds. */
  atomLink: string
  jsonLink: string
}

/** What the index template sees (it renders the region between the markers only). */
export interface IndexView {
  hasTopics: boolean
  topics: TopicLineView[]
  /** Relative link to the page of the most recent batch (`<output-dir>/latest.md`). */
  latestLink: string
  /** The digest holds at least one paper, so `latest.md` exists. */
  hasLatest: boolean
}

/** One topic's part of the latest batch. */
export interface LatestTopicView {
  id: string
  title: string
  /** Relative link from latest.md to the topic page. */
  link: string
  atomLink: string
  jsonLink: string
  paperCount: number
  papersLabel: string
  /** Sorted as on the topic page. */
  papers: PaperView[]
}

/** What the latest template sees. */
export interface LatestPageView {
  /** `YYYY-MM-DD HH:MM UTC` of the latest batch; '' when the digest holds no paper. */
  date: string
  /** Distinct papers of the batch (a paper in two topics counts once). */
  paperCount: number
  papersLabel: string
  hasPapers: boolean
  homeLink: string
  /** Topics with papers in the batch, in configuration order. */
  topics: LatestTopicView[]
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December'
]

/** The fields topic and archive pages share. The description is the user's own Markdown, kept as is. */
export function topicFields(topic: Topic): {
  id: string
  title: string
  description: string
  hasDescription: boolean
} {
  const description = topic.description.trim()
  return {
    id: escapeMarkdown(topic.id),
    title: escapeMarkdown(topic.title.trim()),
    description,
    hasDescription: description !== ''
  }
}

export function sections(papers: PaperView[]): SectionView[] {
  const all: SectionView[] = [
    { kind: 'links', heading: 'Papers with Project Pages / Code', papers: papers.filter(p => p.hasLinks) },
    { kind: 'other', heading: 'Other Recent Papers', papers: papers.filter(p => !p.hasLinks) }
  ]
  return all.filter(s => s.papers.length > 0)
}

/**
 * What a template sees for one paper on the page at `pagePath` (its links to other topics' pages
 * are relative to it). Exported for the other Markdown pages (latest.md).
 */
export function paperView(entry: TopicEntry, config: Config, pagePath: string): PaperView {
  const { paper } = entry
  const absUrl = safeUrl(arxivAbsUrl(paper.versionedId)) ?? ''
  const pdfUrl = safeUrl(arxivPdfUrl(paper.versionedId)) ?? ''
  const projectPage = entry.links.projectPage === undefined ? '' : (safeUrl(entry.links.projectPage) ?? '')
  const code = entry.links.code === undefined ? '' : (safeUrl(entry.links.code) ?? '')
  const links = [
    { label: 'arXiv', url: absUrl },
    { label: 'PDF', url: pdfUrl },
    ...(projectPage ? [{ label: 'Project Page', url: projectPage }] : []),
    ...(code ? [{ label: codeLabel(code), url: code }] : [])
  ].map((link, i) => ({ ...link, first: i === 0 }))

  // The reference printed a stray space before some names (`**Authors:**  GigaBrain Team`).
  const names = cleanList(paper.authors)
  const shown = escapedList(names, config.maxAuthors)
  const authors = names.length > config.maxAuthors ? `${shown} et al. (${names.length} authors)` : shown

  const abstract = clean(paper.abstract)
  // Cut on code points of the plain text, before escaping, so an escape is never cut in half.
  const cut = codePointPrefix(abstract, config.abstractLength)
  const truncated = cut !== undefined
  const shownAbstract = truncated ? escapeMarkdown(cut) + '...' : escapeMarkdown(abstract)

  const comment = clean(paper.comment ?? '')
  const doi = clean(paper.doi ?? '')
  const alsoIn = alsoInViews(entry.alsoIn, config, pagePath)
  const parts: HiddenParts = {
    names: names.length > config.maxAuthors ? names : undefined,
    shownAuthors: shown,
    abstract: truncated ? abstract : undefined,
    shownAbstract,
    comment
  }
  const view: ShownFields = {
    // The fields no shipped template shows are getters of the prototype (see HIDDEN_FIELDS).
    __proto__: HIDDEN_FIELDS,
    [HIDDEN]: parts,
    id: escapeMarkdown(paper.id),
    versionedId: escapeMarkdown(paper.versionedId),
    title: escapeMarkdown(clean(paper.title)),
    absUrl,
    pdfUrl,
    authors,
    authorCount: names.length,
    published: dateUtc(paper.published),
    updated: dateUtc(paper.updated),
    firstSeen: dateUtc(entry.firstSeen),
    categories: escapedList(paper.categories, 3),
    allCategories: escapedList(paper.categories),
    primaryCategory: escapeMarkdown(paper.primaryCategory),
    links,
    projectPage,
    code,
    hasLinks: projectPage !== '' || code !== '',
    abstract: shownAbstract,
    abstractTruncated: truncated,
    hasAbstract: abstract !== '' && config.abstractLength > 0,
    hasComment: comment !== '',
    journalRef: escapeMarkdown(clean(paper.journalRef ?? '')),
    doi: escapeMarkdown(doi),
    doiUrl: doi === '' ? '' : (safeUrl(`https://doi.org/${doi}`) ?? ''),
    score: entry.score,
    reason: escapeMarkdown(entry.reason),
    hasReason: entry.reason !== '',
    alsoIn,
    hasAlsoIn: alsoIn.length > 0
  }
  // The prototype supplies the three getters the type cannot see.
  return view as unknown as PaperView
}

/**
 * The full author list, the full abstract and the comment: no shipped template shows them, so they
 * are escaped only when a template asks (escaping every held paper's full text was a large part of
 * a run's time and garbage), then kept.
 */
type HiddenField = 'allAuthors' | 'abstractFull' | 'comment'

/** What a view keeps to make its hidden fields: plain text, and their escaped forms once made. */
interface HiddenParts {
  /** Every author (plain), when there are more than are shown. */
  names?: string[]
  shownAuthors: string
  /** The whole abstract (plain), when the shown one is cut. */
  abstract?: string
  shownAbstract: string
  comment: string
  made?: Partial<Record<HiddenField, string>>
}

const HIDDEN = Symbol('hidden parts')

type ShownFields = Omit<PaperView, HiddenField> & {
  __proto__: typeof HIDDEN_FIELDS
  [HIDDEN]: HiddenParts
}

/**
 * The hidden fields as getters of one shared prototype. Getters in each view's own literal made
 * every view a dictionary-mode object: 1.5 KB more per paper, and slower for mustache to look up.
 */
const HIDDEN_FIELDS = {
  get allAuthors(): string {
    const p = (this as unknown as ShownFields)[HIDDEN]
    return ((p.made ??= {}).allAuthors ??= p.names ? escapedList(p.names) : p.shownAuthors)
  },
  get abstractFull(): string {
    const p = (this as unknown as ShownFields)[HIDDEN]
    return ((p.made ??= {}).abstractFull ??=
      p.abstract !== undefined ? escapeMarkdown(p.abstract) : p.shownAbstract)
  },
  get comment(): string {
    const p = (this as unknown as ShownFields)[HIDDEN]
    return ((p.made ??= {}).comment ??= escapeMarkdown(p.comment))
  }
}

/** {@link paperView} for the pages of one run, each paper's view built once per folder. */
export type PaperViews = (entry: TopicEntry, pagePath: string) => PaperView

/**
 * Paper views for one run's pages. A view depends on the page only through its folder (its links
 * are relative), so a paper on its topic page and on `latest.md` beside it is built once: the same
 * entry object, on a page of the same folder, gets the same view.
 */
export function paperViews(config: Config): PaperViews {
  const made = new WeakMap<TopicEntry, { folder: string; view: PaperView }>()
  return (entry, pagePath) => {
    const folder = posix.dirname(pagePath)
    const known = made.get(entry)
    if (known?.folder === folder) return known.view
    const view = paperView(entry, config, pagePath)
    made.set(entry, { folder, view })
    return view
  }
}

/** The other topics of `ids` as links from `pagePath`, in configuration order; unknown ids left out. */
function alsoInViews(ids: string[], config: Config, pagePath: string): AlsoInView[] {
  if (ids.length === 0) return []
  const wanted = new Set(ids)
  return config.topics
    .filter(t => wanted.has(t.id))
    .map((t, i) => ({
      id: escapeMarkdown(t.id),
      title: escapeMarkdown(t.title.trim()),
      link: safePath(relativeLink(pagePath, topicPagePath(config, t.id))),
      first: i === 0
    }))
}

/** The reference labels code links "GitHub"; a repository elsewhere should not claim to be on GitHub. */
function codeLabel(url: string): string {
  return /^https?:\/\/(?:www\.)?github\.com(?:[/:?#]|$)/i.test(url) ? 'GitHub' : 'Code'
}

/**
 * The first `limit` code points of `text` (what `Array.from(text).slice(0, limit).join('')` gives),
 * or undefined when `text` has no more than `limit`. Walks `limit` code points instead of copying an
 * up to 10,000-element array of the whole abstract. A lone surrogate counts as one, as in `Array.from`.
 */
export function codePointPrefix(text: string, limit: number): string | undefined {
  // A code point is one or two code units: a text this short cannot have more than `limit`.
  if (text.length <= limit) return undefined
  let end = 0
  for (let n = 0; n < limit && end < text.length; n++) end += isSurrogatePairAt(text, end) ? 2 : 1
  return end < text.length ? text.slice(0, end) : undefined
}

function isSurrogatePairAt(text: string, i: number): boolean {
  const high = text.charCodeAt(i)
  if (high < 0xd800 || high > 0xdbff) return false
  const low = text.charCodeAt(i + 1)
  return low >= 0xdc00 && low <= 0xdfff
}

/** `YYYY-MM-DD` in UTC; a value that is not a date is shown as written rather than failing the run. */
function dateUtc(iso: string): string {
  // The form every parsed or recorded time has: its date is its first ten characters.
  if (isUtcSeconds(iso)) return iso.slice(0, 10)
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? escapeMarkdown(iso) : new Date(ms).toISOString().slice(0, 10)
}

/** `2026-02-13T22:23:00.000Z` → `2026-02-13 22:23 UTC` */
export function minuteUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
}

export function monthLabel(month: string): string {
  const index = Number(month.slice(5, 7)) - 1
  return `${MONTHS[index] ?? month} ${month.slice(0, 4)}`
}

export function papersLabel(count: number): string {
  return count === 1 ? '1 paper' : `${count} papers`
}
