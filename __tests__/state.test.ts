import { describe, expect, it } from '@jest/globals'
import {
  lastChanged,
  readShards,
  shardPaths,
  STATE_SCHEMA,
  writeTopicState,
  type TopicState
} from '../src/digest/state.js'
import type { LayoutOptions } from '../src/digest/layout.js'
import type { RepoReader } from '../src/digest/repo.js'
import type { Paper } from '../src/digest/types.js'

const layout = { outputDir: 'digests', indexFile: 'README.md' }

function paper(id: string, extra: Partial<Paper> = {}): Paper {
  return {
    id,
    versionedId: `${id}v1`,
    title: `Title ${id}`,
    abstract: 'An abstract.',
    authors: ['A. Author'],
    categories: ['cs.RO'],
    primaryCategory: 'cs.RO',
    published: '2026-02-10T12:00:00Z',
    updated: '2026-02-10T12:00:00Z',
    ...extra
  }
}

/** Every shard of a topic, read as a run that reads a whole history does. */
async function readTopicState(
  reader: RepoReader,
  layout: LayoutOptions,
  topicId: string
): Promise<TopicState> {
  return (await readShards(reader, await shardPaths(reader, layout, topicId))).state
}

/** A reader over an in-memory map of files. */
function memory(files: Map<string, string>): RepoReader {
  return {
    list: async dir => [...files.keys()].filter(p => p.startsWith(dir + '/')).sort(),
    read: async path => files.get(path)
  }
}

describe('state shards', () => {
  const state: TopicState = new Map([
    ['2602.00002', { paper: paper('2602.00002', { comment: '5 pages' }), firstSeen: '2026-02-13T22:23:00Z' }],
    ['2601.00009', { paper: paper('2601.00009', { doi: '10.1/x' }), firstSeen: '2026-01-30T07:00:00Z' }],
    ['hep-th/9901001', { paper: paper('hep-th/9901001'), firstSeen: '2026-02-01T07:00:00Z' }]
  ])

  it('writes one shard per month of first sighting, papers sorted by id', () => {
    const files = writeTopicState(layout, 'vla', state)
    expect([...files.keys()]).toEqual(['digests/state/vla/2026-01.json', 'digests/state/vla/2026-02.json'])
    const feb = JSON.parse(files.get('digests/state/vla/2026-02.json')!)
    expect(feb).toMatchObject({ schema: STATE_SCHEMA, topic: 'vla', month: '2026-02' })
    expect(feb.papers.map((p: { id: string }) => p.id)).toEqual(['2602.00002', 'hep-th/9901001'])
  })

  it('round-trips byte for byte, whatever order the papers were added in', async () => {
    const files = writeTopicState(layout, 'vla', state)
    const read = await readTopicState(memory(files), layout, 'vla')
    expect(read).toEqual(state)
    const reversed: TopicState = new Map([...state].reverse())
    expect(writeTopicState(layout, 'vla', read)).toEqual(files)
    expect(writeTopicState(layout, 'vla', reversed)).toEqual(files)
  })

  it('writes keys in a fixed order and leaves out absent optional fields', () => {
    const text = writeTopicState(layout, 'vla', state).get('digests/state/vla/2026-01.json')!
    const stored = JSON.parse(text).papers[0]
    expect(Object.keys(stored)).toEqual(['id', 'firstSeen', 'paper'])
    expect(Object.keys(stored.paper)).toEqual([
      'id',
      'versionedId',
      'title',
      'authors',
      'published',
      'updated',
      'primaryCategory',
      'categories',
      'abstract',
      'doi'
    ])
    expect(text.endsWith('}\n')).toBe(true)
  })

  it('reads every paper back with all fields, in one shape, and drops fields it does not know', async () => {
    const files = writeTopicState(layout, 'vla', state)
    const path = 'digests/state/vla/2026-02.json'
    const shard = JSON.parse(files.get(path)!)
    shard.papers[0].paper.extra = 'hand-added'
    files.set(path, JSON.stringify(shard))
    const papers = [...(await readTopicState(memory(files), layout, 'vla')).values()].map(h => h.paper)
    const keys = papers.map(p => Object.keys(p))
    expect(new Set(keys.map(k => k.join()))).toEqual(new Set([keys[0].join()]))
    expect(keys[0]).toContain('journalRef')
    expect(keys[0]).not.toContain('extra')
  })

  it('a topic without state files holds nothing and has no last change', async () => {
    const read = await readTopicState(memory(new Map()), layout, 'vla')
    expect(read.size).toBe(0)
    expect(lastChanged(read.values())).toBeUndefined()
    expect(lastChanged(state.values())).toBe('2026-02-13T22:23:00Z')
  })

  it('does not read another topic whose id shares a prefix', async () => {
    const files = writeTopicState(layout, 'vla2', state)
    expect((await readTopicState(memory(files), layout, 'vla')).size).toBe(0)
  })

  it('refuses broken or newer state files, naming the file', async () => {
    const bad = (text: string) =>
      readTopicState(memory(new Map([['digests/state/vla/2026-02.json', text]])), layout, 'vla')
    await expect(bad('{not json')).rejects.toThrow(/digests\/state\/vla\/2026-02\.json: not valid JSON/)
    await expect(bad('{"schema": 99, "papers": []}')).rejects.toThrow(/schema 99 is newer/)
    await expect(bad('{"schema": 1, "papers": [{"id": "x"}]}')).rejects.toThrow(/papers\[0\] lacks/)
  })

  it.each([
    ['title', undefined, 'paper.title is missing or not text'],
    ['authors', 'A. Author', 'paper.authors is missing or not a list of text'],
    ['categories', [1], 'paper.categories is missing or not a list of text'],
    ['comment', 5, 'paper.comment is not text']
  ])('a paper whose %s is broken is refused, naming the file and the id', async (field, value, problem) => {
    const broken = { ...paper('2602.00042'), [field]: value }
    const text = JSON.stringify({
      schema: 1,
      topic: 'vla',
      month: '2026-02',
      papers: [{ id: '2602.00042', firstSeen: '2026-02-13T22:23:00Z', paper: broken }]
    })
    const files = new Map([['digests/state/vla/2026-02.json', text]])
    await expect(readTopicState(memory(files), layout, 'vla')).rejects.toThrow(
      `State file digests/state/vla/2026-02.json: papers[0] (2602.00042): ${problem}.`
    )
  })
})
