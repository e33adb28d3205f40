/**
 * The run's report as Markdown: the pull request body and the job summary. Counts say what they
 * mean: papers new in this run (no earlier run found them), papers in the pull request (all that
 * await review), both as distinct papers (one paper in two topics counts once). Per topic the
 * papers of the pull request as linked titles, the new ones first, then failed and stale topics
 * and replaced commits. Paper text is escaped and `@mentions` / `#123` references are
 * neutralised so that nobody is notified and no issue is linked.
 */
import { arxivAbsUrl } from './digest/layout.js'
import { escapeMarkdown, safeUrl } from './render/markdown.js'
import { distinct, type TopicOutcome } from './pipeline.js'
import type { ForeignCommit } from './github/publish.js'
import type { Topic, TopicEntry } from './digest/types.js'

/**
 * GitHub refuses PR bodies longer than this many characters. The one place the limit is kept:
 * `prBody` stays within it (see `Room`), so publishing sends the body as given.
 */
export const PR_BODY_LIMIT = 65_536

/** What the report is made of. */
export interface ReportInput {
  outcomes: TopicOutcome[]
  /** Repository path of each topic's page, by topic id. */
  pages: Map<string, string>
  staleAfterDays: number
  foreignCommits?: ForeignCommit[]
  /** Name of the digest branch, for the foreign-commit note and the rolling-PR line. */
  branch?: string
  /** Name of the base branch, for the rolling-PR line. */
  base?: string
  /** The web address of a file of the digest branch (`…/blob/<branch>/<path>`), to link the pages. */
  fileUrl?: (path: string) => string
}

/** GitHub refuses pull request titles longer than this many characters. */
export const PR_TITLE_LIMIT = 256

/** Lists longer than this are collapsed in `<details>`. */
const OPEN_LIST_LIMIT = 10

const ZERO_WIDTH = '&#8203;'

/**
 * Breaks GitHub's autolinking of `@user`, `@org/team`, `#123` and `GH-123` by putting an invisible
 * zero-width space after the sigil: the text reads the same, nobody is pinged, no issue is linked.
 */
export function neutralize(markdown: string): string {
  // One pass, so the inserted entity's own "#" is not treated again; "&#" starts an HTML entity.
  return markdown.replace(
    /(^|[^\w`])@(?=[A-Za-z0-9])|(?<!&)#(?=\d)|\bGH-(?=\d)/gi,
    (match, before?: string) =>
      match.endsWith('@')
        ? `${before ?? ''}@${ZERO_WIDTH}`
        : match === '#'
          ? `#${ZERO_WIDTH}`
          : `${match.slice(0, 2)}${ZERO_WIDTH}-`
  )
}

/** Whose "new" a report means: this run's, or the latest update of the pull request. */
type Scope = 'run' | 'pull-request'

/**
 * The pull request body, at most `limit` characters: when the papers do not fit, the list is cut
 * at a paper boundary and says how many more are in the changed files (and so are the table and
 * the warnings, should even they not fit: `Room`). It is a function of what
 * the pull request holds, not of the run: "new" means added by the latest update (the papers with
 * the newest first sighting), and a stale topic is dated, not counted in days. So a rerun that
 * finds nothing renders the same body and sends no request.
 */
export function prBody(input: ReportInput, limit = PR_BODY_LIMIT): string {
  const latest = input.outcomes
    .flatMap(o => o.proposed.map(e => e.firstSeen))
    .reduce<string | undefined>((a, b) => (a === undefined || b > a ? b : a), undefined)
  const outcomes = input.outcomes.map(o => ({
    ...o,
    newPapers: o.proposed.filter(e => e.firstSeen === latest)
  }))
  return report({ ...input, outcomes }, limit, 'pull-request', '', latest)
}

/** The job summary: the same report for this run, with a heading (the summary allows 1 MiB). */
export function summaryMarkdown(input: ReportInput): string {
  return report(input, 1_000_000, 'run', '## preprint-digest\n\n')
}

/**
 * The body's room, in characters, and the one rule for staying inside it: fixed text (headings,
 * the headline, the footer) always takes its room; a list keeps whole lines while they fit and
 * says how many it left out. The table and the warnings are served before the paper lists.
 */
class Room {
  constructor(private left: number) {}

  /** Text that is always there. */
  take(text: string): string {
    this.left -= text.length
    return text
  }

  /** Whether `text` fits; if it does, it takes its room. */
  fits(text: string): boolean {
    if (text.length > this.left) return false
    this.left -= text.length
    return true
  }

  /** Room for a listing's fixed text and its longest note, taken before any listing's lines. */
  reserve({ before, lines, more, after }: Listing): void {
    this.take(before + after + more(lines.length))
  }

  /** A listing's lines that fit, whole, then its note with how many did not (see `reserve`). */
  list({ before, lines, more, after }: Listing): string {
    let kept = 0
    while (kept < lines.length && this.fits(lines[kept])) kept++
    return before + lines.slice(0, kept).join('') + more(lines.length - kept) + after
  }
}

/** A part of the report that lists lines, with fixed text around them and a note for lines left out. */
interface Listing {
  before: string
  lines: string[]
  more: (omitted: number) => string
  after: string
}

const NO_LISTING: Listing = { before: '', lines: [], more: () => '', after: '' }

/** "- … and 3 more topics\n" for a list that was cut, nothing for one that was not. */
function more(one: string, many: string): (n: number) => string {
  return n => (n > 0 ? `- … and ${n} more ${n === 1 ? one : many}\n` : '')
}

function report(input: ReportInput, limit: number, scope: Scope, heading: string, latest?: string): string {
  const fresh = distinct(input.outcomes.map(o => o.newPapers))
  const proposed = distinct(input.outcomes.map(o => o.proposed))
  const room = new Room(limit)
  const head = room.take(heading + headline(input, fresh, proposed, scope, latest) + '\n')
  const end =
    room.take(proposed > 0 && scope === 'pull-request' ? rollingLine(input) : '') + room.take(footer())
  // The fixed text first (the papers' note and every listing's), then the lines: the table's, the
  // warnings', then the papers'.
  const cutNote = (omitted: number) =>
    omitted > 0
      ? `\n… and ${omitted} more ${omitted === 1 ? 'entry' : 'entries'}, not listed here to stay within ` +
        "GitHub's size limit for a pull request body: see the topic pages in the changed files.\n"
      : ''
  room.take(cutNote(input.outcomes.reduce((n, o) => n + o.proposed.length, 0)))
  const listings = [
    table(input, scope),
    failedSection(input),
    staleSection(input, scope),
    foreignSection(input)
  ]
  for (const l of listings) room.reserve(l)
  const [rows, ...warnings] = listings.map(l => room.list(l))
  const titles = new Map(input.outcomes.map(o => [o.topic.id, o.topic.title]))

  // Papers are added while they fit; once one does not, the rest are counted, not listed.
  let omitted = 0
  const fits = (text: string): boolean => omitted === 0 && room.fits(text)
  const sections: string[] = []
  for (const o of input.outcomes) {
    if (o.proposed.length === 0) continue
    const carried = o.proposed.slice(o.newPapers.length)
    const counts = [
      o.newPapers.length > 0 ? `${o.newPapers.length} new` : '',
      carried.length > 0
        ? `${carried.length} ${scope === 'run' ? 'already in the pull request' : 'waiting'}`
        : ''
    ].filter(Boolean)
    const title = `\n### ${topicLink(input, o.topic)} · ${counts.join(', ')}\n`
    if (!fits(title)) {
      omitted += o.proposed.length
      continue
    }
    const list = (entries: TopicEntry[], label: string): string => {
      if (entries.length === 0) return ''
      const collapsed = entries.length > OPEN_LIST_LIMIT
      const open = collapsed
        ? `\n<details>\n<summary>${label}: ${papersLabel(entries.length)}</summary>\n\n`
        : `\n**${label}**\n\n`
      const close = collapsed ? '\n</details>\n' : ''
      if (!fits(open + close)) {
        omitted += entries.length
        return ''
      }
      const lines: string[] = []
      for (const entry of entries) {
        const also = entry.alsoIn.filter(id => id !== o.topic.id && titles.has(id))
        const line = paperLine(input, entry, also, titles)
        if (fits(line)) lines.push(line)
        else omitted++
      }
      return lines.length > 0 ? open + lines.join('') + close : ''
    }
    sections.push(
      title +
        list(o.newPapers, scope === 'run' ? 'New in this run' : 'New in the latest update') +
        list(
          carried,
          scope === 'run' ? 'Already in the pull request' : 'Already waiting in this pull request'
        )
    )
  }
  return head + rows + sections.join('') + cutNote(omitted) + warnings.join('') + end
}

/**
 * The pull request title: what is inside, e.g. `12 new papers: vla 7, world_models 5` (papers
 * awaiting review, distinct; per topic, most first). Like the body, a function of what the pull
 * request holds, so a rerun that finds nothing sends no update. At most 256 characters.
 */
export function prTitle(outcomes: TopicOutcome[]): string {
  const proposed = distinct(outcomes.map(o => o.proposed))
  const head = `${proposed} new ${proposed === 1 ? 'paper' : 'papers'}`
  const topics = outcomes
    .map((o, i) => ({ id: o.topic.id, n: o.proposed.length, i }))
    .filter(t => t.n > 0)
    .sort((a, b) => b.n - a.n || a.i - b.i)
  let title = topics.length > 0 ? `${head}: ` : head
  for (const [k, t] of topics.entries()) {
    const part = `${k > 0 ? ', ' : ''}${t.id} ${t.n}`
    const rest = topics.length - k - 1
    const more = rest > 0 ? `, +${rest} more ${rest === 1 ? 'topic' : 'topics'}` : ''
    if (title.length + part.length + more.length > PR_TITLE_LIMIT) {
      const left = topics.length - k
      return `${title}${k > 0 ? ', ' : ''}+${left} more ${left === 1 ? 'topic' : 'topics'}`
    }
    title += part
  }
  return title
}

/** How the rolling pull request behaves, in one line: what merging, closing and pushing do. */
function rollingLine(input: ReportInput): string {
  const branch = input.branch ? `\`${input.branch}\`` : 'its branch'
  const base = input.base ? `\`${input.base}\`` : 'the base branch'
  return (
    `\n<sub>How this pull request behaves: every run that finds new papers updates it, until you merge it. ` +
    `It is rebuilt from ${base} as one commit each time, so commits pushed to ${branch} are replaced (and named ` +
    'here): push your edits to another branch. Merge it to keep these papers; close it without merging to drop ' +
    'them for good: the next pull request records them as dismissed and never proposes them again (unless this ' +
    'branch is deleted first: then those still in the search window come back).</sub>\n'
  )
}

/** The first line: what is new, what the pull request holds, or what was searched. */
function headline(
  input: ReportInput,
  fresh: number,
  proposed: number,
  scope: Scope,
  latest?: string
): string {
  const papers = (n: number, adjective = '') => `${n} ${adjective}${n === 1 ? 'paper' : 'papers'}`
  if (proposed === 0) {
    const searched = input.outcomes.filter(o => o.status === 'ok')
    if (searched.length === 0) return 'No topic could be searched on arXiv.\n'
    const windows = searched.map(
      o => `\`${o.topic.id}\` (${o.window.from.slice(0, 10)} to ${o.window.to.slice(0, 10)})`
    )
    return (
      `No new paper on arXiv since the last run. Searched ${searched.length === 1 ? '1 topic' : `${searched.length} topics`}: ` +
      `${windows.join(', ')}. Nothing was written and no pull request was opened.\n`
    )
  }
  if (scope === 'pull-request') {
    const when = latest ? ` (${latest.slice(0, 10)} ${latest.slice(11, 16)} UTC)` : ''
    return (
      `**${papers(fresh, 'new ')}** in the latest update${when}; ` +
      `**${papers(proposed)}** in this pull request, awaiting review.\n`
    )
  }
  const inRun = fresh === 0 ? 'No new paper in this run' : `**${papers(fresh, 'new ')}** in this run`
  return `${inRun}; **${papers(proposed)}** in the pull request, awaiting review.\n`
}

function table(input: ReportInput, scope: Scope): Listing {
  const rows = input.outcomes.map(o => {
    const status =
      o.status === 'failed'
        ? '⚠️ fetch failed'
        : o.staleDays !== undefined
          ? `⚠️ ${staleness(o, scope)}`
          : 'ok'
    const fresh = o.status === 'ok' ? String(o.newPapers.length) : '–'
    return `| ${topicLink(input, o.topic)} | ${fresh} | ${o.proposed.length} | ${o.held} | ${status} |\n`
  })
  return {
    before:
      `| Topic | ${scope === 'run' ? 'New in this run' : 'New in the latest update'} | In this PR | Listed | Status |\n` +
      '| --- | ---: | ---: | ---: | --- |\n',
    lines: rows,
    more: n => (n > 0 ? `| … and ${n} more ${n === 1 ? 'topic' : 'topics'} | | | | |\n` : ''),
    after: ''
  }
}

/** The topic's title linked to its page on the digest branch, or with the page's path. */
function topicLink(input: ReportInput, topic: Topic): string {
  const title = neutralize(escapeMarkdown(topic.title))
  const page = input.pages.get(topic.id)
  if (page === undefined) return title
  const url = input.fileUrl ? safeUrl(input.fileUrl(page)) : undefined
  return url ? `[${title}](${url})` : `${title} (\`${page}\`)`
}

/** One paper: linked title, authors, links; under it why it surfaced and where else it is listed. */
function paperLine(
  input: ReportInput,
  entry: TopicEntry,
  also: string[],
  titles: Map<string, string>
): string {
  const p = entry.paper
  const authors = p.authors.length > 3 ? `${p.authors.slice(0, 3).join(', ')} et al.` : p.authors.join(', ')
  const link = (label: string, url: string | undefined) => {
    const safe = url === undefined ? undefined : safeUrl(url)
    return safe === undefined ? '' : ` · [${label}](${safe})`
  }
  const links = link('Project Page', entry.links.projectPage) + link('Code', entry.links.code)
  const elsewhere = also.map(id => {
    const title = escapeMarkdown(titles.get(id)!)
    const page = input.pages.get(id)
    const url = page !== undefined && input.fileUrl ? safeUrl(input.fileUrl(page)) : undefined
    return url ? `[${title}](${url})` : title
  })
  const why = [
    entry.reason === '' ? '' : `why: ${escapeMarkdown(entry.reason)}`,
    elsewhere.length > 0 ? `also in: ${elsewhere.join(', ')}` : ''
  ].filter(Boolean)
  const text =
    `- [${escapeMarkdown(p.title)}](${arxivAbsUrl(p.versionedId)}) — ${escapeMarkdown(authors)}${links}\n` +
    (why.length > 0 ? `  <br><sub>${why.join(' · ')}</sub>\n` : '')
  return neutralize(text)
}

function papersLabel(n: number): string {
  return n === 1 ? '1 paper' : `${n} papers`
}

function failedSection(input: ReportInput): Listing {
  const failed = input.outcomes.filter(o => o.status === 'failed')
  if (failed.length === 0) return NO_LISTING
  const lines = failed.map(
    o =>
      `- **${neutralize(escapeMarkdown(o.topic.title))}** (\`${o.topic.id}\`): ${neutralize(escapeMarkdown(firstLine(o.error)))}\n`
  )
  return {
    before: '\n### ⚠️ Topics that could not be fetched\n\n',
    lines,
    more: more('topic', 'topics'),
    after:
      '\nThey keep every paper they had (on the base and in this pull request); the next run searches their window again.\n'
  }
}

/** "stale (20 days)" in a run's report; "stale since 2026-02-01" in the PR body, which must not change daily. */
function staleness(o: TopicOutcome, scope: Scope): string {
  return scope === 'run' || !o.lastChanged
    ? `stale (${o.staleDays} days)`
    : `stale since ${o.lastChanged.slice(0, 10)}`
}

function staleSection(input: ReportInput, scope: Scope): Listing {
  const stale = input.outcomes.filter(o => o.status === 'ok' && o.staleDays !== undefined)
  if (stale.length === 0) return NO_LISTING
  const lines = stale.map(
    o =>
      `- **${neutralize(escapeMarkdown(o.topic.title))}** (\`${o.topic.id}\`): ` +
      (scope === 'run' || !o.lastChanged
        ? `no new paper for ${o.staleDays} days `
        : `no new paper since ${o.lastChanged.slice(0, 10)} `) +
      `(stale-after-days: ${input.staleAfterDays}). Check its keywords and categories.\n`
  )
  return { before: '\n### ⚠️ Stale topics\n\n', lines, more: more('topic', 'topics'), after: '' }
}

function foreignSection(input: ReportInput): Listing {
  const commits = input.foreignCommits ?? []
  if (commits.length === 0) return NO_LISTING
  const lines = commits.map(
    c =>
      `- ${c.sha.slice(0, 7)} ${neutralize(escapeMarkdown(firstLine(c.message)))} (${neutralize(escapeMarkdown(c.author))})\n`
  )
  return {
    before:
      `\n### ⚠️ Commits replaced on \`${input.branch ?? 'the digest branch'}\`\n\n` +
      'The digest branch belongs to preprint-digest and is rebuilt from the base on every run. ' +
      'These commits were on it and are not part of this pull request; push your own changes to another branch:\n\n',
    lines,
    more: more('commit', 'commits'),
    after: ''
  }
}

function footer(): string {
  return '\n---\n<sub>Opened by preprint-digest. Thank you to arXiv for use of its open access interoperability.</sub>\n'
}

function firstLine(text: string | undefined): string {
  return (text ?? 'unknown error').split('\n')[0]
}
