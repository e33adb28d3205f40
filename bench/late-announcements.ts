/**
 * The cost of catching late announcements with a wide overlap: arXiv requests and results per
 * daily run, for a narrow and a broad topic, with `overlap-days` 7 and 30. Prints numbers, asserts
 * nothing. `npm run bench:late`.
 *
 * Each topic runs once (first run, 7-day look-back), then daily for 20 days against the local fake
 * arXiv; state is carried from run to run as the CLI does. The corpus has `perDay` matching papers
 * submitted every day (one paper in eight held 2–21 days before it is announced) plus as many
 * papers of the same categories that do not match. Results are the entries arXiv returns for the
 * window; requests are pages of the client's page size.
 */
import { ArxivClient } from '../src/arxiv/client.js'
import { validateConfig } from '../src/config/config.js'
import { runDigest } from '../src/pipeline.js'
import { loadTemplates } from '../src/render/templates.js'
import type { RepoReader } from '../src/digest/repo.js'
import type { Paper } from '../src/digest/types.js'
import { paperFixture, startFakeArxiv } from '../test-support/fake-arxiv.js'

const DAY = 86_400_000
const START = Date.parse('2026-03-01T07:00:00Z')

interface Case {
  name: string
  keyword: string
  category: string
  perDay: number
}

const CASES: Case[] = [
  { name: 'narrow (5 papers a day)', keyword: 'tactile grasping', category: 'cs.RO', perDay: 5 },
  { name: 'broad (150 papers a day)', keyword: 'language model', category: 'cs.CL', perDay: 150 }
]

/** Papers submitted over 60 days before and after START; each visible from its announcement on. */
function corpus(c: Case): Array<{ paper: Paper; announced: number }> {
  const out: Array<{ paper: Paper; announced: number }> = []
  let n = 0
  for (let day = -40; day < 25; day++) {
    for (let i = 0; i < c.perDay * 2; i++) {
      const submitted = START + day * DAY + ((i * 997) % 80_000) * 1000
      const matches = i % 2 === 0
      const hold = matches && n % 8 === 0 ? (2 + (n % 20)) * DAY : 0
      const id = `2603.${String(++n).padStart(5, '0')}`
      out.push({
        paper: paperFixture({
          id,
          title: matches ? `A ${c.keyword} study ${n}` : `An unrelated study ${n}`,
          abstract: 'We study things.',
          categories: [c.category],
          published: new Date(submitted).toISOString().replace('.000Z', 'Z')
        }),
        announced: submitted + DAY + hold
      })
    }
  }
  return out
}

function memory(files: Map<string, string>): RepoReader {
  return {
    list: async dir => [...files.keys()].filter(p => p.startsWith(dir + '/')),
    read: async path => files.get(path)
  }
}

async function measure(c: Case, overlapDays: number): Promise<string> {
  const papers = corpus(c)
  const arxiv = await startFakeArxiv({ corpus: [] })
  const config = validateConfig(
    [{ id: 't', title: 'T', keywords: [c.keyword], categories: [c.category] }],
    'bench',
    { 'overlap-days': overlapDays }
  )
  const templates = await loadTemplates({}, async () => undefined)
  let files = new Map<string, string>()
  const requests: number[] = []
  const results: number[] = []
  try {
    for (let run = 0; run <= 20; run++) {
      const now = START + run * DAY
      arxiv.setCorpus(papers.filter(p => p.announced <= now).map(p => p.paper))
      const client = new ArxivClient({ baseUrl: arxiv.url, userAgent: 'bench', delaySeconds: 0 })
      const result = await runDigest({
        config,
        now: new Date(now),
        base: memory(files),
        arxiv: client,
        templates
      })
      if (run > 0) {
        requests.push(client.requestCount)
        results.push(result.topics[0].fetched)
      }
      files = new Map([...files, ...result.files])
    }
  } finally {
    await arxiv.close()
  }
  const avg = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1)
  return (
    `${c.name}, overlap-days ${overlapDays}: ${avg(requests)} requests per run (max ${Math.max(...requests)}), ` +
    `${avg(results)} results per run (max ${Math.max(...results)})`
  )
}

for (const c of CASES) for (const overlap of [7, 30]) console.log(await measure(c, overlap))
