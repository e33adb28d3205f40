/**
 * The benchmark's synthetic corpus: `n` topics of nonce keywords and `n` papers submitted in the
 * 7 days before {@link NOW}, shared by `npm run bench` and `npm run fake-arxiv -- --synthetic N`.
 */
import { paperFixture } from '../test-support/fake-arxiv.js'
import type { Paper, Topic } from '../src/digest/types.js'

/** The benchmark's "now": Friday 2026-02-13 22:23 UTC, after that day's announcement. */
export const NOW = new Date('2026-02-13T22:23:00Z')
export const DAY = 86_400_000
const CATEGORIES = ['cs.RO', 'cs.CV', 'cs.LG', 'cs.AI', 'stat.ML']

/** `n` topics of 5 keywords each (two-word phrases nobody else uses), two categories each. */
export function syntheticTopics(n: number): Topic[] {
  return Array.from({ length: n }, (_, t) => ({
    id: `topic-${t}`,
    title: `Topic ${t}`,
    description: '',
    keywords: Array.from({ length: 5 }, (_, k) => `${word(t * 5 + k)} ${word(t * 5 + k + 7919)}`),
    categories: [CATEGORIES[t % 5], CATEGORIES[(t + 2) % 5]],
    require: [],
    exclude: [],
    authors: []
  }))
}

/** A pronounceable nonce word for `i`, so keywords match nothing by accident. */
function word(i: number): string {
  const syllables = ['ka', 'lo', 'mi', 'ne', 'su', 'ta', 'vo', 'ri', 'pe', 'zu']
  let out = ''
  let x = i + 10
  do {
    out += syllables[x % 10]
    x = Math.floor(x / 10)
  } while (x > 0)
  return out
}

/**
 * `n` papers submitted in the 7 days before NOW; about two in three carry a keyword of one topic
 * in the title. Abstracts are about 1,500 characters with some TeX, authors 5 to 30.
 */
export function syntheticPapers(n: number, topics: Topic[]): Paper[] {
  return Array.from({ length: n }, (_, i) => {
    const topic = topics[(i * 7) % topics.length]
    const hit = i % 3 !== 2
    const phrase = hit ? topic.keywords[i % 5] : `plain words ${i}`
    return paperFixture({
      id: `2602.${String(10000 + i).padStart(5, '0')}`,
      title: `On ${phrase} for problem ${i}`,
      abstract:
        `We study ${phrase} with $\\mathcal{O}(n \\log n)$ cost and $x_{i}^{2}$ terms. `.repeat(18) +
        'Code: https://github.com/lab/repo' +
        i,
      authors: Array.from({ length: 5 + (i % 26) }, (_, a) => `Author ${a} Person${i % 97}`),
      comment: i % 4 === 0 ? `Project page: https://p${i}.github.io/` : '8 pages',
      categories: hit ? [topic.categories[i % 2]] : [CATEGORIES[i % 5]],
      published: new Date(NOW.getTime() - ((i * 37) % (7 * DAY - 60_000)) - 60_000)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z')
    })
  })
}

/** Topics as a topic file lists them. */
export function topicEntries(
  topics: Topic[]
): Array<Pick<Topic, 'id' | 'title' | 'keywords' | 'categories'>> {
  return topics.map(({ id, title, keywords, categories }) => ({ id, title, keywords, categories }))
}
