/**
 * The default templates reproduce the reference pages (copied into __fixtures__/seed/reference) byte for byte, except for
 * the defects the product asks us to fix, the escapes that make arXiv text safe Markdown, and two
 * additions: each paper's "Why" line (its reason and the other topic that selects it) and the
 * topic's feed links (test-support/seed.ts lists each one).
 */
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from '@jest/globals'
import { loadConfig } from '../src/config/config.js'
import { matchTopic } from '../src/digest/matching.js'
import { loadTemplates } from '../src/render/templates.js'
import { renderTopic } from '../src/render/pages.js'
import type { Paper, PaperLinks, TopicEntry } from '../src/digest/types.js'
import {
  expectedPage as expected,
  feedLinks,
  INTENDED,
  linksLine,
  WHY,
  type SeedTopic
} from '../test-support/seed.js'

const FIRST_SEEN = '2026-02-13T22:23:00Z'

/** Which seed papers each reference page lists (order does not matter: the renderer sorts). */
function seedIds(page: string): string[] {
  return [...page.matchAll(/^### \[.*\]\(https:\/\/arxiv\.org\/abs\/(\d{4}\.\d{5})v\d+\)$/gm)].map(m => m[1]!)
}

const reference = (id: SeedTopic) => readFile(`__fixtures__/seed/reference/${id}-2026-02-13.md`, 'utf8')

describe('the seed pages', () => {
  it.each(['vla', 'world_models'] as SeedTopic[])(
    'renders %s like the reference, with only the intended differences',
    async id => {
      // The reference digest's topics, matched as a run matches them: the reasons and "also in".
      const config = loadConfig(await readFile('examples/topics.yml', 'utf8'), 'examples/topics.yml')
      const topic = config.topics.find(t => t.id === id)!
      const papers = JSON.parse(await readFile('__fixtures__/seed/papers.json', 'utf8')) as Paper[]
      const links = JSON.parse(await readFile('__fixtures__/seed/links.json', 'utf8')) as Record<
        string,
        PaperLinks
      >
      const page = await reference(id)
      const ids = new Set(seedIds(page))
      const entries: TopicEntry[] = papers
        .filter(p => ids.has(p.id))
        .map(paper => {
          const match = matchTopic(paper, topic)
          return {
            paper,
            firstSeen: FIRST_SEEN,
            links: links[paper.id] ?? {},
            score: match.score,
            reason: match.reason ?? '',
            alsoIn: config.topics.filter(t => t !== topic && matchTopic(paper, t).matched).map(t => t.id)
          }
        })
      expect(entries).toHaveLength(ids.size)

      const templates = await loadTemplates({}, async () => undefined)
      const files = renderTopic({ topic, entries, config, templates })

      expect([...files.keys()]).toEqual([`digests/${id}.md`])
      expect(files.get(`digests/${id}.md`)).toBe(expected(page, id))
    }
  )

  it('applies every intended difference somewhere, so the list stays exact', async () => {
    const pages = await Promise.all((['vla', 'world_models'] as const).map(reference))
    for (const [from] of INTENDED) expect(pages.some(page => page.includes(from))).toBe(true)
    for (const [i, id] of (['vla', 'world_models'] as const).entries()) {
      expect(pages[i]!.split(feedLinks(id)[0])).toHaveLength(2)
      // One Why line for each paper of the page, no more, no less.
      const listed = [...pages[i]!.matchAll(/\(https:\/\/arxiv\.org\/abs\/([^)]+)\)$/gm)].map(m => m[1]!)
      expect(Object.keys(WHY[id]).sort()).toEqual([...listed].sort())
      for (const versionedId of listed) expect(pages[i]!.split(linksLine(versionedId))).toHaveLength(2)
    }
  })
})
