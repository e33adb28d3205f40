/**
 * A simulated month of arXiv, deterministic (seeded PRNG), for end-to-end tests that check a digest
 * delivers every relevant paper exactly once. Topics `vla` (keywords VLA, vision-language-action;
 * categories cs.RO, cs.CV, cs.LG, cs.AI) and `world_models` (world model(s); same categories).
 *
 * Model (all times UTC; US Eastern is taken as a fixed UTC-5, ignoring the DST switch in March):
 * - Announcements at 20:00 ET Sunday to Thursday (01:00 UTC Monday to Friday), none Friday/Saturday.
 *   Monday to Thursday's cover submissions since the previous cutoff up to 14:00 ET that day; Sunday's
 *   covers Thursday 14:00 to Friday 14:00; Monday's Friday 14:00 to Monday 14:00.
 * - One holiday, the second Wednesday on or after `start` (ET): no announcement, its batch goes out the
 *   next evening.
 * - A paper becomes visible in the API at its announcement, as v1 with published = updated = its
 *   submission time. Ids follow announcement order: `<yymm of the announcement>.<10001 + n>`.
 * - About 1 in 8 relevant papers is held by moderation: announced 2 to 21 days after its normal
 *   announcement (kind `hold-<N>d`; for the default month one of 21 and one of 2 days), submission time
 *   unchanged, so announced - published can reach about 24 days.
 * - A few relevant papers get a v2 (other title, same topics) visible at a later announcement.
 * - A couple of cross-lists: primary eess.SY or q-bio.NC, also listed in cs.RO.
 * - Noise, as many as relevant papers: keywords in categories outside the topics (math.OC, astro-ph's
 *   Very Large Array), near misses the matcher rejects ("World Modeling", "OpenVLA"), unrelated papers.
 * Simplifications: only papers announced within [start, end] exist, so the corpus is empty before the
 * first announcement (01:00 UTC on the first day for the default start); a v2's `updated` is the time it
 * becomes visible (on arXiv it is the v2's earlier submission time); v2s keep the abstract; no cross-list
 * is added after announcement; no withdrawals.
 */
import type { Paper } from '../src/digest/types.js'
import { paperFixture } from './fake-arxiv.js'

export interface SimPaper {
  /** The paper as v1 (published = updated = submission time). */
  paper: Paper
  /** When arXiv announces it (and it becomes visible in the API), ISO 8601 UTC. */
  announced: string
  /** Topic ids it should be delivered to (may be [], or both). */
  topics: string[]
  /** Optional replacement: the v2 becomes visible at `at` (same id, versionedId `<id>v2`, updated = at). */
  v2?: { at: string; paper: Paper }
  /** 'normal' | 'weekend' | 'holiday' | 'hold-<N>d' | 'cross-list' | 'both' | 'noise' | 'near-miss'. */
  kind: string
}

export interface Month {
  start: string
  end: string
  papers: SimPaper[]
}

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** US Eastern as a fixed offset (EST, UTC-5); the March DST switch is ignored for simplicity. */
const ET = -5 * HOUR

/** A relevant theme: its topics, v1 title stems, the v2 title stem and the phrase its abstract uses. */
interface Theme {
  topics: string[]
  titles: string[]
  v2: string
  phrase: string
}

const THEMES: Record<'vla' | 'world_models' | 'both', Theme> = {
  vla: {
    topics: ['vla'],
    titles: ['A VLA Policy for Cloth Folding', 'Scaling Vision-Language-Action Models', 'Lightweight VLAs'],
    v2: 'Improved VLA Fine-Tuning with Fewer Demonstrations',
    phrase: 'a vision-language-action (VLA) model'
  },
  world_models: {
    topics: ['world_models'],
    titles: ['A World Model for Sim-to-Real Transfer', 'Latent World Models', 'World-Model Pretraining'],
    v2: 'Learning World Models from Unlabeled Video',
    phrase: 'a learned world model'
  },
  both: {
    topics: ['vla', 'world_models'],
    titles: ['World Models Meet VLA: Imagined Rollouts', 'A VLA with an Internal World Model'],
    v2: 'VLA Policies Guided by a Learned World Model',
    phrase: 'a VLA policy that plans inside a world model'
  }
}

const FILLER =
  'The method is evaluated on standard benchmarks and compared with strong baselines, improving ' +
  'accuracy while using less compute. We release code, data and an evaluation protocol to support ' +
  'reproducible research.'
const TASKS = ['tabletop manipulation', 'mobile manipulation', 'drone navigation', 'autonomous driving']

/** Papers no topic may take: [kind, categories, title stem, subject of the abstract]. */
const NOISE: [kind: string, categories: string[], title: string, subject: string][] = [
  ['noise', ['math.OC'], 'World Models for Stochastic Optimal Control', 'world models in optimal control'],
  ['noise', ['astro-ph.GA', 'astro-ph.IM'], 'Deep VLA Imaging of Radio Relics', 'new VLA radio observations'],
  ['near-miss', ['cs.RO'], 'World Modeling with Gaussian Splats', 'world modeling for indoor navigation'],
  ['near-miss', ['cs.RO', 'cs.LG'], 'Fine-Tuning OpenVLA with RL', 'fine-tuning OpenVLA-7B online'],
  ['noise', ['cs.RO'], 'Tactile Sensing for In-Hand Manipulation', 'tactile sensing for grasping'],
  ['noise', ['cs.CV', 'cs.RO'], 'Vision-Language Navigation with Maps', 'vision-language navigation'],
  ['noise', ['cs.LG'], 'Graph Neural Networks for Traffic Forecasting', 'graph networks for traffic']
]

const RELEVANT_CATEGORIES = [['cs.RO'], ['cs.RO', 'cs.LG'], ['cs.CV', 'cs.RO'], ['cs.LG', 'cs.AI'], ['cs.CV']]
/** Primary categories outside the topics; such papers are cross-listed into cs.RO. */
const CROSS_PRIMARIES = ['eess.SY', 'q-bio.NC']
const HOLDS = [2, 3, 4, 7, 9, 14, 21]
const FIRST = 'Ana Bo Chen Dara Eli Farah Goran Hana Ivan Jun Kofi Lena'.split(' ')
const LAST = 'Abara Berg Castillo Dubois Fujita Haddad Jansen Moreau Okafor Rossi'.split(' ')

/** mulberry32: a small, well-mixed 32-bit PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
const toMs = (t: string | number): number => (typeof t === 'number' ? t : Date.parse(t))
/** ET weekday (0 = Sunday) of a UTC instant. */
const etDay = (ms: number): number => new Date(ms + ET).getUTCDay()

interface Slot {
  at: number
  /** Submissions after the previous slot's cutoff and up to this one are announced at `at`. */
  cutoff: number
}

/** Announcement slots from `from` to `to`, the holiday (an ET midnight as wall-clock ms) left out. */
function schedule(from: number, to: number, holiday: number): Slot[] {
  const out: Slot[] = []
  // `d`: an ET midnight as wall-clock ms (UTC ms + ET); subtracting ET turns wall clock back into UTC.
  for (let d = Math.floor((from + ET) / DAY) * DAY; d <= to + ET; d += DAY) {
    const dow = new Date(d).getUTCDay()
    if (dow === 5 || dow === 6 || d === holiday) continue
    // Sunday's announcement closes at Friday 14:00, Monday to Thursday's at 14:00 the same day.
    out.push({ at: d + 20 * HOUR - ET, cutoff: d - (dow === 0 ? 2 * DAY : 0) + 14 * HOUR - ET })
  }
  return out
}

type Draft = Pick<Paper, 'title' | 'abstract' | 'authors' | 'categories'> & {
  submitted: number
  announced: number
  topics: string[]
  kind: string
  v2?: { at: number; title: string }
}

/** Deterministic (seeded PRNG, no Math.random) month starting `start` (a Monday, ISO UTC), 28 days. */
export function simulateMonth(
  options: { start?: string; days?: number; seed?: number; perDay?: number } = {}
): Month {
  const { start = '2026-03-02T00:00:00Z', days = 28, seed = 1, perDay = 4 } = options
  const rng = prng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]
  const t0 = Date.parse(start)
  const t1 = t0 + days * DAY
  const w0 = Math.floor((t0 + ET) / DAY) * DAY
  const holiday = w0 + (((3 - new Date(w0).getUTCDay() + 7) % 7) + 7) * DAY // second Wednesday, ET
  const holidayCutoff = holiday + 14 * HOUR - ET
  const slots = schedule(t0 - 7 * DAY, t1 + 7 * DAY, holiday)
  const slotAfter = (s: number): number => (slots.find(x => x.cutoff >= s) ?? slots[slots.length - 1]).at
  const isSlot = (t: number): boolean => t <= t1 && slots.some(x => x.at === t)
  const holdsDone = new Set<number>()
  const drafts: Draft[] = []
  let serial = 0
  let relevant = 0

  // From four days before the month: its first announcement carries the previous month's last papers.
  for (let d = t0 - 4 * DAY; d < t1; d += DAY) {
    const weekend = [0, 6].includes(new Date(d).getUTCDay())
    const count = (): number => (weekend ? 1 + Math.floor(rng() * 2) : perDay - 1 + Math.floor(rng() * 3))
    const plan = [...Array<boolean>(count()).fill(true), ...Array<boolean>(count()).fill(false)]
    for (const isRelevant of plan) {
      const submitted = d + Math.floor(rng() * 86_400) * 1000
      const normal = slotAfter(submitted)
      const [f, l] = [Math.floor(rng() * FIRST.length), Math.floor(rng() * LAST.length)]
      const authors = Array.from({ length: 2 + Math.floor(rng() * 3) }, (_, i) => {
        return `${FIRST[(f + 5 * i) % FIRST.length]} ${LAST[(l + 3 * i) % LAST.length]}`
      })
      const base = { submitted, authors }
      serial++
      if (normal < t0) continue
      if (!isRelevant) {
        const [kind, categories, stem, subject] = pick(NOISE)
        const [title, abstract] = [`${stem} ${serial}`, `We study ${subject}. ${FILLER}`]
        if (normal <= t1)
          drafts.push({ ...base, announced: normal, topics: [], kind, title, abstract, categories })
        continue
      }
      const k = relevant++
      const themeName = k % 9 === 4 ? 'both' : pick(['vla', 'world_models'] as const)
      const theme = THEMES[themeName]
      const cross = themeName !== 'both' && k % 20 === 10
      const categories = cross ? [pick(CROSS_PRIMARIES), 'cs.RO'] : pick(RELEVANT_CATEGORIES)
      let kind = cross ? 'cross-list' : themeName === 'both' ? 'both' : 'normal'
      if (kind === 'normal' && submitted > holidayCutoff - DAY && submitted <= holidayCutoff) kind = 'holiday'
      else if (kind === 'normal' && [0, 6].includes(etDay(submitted))) kind = 'weekend'
      let announced = normal
      // Random holds, plus forced ones so that every seed has a 21-day and a 2-day hold.
      const forced = k === 2 || (!holdsDone.has(2) && k % 6 === 5)
      if (!cross && (rng() < 1 / 8 || forced)) {
        // The first hold is 21 days, then one of 2 as soon as that fits, else random; the nearest length
        // that lands on an announcement in the month is taken (none if the month has no later one).
        const fits = Array.from({ length: 20 }, (_, i) => i + 2).filter(h => isSlot(normal + h * DAY))
        const want = !holdsDone.has(21) ? 21 : !holdsDone.has(2) && fits.includes(2) ? 2 : pick(HOLDS)
        const h = fits.sort((a, b) => Math.abs(a - want) - Math.abs(b - want))[0]
        if (h !== undefined) [announced, kind] = [normal + h * DAY, `hold-${h}d`]
        if (h !== undefined) holdsDone.add(h)
      }
      if (announced > t1) continue
      let v2: Draft['v2']
      if (announced === normal && rng() < 1 / 10) {
        const at = slotAfter(announced + (2 + Math.floor(rng() * 5)) * DAY - 12 * HOUR)
        if (at <= t1) v2 = { at, title: `${theme.v2} ${serial}` }
      }
      const title = `${pick(theme.titles)} ${serial}`
      const abstract = `We study ${theme.phrase} for ${pick(TASKS)}, tested on a real robot. ${FILLER}`
      drafts.push({ ...base, announced, topics: theme.topics, kind, title, abstract, categories, v2 })
    }
  }

  drafts.sort((a, b) => a.announced - b.announced || a.submitted - b.submitted)
  const counters = new Map<string, number>()
  const papers = drafts.map((d): SimPaper => {
    const yymm = iso(d.announced).slice(2, 7).replace('-', '')
    const n = counters.get(yymm) ?? 10001
    counters.set(yymm, n + 1)
    const id = `${yymm}.${String(n).padStart(5, '0')}`
    const { submitted, announced, topics, kind, v2, ...fields } = d
    const published = iso(submitted)
    const primaryCategory = fields.categories[0]
    const paper = paperFixture({
      ...fields,
      id,
      versionedId: `${id}v1`,
      primaryCategory,
      published,
      updated: published
    })
    const sim: SimPaper = { paper, announced: iso(announced), topics, kind }
    if (v2) {
      const at = iso(v2.at)
      sim.v2 = { at, paper: { ...paper, versionedId: `${id}v2`, title: v2.title, updated: at } }
    }
    return sim
  })
  return { start: iso(t0), end: iso(t1), papers }
}

/** What arXiv's API shows at `time`: every paper announced by then, as its v2 once visible. Newest first. */
export function corpusAt(month: Month, time: string | number): Paper[] {
  const t = toMs(time)
  return month.papers
    .filter(p => Date.parse(p.announced) <= t)
    .map(p => (p.v2 && Date.parse(p.v2.at) <= t ? p.v2.paper : p.paper))
    .sort((a, b) => b.published.localeCompare(a.published) || b.id.localeCompare(a.id))
}

/** Ids (version-less, ascending) a correct digest has delivered for `topic` once it has run at `time` or later. */
export function expectedIds(month: Month, topic: string, time: string | number): string[] {
  const t = toMs(time)
  return month.papers
    .filter(p => p.topics.includes(topic) && Date.parse(p.announced) <= t)
    .map(p => p.paper.id)
    .sort()
}
