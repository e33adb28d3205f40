/**
 * src/render/: everything the digest writes for people and feed readers. `templates.ts` loads and
 * renders the mustache templates, `views.ts` builds what they see, `markdown.ts` escapes,
 * `index-region.ts` owns the index file's markers, `feeds.ts` and `site.ts` render the feeds and
 * the dashboard.
 *
 * This file: topic state → Markdown pages: a topic's page and its archive pages, the index file's
 * table, and `latest.md`. Rendering is a pure function of the state and the configuration: no clock
 * is read, so a run that finds nothing new produces the same bytes and therefore no commit.
 */
import { archivePagePath, feedPath, latestPagePath, relativeLink, topicPagePath } from '../digest/layout.js'
import { retain, sortEntries } from '../digest/retention.js'
import type { Config, Topic, TopicEntry } from '../digest/types.js'
import { replaceRegion } from './index-region.js'
import { escapeMarkdown, safePath } from './markdown.js'
import { render, type Templates } from './templates.js'
import {
  minuteUtc,
  monthLabel,
  paperViews,
  papersLabel,
  sections,
  topicFields,
  type ArchiveLinkView,
  type ArchivePageView,
  type IndexView,
  type LatestPageView,
  type PaperViews,
  type TopicPageView
} from './views.js'

/** One line of the index table. */
export interface TopicSummary {
  topic: Topic
  /** Papers the topic holds, archived ones included. */
  paperCount: number
  /** ISO 8601 UTC: the newest first-seen time of its papers; absent when it holds none. */
  lastChanged?: string
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
 * @param input.views Paper views shared with the run's other pages (see {@link paperViews}).
 * @returns Repository-relative path → file content: the topic page first, then archives by month.
 */
export function renderTopic(input: {
  topic: Topic
  entries: TopicEntry[]
  config: Config
  templates: Templates
  views?: PaperViews
}): Map<string, string> {
  const { topic, config, templates } = input
  const paperView = input.views ?? paperViews(config)
  const pagePath = topicPagePath(config, topic.id)
  const entries = input.entries
  const { kept, archived, lastMs } = retain(topic, entries, config.sort, config.keepDays)

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
  const papers = kept.map(e => paperView(e, pagePath))
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
  const files = new Map([[pagePath, render(templates.topic, topicView, templates.partials)]])

  for (const month of months) {
    const path = archivePagePath(config, topic.id, month)
    const monthPapers = archived.get(month)!.map(e => paperView(e, path))
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
    files.set(path, render(templates.archive, view, templates.partials))
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
  return replaceRegion(
    input.existing,
    render(input.templates.index, view, input.templates.partials),
    config.indexFile
  )
}

/**
 * Renders `<output-dir>/latest.md`: the papers of the most recent batch (the papers whose first
 * sighting is the digest's latest change), grouped by topic. A function of the state alone.
 *
 * @param input.batch Per topic (in configuration order), its papers first seen at `input.at`.
 * @param input.at ISO 8601 UTC of the latest batch; undefined when the digest holds no paper.
 * @param input.views Paper views shared with the topic pages (see {@link paperViews}).
 */
export function renderLatest(input: {
  batch: { topic: Topic; entries: TopicEntry[] }[]
  at: string | undefined
  config: Config
  templates: Templates
  views?: PaperViews
}): string {
  const { config } = input
  const paperView = input.views ?? paperViews(config)
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
      papers: sortEntries(entries, config.sort).map(e => paperView(e, path))
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
  return render(input.templates.latest, view, input.templates.partials)
}
