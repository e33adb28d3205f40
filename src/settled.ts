/**
 * Which topics have nothing to ask arXiv: their search settings are the ones their last change
 * was made with, and that change came after the latest announcement had settled. arXiv's results
 * do not change between announcements, so asking again would return what was already seen.
 */
import { createHash } from 'node:crypto'
import { settledSince } from './announcements.js'
import { lastChange, lastSettings, type TopicReading } from './held.js'
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

/** True if the topic, as read, cannot find anything new at `now` (see the module comment). */
export function isSettled(reading: TopicReading, settings: string, now: Date): boolean {
  const since = settledSince(now)
  const changed = lastChange(reading)
  return (
    since !== undefined &&
    changed !== undefined &&
    Date.parse(changed) >= since.getTime() &&
    lastSettings(reading) === settings
  )
}
