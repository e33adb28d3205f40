/**
 * Which topics have nothing to ask arXiv: their search settings are the ones their last change
 * was made with, and that change came after the latest announcement had settled. arXiv's results
 * do not change between announcements, so asking again would return what was already seen.
 */
import { createHash } from 'node:crypto'
import type { LastChange } from './held.js'
import type { Config, Topic } from './types.js'

/**
 * A fingerprint of what decides a topic's results: its terms, categories and authors, and the
 * overlap its windows take. Changing any of them makes the next run ask arXiv again.
 */
export function searchSettings(topic: Topic, config: Pick<Config, 'overlapDays'>): string {
  const { keywords, categories, require, exclude, authors } = topic
  const text = JSON.stringify([keywords, categories, require, exclude, authors, config.overlapDays])
  return createHash('sha256').update(text).digest('hex').slice(0, 16)
}

/**
 * True if a topic that last changed at `last` cannot find anything new: `since` is when arXiv's
 * results last settled (`settledSince(now)`, undefined while they are settling).
 */
export function isSettled(last: LastChange | undefined, settings: string, since: Date | undefined): boolean {
  return (
    since !== undefined &&
    last !== undefined &&
    Date.parse(last.at) >= since.getTime() &&
    last.settings === settings
  )
}
