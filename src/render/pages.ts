/**
 * State → Markdown pages, through mustache templates (the shipped defaults in `templates/`, or the
 * user's). Rendering is a pure function of the state and the configuration: no clock is read, so a
 * run that finds nothing new produces the same bytes and therefore no commit.
 *
 * Every string in a view is already safe Markdown (text through `escapeMarkdown`, links through
 * `safeUrl`/`safePath`). Templates use `{{{…}}}`; a user's `{{…}}` gives the same result, because our
 * render calls pass an escape function that leaves values alone instead of mustache's HTML escaping
 * (which would turn `&lt;` into `&amp;lt;`). The view model is documented in `docs/templates.md`.
 */
import { UserError } from '../digest/user-error.js'
import { readFile } from 'node:fs/promises'
import Mustache from 'mustache'
import { replaceRegion } from './index-region.js'
import {
  archivePagePath,
  feedPath,
  latestPagePath,
  monthOf,
  relativeLink,
  topicPagePath
} from '../digest/layout.js'
import { escapeMarkdown, safePath, safeUrl } from './markdown.js'
import type { Config, Paper, PaperLinks, SortOrder, TemplatePaths, Topic } from '../digest/types.js'
import { DAY_MS } from '../digest/time.js'
import { TEMPLATES_DIR } from '../assets.js'

/** The text of the templates, ready to render (LF line endings, checked to parse). */
export interface Templates {
  topic: string
  archive: string
  index: string
  latest: string
  atom: string
  json: string
  /** The dashboard page (`site.html.mustache`); rendered only with `site-dir`. */
  site: string
  /** The dashboard's script (`templates/site.js`), always the shipped one: the page template embeds it. */
  siteScript: string
  /** The templates read from the user's repository (the others are the shipped ones). */
  custom?: TemplateName[]
}

/** The templates a user can replace. */
export type TemplateName = 'topic' | 'archive' | 'index' | 'latest' | 'atom' | 'json' | 'site'

/** A paper held by a topic, as the renderer needs it. */
export interface RenderEntry {
  paper: Paper
  /** ISO 8601 UTC: when the digest first saw the paper. Decides retention and the archive month. */
  firstSeen: string
  links: PaperLinks
  /** Match score, used by `sort: relevance`. */
  score: number
  /**
   * Why the paper surfaced on this topic, from the same match as `score` (e.g. `keyword "VLA" in
   * title, required "robot" in abstract`); plain text, '' when the topic's rules no longer select it.
   */
  reason: string
  /** Ids of the other topics whose rules select the paper, in configuration order. */
  alsoIn: string[]
}

/** One line of the index table. */
export interface TopicSummary {
  topic: Topic
  /** Papers the topic holds, archived ones included. */
  paperCount: number
  /** ISO 8601 UTC: the newest first-seen time of its papers; absent when it holds none. */
  lastChanged?: string
}

/** Raised when a template cannot be loaded or parsed; the message names the config field and the path. */
export class TemplateError extends UserError {
  constructor(message: string) {
    super(message)
    this.name = 'TemplateError'
  }
}

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
  /** Why it surfaced (see {@link RenderEntry.reason}), escaped. */
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

const TEMPLATE_FILES: Record<TemplateName, string> = {
  topic: 'topic.md.mustache',
  archive: 'archive.md.mustache',
  index: 'index.md.mustache',
  latest: 'latest.md.mustache',
  atom: 'feed.atom.mustache',
  json: 'feed.json.mustache',
  site: 'site.html.mustache'
}

/** Fixed tags, so a change to the global `Mustache.tags` elsewhere cannot alter our pages. */
const TAGS: [string, string] = ['{{', '}}']

/** Values are pre-escaped Markdown; `String` only turns numbers into text. */
const RENDER_OPTIONS = { tags: TAGS, escape: String }

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

/**
 * Loads the templates: the shipped default for each, unless the configuration names a file in
 * the user's repository, which is then read through `read`. Every template is parsed once here, so a
 * broken one fails the run before anything is fetched.
 *
 * @param paths The configured overrides (`templates.topic` etc.), repository-relative.
 * @param read Reads a file of the user's repository; undefined when it does not exist.
 * @returns The template texts, line endings normalised to LF.
 * @throws TemplateError naming the field (`templates.topic`), the path and the problem.
 */
export async function loadTemplates(
  paths: TemplatePaths,
  read: (repoPath: string) => Promise<string | undefined>
): Promise<Templates> {
  const load = async (name: TemplateName): Promise<string> => {
    const path = paths[name]
    const field = `templates.${name}`
    if (path === undefined) {
      const shipped = new URL(TEMPLATE_FILES[name], TEMPLATES_DIR)
      return checkTemplate(await readFile(shipped, 'utf8'), `the shipped ${field} template`)
    }
    const text = await read(path)
    if (text === undefined) {
      throw new TemplateError(`${field}: template file "${path}" was not found in the repository`)
    }
    return checkTemplate(text, `${field} ("${path}")`)
  }
  const names = Object.keys(TEMPLATE_FILES) as TemplateName[]
  const [texts, siteScript] = await Promise.all([Promise.all(names.map(load)), loadSiteScript()])
  const loaded = Object.fromEntries(names.map((name, i) => [name, texts[i]])) as Record<TemplateName, string>
  return { ...loaded, siteScript, custom: names.filter(name => paths[name] !== undefined) }
}

/** The shipped dashboard script, LF line endings (its hash is part of the page's security policy). */
async function loadSiteScript(): Promise<string> {
  const text = await readFile(new URL('site.js', TEMPLATES_DIR), 'utf8')
  return text.replace(/\r\n?/g, '\n')
}

function checkTemplate(text: string, origin: string): string {
  // CRLF from a Windows editor would leave `\r` before every newline of the pages.
  const normalised = text.replace(/\r\n?/g, '\n')
  try {
    Mustache.parse(normalised, TAGS)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new TemplateError(`${origin} is not a valid mustache template: ${withLine(message, normalised)}`)
  }
  return normalised
}

/** Mustache reports a character offset ("at 120"); people look for a line and column. */
function withLine(message: string, text: string): string {
  const at = /\bat (\d+)$/.exec(message)
  if (!at) return message
  const before = text.slice(0, Number(at[1])).split('\n')
  return `${message} (line ${before.length}, column ${before[before.length - 1]!.length + 1})`
}

/**
 * Renders a topic's page and its archive pages.
 *
 * Papers first seen within `keep-days` of the topic's last change (its newest first-seen time, not
 * the current time, so the output depends on the state alone) stay on the topic page; older ones go
 * to one archive page per month of first sighting. No paper is ever left out.
 *
 * @param input.topic The topic.
 * @param input.entries Every paper the topic holds.
 * @param input.config For layout, `keep-days`, `abstract-length`, `max-authors` and `sort`.
 * @param input.templates From {@link loadTemplates}.
 * @returns Repository-relative path → file content: the topic page first, then archives by month.
 */
export function renderTopic(input: {
  topic: Topic
  entries: RenderEntry[]
  config: Config
  templates: Templates
}): Map<string, string> {
  const { topic, config, templates } = input
  const pagePath = topicPagePath(config, topic.id)
  const entries = sortEntries(input.entries, config.sort)
  const times = new Map(entries.map(e => [e, firstSeenMs(e, topic)]))
  const lastMs = [...times.values()].reduce((a, b) => Math.max(a, b), -Infinity)
  const cutoff = lastMs - config.keepDays * DAY_MS

  const kept: RenderEntry[] = []
  const archived = new Map<string, RenderEntry[]>()
  for (const entry of entries) {
    const ms = times.get(entry)!
    if (ms >= cutoff) {
      kept.push(entry)
      continue
    }
    const month = monthOf(new Date(ms).toISOString())
    const list = archived.get(month)
    if (list) list.push(entry)
    else archived.set(month, [entry])
  }

  const months = [...archived.keys()].sort()
  const archives: ArchiveLinkView[] = [...months].reverse().map(month => {
    const count = archived.get(month)!.length
    return {
      month,
      label: monthLabel(month),
      link: safePath(relativeLink(pagePath, archivePagePath(config, topic.id, month))),
      paperCount: count,
      papersLabel: papersLabel(count)
    }
  })
  const papers = kept.map(e => paperView(e, config, pagePath))
  const topicView: TopicPageView = {
    ...topicFields(topic),
    lastUpdated: entries.length > 0 ? minuteUtc(new Date(lastMs).toISOString()) : '',
    paperCount: papers.length,
    papersLabel: papersLabel(papers.length),
    totalCount: entries.length,
    homeLink: safePath(relativeLink(pagePath, config.indexFile)),
    atomLink: safePath(relativeLink(pagePath, feedPath(config, topic.id, 'atom'))),
    jsonLink: safePath(relativeLink(pagePath, feedPath(config, topic.id, 'json'))),
    hasPapers: papers.length > 0,
    sections: sections(papers),
    papers,
    hasArchives: archives.length > 0,
    archives
  }
  const files = new Map([[pagePath, render(templates.topic, topicView)]])

  for (const month of months) {
    const path = archivePagePath(config, topic.id, month)
    const monthPapers = archived.get(month)!.map(e => paperView(e, config, path))
    const view: ArchivePageView = {
      ...topicFields(topic),
      month,
      monthLabel: monthLabel(month),
      paperCount: monthPapers.length,
      papersLabel: papersLabel(monthPapers.length),
      topicLink: safePath(relativeLink(path, pagePath)),
      homeLink: safePath(relativeLink(path, config.indexFile)),
      hasPapers: monthPapers.length > 0,
      sections: sections(monthPapers),
      papers: monthPapers
    }
    files.set(path, render(templates.archive, view))
  }
  return files
}

/**
 * Renders the topics table and puts it between the markers of the index file (see
 * {@link replaceRegion}): the file is created if missing, the region appended if the file has no
 * markers, and nothing outside the markers is changed. The table holds nothing that changes on a run
 * without new papers.
 *
 * @param input.existing The index file's current text, or undefined if it does not exist.
 * @param input.topics One summary per topic, in the order to list them.
 * @param input.config For the index file's path and the page layout.
 * @param input.templates From {@link loadTemplates}.
 * @returns The index file's new text.
 * @throws IndexRegionError when the existing markers are broken (one missing, duplicated, or reversed).
 */
export function renderIndex(input: {
  existing: string | undefined
  topics: TopicSummary[]
  config: Config
  templates: Templates
}): string {
  const { config } = input
  const view: IndexView = {
    hasTopics: input.topics.length > 0,
    topics: input.topics.map(({ topic, paperCount, lastChanged }) => {
      const last = lastChanged === undefined ? undefined : new Date(lastChanged).toISOString()
      return {
        id: escapeMarkdown(topic.id),
        title: escapeMarkdown(topic.title.trim()),
        description: topic.description.trim(),
        link: safePath(relativeLink(config.indexFile, topicPagePath(config, topic.id))),
        paperCount,
        papersLabel: papersLabel(paperCount),
        lastChanged: last ? minuteUtc(last) : '',
        lastChangedDate: last ? last.slice(0, 10) : '',
        hasLastChanged: last !== undefined,
        atomLink: safePath(relativeLink(config.indexFile, feedPath(config, topic.id, 'atom'))),
        jsonLink: safePath(relativeLink(config.indexFile, feedPath(config, topic.id, 'json')))
      }
    }),
    latestLink: safePath(relativeLink(config.indexFile, latestPagePath(config))),
    hasLatest: input.topics.some(t => t.lastChanged !== undefined)
  }
  return replaceRegion(input.existing, render(input.templates.index, view), config.indexFile)
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

/**
 * Renders `<output-dir>/latest.md`: the papers of the most recent batch (the papers whose first
 * sighting is the digest's latest change), grouped by topic. A function of the state alone.
 *
 * @param input.batch Per topic (in configuration order), its papers first seen at `input.at`.
 * @param input.at ISO 8601 UTC of the latest batch; undefined when the digest holds no paper.
 */
export function renderLatest(input: {
  batch: { topic: Topic; entries: RenderEntry[] }[]
  at: string | undefined
  config: Config
  templates: Templates
}): string {
  const { config } = input
  const path = latestPagePath(config)
  const topics = input.batch
    .filter(b => b.entries.length > 0)
    .map(({ topic, entries }) => ({
      id: escapeMarkdown(topic.id),
      title: escapeMarkdown(topic.title.trim()),
      link: safePath(relativeLink(path, topicPagePath(config, topic.id))),
      atomLink: safePath(relativeLink(path, feedPath(config, topic.id, 'atom'))),
      jsonLink: safePath(relativeLink(path, feedPath(config, topic.id, 'json'))),
      paperCount: entries.length,
      papersLabel: papersLabel(entries.length),
      papers: sortEntries(entries, config.sort).map(e => paperView(e, config, path))
    }))
  const distinct = new Set(input.batch.flatMap(b => b.entries.map(e => e.paper.id))).size
  const view: LatestPageView = {
    date: input.at === undefined ? '' : minuteUtc(new Date(input.at).toISOString()),
    paperCount: distinct,
    papersLabel: papersLabel(distinct),
    hasPapers: distinct > 0,
    homeLink: safePath(relativeLink(path, config.indexFile)),
    topics
  }
  return render(input.templates.latest, view)
}

/**
 * Renders with our escaping (values are pre-escaped for the output format, so mustache's HTML
 * escaping is off), then guarantees no trailing spaces and exactly one final newline.
 */
export function render(template: string, view: object): string {
  const text = trimLineEnds(Mustache.render(template, view, {}, RENDER_OPTIONS))
  // By hand: `/\n*$/` tries every position of the page.
  let end = text.length
  while (end > 0 && text[end - 1] === '\n') end--
  return text.slice(0, end) + '\n'
}

/**
 * `text` without the spaces and tabs that end its lines, as `text.replace(/[ \t]+$/gm, '')` gives it,
 * found from the line ends rather than by trying the pattern at every space of the page.
 */
function trimLineEnds(text: string): string {
  // Lines end at \n only, unless another line terminator is there (rare): the pattern handles that.
  if (text.includes('\r') || text.includes('\u2028') || text.includes('\u2029'))
    return text.replace(/[ \t]+$/gm, '')
  let out = ''
  let from = 0
  for (let end = text.indexOf('\n'); ; end = text.indexOf('\n', end + 1)) {
    const lineEnd = end < 0 ? text.length : end
    let cut = lineEnd
    while (cut > from && (text[cut - 1] === ' ' || text[cut - 1] === '\t')) cut--
    if (cut < lineEnd) {
      out += text.slice(from, cut)
      from = lineEnd
    }
    if (end < 0) break
  }
  return from === 0 ? text : out + text.slice(from)
}

/** Papers in page order: `date` (v1 time, newest first; ties by id, highest first) or `relevance`. */
export function sortEntries(entries: RenderEntry[], sort: SortOrder): RenderEntry[] {
  const byDate = (a: RenderEntry, b: RenderEntry): number =>
    compareDesc(a.paper.published, b.paper.published) || compareDesc(a.paper.id, b.paper.id)
  const byScore = (a: RenderEntry, b: RenderEntry): number => b.score - a.score || byDate(a, b)
  return [...entries].sort(sort === 'relevance' ? byScore : byDate)
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0
}

function firstSeenMs(entry: RenderEntry, topic: Topic): number {
  const ms = Date.parse(entry.firstSeen)
  if (Number.isNaN(ms)) {
    throw new Error(
      `Topic ${topic.id}: paper ${entry.paper.id} has an invalid first-seen time "${entry.firstSeen}"`
    )
  }
  return ms
}

/** The fields topic and archive pages share. The description is the user's own Markdown, kept as is. */
function topicFields(topic: Topic): {
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

function sections(papers: PaperView[]): SectionView[] {
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
export function paperView(entry: RenderEntry, config: Config, pagePath: string): PaperView {
  const { paper } = entry
  const absUrl = safeUrl(`https://arxiv.org/abs/${paper.versionedId}`) ?? ''
  const pdfUrl = safeUrl(`https://arxiv.org/pdf/${paper.versionedId}.pdf`) ?? ''
  const projectPage = entry.links.projectPage === undefined ? '' : (safeUrl(entry.links.projectPage) ?? '')
  const code = entry.links.code === undefined ? '' : (safeUrl(entry.links.code) ?? '')
  const links = [
    { label: 'arXiv', url: absUrl },
    { label: 'PDF', url: pdfUrl },
    ...(projectPage ? [{ label: 'Project Page', url: projectPage }] : []),
    ...(code ? [{ label: codeLabel(code), url: code }] : [])
  ].map((link, i) => ({ ...link, first: i === 0 }))

  // The reference printed a stray space before some names (`**Authors:**  GigaBrain Team`).
  const names = paper.authors.map(clean).filter(name => name !== '')
  const shown = names.slice(0, config.maxAuthors).map(escapeMarkdown).join(', ')
  const authors = names.length > config.maxAuthors ? `${shown} et al. (${names.length} authors)` : shown
  const allAuthors = once(() =>
    names.length > config.maxAuthors ? names.map(escapeMarkdown).join(', ') : shown
  )

  const abstract = clean(paper.abstract)
  // Cut on code points of the plain text, before escaping, so an escape is never cut in half.
  const cut = codePointPrefix(abstract, config.abstractLength)
  const truncated = cut !== undefined
  const shownAbstract = truncated ? escapeMarkdown(cut) + '...' : escapeMarkdown(abstract)
  const abstractFull = once(() => (truncated ? escapeMarkdown(abstract) : shownAbstract))

  const comment = clean(paper.comment ?? '')
  const escapedComment = once(() => escapeMarkdown(comment))
  const doi = clean(paper.doi ?? '')
  const alsoIn = alsoInViews(entry.alsoIn, config, pagePath)
  // The default templates show neither the full author list, nor the full abstract, nor the comment:
  // getters escape them only when a template asks (escaping every held paper's full text was a
  // large part of a run's time and garbage).
  return {
    id: escapeMarkdown(paper.id),
    versionedId: escapeMarkdown(paper.versionedId),
    title: escapeMarkdown(clean(paper.title)),
    absUrl,
    pdfUrl,
    authors,
    get allAuthors() {
      return allAuthors()
    },
    authorCount: names.length,
    published: dateUtc(paper.published),
    updated: dateUtc(paper.updated),
    firstSeen: dateUtc(entry.firstSeen),
    categories: paper.categories.slice(0, 3).map(escapeMarkdown).join(', '),
    allCategories: paper.categories.map(escapeMarkdown).join(', '),
    primaryCategory: escapeMarkdown(paper.primaryCategory),
    links,
    projectPage,
    code,
    hasLinks: projectPage !== '' || code !== '',
    abstract: shownAbstract,
    get abstractFull() {
      return abstractFull()
    },
    abstractTruncated: truncated,
    hasAbstract: abstract !== '' && config.abstractLength > 0,
    get comment() {
      return escapedComment()
    },
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

/** `compute()`, evaluated on the first call only. */
function once(compute: () => string): () => string {
  let value: string | undefined
  return () => (value ??= compute())
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

/** Whitespace that `clean` would change: anything but a single space. */
const COLLAPSIBLE = /[^\S ]| {2}/

/** `text` with runs of whitespace as one space, trimmed: what pages, feeds and the dashboard show. */
export function clean(text: string): string {
  // Paper text was collapsed when parsed: usually only the trim is left, without copying the text.
  return (COLLAPSIBLE.test(text) ? text.replace(/\s+/g, ' ') : text).trim()
}

/** `YYYY-MM-DD` in UTC; a value that is not a date is shown as written rather than failing the run. */
function dateUtc(iso: string): string {
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? escapeMarkdown(iso) : new Date(ms).toISOString().slice(0, 10)
}

/** `2026-02-13T22:23:00.000Z` → `2026-02-13 22:23 UTC` */
function minuteUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
}

function monthLabel(month: string): string {
  const index = Number(month.slice(5, 7)) - 1
  return `${MONTHS[index] ?? month} ${month.slice(0, 4)}`
}

function papersLabel(count: number): string {
  return count === 1 ? '1 paper' : `${count} papers`
}
