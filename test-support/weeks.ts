/**
 * The simulated weeks the end-to-end suites share: when each paper is submitted and announced
 * (weekend batches, a 21-day moderation hold, a v2, a paper in two topics, a topic added later),
 * as days counted from D0, a Monday; every run happens at 12:00 UTC.
 */
import type { Paper } from '../src/digest/types.js'
import { paperFixture } from './fake-arxiv.js'

export const D0 = Date.parse('2026-03-02T12:00:00Z') // a Monday; every run is at 12:00 UTC
export const DAY = 86_400_000
export const at = (day: number) => new Date(D0 + day * DAY).toISOString().replace('.000Z', 'Z')

export const TOPICS = `
- id: vla
  title: Vision-Language-Action Models
  keywords: [VLA, vision-language-action]
  categories: [cs.RO, cs.CV, cs.LG, cs.AI]
- id: world_models
  title: World Models
  keywords: [world model]
  categories: [cs.RO, cs.CV, cs.LG, cs.AI]
`
export const WITH_TACTILE = `${TOPICS}- id: tactile
  title: Tactile Sensing
  keywords: [tactile sensing]
  categories: [cs.RO]
`

/** A paper submitted on `submitted` (day number, 10:00 UTC) and visible from the run of `announced`. */
export interface Sim {
  paper: Paper
  announced: number
}
let serial = 0
function sim(title: string, submitted: number, announced: number, categories = ['cs.RO']): Sim {
  const published = new Date(D0 + submitted * DAY - 2 * 3_600_000).toISOString().replace('.000Z', 'Z')
  const id = `2603.${String(10_000 + ++serial)}`
  return { paper: paperFixture({ id, title, categories, published }), announced }
}

export const noise = sim('Graph Colouring in Linear Time', -1, 0, ['cs.DS'])
export const A = sim('A VLA for Kitchens', -1, 1)
export const B = sim('A World Model for Driving', 1, 2, ['cs.CV'])
export const W = sim('A VLA Trained Inside a World Model', 2, 3)
export const C = sim('Weekend VLA Batch', 3, 6) // Thursday's submission, announced Sunday evening
export const T = sim('Tactile Sensing for Grasping', 5, 6)
export const D = sim('World Model Announced the Day arXiv Failed', 9, 10, ['cs.LG'])
export const E = sim('VLA Announced on a Skipped Day', 10, 11)
export const F = sim('World Model Nobody Wanted', 15, 16)
export const G = sim('VLA After the Rejection', 16, 17)
export const H = sim('VLA Held by Moderation for 21 Days', 1, 22)
export const ALL = [noise, A, B, W, C, T, D, E, F, G, H]
export const A2 = {
  ...A.paper,
  versionedId: `${A.paper.id}v2`,
  title: 'A VLA for Kitchens (revised)',
  updated: at(9)
}

/** What arXiv's API shows on `day`: every paper announced by then, A as its v2 from day 9. */
export function visibleOn(day: number): Paper[] {
  return ALL.filter(s => s.announced <= day).map(s => (s === A && day >= 9 ? A2 : s.paper))
}

/** Sorted ids of the papers. */
export function ids(...papers: Sim[]): string[] {
  return papers.map(s => s.paper.id).sort()
}
