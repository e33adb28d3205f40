/**
 * The default templates reproduce the reference pages (copied from ../shared/seed into __fixtures__/seed/reference) byte for byte, except for
 * the defects the product asks us to fix and the escapes that make arXiv text safe Markdown.
 */
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from '@jest/globals'
import { loadTemplates, renderTopic, type RenderEntry } from '../src/render.js'
import { defaultConfig } from './helpers/setup.js'
import { expectedPage as expected, INTENDED } from './helpers/seed.js'
import type { Config, Paper, PaperLinks, Topic } from '../src/types.js'

const FIRST_SEEN = '2026-02-13T22:23:00Z'

const config: Config = defaultConfig()

function topic(id: string, title: string, description: string): Topic {
  return { id, title, description, keywords: [], categories: [], require: [], exclude: [], authors: [] }
}

const TOPICS = {
  vla: topic(
    'vla',
    'Vision-Language-Action Models',
    'Papers on VLAs and vision-language-action architectures for robotics.'
  ),
  world_models: topic(
    'world_models',
    'World Models',
    'Papers on world models for robotics, video prediction, and simulation.'
  )
}

/** Which seed papers each reference page lists (order does not matter: the renderer sorts). */
function seedIds(page: string): string[] {
  return [...page.matchAll(/^### \[.*\]\(https:\/\/arxiv\.org\/abs\/(\d{4}\.\d{5})v\d+\)$/gm)].map(m => m[1]!)
}

describe('the seed pages', () => {
  it.each(Object.keys(TOPICS) as (keyof typeof TOPICS)[])(
    'renders %s like the reference, with only the intended differences',
    async id => {
      const papers = JSON.parse(await readFile('__fixtures__/seed/papers.json', 'utf8')) as Paper[]
      const links = JSON.parse(await readFile('__fixtures__/seed/links.json', 'utf8')) as Record<
        string,
        PaperLinks
      >
      const reference = await readFile(`__fixtures__/seed/reference/${id}-2026-02-13.md`, 'utf8')
      const ids = new Set(seedIds(reference))
      const entries: RenderEntry[] = papers
        .filter(p => ids.has(p.id))
        .map(paper => ({ paper, firstSeen: FIRST_SEEN, links: links[paper.id] ?? {}, score: 0 }))
      expect(entries).toHaveLength(ids.size)

      const templates = await loadTemplates({}, async () => undefined)
      const files = renderTopic({ topic: TOPICS[id], entries, config, templates })

      expect([...files.keys()]).toEqual([`digests/${id}.md`])
      expect(files.get(`digests/${id}.md`)).toBe(expected(reference))
    }
  )

  it('applies every intended difference somewhere, so the list stays exact', async () => {
    const pages = await Promise.all(
      Object.keys(TOPICS).map(id => readFile(`__fixtures__/seed/reference/${id}-2026-02-13.md`, 'utf8'))
    )
    for (const [from] of INTENDED) expect(pages.some(page => page.includes(from))).toBe(true)
  })
})
