/**
 * What each topic holds, read no further than a run needs. A paper found in a window was
 * submitted inside it, and it cannot have been first seen before its submission, so telling new
 * papers from held ones needs only the shards from the window's month on. A topic's older shards
 * are read only when its page is rendered again, or when the index needs a count that its newest
 * shard does not record.
 */
import type { LayoutOptions } from './layout.js'
import type { RepoReader } from './repo.js'
import { lastChanged, readShards, shardMonth, shardPaths, withProposed, type TopicState } from './state.js'

/**
 * The digest branch as the run found it. Its state is part of what is held: the papers an open
 * pull request proposes stay on it with their first sighting, however long it stays open.
 */
export interface ProposedBranch {
  files: RepoReader
  /**
   * Its pull request was closed without merging: the papers it proposed are dismissed. They stay
   * held (never proposed again) and no page lists them.
   */
  closed: boolean
}

/** A topic's shard files on the base and on the digest branch, from the file lists alone. */
export interface TopicFiles {
  base: string[]
  /** Empty without a digest branch. */
  branch: string[]
  /**
   * The digest branch holds exactly the base's shards of this topic (same paths, same blobs), or
   * there is no digest branch: the base alone says what the topic holds.
   */
  same: boolean
}

/** Some shards of a topic, read: the base's and the branch's papers kept apart. */
export interface TopicReading {
  base: TopicState
  branch: TopicState
  /** Paths read so far. */
  read: Set<string>
  /** The topic's whole count, as its newest base shard records it (if that shard was read). */
  listed?: number
  /** The search-settings fingerprint each side's newest shard records (if read). */
  settings: { base?: string; branch?: string }
}

/** What a topic holds, merged: the base's papers win; a closed pull request's are dismissed. */
export interface Held {
  state: TopicState
  /** Ids the base lists (not dismissed). */
  onBase: Set<string>
}

export async function topicFiles(
  base: RepoReader,
  proposed: ProposedBranch | undefined,
  layout: LayoutOptions,
  topicId: string
): Promise<TopicFiles> {
  const onBase = await shardPaths(base, layout, topicId)
  if (!proposed) return { base: onBase, branch: [], same: true }
  const onBranch = await shardPaths(proposed.files, layout, topicId)
  const sha = (reader: RepoReader, path: string) => reader.blobSha?.(path)
  const same =
    onBase.length === onBranch.length &&
    onBase.every(
      (path, i) =>
        path === onBranch[i] && sha(base, path) !== undefined && sha(base, path) === sha(proposed.files, path)
    )
  return { base: onBase, branch: onBranch, same }
}

/** The newest shard of each side: it holds the topic's last change. */
export function newestShards(files: TopicFiles): string[][] {
  return [files.base.slice(-1), files.branch.slice(-1)]
}

/** The shards of each side from the month of `from` (ISO time) on. */
export function shardsFrom(files: TopicFiles, from: string): string[][] {
  const month = from.slice(0, 7)
  return [files.base, files.branch].map(paths => paths.filter(p => shardMonth(p) >= month))
}

/** Every shard of each side. */
export function allShards(files: TopicFiles): string[][] {
  return [files.base, files.branch]
}

/** An empty reading, to add shards to. */
export function emptyReading(): TopicReading {
  return { base: new Map(), branch: new Map(), read: new Set(), settings: {} }
}

/**
 * Adds the shards `[basePaths, branchPaths]` not read yet to `reading`. A paper in two shards
 * keeps its earlier sighting, as when all shards are read at once.
 */
export async function readMore(
  reading: TopicReading,
  [basePaths, branchPaths]: string[][],
  base: RepoReader,
  proposed: ProposedBranch | undefined,
  newest: { base?: string; branch?: string }
): Promise<void> {
  const sides: Array<[RepoReader | undefined, string[], TopicState, 'base' | 'branch']> = [
    [base, basePaths, reading.base, 'base'],
    [proposed?.files, branchPaths, reading.branch, 'branch']
  ]
  for (const [reader, paths, into, side] of sides) {
    const fresh = paths.filter(p => !reading.read.has(`${side}:${p}`))
    if (!reader || fresh.length === 0) continue
    for (const path of fresh) {
      const { state, listed, settings } = await readShards(reader, [path])
      if (path === newest[side]) {
        if (side === 'base') reading.listed = listed
        reading.settings[side] = settings
      }
      for (const [id, held] of state) {
        const known = into.get(id)
        if (!known || held.firstSeen < known.firstSeen) into.set(id, held)
      }
      reading.read.add(`${side}:${path}`)
    }
  }
}

/** The paths among `[basePaths, branchPaths]` not read yet, per reader: what to prefetch. */
export function unread(reading: TopicReading, [basePaths, branchPaths]: string[][]): string[][] {
  return [
    basePaths.filter(p => !reading.read.has(`base:${p}`)),
    branchPaths.filter(p => !reading.read.has(`branch:${p}`))
  ]
}

/** Whether the topic holds paper `id` (on either side, dismissed or not), without merging the sides. */
export function holds(reading: TopicReading, id: string): boolean {
  return reading.base.has(id) || reading.branch.has(id)
}

/** When a topic last changed, and the search settings that change was made with. */
export interface LastChange {
  /** ISO 8601 UTC: the newest first sighting across both sides. */
  at: string
  /**
   * The fingerprint in the newest shard of the side holding the change; on a tie, both sides must
   * agree. Undefined when that shard records none.
   */
  settings?: string
}

/** The topic's last change across both sides, without merging them; undefined if it holds nothing. */
export function lastChange(reading: TopicReading): LastChange | undefined {
  const [a, b] = [lastChanged(reading.base.values()), lastChanged(reading.branch.values())]
  const { base, branch } = reading.settings
  if (a === undefined) return b === undefined ? undefined : { at: b, settings: branch }
  if (b === undefined || a > b) return { at: a, settings: base }
  if (b > a) return { at: b, settings: branch }
  return { at: a, settings: base === branch ? base : undefined }
}

/** The reading merged into what the topic holds. */
export function held(reading: TopicReading, proposed: ProposedBranch | undefined): Held {
  const onBase = new Set([...reading.base].filter(([, h]) => !h.dismissed).map(([id]) => id))
  if (!proposed) return { state: new Map(reading.base), onBase }
  return { state: withProposed(reading.base, reading.branch, proposed.closed), onBase }
}
