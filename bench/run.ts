/**
 * Benchmark: prints numbers, asserts nothing. `npm run bench`.
 *
 * 1. arXiv requests for the reference topics (examples/topics.yml) over a 7-day window: ours
 *    (planned combined queries, paged) versus the reference's one request per keyword.
 * 2. A full CLI-equivalent run (fetch from the local fake arXiv, match, links, render, state) on a
 *    large synthetic corpus: wall time and peak memory.
 * 3. Link extraction on hostile input (must stay linear).
 */
import { readFile } from 'node:fs/promises'
import { ArxivClient } from '../src/arxiv-client.js'
import { loadConfig } from '../src/config.js'
import { extractLinks } from '../src/links.js'
import { runDigest } from '../src/pipeline.js'
import { planQueries } from '../src/query-plan.js'
import { loadTemplates } from '../src/render.js'
import { EMPTY_REPO } from '../src/repo.js'
import type { Paper } from '../src/types.js'
import { paperFixture, startFakeArxiv } from '../__tests__/helpers/fake-arxiv.js'

const PAPERS = Number(process.env.BENCH_PAPERS ?? 20_000)
const now = new Date('2026-02-13T22:23:00Z')

function corpus(n: number): Paper[] {
  const words = [
    'world model',
    'VLA',
    'diffusion policy',
    'grasping',
    'vision-language-action',
    'planning',
    'tactile'
  ]
  const cats = ['cs.RO', 'cs.CV', 'cs.LG', 'cs.AI', 'math.PR']
  return Array.from({ length: n }, (_, i) =>
    paperFixture({
      id: `2602.${String(i).padStart(5, '0')}`,
      title: `On ${words[i % words.length]} number ${i}`,
      abstract: `We study ${words[(i * 3) % words.length]} and ${words[(i * 5) % words.length]}. `.repeat(8),
      comment:
        i % 4 === 0
          ? `Project page: https://p${i}.github.io/ Code: https://github.com/lab/repo${i}.`
          : '8 pages',
      categories: [cats[i % cats.length]],
      published: new Date(now.getTime() - (i % (6 * 86_400)) * 1000).toISOString().replace('.000Z', 'Z')
    })
  )
}

async function main(): Promise<void> {
  const config = loadConfig(await readFile('examples/topics.yml', 'utf8'), 'examples/topics.yml')
  const from = new Date(now.getTime() - 7 * 86_400_000)
  const plan = planQueries(
    config.topics.map(topic => ({ topic, from })),
    now
  )
  const keywords = config.topics.reduce((n, t) => n + t.keywords.length, 0)
  console.log(
    `reference topics, 7-day window: ${plan.length} planned arXiv quer${plan.length === 1 ? 'y' : 'ies'}`
  )
  console.log(
    `  (requests = pages of 500 results per query; the reference sent ${keywords}: one per keyword, capped at 100 results each)`
  )

  const papers = corpus(PAPERS)
  const arxiv = await startFakeArxiv({ corpus: papers })
  try {
    const templates = await loadTemplates({}, async () => undefined)
    const client = new ArxivClient({
      baseUrl: arxiv.url,
      userAgent: 'preprint-digest-bench',
      delaySeconds: 0,
      pageSize: 2000
    })
    let peak = process.memoryUsage().rss
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5)
    const start = performance.now()
    const result = await runDigest({ config, now, base: EMPTY_REPO, arxiv: client, templates })
    const ms = performance.now() - start
    clearInterval(timer)
    peak = Math.max(peak, process.memoryUsage().rss)
    const held = result.topics.map(t => `${t.topic.id} ${t.held}`).join(', ')
    console.log(
      `full run over ${PAPERS} papers in the corpus: ${ms.toFixed(0)} ms, ${client.requestCount} requests, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`
    )
    console.log(
      `  matched: ${held}; files rendered: ${result.files.size}, ${([...result.files.values()].reduce((n, f) => n + f.length, 0) / 2 ** 20).toFixed(1)} MiB`
    )
  } finally {
    await arxiv.close()
  }

  for (const [name, text] of [
    ['1 MiB of "\\href{"', '\\href{'.repeat(174_763)],
    ['1 MiB of "http://"', 'http://'.repeat(149_797)],
    ['1 MiB of "github.com/"', 'github.com/'.repeat(95_326)],
    ['1 MiB of "(((("', '('.repeat(1_048_576)]
  ] as const) {
    const start = performance.now()
    extractLinks({ title: 'T', abstract: text, comment: text })
    console.log(`links on ${name}: ${(performance.now() - start).toFixed(0)} ms`)
  }
}

await main()
