/**
 * The run's report as Markdown: the pull request body and the job summary. Counts say what they
 * mean: papers new in this run (no earlier run found them), papers in the pull request (all that
 * await review), both as distinct papers (one paper in two topics counts once). Per topic the
 * papers of the pull request as linked titles, the new ones first, then failed and stale topics
 * and replaced commits. Paper text is escaped and `@mentions` / `#123` references are
 * neutralised so that nobody is notified and no issue is linked.
 */
import { escapeMarkdown, safeUrl } from './markdown.js'
import { distinct, type TopicOutcome } from './pipeline.js'
import type { ForeignCommit } from './publish.js'
import type { RenderEntry } from './render.js'

/** GitHub refuses PR bodies longer than this many characters. */
export const PR_BODY_LIMIT = 65_536

/** What the report is made of. */
export interface ReportInput {
  outcomes: TopicOutcome[]
  /** Repository path of each topic's page, by topic id. */
  pages: Map<string, string>
  staleAfterDays: number
  foreignCommits?: ForeignCommit[]
  /** Name of the digest branch, for the foreign-commit note. */
  branch?: string
}

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
 * at a paper boundary and says how many more are in the changed files. It is a function of what
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

function report(input: ReportInput, limit: number, scope: Scope, heading: string, latest?: string): string {
  const fresh = distinct(input.outcomes.map(o => o.newPapers))
  const proposed = distinct(input.outcomes.map(o => o.proposed))
  const head = heading + headline(input, fresh, proposed, scope, latest) + '\n' + table(input, scope)
  const tail = [failedSection(input), staleSection(input, scope), foreignSection(input), footer()].join('')
  const topicsOf = topicsByPaper(input.outcomes)

  const budget = limit - head.length - tail.length - 200
  const sections: string[] = []
  let used = 0
  let omitted = 0
  for (const o of input.outcomes) {
    if (o.proposed.length === 0) continue
    const carried = o.proposed.length - o.newPapers.length
    const counts = [
      o.newPapers.length > 0 ? `${o.newPapers.length} new` : '',
      carried > 0 ? `${carried} from earlier runs` : ''
    ].filter(Boolean)
    const title = `\n### ${neutralize(escapeMarkdown(o.topic.title))} (${counts.join(', ')})\n\n`
    const lines: string[] = []
    for (const [i, entry] of o.proposed.entries()) {
      const also = (topicsOf.get(entry.paper.id) ?? []).filter(t => t.id !== o.topic.id)
      let line = paperLine(entry, also)
      if (i === o.newPapers.length && i > 0) line = '\n*Found by earlier runs:*\n\n' + line
      else if (i === 0 && o.newPapers.length === 0) line = '*Found by earlier runs:*\n\n' + line
      if (omitted > 0 || used + title.length + line.length > budget) {
        omitted++
        continue
      }
      lines.push(line)
      used += line.length
    }
    if (lines.length > 0) {
      sections.push(title + lines.join(''))
      used += title.length
    }
  }
  const cut =
    omitted > 0
      ? `\n… and ${omitted} more ${omitted === 1 ? 'entry' : 'entries'}, not listed here to stay within ` +
        "GitHub's size limit for a pull request body: see the topic pages in the changed files.\n"
      : ''
  return head + sections.join('') + cut + tail
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

/** For each paper in a pull request, every topic that lists it there. */
function topicsByPaper(outcomes: TopicOutcome[]): Map<string, TopicOutcome['topic'][]> {
  const map = new Map<string, TopicOutcome['topic'][]>()
  for (const o of outcomes) {
    for (const e of o.proposed) {
      const list = map.get(e.paper.id)
      if (list) list.push(o.topic)
      else map.set(e.paper.id, [o.topic])
    }
  }
  return map
}

function table(input: ReportInput, scope: Scope): string {
  const rows = input.outcomes.map(o => {
    const status =
      o.status === 'failed'
        ? '⚠️ fetch failed'
        : o.staleDays !== undefined
          ? `⚠️ ${staleness(o, scope)}`
          : 'ok'
    const page = input.pages.get(o.topic.id)
    const fresh = o.status === 'ok' ? String(o.newPapers.length) : '–'
    return `| ${neutralize(escapeMarkdown(o.topic.title))} | ${fresh} | ${o.proposed.length} | ${o.held} | ${status} | ${page ? '`' + page + '`' : ''} |`
  })
  return (
    [
      `| Topic | ${scope === 'run' ? 'New in this run' : 'New in the latest update'} | In this PR | Listed | Status | Page |`,
      '| --- | ---: | ---: | ---: | --- | --- |',
      ...rows
    ].join('\n') + '\n'
  )
}

function paperLine(entry: RenderEntry, also: TopicOutcome['topic'][]): string {
  const p = entry.paper
  const authors = p.authors.length > 3 ? `${p.authors.slice(0, 3).join(', ')} et al.` : p.authors.join(', ')
  const link = (label: string, url: string | undefined) => {
    const safe = url === undefined ? undefined : safeUrl(url)
    return safe === undefined ? '' : ` · [${label}](${safe})`
  }
  const links = link('Project Page', entry.links.projectPage) + link('Code', entry.links.code)
  const elsewhere = also.length > 0 ? ` · also in: ${also.map(t => escapeMarkdown(t.title)).join(', ')}` : ''
  const text = `- [${escapeMarkdown(p.title)}](https://arxiv.org/abs/${p.versionedId}) — ${escapeMarkdown(authors)}${links}${elsewhere}\n`
  return neutralize(text)
}

function failedSection(input: ReportInput): string {
  const failed = input.outcomes.filter(o => o.status === 'failed')
  if (failed.length === 0) return ''
  const lines = failed.map(
    o =>
      `- **${neutralize(escapeMarkdown(o.topic.title))}** (\`${o.topic.id}\`): ${neutralize(escapeMarkdown(firstLine(o.error)))}\n`
  )
  return (
    '\n### ⚠️ Topics that could not be fetched\n\n' +
    lines.join('') +
    '\nThey keep every paper they had (on the base and in this pull request); the next run searches their window again.\n'
  )
}

/** "stale (20 days)" in a run's report; "stale since 2026-02-01" in the PR body, which must not change daily. */
function staleness(o: TopicOutcome, scope: Scope): string {
  return scope === 'run' || !o.lastChanged
    ? `stale (${o.staleDays} days)`
    : `stale since ${o.lastChanged.slice(0, 10)}`
}

function staleSection(input: ReportInput, scope: Scope): string {
  const stale = input.outcomes.filter(o => o.status === 'ok' && o.staleDays !== undefined)
  if (stale.length === 0) return ''
  const lines = stale.map(
    o =>
      `- **${neutralize(escapeMarkdown(o.topic.title))}** (\`${o.topic.id}\`): ` +
      (scope === 'run' || !o.lastChanged
        ? `no new paper for ${o.staleDays} days `
        : `no new paper since ${o.lastChanged.slice(0, 10)} `) +
      `(stale-after-days: ${input.staleAfterDays}). Check its keywords and categories.\n`
  )
  return '\n### ⚠️ Stale topics\n\n' + lines.join('')
}

function foreignSection(input: ReportInput): string {
  const commits = input.foreignCommits ?? []
  if (commits.length === 0) return ''
  const lines = commits.map(
    c =>
      `- ${c.sha.slice(0, 7)} ${neutralize(escapeMarkdown(firstLine(c.message)))} (${neutralize(escapeMarkdown(c.author))})\n`
  )
  return (
    `\n### ⚠️ Commits replaced on \`${input.branch ?? 'the digest branch'}\`\n\n` +
    'The digest branch belongs to preprint-digest and is rebuilt from the base on every run. ' +
    'These commits were on it and are not part of this pull request; push your own changes to another branch:\n\n' +
    lines.join('')
  )
}

function footer(): string {
  return '\n---\n<sub>Opened by preprint-digest. Thank you to arXiv for use of its open access interoperability.</sub>\n'
}

function firstLine(text: string | undefined): string {
  return (text ?? 'unknown error').split('\n')[0]
}
