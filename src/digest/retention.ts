/**
 * Which of a topic's papers a page shows, and in what order: the `sort` order, and the `keep-days`
 * window that moves older papers to one archive page per month of first sighting. Pure rules of the
 * digest; the pages render what these return.
 */
import { monthOf } from './layout.js'
import { lastChanged } from './state.js'
import { DAY_MS } from './time.js'
import type { SortOrder, Topic, TopicEntry } from './types.js'

/** A topic's papers split by the `keep-days` window. */
export interface Retained {
  /** Papers first seen within `keep-days` of the topic's last change, in page order. */
  kept: TopicEntry[]
  /** Older papers by `YYYY-MM` of first sighting, each month in page order. */
  archived: Map<string, TopicEntry[]>
  /** Epoch ms of the topic's last change (its newest first-seen time); -Infinity when it holds none. */
  lastMs: number
}

/**
 * Papers first seen within `keepDays` of the topic's last change (its newest first-seen time, not
 * the current time, so the result depends on the state alone) are kept; older ones go to the month
 * of their first sighting. No paper is left out.
 */
export function retain(topic: Topic, entries: TopicEntry[], sort: SortOrder, keepDays: number): Retained {
  const sorted = sortEntries(entries, sort)
  const times = new Map(sorted.map(e => [e, firstSeenMs(e, topic)]))
  // Every first-seen time was checked above, so the newest one parses.
  const last = lastChanged(sorted)
  const lastMs = last === undefined ? -Infinity : Date.parse(last)
  const cutoff = lastMs - keepDays * DAY_MS
  const kept: TopicEntry[] = []
  const archived = new Map<string, TopicEntry[]>()
  for (const entry of sorted) {
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
  return { kept, archived, lastMs }
}

/** Papers in page order: `date` (v1 time, newest first; ties by id, highest first) or `relevance`. */
export function sortEntries(entries: TopicEntry[], sort: SortOrder): TopicEntry[] {
  const byDate = (a: TopicEntry, b: TopicEntry): number =>
    compareDesc(a.paper.published, b.paper.published) || compareDesc(a.paper.id, b.paper.id)
  const byScore = (a: TopicEntry, b: TopicEntry): number => b.score - a.score || byDate(a, b)
  return [...entries].sort(sort === 'relevance' ? byScore : byDate)
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0
}

function firstSeenMs(entry: TopicEntry, topic: Topic): number {
  const ms = Date.parse(entry.firstSeen)
  if (Number.isNaN(ms)) {
    throw new Error(
      `Topic ${topic.id}: paper ${entry.paper.id} has an invalid first-seen time "${entry.firstSeen}"`
    )
  }
  return ms
}
