/**
 * The digest's state: for each topic, the papers it holds and when each was first seen, kept as
 * JSON shards `<output-dir>/state/<topic>/<YYYY-MM>.json` (one per month of first sighting, so a
 * file stops growing once its month is over). Serialisation is canonical: the same state always
 * gives the same bytes, so a run that adds nothing writes nothing.
 */
import { UserError } from './user-error.js'
import { monthOf, stateDir, stateShardPath, type LayoutOptions } from './layout.js'
import type { RepoReader } from './repo.js'
import { paperRecord, type HeldPaper, type Paper } from './types.js'

/** Version of the shard format; a newer one than this code knows is refused, not misread. */
export const STATE_SCHEMA = 1

/** What one topic holds, keyed by version-less arXiv id. */
export type TopicState = Map<string, HeldPaper>

interface Shard {
  schema: number
  topic: string
  month: string
  /**
   * In the topic's newest shard only: the papers the topic lists (dismissed ones left out) across
   * all its shards when this file was written. Lets a run that does not change the topic show its
   * count in the index without reading its older shards; the older shards keep their bytes.
   */
  listed?: number
  /**
   * In the topic's newest shard only: the fingerprint of the topic's search settings (see
   * `searchSettings`) the run that wrote the file asked arXiv with. A later run with the same
   * settings, after the last change, and with no announcement since, has nothing to ask.
   */
  settings?: string
  papers: { id: string; firstSeen: string; dismissed?: true; paper: Paper }[]
}

/** Raised when a state file cannot be read as state; names the file. */
export class StateError extends UserError {
  constructor(path: string, problem: string) {
    super(`State file ${path}: ${problem}. Fix or delete the file (deleting it makes its papers new again).`)
    this.name = 'StateError'
  }
}

/** The paths of a topic's shards, oldest month first (from the file list: nothing is read). */
export async function shardPaths(
  reader: RepoReader,
  layout: LayoutOptions,
  topicId: string
): Promise<string[]> {
  const dir = stateDir(layout, topicId)
  return (await reader.list(dir))
    .filter(
      p => /\/\d{4}-\d{2}\.json$/.test(p) && p.startsWith(dir + '/') && !p.slice(dir.length + 1).includes('/')
    )
    .sort()
}

/** `YYYY-MM` of a shard path. */
export function shardMonth(path: string): string {
  return path.slice(-12, -5)
}

/**
 * Reads the given shards (some of a topic's, e.g. the recent months) into one state. `listed` is
 * the newest shard's count of the papers the whole topic lists, when `paths` includes the
 * topic's newest shard and that shard records it.
 */
export async function readShards(
  reader: RepoReader,
  paths: string[]
): Promise<{ state: TopicState; listed?: number; settings?: string }> {
  const state: TopicState = new Map()
  let listed: number | undefined
  let settings: string | undefined
  const sorted = [...paths].sort()
  for (const path of sorted) {
    const text = await reader.read(path)
    if (text === undefined) continue
    const shard = parseShard(text, path)
    const newest = path === sorted[sorted.length - 1]
    listed = newest ? shard.listed : undefined
    settings = newest ? shard.settings : undefined
    for (const entry of shard.papers) {
      const held = state.get(entry.id)
      // A paper can only be first seen once; if two shards disagree, the earlier sighting wins.
      if (!held || entry.firstSeen < held.firstSeen) state.set(entry.id, heldPaper(entry))
    }
  }
  return { state, listed, settings }
}

function heldPaper(entry: Shard['papers'][number]): HeldPaper {
  const held: HeldPaper = { paper: paperRecord(entry.paper), firstSeen: entry.firstSeen }
  if (entry.dismissed === true) held.dismissed = true
  return held
}

/**
 * What a topic holds with a pull request's branch: the base's papers, plus the papers the branch
 * added. A paper on both keeps the base's entry, so the first sighting and its metadata never
 * change once recorded. `dismiss`: the pull request was closed unmerged, so the papers it added
 * are held as dismissed.
 */
export function withProposed(base: TopicState, proposed: TopicState, dismiss: boolean): TopicState {
  const union: TopicState = new Map(base)
  for (const [id, held] of proposed)
    if (!union.has(id)) union.set(id, dismiss ? { ...held, dismissed: true } : held)
  return union
}

function parseShard(text: string, path: string): Shard {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new StateError(path, `not valid JSON (${(error as Error).message})`)
  }
  const shard = value as Partial<Shard>
  if (typeof shard !== 'object' || shard === null || typeof shard.schema !== 'number') {
    throw new StateError(path, 'missing "schema"')
  }
  if (shard.schema > STATE_SCHEMA) {
    throw new StateError(
      path,
      `schema ${shard.schema} is newer than this version understands (${STATE_SCHEMA}); update the action`
    )
  }
  if (!Array.isArray(shard.papers)) throw new StateError(path, 'missing "papers" list')
  if (shard.listed !== undefined && !(Number.isInteger(shard.listed) && shard.listed >= 0))
    throw new StateError(path, '"listed" is not a whole number')
  if (shard.settings !== undefined && typeof shard.settings !== 'string')
    throw new StateError(path, '"settings" is not text')
  for (const [i, entry] of shard.papers.entries()) {
    if (
      typeof entry?.id !== 'string' ||
      typeof entry.firstSeen !== 'string' ||
      typeof entry.paper !== 'object' ||
      entry.paper === null ||
      (entry.dismissed !== undefined && entry.dismissed !== true)
    ) {
      throw new StateError(
        path,
        `papers[${i}] lacks id, firstSeen or paper, or has a "dismissed" other than true`
      )
    }
    const problem = paperProblem(entry.paper)
    if (problem) throw new StateError(path, `papers[${i}] (${entry.id}): ${problem}`)
  }
  return shard as Shard
}

/** What is wrong with a paper read from a state file, if anything: every field rendering relies on. */
function paperProblem(paper: Partial<Paper>): string | undefined {
  for (const field of [
    'id',
    'versionedId',
    'title',
    'abstract',
    'published',
    'updated',
    'primaryCategory'
  ] as const)
    if (typeof paper[field] !== 'string') return `paper.${field} is missing or not text`
  for (const field of ['authors', 'categories'] as const) {
    const list = paper[field]
    if (!Array.isArray(list) || list.some(x => typeof x !== 'string'))
      return `paper.${field} is missing or not a list of text`
  }
  for (const field of ['comment', 'journalRef', 'doi'] as const)
    if (paper[field] !== undefined && typeof paper[field] !== 'string') return `paper.${field} is not text`
  return undefined
}

/**
 * The newest first-seen time of a topic's papers, dismissed ones included: when the topic last
 * changed. Fetch windows start from it, so a paper seen once is never searched for again past
 * the overlap; pages date their "Last updated" and their keep-days window from it. First-seen times
 * are ISO 8601 UTC written by us, so they order as text.
 */
export function lastChanged(papers: Iterable<{ firstSeen: string }>): string | undefined {
  let newest: string | undefined
  for (const held of papers) if (newest === undefined || held.firstSeen > newest) newest = held.firstSeen
  return newest
}

/**
 * Serialises a topic's state into shard files: repository path → canonical JSON text. `settings`
 * (the fingerprint of the search settings arXiv was last asked with) goes into the newest shard.
 */
export function writeTopicState(
  layout: LayoutOptions,
  topicId: string,
  state: TopicState,
  settings?: string
): Map<string, string> {
  const byMonth = new Map<string, HeldPaper[]>()
  for (const held of state.values()) {
    const month = monthOf(held.firstSeen)
    const list = byMonth.get(month)
    if (list) list.push(held)
    else byMonth.set(month, [held])
  }
  const files = new Map<string, string>()
  const months = [...byMonth.keys()].sort()
  const listed = [...state.values()].filter(h => !h.dismissed).length
  for (const month of months) {
    const papers = byMonth
      .get(month)!
      .sort((a, b) => compareIds(a.paper.id, b.paper.id))
      .map(h => ({
        id: h.paper.id,
        firstSeen: h.firstSeen,
        ...(h.dismissed ? { dismissed: true as const } : {}),
        // One key order; JSON leaves the absent optional fields out.
        paper: paperRecord(h.paper)
      }))
    const shard: Shard = {
      schema: STATE_SCHEMA,
      topic: topicId,
      month,
      ...(month === months[months.length - 1] ? { listed, ...(settings ? { settings } : {}) } : {}),
      papers
    }
    files.set(stateShardPath(layout, topicId, month), JSON.stringify(shard, null, 2) + '\n')
  }
  return files
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
