/**
 * The run's report as Markdown: the pull request body and the job summary. Per topic the new
 * papers as linked titles, then failed and stale topics and replaced commits. Paper text is
 * escaped and `@mentions` / `#123` references are neutralised so that nobody is notified and no
 * issue is linked.
 */
import { escapeMarkdown, safeUrl } from './markdown.js'
import type { TopicOutcome } from './pipeline.js'
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

/**
 * The pull request body, at most `limit` characters: when the papers do not fit, the list is cut
 * at a paper boundary and says how many more are in the changed files.
 */
export function prBody(input: ReportInput, limit = PR_BODY_LIMIT): string {
  return report(input, limit)
}

/** The job summary: the same report, with a heading (the summary allows 1 MiB). */
export function summaryMarkdown(input: ReportInput): string {
  return report(input, 1_000_000, '## preprint-digest\n\n')
}

function report(input: ReportInput, limit: number, heading = ''): string {
  const ok = input.outcomes.filter(o => o.status === 'ok')
  const total = ok.reduce((n, o) => n + o.newPapers.length, 0)
  const head =
    heading +
    (total === 0
      ? 'No new papers on arXiv since the last run.\n'
      : `**${total} new ${total === 1 ? 'paper' : 'papers'}** on arXiv since the last run.\n`) +
    '\n' +
    table(input)
  const tail = [failedSection(input), staleSection(input), foreignSection(input), footer()].join('')

  const budget = limit - head.length - tail.length - 200
  const sections: string[] = []
  let used = 0
  let omitted = 0
  for (const o of ok) {
    if (o.newPapers.length === 0) continue
    const title = `\n### ${neutralize(escapeMarkdown(o.topic.title))} (${o.newPapers.length} new)\n\n`
    const lines: string[] = []
    for (const entry of o.newPapers) {
      const line = paperLine(entry)
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
      ? `\n… and ${omitted} more ${omitted === 1 ? 'paper' : 'papers'}, not listed here to stay within ` +
        "GitHub's size limit for a pull request body: see the topic pages in the changed files.\n"
      : ''
  return head + sections.join('') + cut + tail
}

function table(input: ReportInput): string {
  const rows = input.outcomes.map(o => {
    const status =
      o.status === 'failed'
        ? '⚠️ fetch failed'
        : o.staleDays !== undefined
          ? `⚠️ stale (${o.staleDays} days)`
          : 'ok'
    const page = input.pages.get(o.topic.id)
    return `| ${neutralize(escapeMarkdown(o.topic.title))} | ${o.status === 'ok' ? o.newPapers.length : '–'} | ${o.held} | ${status} | ${page ? '`' + page + '`' : ''} |`
  })
  return (
    ['| Topic | New | On record | Status | Page |', '| --- | ---: | ---: | --- | --- |', ...rows].join('\n') +
    '\n'
  )
}

function paperLine(entry: RenderEntry): string {
  const p = entry.paper
  const authors = p.authors.length > 3 ? `${p.authors.slice(0, 3).join(', ')} et al.` : p.authors.join(', ')
  const link = (label: string, url: string | undefined) => {
    const safe = url === undefined ? undefined : safeUrl(url)
    return safe === undefined ? '' : ` · [${label}](${safe})`
  }
  const links = link('Project Page', entry.links.projectPage) + link('Code', entry.links.code)
  const text = `- [${escapeMarkdown(p.title)}](https://arxiv.org/abs/${p.versionedId}) — ${escapeMarkdown(authors)}${links}\n`
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
    '\nTheir pages and state are unchanged; the next run fetches their window again.\n'
  )
}

function staleSection(input: ReportInput): string {
  const stale = input.outcomes.filter(o => o.status === 'ok' && o.staleDays !== undefined)
  if (stale.length === 0) return ''
  const lines = stale.map(
    o =>
      `- **${neutralize(escapeMarkdown(o.topic.title))}** (\`${o.topic.id}\`): no new paper for ${o.staleDays} days ` +
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
