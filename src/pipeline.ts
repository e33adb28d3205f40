/**
 * One digest run, independent of where the repository lives: state in, arXiv queried, papers
 * matched and merged, every page and state file rendered. The caller (CLI or action) decides what
 * to do with the files; a topic whose fetch failed contributes no file, so it stays as it was.
 */
import { replaceRegion } from './index-region.js'
import { extractLinks } from './links.js'
import { matchTopic } from './matching.js'
import { planQueries, type TopicWindow } from './query-plan.js'
import type { RenderEntry, Templates } from './render.js'
import { renderIndex, renderTopic } from './render.js'
import type { RepoReader } from './repo.js'
import { lastChanged, readTopicState, writeTopicState, type TopicState } from './state.js'
import type { Config, Paper, Topic } from './types.js'

const DAY_MS = 86_400_000

/** What the pipeline needs from an arXiv client. */
export interface ArxivSearch {
  search(
    searchQuery: string,
    options?: {
      sortBy?: 'submittedDate' | 'lastUpdatedDate' | 'relevance'
      sortOrder?: 'ascending' | 'descending'
    }
  ): Promise<Paper[]>
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
  /**
   * The digest branch of an earlier, unmerged run, if any: papers it already found keep their
   * first-seen time instead of getting today's, so an open PR does not restamp them every day.
   */
  previous?: RepoReader
  arxiv: ArxivSearch
  templates: Templates
  log?: Logger
}

/** What happened to one topic. */
export interface TopicOutcome {
  topic: Topic
  status: 'ok' | 'failed'
  /** Why the fetch failed (status `failed`). */
  error?: string
  /** The submittedDate window asked for, ISO 8601 UTC. */
  window: { from: string; to: string }
  /** Papers arXiv returned for this topic's queries inside its window. */
  fetched: number
  /** Of those, papers that match the topic. */
  matched: number
  /** Matched papers the topic did not hold yet, newest first. */
  newPapers: RenderEntry[]
  /** Papers the topic holds after this run. */
  held: number
  /** When the topic's papers last changed (ISO 8601 UTC), if it holds any. */
  lastChanged?: string
  /** Whole days since the topic last changed, when that is more than `stale-after-days`. */
  staleDays?: number
}

/** Result of a run: every file it produced (unchanged ones included) and one outcome per topic. */
export interface DigestResult {
  files: Map<string, string>
  topics: TopicOutcome[]
  /** arXiv queries planned (before paging). */
  queries: number
}

/** Raised when no topic could be fetched: nothing is written. */
export class DigestError extends Error {
  constructor(readonly topics: TopicOutcome[]) {
    super(
      'No topic could be fetched from arXiv; nothing was written.\n' +
        topics.map(t => `  - ${t.topic.id}: ${t.error ?? 'failed'}`).join('\n')
    )
    this.name = 'DigestError'
  }
}

/** Minute precision keeps state files free of noise and windows reproducible. */
export function isoMinute(time: Date | number): string {
  const ms = typeof time === 'number' ? time : time.getTime()
  return new Date(Math.floor(ms / 60_000) * 60_000).toISOString().replace(/:00\.000Z$/, ':00Z')
}

/** Runs the digest: see the module comment. Throws DigestError when every topic failed. */
export async function runDigest(input: DigestInput): Promise<DigestResult> {
  const { config, base, log } = input
  const now = isoMinute(input.now)
  const nowMs = Date.parse(now)

  // A broken marker region in the index file would fail the run after fetching: find out first.
  const existingIndex = await base.read(config.indexFile)
  replaceRegion(existingIndex, '', config.indexFile)

  const states = new Map<string, TopicState>()
  const windows: TopicWindow[] = []
  for (const topic of config.topics) {
    const state = await readTopicState(base, config, topic.id)
    states.set(topic.id, state)
    const changed = lastChanged(state)
    const from =
      changed === undefined
        ? nowMs - config.lookbackDays * DAY_MS
        : Date.parse(changed) - config.overlapDays * DAY_MS
    windows.push({ topic, from: new Date(from) })
  }
  const earlier = await previousSightings(input)

  const plan = planQueries(windows, new Date(nowMs))
  const results = new Map<string, Map<string, Paper>>(config.topics.map(t => [t.id, new Map()]))
  const failures = new Map<string, string>()
  for (const query of plan) {
    try {
      const papers = await input.arxiv.search(query.searchQuery, {
        sortBy: 'submittedDate',
        sortOrder: 'descending'
      })
      for (const id of query.topicIds) for (const p of papers) results.get(id)!.set(p.id, p)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      for (const id of query.topicIds) if (!failures.has(id)) failures.set(id, message)
    }
  }

  const files = new Map<string, string>()
  const outcomes: TopicOutcome[] = []
  for (const { topic, from } of windows) {
    const state = states.get(topic.id)!
    const window = { from: isoMinute(from), to: now }
    const failure = failures.get(topic.id)
    if (failure !== undefined) {
      log?.warning(`${topic.id}: fetch failed, page and state kept as they were: ${failure}`)
      outcomes.push(
        outcome(topic, state, window, nowMs, config.staleAfterDays, { status: 'failed', error: failure })
      )
      continue
    }
    const inWindow = [...results.get(topic.id)!.values()].filter(p => p.published >= window.from)
    let matched = 0
    const added: RenderEntry[] = []
    for (const paper of inWindow) {
      const match = matchTopic(paper, topic)
      if (!match.matched) continue
      matched++
      if (state.has(paper.id)) continue
      const firstSeen = earlier.get(topic.id)?.get(paper.id) ?? now
      state.set(paper.id, { paper, firstSeen })
      added.push({ paper, firstSeen, links: extractLinks(paper), score: match.score })
    }
    added.sort((a, b) =>
      a.paper.published === b.paper.published ? 0 : a.paper.published > b.paper.published ? -1 : 1
    )
    const fresh = new Map(added.map(e => [e.paper.id, e]))
    const entries = [...state.values()].map(h => fresh.get(h.paper.id) ?? entry(h.paper, h.firstSeen, topic))
    for (const [path, text] of renderTopic({ topic, entries, config, templates: input.templates }))
      files.set(path, text)
    for (const [path, text] of writeTopicState(config, topic.id, state)) files.set(path, text)
    const result = outcome(topic, state, window, nowMs, config.staleAfterDays, {
      status: 'ok',
      fetched: inWindow.length,
      matched,
      newPapers: added
    })
    outcomes.push(result)
    log?.info(
      `${topic.id}: fetched ${result.fetched}, matched ${result.matched}, new ${added.length} (holds ${state.size})`
    )
    if (result.staleDays !== undefined) {
      log?.warning(
        `${topic.id}: no new paper for ${result.staleDays} days (stale-after-days is ${config.staleAfterDays}); ` +
          'check its keywords and categories'
      )
    }
  }
  if (outcomes.length > 0 && outcomes.every(o => o.status === 'failed')) throw new DigestError(outcomes)

  const summaries = outcomes.map(o => ({ topic: o.topic, paperCount: o.held, lastChanged: o.lastChanged }))
  files.set(
    config.indexFile,
    renderIndex({ existing: existingIndex, topics: summaries, config, templates: input.templates })
  )
  return { files, topics: outcomes, queries: plan.length }
}

function entry(paper: Paper, firstSeen: string, topic: Topic): RenderEntry {
  return { paper, firstSeen, links: extractLinks(paper), score: matchTopic(paper, topic).score }
}

function outcome(
  topic: Topic,
  state: TopicState,
  window: { from: string; to: string },
  nowMs: number,
  staleAfterDays: number,
  details: Partial<TopicOutcome> & { status: TopicOutcome['status'] }
): TopicOutcome {
  const changed = lastChanged(state)
  const idleDays = changed === undefined ? 0 : Math.floor((nowMs - Date.parse(changed)) / DAY_MS)
  return {
    topic,
    window,
    fetched: 0,
    matched: 0,
    newPapers: [],
    held: state.size,
    lastChanged: changed,
    staleDays: idleDays > staleAfterDays ? idleDays : undefined,
    ...details
  }
}

/** First-seen times recorded on the digest branch by earlier unmerged runs, per topic. */
async function previousSightings(input: DigestInput): Promise<Map<string, Map<string, string>>> {
  const sightings = new Map<string, Map<string, string>>()
  if (!input.previous) return sightings
  for (const topic of input.config.topics) {
    const state = await readTopicState(input.previous, input.config, topic.id)
    sightings.set(topic.id, new Map([...state].map(([id, held]) => [id, held.firstSeen])))
  }
  return sightings
}
