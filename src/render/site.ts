/**
 * The static dashboard (`site-dir`): one data file per topic, written when the topic is rendered,
 * and a page plus a small topic list (`topics.json`) written with them. The page is one
 * self-contained HTML file (inline CSS and script) that loads the JSON files; nothing here reads a
 * clock, so the same state gives the same bytes and a quiet run writes nothing.
 *
 * Text from arXiv goes into JSON only (never into the HTML), and the JSON escapes `<`, `>`, `&`,
 * U+2028 and U+2029, so no value can close a tag or a script even if the JSON were inlined. The
 * page's script puts every value into the page with `textContent` and checks each link again. The
 * data format and the template's view are documented in `docs/site.md`.
 */
import { createHash } from 'node:crypto'
import Mustache from 'mustache'
import { arxivAbsUrl, arxivPdfUrl, siteDataPath, siteLayout } from '../digest/layout.js'
import { safeUrl } from './markdown.js'
import { clean, cleanList } from '../digest/text.js'
import { codePointPrefix } from './views.js'
import type { Config, Topic, TopicEntry } from '../digest/types.js'
import { type Templates } from './templates.js'
import { type TopicSummary } from './pages.js'
import { DAY_MS } from '../digest/time.js'

/** Bumped when a field changes meaning or goes away (adding one does not). */
const SITE_FORMAT = 1

/** Weeks the chart covers, up to the week of the topic's last change. */
const CHART_WEEKS = 12

const WEEK_MS = 7 * DAY_MS

/** One paper of a topic's data file. Plain text (not escaped), links http(s) only. */
export interface SitePaper {
  id: string
  versionedId: string
  title: string
  /** Every author, in order. */
  authors: string[]
  /** Cut at `abstract-length` code points, then `...` if it was longer. */
  abstract: string
  categories: string[]
  primaryCategory: string
  /** ISO 8601 UTC: v1's submission. */
  published: string
  /** ISO 8601 UTC: when the digest first saw the paper. */
  firstSeen: string
  links: { abs: string; pdf: string; projectPage?: string; code?: string }
  /** Why the paper surfaced: which keywords hit where, or which author. */
  reason: string
  /** Match score (`sort: relevance`). */
  score: number
}

/** New papers (by first sighting) in the week starting `start` (a Monday, UTC). */
export interface WeekCount {
  start: string
  count: number
}

/** `<site-dir>/data/<id>.json` */
export interface SiteTopicData {
  format: number
  id: string
  title: string
  /** The newest first-seen time of the papers listed; null without papers. */
  lastChanged: string | null
  /** {@link CHART_WEEKS} weeks, oldest first, the last one holding `lastChanged`; empty without papers. */
  weeks: WeekCount[]
  /** Newest first (v1 date, then id). */
  papers: SitePaper[]
}

/** `<site-dir>/topics.json` */
export interface SiteManifest {
  format: number
  /** The configured `sort`: the page's initial order. */
  sort: Config['sort']
  /** The configured `max-authors`: names shown before "et al.". */
  maxAuthors: number
  topics: Array<{
    id: string
    title: string
    description: string
    /** Papers the topic lists, archived ones included. */
    papers: number
    lastChanged: string | null
    /** The topic's data file, relative to the page. */
    data: string
  }>
}

/** What the page template sees. */
export interface SitePageView {
  /** The whole `<script>` element with the dashboard's script. */
  script: string
  /** The page's Content-Security-Policy: allows exactly that script (by hash) and same-origin data. */
  contentSecurityPolicy: string
  /** The topic list the script loads, relative to the page. */
  manifest: string
}

/**
 * A topic's data file: every paper it lists (archived ones included), newest first.
 *
 * @returns The repository path and the file's text.
 */
export function renderSiteData(input: {
  topic: Topic
  entries: TopicEntry[]
  config: Config
  siteDir: string
}): [path: string, text: string] {
  const { topic, config } = input
  const entries = [...input.entries].sort(
    (a, b) => compareDesc(a.paper.published, b.paper.published) || compareDesc(a.paper.id, b.paper.id)
  )
  const papers = entries.map(e => sitePaper(e, config))
  const lastChanged = papers.reduce<string | null>(
    (last, p) => (last === null || p.firstSeen > last ? p.firstSeen : last),
    null
  )
  const data: SiteTopicData = {
    format: SITE_FORMAT,
    id: topic.id,
    title: topic.title.trim(),
    lastChanged,
    weeks: lastChanged === null ? [] : weeklyCounts(papers, lastChanged),
    papers
  }
  return [siteDataPath(input.siteDir, topic.id), safeJson(data)]
}

/**
 * The page and the topic list, from every topic's summary (the topics not rendered this run are
 * summarised from their newest state shard, as for the index file).
 *
 * @returns Repository path → text: `<site-dir>/index.html` and `<site-dir>/topics.json`.
 */
export function renderSite(input: {
  topics: TopicSummary[]
  config: Config
  siteDir: string
  templates: Pick<Templates, 'site' | 'siteScript'>
}): Map<string, string> {
  const { config, siteDir } = input
  const layout = siteLayout(siteDir)
  const manifest: SiteManifest = {
    format: SITE_FORMAT,
    sort: config.sort,
    maxAuthors: config.maxAuthors,
    topics: input.topics.map(({ topic, paperCount, lastChanged }) => ({
      id: topic.id,
      title: topic.title.trim(),
      description: topic.description.trim(),
      papers: paperCount,
      lastChanged: lastChanged ?? null,
      data: `data/${topic.id}.json`
    }))
  }
  return new Map([
    [layout.page, renderSitePage(input.templates)],
    [layout.manifest, safeJson(manifest)]
  ])
}

/** The page: the template with mustache's HTML escaping, the script embedded and allowed by its hash. */
export function renderSitePage(templates: Pick<Templates, 'site' | 'siteScript'>): string {
  const script = templates.siteScript
  if (/<\/script|<!--/i.test(script))
    throw new Error('templates/site.js must not contain "</script" or "<!--"')
  const hash = createHash('sha256').update(script, 'utf8').digest('base64')
  const view: SitePageView = {
    script: `<script>${script}</script>`,
    contentSecurityPolicy: [
      "default-src 'none'",
      `script-src 'sha256-${hash}'`,
      "style-src 'unsafe-inline'",
      "connect-src 'self'",
      "img-src 'self' data:",
      "base-uri 'none'",
      "form-action 'none'"
    ].join('; '),
    manifest: 'topics.json'
  }
  const text = Mustache.render(templates.site, view, {}, { tags: ['{{', '}}'] })
  return text.endsWith('\n') ? text : text + '\n'
}

/**
 * JSON that cannot end an HTML element or a script wherever it is put: `<`, `>`, `&`, U+2028 and
 * U+2029 are written as `\u` escapes (the parsed value is the same). Two-space indentation, one
 * final newline, keys in the order the value was built.
 */
export function safeJson(value: unknown): string {
  return (
    JSON.stringify(value, null, 2).replace(
      /[<>&\u2028\u2029]/g,
      c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
    ) + '\n'
  )
}

/**
 * Papers first seen per week, for the {@link CHART_WEEKS} weeks (Monday to Sunday, UTC) that end
 * with the week of `lastChanged`: a function of the papers alone, never of the current time.
 */
export function weeklyCounts(papers: Array<{ firstSeen: string }>, lastChanged: string): WeekCount[] {
  const day = Math.floor(Date.parse(lastChanged) / DAY_MS) * DAY_MS
  const monday = day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS
  const first = monday - (CHART_WEEKS - 1) * WEEK_MS
  const counts = new Array<number>(CHART_WEEKS).fill(0)
  for (const p of papers) {
    const i = Math.floor((Date.parse(p.firstSeen) - first) / WEEK_MS)
    if (i >= 0 && i < CHART_WEEKS) counts[i]!++
  }
  return counts.map((count, i) => ({
    start: new Date(first + i * WEEK_MS).toISOString().slice(0, 10),
    count
  }))
}

function sitePaper(entry: TopicEntry, config: Config): SitePaper {
  const { paper } = entry
  const abstract = clean(paper.abstract)
  const cut = codePointPrefix(abstract, config.abstractLength)
  const projectPage = entry.links.projectPage === undefined ? undefined : safeUrl(entry.links.projectPage)
  const code = entry.links.code === undefined ? undefined : safeUrl(entry.links.code)
  return {
    id: paper.id,
    versionedId: paper.versionedId,
    title: clean(paper.title),
    authors: cleanList(paper.authors),
    abstract: config.abstractLength === 0 ? '' : cut === undefined ? abstract : cut + '...',
    categories: cleanList(paper.categories),
    primaryCategory: clean(paper.primaryCategory),
    published: paper.published,
    firstSeen: entry.firstSeen,
    links: {
      abs: safeUrl(arxivAbsUrl(paper.versionedId)) ?? '',
      pdf: safeUrl(arxivPdfUrl(paper.versionedId)) ?? '',
      ...(projectPage === undefined ? {} : { projectPage }),
      ...(code === undefined ? {} : { code })
    },
    reason: entry.reason,
    score: entry.score
  }
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0
}
