/**
 * arXiv's announcement schedule, as far as a run needs it: search results change only when new
 * papers are announced (docs/arxiv.md, "When results change"), at 20:00 US Eastern, Sunday to
 * Thursday, and reach the API by the following midnight. So a topic asked for after the latest
 * announcement had settled cannot find anything new until the next one.
 *
 * The schedule is the regular one: holidays are not known here. A holiday only makes a run ask
 * when it need not; an announcement off the schedule (rare, posted on status.arxiv.org) is found
 * by the first run after the next regular one, inside the overlap, so it is late, never lost.
 */

const HOUR_MS = 3_600_000
/** Announcements happen at 20:00 US Eastern on these days (0 = Sunday). */
const ANNOUNCEMENT_DAYS = new Set([0, 1, 2, 3, 4])
const ANNOUNCEMENT_HOUR = 20
/**
 * From an announcement until results stop changing: the API takes new papers by the midnight
 * after (4 hours), plus 2 hours of margin.
 */
const SETTLE_MS = 6 * HOUR_MS

const eastern = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric'
})

/** The US Eastern wall-clock time at `ms`, as if it were UTC (so its UTC fields read as Eastern). */
function easternWallClock(ms: number): number {
  const parts = Object.fromEntries(eastern.formatToParts(ms).map(p => [p.type, Number(p.value)]))
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute)
}

/** The instant at which US Eastern clocks read `wall` (given as if it were UTC). */
function fromEasternWallClock(wall: number): number {
  // Eastern is 4 or 5 hours behind UTC; try the two offsets and keep the one that reads back right.
  for (const offset of [5, 4]) {
    const guess = wall + offset * HOUR_MS
    if (easternWallClock(guess) === wall) return guess
  }
  return wall + 5 * HOUR_MS
}

/** The latest scheduled announcement at or before `now`. */
export function latestAnnouncement(now: Date): Date {
  const wallNow = easternWallClock(now.getTime())
  const today = Math.floor(wallNow / (24 * HOUR_MS)) * 24 * HOUR_MS
  for (let back = 0; back <= 7; back++) {
    const day = today - back * 24 * HOUR_MS
    if (!ANNOUNCEMENT_DAYS.has(new Date(day).getUTCDay())) continue
    const at = day + ANNOUNCEMENT_HOUR * HOUR_MS
    if (at <= wallNow) return new Date(fromEasternWallClock(at))
  }
  throw new Error('unreachable: an announcement day occurs every week')
}

/**
 * Since when results have been settled, as of `now`: the latest announcement plus the settling
 * time. Undefined while that announcement is still settling (or asked before it settled).
 */
export function settledSince(now: Date): Date | undefined {
  const settled = latestAnnouncement(now).getTime() + SETTLE_MS
  return settled <= now.getTime() ? new Date(settled) : undefined
}
