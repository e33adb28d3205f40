/**
 * Parsed papers must not keep their response body alive: a run holds its papers until the end, and a
 * page of 2,000 entries is several megabytes. V8 represents a long substring as a view into its
 * parent, so one field cut out of the body by the XML parser (a category term such as
 * `physics.comp-ph`) would keep the whole body. A multi-megabyte string lives in V8's large-object
 * space, so the test parses a body, keeps the papers, drops the body and checks that space shrank by
 * the body's size.
 */
import { describe, expect, it } from '@jest/globals'
import { setFlagsFromString, getHeapSpaceStatistics } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { parseFeed } from '../src/arxiv/feed.js'
import type { Paper } from '../src/digest/types.js'
import { paperFixture, toAtom } from '../test-support/fake-arxiv.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

function largeObjectBytes(): number {
  for (let i = 0; i < 3; i++) gc()
  return getHeapSpaceStatistics().find(s => s.space_name === 'large_object_space')!.space_used_size
}

describe('parseFeed', () => {
  it('returns papers that share no memory with the response body', () => {
    // Every field long enough (13+ characters) for V8 to make a substring a view, ASCII only, so
    // the body takes one byte per character.
    const papers = Array.from({ length: 600 }, (_, i) =>
      paperFixture({
        id: `2602.${String(10000 + i)}`,
        title: `A Title Long Enough ${i}`,
        abstract: 'An abstract of some length. '.repeat(40),
        authors: ['Ada Lovelace-Byron', 'GigaBrainCollaboration'],
        categories: ['physics.comp-ph', 'cond-mat.stat-mech'],
        comment: 'NoSpacesInThisLongComment',
        journalRef: 'Phys.Rev.D12(2026)',
        doi: '10.1109/TRO.2026.1234567'
      })
    )
    let body: string | undefined = toAtom(papers, { totalResults: papers.length })
    const bodyBytes = body.length
    expect(bodyBytes).toBeGreaterThan(1_000_000)
    const withBody = largeObjectBytes()
    const kept: Paper[] = parseFeed(body).papers
    body = undefined
    const freed = withBody - largeObjectBytes()
    expect(kept).toHaveLength(600)
    expect(kept[0]!.categories).toEqual(['physics.comp-ph', 'cond-mat.stat-mech'])
    expect(freed).toBeGreaterThan(0.9 * bodyBytes)
  })
})
