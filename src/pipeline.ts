/**
 * One digest run, independent of where the repository lives: state in, arXiv queried, papers
 * matched and merged, every page and state file rendered. The caller (CLI or action) decides what
 * to do with the files; a topic whose fetch failed contributes no file, so it stays as it was.
 */
import { checkRegion } from './render/index-region.js'
import { extractLinks } from './digest/links.js'
import { createMatcher, type Matcher } from './digest/matching.js'
import { choosePlan } from './arxiv/plan-choice.js'
import type { TopicWindow } from './arxiv/plan.js'
import type { Config, HeldPaper, Paper, Topic, TopicEntry } from './digest/types.js'
import type { Templates } from './render/templates.js'
import { renderIndex, renderLatest, renderTopic } from './render/pages.js'
import { paperViews } from './render/views.js'
import { renderFeeds } from './render/feeds.js'
import type { RepoReader } from './digest/repo.js'
import {
  allShards,
  emptyReading,
  held,
  holds,
  lastChange,
  newestShards,
  readMore,
  shardsFrom,
  type TopicReading,
  topicFiles,
  unread,
  type ProposedBranch,
  type TopicFiles
} from './digest/held.js'
import {
  latestPagePath,
  siteDataPath,
  siteLayout,
  topicPagePath,
  type RepositoryLocation
} from './digest/layout.js'
import { settledSince } from './digest/announcements.js'
import { isSettled, searchSettings } from './digest/settled.js'
import { renderSite, renderSiteData } from './render/site.js'
import { lastChanged, writeTopicState, type TopicState } from './digest/state.js'

export type { ProposedBranch } from './digest/held.js'
import { DAY_MS } from './digest/time.js'

/** What the pipeline needs from an arXiv client. */
export interface ArxivSearch {
  /** Every paper the query matches, each id once. */
  search(
    searchQuery: string,
    options?: {
      sortBy?: 'submittedDate' | 'lastUpdatedDate' | 'relevance'
      sortOrder?: 'ascending' | 'descending'
      large?: boolean
    }
  ): Promise<Paper[]>
  /** How many papers a query matches, in one cheap request; without it, keyword queries are used. */
  count?(searchQuery: string): Promise<number>
  /** Papers per request (default 2000). */
  readonly pageSize?: number
}

/** Where progress lines go. */
export interface Logger {
  info(message: string): void
  warning(message: string): void
}

/** Inputs of one run. */
export interface DigestInput {
  config: Config
  /** "Now": fixes the window's end and the first-seen time of new papers. */
  now: Date
  /** The repository as the digest starts from (the base branch): its state decides what is new. */
  base: RepoReader
  /** The digest branch of an earlier, unmerged run, if any. */
  proposed?: ProposedBranch
  arxiv: ArxivSearch
  templates: Templates
  /** Where the repository's files are viewed (the action knows it), for absolute links in feeds. */
  repository?: RepositoryLocation
  log?: Logger
  /**
   * Takes each file as soon as it is rendered, topic by topic; `DigestResult.files` then stays
   * empty. Without it, the result holds every file to the end of the run (tens of megabytes for
   * 100 topics). A run that throws may have handed over some files: the caller decides what to keep.
   */
  write?: (path: string, text: string) => Promise<void>
}

/** What happened to one topic. */
export interface TopicOutcome {
  topic: Topic
  status: 'ok' | 'failed'
  /** Why the fetch failed (status `failed`). */
  error?: string
  /** arXiv was not asked: nothing was announced since the topic's last change (see `settled.ts`). */
  settled?: true
  /** The submittedDate window asked for, ISO 8601 UTC. */
  window: { from: string; to: string }
  /** Papers arXiv returned for this topic's queries inside its window. */
  fetched: number
  /** Of those, papers that match the topic. */
  matched: number
  /** Papers no earlier run had found (neither on the base nor on the digest branch), newest first. */
  newPapers: TopicEntry[]
  /**
   * Papers awaiting review: held neither by the base nor dismissed, so on the pull request. The new
   * ones first (as in `newPapers`), then the ones earlier runs put there, newest first.
   */
  proposed: TopicEntry[]
  /** Papers the topic lists after this run (on its page and archive pages). */
  held: number
  /** When the topic's papers last changed (ISO 8601 UTC), if it holds any. */
  lastChanged?: string
  /** Whole days since the topic last changed, when that is more than `stale-after-days`. */
  staleDays?: number
}

/**
 * Result of a run: the files of the topics it renders again (and the index with them), unchanged
 * ones included, and one outcome per topic. A run that changes no topic produces no file.
 */
export interface DigestResult {
  /** The files, unless they went to `DigestInput.write`. */
  files: Map<string, string>
  topics: TopicOutcome[]
  /** Distinct papers (a paper in two topics counts once): new in this run, and awaiting review. */
  counts: { new: number; proposed: number }
}

/** Raised when no topic could be fetched: nothing is written. */
export class DigestError extends Error {
  constructor(readonly topics: TopicOutcome[]) {
    const groups = groupFailures(topics)
    super(
      'No topic could be fetched from arXiv; nothing was written.' +
        (groups.size === 1
          ? ` ${[...groups.keys()][0]}`
          : '\n' + [...groups].map(([error, ids]) => `  - ${ids.join(', ')}: ${error}`).join('\n'))
    )
    this.name = 'DigestError'
  }
}

/** Failed topics grouped by their error: error → topic ids. */
export function groupFailures(outcomes: TopicOutcome[]): Map<string, string[]> {
  const groups = new Map<string, string[]>()
  for (const o of outcomes) {
    if (o.status !== 'failed') continue
    const error = o.error ?? 'failed'
    const ids = groups.get(error)
    if (ids) ids.push(o.topic.id)
    else groups.set(error, [o.topic.id])
  }
  return groups
}

/** Minute precision keeps state files free of noise and windows reproducible. */
export function isoMinute(time: Date | number): string {
  const ms = typeof time === 'number' ? time : time.getTime()
  return new Date(Math.floor(ms / 60_000) * 60_000).toISOString().replace(/:00\.000Z$/, ':00Z')
}

/** Runs the digest: see the module comment. Throws DigestError when every topic failed. */
export async function runDigest(input: DigestInput): Promise<DigestResult> {
  const { config, base, proposed, log } = input
  const now = isoMinute(input.now)
  const nowMs = Date.parse(now)

  // What is held, read in rounds, each prefetched in as few requests as the reader can: the
  // newest shards (the last change, hence the window), then the rest of the window's months.
  const files = new Map<string, TopicFiles>()
  for (const topic of config.topics) files.set(topic.id, await topicFiles(base, proposed, config, topic.id))
  const readings = new Map(config.topics.map(t => [t.id, emptyReading()]))
  const readRound = async (pick: (f: TopicFiles, id: string) => string[][], extra: string[] = []) => {
    const wanted = config.topics.map(t => unread(readings.get(t.id)!, pick(files.get(t.id)!, t.id)))
    // Started together, so that a reader that batches can serve both in the same requests.
    await Promise.all([
      prefetch(base, [...extra, ...wanted.flatMap(w => w[0])]),
      prefetch(
        proposed?.files,
        wanted.flatMap(w => w[1])
      )
    ])
    for (const [i, topic] of config.topics.entries()) {
      const f = files.get(topic.id)!
      await readMore(readings.get(topic.id)!, wanted[i], base, proposed, {
        base: f.base.at(-1),
        branch: f.branch.at(-1)
      })
    }
  }

  await readRound(newestShards, [config.indexFile])
  // A broken marker region in the index file would fail the run after fetching: find out first.
  const existingIndex = await base.read(config.indexFile)
  checkRegion(existingIndex, config.indexFile)

  // The newest shards hold each topic's last change: it decides the window and whether to ask.
  const last = new Map(config.topics.map(t => [t.id, lastChange(readings.get(t.id)!)]))
  const windows: TopicWindow[] = config.topics.map(topic => {
    const changed = last.get(topic.id)?.at
    const from =
      changed === undefined
        ? nowMs - config.lookbackDays * DAY_MS
        : Date.parse(changed) - config.overlapDays * DAY_MS
    return { topic, from: new Date(from) }
  })
  const windowStart = new Map(windows.map(w => [w.topic.id, isoMinute(w.from)]))
  // Topics asked with their current settings after the latest announcement settled: arXiv has
  // nothing new for them, so they are neither asked nor read further.
  const settings = new Map(config.topics.map(t => [t.id, searchSettings(t, config)]))
  const since = settledSince(input.now)
  const settled = new Set(
    config.topics.filter(t => isSettled(last.get(t.id), settings.get(t.id)!, since)).map(t => t.id)
  )
  await readRound((f, id) => (settled.has(id) ? [[], []] : shardsFrom(f, windowStart.get(id)!)))

  const asked = windows.filter(w => !settled.has(w.topic.id))
  const plan = asked.length > 0 ? await choosePlan(asked, new Date(nowMs), input.arxiv, log) : []
  // Per topic, the result lists of the queries that cover it (one list is shared by its topics).
  const results = new Map<string, Paper[][]>(config.topics.map(t => [t.id, []]))
  const failures = new Map<string, string>()
  for (const query of plan) {
    try {
      const papers = await input.arxiv.search(query.searchQuery, {
        sortBy: 'submittedDate',
        sortOrder: 'descending',
        large: query.byCategory
      })
      for (const id of query.topicIds) results.get(id)!.push(papers)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      for (const id of query.topicIds) if (!failures.has(id)) failures.set(id, message)
    }
  }

  // New papers, told apart from what the window's shards hold.
  const found = findNew({ windows, windowStart, results, failures, readings, config, now })
  results.clear()
  // Rendering matches only papers the state holds (for their reasons and "also in"): a matcher of
  // its own indexes just those, not every fetched paper.
  const matcher = createMatcher()

  // A topic is rendered again when it gains papers, when its page is missing, or when the digest
  // branch's state of it differs from the base's: an open pull request's papers must survive the
  // branch being rebuilt from the base, and a closed one's must be recorded as dismissed. A failed
  // topic keeps what base and pull request hold: it is rendered only for an open pull request.
  const pages = new Set(await base.list(config.outputDir))
  // With the dashboard on, a topic without its data file is rendered too (as one without its page).
  const { siteDir } = config
  if (siteDir !== undefined) for (const path of await base.list(siteLayout(siteDir).data)) pages.add(path)
  const missing = (id: string) =>
    !pages.has(topicPagePath(config, id)) || (siteDir !== undefined && !pages.has(siteDataPath(siteDir, id)))
  const differs = (id: string) => proposed !== undefined && !files.get(id)!.same
  const rendered = new Set(
    config.topics
      .filter(t =>
        failures.has(t.id)
          ? differs(t.id) && !proposed!.closed
          : found.get(t.id)!.added.length > 0 || differs(t.id) || missing(t.id)
      )
      .map(t => t.id)
  )
  // Whole histories: of the rendered topics, and of those whose count the newest shard does not
  // record (written by an older version, or a digest branch that differs from the base).
  const countKnown = (id: string) => files.get(id)!.same && readings.get(id)!.listed !== undefined
  const complete = (id: string) => rendered.has(id) || !countKnown(id)
  await readRound((f, id) => (complete(id) ? allShards(f) : [[], []]))

  const out = new Map<string, string>()
  const write = async (files: Iterable<[string, string]>) => {
    for (const [path, text] of files)
      if (input.write) await input.write(path, text)
      else out.set(path, text)
  }
  const outcomes: TopicOutcome[] = []
  // The latest batch: the papers first seen at the digest's newest change, which every topic's
  // newest shard holds (read for every topic).
  const batch: { topic: Topic; entries: () => TopicEntry[] }[] = []
  let latest: string | undefined
  // A paper of the latest batch is shown on its topic page and on latest.md: one view for both.
  const views = paperViews(config)
  for (const { topic } of windows) {
    const window = { from: windowStart.get(topic.id)!, to: now }
    const failure = failures.get(topic.id)
    const { state, onBase } = held(readings.get(topic.id)!, proposed)
    // Defensive: a hand-edited shard could hold a paper outside the month it was first seen in.
    const added = found.get(topic.id)!.added.filter(e => !state.has(e.paper.id))
    for (const e of added) state.set(e.paper.id, { paper: e.paper, firstSeen: now })
    const fresh = new Map(added.map(e => [e.paper.id, e]))
    const listed = [...state.values()].filter(h => !h.dismissed)
    let carried: TopicEntry[] = []
    const made = new Map<string, TopicEntry>(fresh)
    const toEntry = (h: HeldPaper): TopicEntry => {
      let e = made.get(h.paper.id)
      if (!e) made.set(h.paper.id, (e = entry(h.paper, h.firstSeen, topic, config, matcher)))
      return e
    }
    if (rendered.has(topic.id)) {
      const entries = listed.map(toEntry)
      carried = entries.filter(e => !onBase.has(e.paper.id) && !fresh.has(e.paper.id)).sort(newestFirst)
      const render = { topic, entries, config, templates: input.templates, views }
      await write(renderTopic(render))
      await write(
        renderFeeds({ topic, entries, config, templates: input.templates, repository: input.repository })
      )
      // The settings arXiv was asked with; a topic not asked keeps those of its last change.
      const asked = failure === undefined && !settled.has(topic.id)
      const written = asked ? settings.get(topic.id) : last.get(topic.id)?.settings
      await write(writeTopicState(config, topic.id, state, written))
      if (siteDir !== undefined) await write([renderSiteData({ topic, entries, config, siteDir })])
    }
    // Entries are made only if latest.md is rendered (with the index): a quiet run makes none.
    const newest = lastChanged(listed)
    if (newest !== undefined && (latest === undefined || newest >= latest)) {
      if (latest !== undefined && newest > latest) batch.length = 0
      latest = newest
      const papers = listed.filter(h => h.firstSeen === newest)
      batch.push({ topic, entries: () => papers.map(toEntry) })
    }
    const count = complete(topic.id) ? listed.length : readings.get(topic.id)!.listed!
    const { fetched, matched } = found.get(topic.id)!
    const result = outcome(topic, state, count, window, nowMs, config.staleAfterDays, {
      status: failure === undefined ? 'ok' : 'failed',
      error: failure,
      fetched,
      matched,
      ...(settled.has(topic.id) ? { settled: true as const } : {}),
      newPapers: added,
      proposed: [...added, ...carried]
    })
    outcomes.push(result)
    if (failure !== undefined) continue
    if (settled.has(topic.id)) {
      log?.info(
        `${topic.id}: not asked: nothing announced on arXiv since its last change (${result.lastChanged}) ` +
          `with the same settings (lists ${count})`
      )
    } else
      log?.info(
        `${topic.id}: searched ${window.from} to ${window.to}, fetched ${fetched}, matched ${matched}, ` +
          `new ${added.length}` +
          (carried.length > 0 ? `, ${carried.length} already in the pull request` : '') +
          ` (lists ${count})`
      )
    if (result.staleDays !== undefined) {
      log?.warning(
        `${topic.id}: no new paper for ${result.staleDays} days (stale-after-days is ${config.staleAfterDays}); ` +
          'check its keywords and categories'
      )
    }
  }
  if (outcomes.length > 0 && outcomes.every(o => o.status === 'failed')) throw new DigestError(outcomes)
  // One line per distinct failure, naming its topics: one failed query covers several topics.
  for (const [error, topics] of groupFailures(outcomes))
    log?.warning(`${topics.join(', ')}: fetch failed, papers kept as they were: ${error}`)

  // The index changes only with a topic; a run that changes none renders nothing at all.
  if (rendered.size > 0) {
    const summaries = outcomes.map(o => ({ topic: o.topic, paperCount: o.held, lastChanged: o.lastChanged }))
    await write([
      [
        config.indexFile,
        renderIndex({ existing: existingIndex, topics: summaries, config, templates: input.templates })
      ]
    ])
    if (siteDir !== undefined)
      await write(renderSite({ topics: summaries, config, siteDir, templates: input.templates }))
    const latestBatch = batch.map(b => ({ topic: b.topic, entries: b.entries() }))
    await write([
      [
        latestPagePath(config),
        renderLatest({ batch: latestBatch, at: latest, config, templates: input.templates, views })
      ]
    ])
  }
  const counts = {
    new: distinct(outcomes.map(o => o.newPapers)),
    proposed: distinct(outcomes.map(o => o.proposed))
  }
  return { files: out, topics: outcomes, counts }
}

/**
 * Per topic, the papers of its window that match it and that its state does not hold yet (newest
 * first), with how many were fetched and matched. The result lists are done with afterwards:
 * papers that matched no topic need not last the run (the caller clears them).
 */
function findNew(input: {
  windows: TopicWindow[]
  windowStart: Map<string, string>
  results: Map<string, Paper[][]>
  failures: Map<string, string>
  readings: Map<string, TopicReading>
  config: Config
  now: string
}): Map<string, { added: TopicEntry[]; fetched: number; matched: number }> {
  const { windows, windowStart, results, failures, readings, config, now } = input
  // One matcher for the search: each distinct paper is indexed once, whichever queries returned it
  // and however many topics it meets. Its index of every fetched paper goes with this function.
  const matcher = createMatcher()
  const mayMatch = matcher.candidates(config.topics)
  // What a topic needs of its papers, found once per query result list for all the topics the
  // list serves (one list serves every topic when the plan fetches by category): for each topic, the
  // indexes of the papers it may match (ascending), so that a topic looks at its few candidates
  // only; and how many papers are in a window, per window start.
  interface ListFacts {
    candidates: Map<Topic, number[]>
    inWindow: Map<string, number>
  }
  const facts = (papers: Paper[]): ListFacts => {
    const candidates = new Map<Topic, number[]>()
    for (let i = 0; i < papers.length; i++)
      for (const topic of mayMatch(papers[i])) {
        const list = candidates.get(topic)
        if (list) list.push(i)
        else candidates.set(topic, [i])
      }
    return { candidates, inWindow: new Map() }
  }
  const known = new Map<Paper[], ListFacts>()
  const factsOf = (lists: Paper[][], papers: Paper[]): ListFacts => {
    if (lists.length !== 1) return facts(papers)
    let found = known.get(lists[0])
    if (!found) known.set(lists[0], (found = facts(papers)))
    return found
  }
  const countFrom = (list: ListFacts, papers: Paper[], from: string): number => {
    let n = list.inWindow.get(from)
    if (n === undefined) list.inWindow.set(from, (n = papers.filter(p => p.published >= from).length))
    return n
  }
  const found = new Map<string, { added: TopicEntry[]; fetched: number; matched: number }>()
  for (const { topic } of windows) {
    const from = windowStart.get(topic.id)!
    const added: TopicEntry[] = []
    let fetched = 0
    let matched = 0
    if (!failures.has(topic.id)) {
      const recent = readings.get(topic.id)!
      const lists = results.get(topic.id)!
      const papers = distinctPapers(lists)
      const list = factsOf(lists, papers)
      fetched = countFrom(list, papers, from)
      for (const i of list.candidates.get(topic) ?? []) {
        const paper = papers[i]
        if (paper.published < from) continue
        const match = matcher.match(paper, topic)
        if (!match.matched) continue
        matched++
        // Held papers keep their first sighting and its metadata: a v2 changes nothing.
        if (holds(recent, paper.id)) continue
        added.push({
          paper,
          firstSeen: now,
          links: extractLinks(paper),
          score: match.score,
          reason: match.reason ?? '',
          alsoIn: alsoIn(paper, topic, config.topics, matcher)
        })
      }
      added.sort(newestFirst)
    }
    found.set(topic.id, { added, fetched, matched })
  }
  return found
}

/** Reads `paths` ahead when the reader can. */
async function prefetch(reader: RepoReader | undefined, paths: string[]): Promise<void> {
  if (reader?.prefetch && paths.length > 0) await reader.prefetch(paths)
}

/**
 * The papers of result lists, each id once: a paper two queries returned is taken from the later
 * one, in the place the earlier one gave it. One list is returned as it is.
 */
function distinctPapers(lists: Paper[][]): Paper[] {
  if (lists.length === 1) return lists[0]
  const byId = new Map<string, Paper>()
  for (const papers of lists) for (const p of papers) byId.set(p.id, p)
  return [...byId.values()]
}

/** Number of distinct papers in the lists. */
export function distinct(lists: TopicEntry[][]): number {
  return new Set(lists.flat().map(e => e.paper.id)).size
}

function newestFirst(a: TopicEntry, b: TopicEntry): number {
  return a.paper.published === b.paper.published ? 0 : a.paper.published > b.paper.published ? -1 : 1
}

function entry(paper: Paper, firstSeen: string, topic: Topic, config: Config, matcher: Matcher): TopicEntry {
  const match = matcher.match(paper, topic)
  return {
    paper,
    firstSeen,
    links: extractLinks(paper),
    score: match.score,
    // Computed again from the paper and the topic, like the score: the same state gives the same
    // reason, and nothing more is stored. A topic whose rules no longer select the paper gives none.
    reason: match.matched ? (match.reason ?? '') : '',
    alsoIn: alsoIn(paper, topic, config.topics, matcher)
  }
}

/**
 * The other topics whose rules select the paper ("also in"), in configuration order: a function of
 * the paper and the configuration, so every page and run says the same, without reading the
 * other topics' state.
 */
function alsoIn(paper: Paper, topic: Topic, topics: Topic[], matcher: Matcher): string[] {
  return matcher
    .matching(paper, topics)
    .filter(other => other !== topic)
    .map(other => other.id)
}

function outcome(
  topic: Topic,
  state: TopicState,
  listed: number,
  window: { from: string; to: string },
  nowMs: number,
  staleAfterDays: number,
  details: Partial<TopicOutcome> & { status: TopicOutcome['status'] }
): TopicOutcome {
  const changed = lastChanged(state.values())
  const idleDays = changed === undefined ? 0 : Math.floor((nowMs - Date.parse(changed)) / DAY_MS)
  return {
    topic,
    window,
    fetched: 0,
    matched: 0,
    newPapers: [],
    proposed: [],
    held: listed,
    lastChanged: changed,
    staleDays: idleDays > staleAfterDays ? idleDays : undefined,
    ...details
  }
}
