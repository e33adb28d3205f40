/**
 * A month of arXiv as test-support/month.ts simulates it (weekend batches, a holiday, moderation holds of
 * 2–21 days, v2s, cross-lists), run the way users run the digest: the action on weekday mornings
 * (one scheduled run skipped, one delayed to the evening, one day with arXiv rejecting every
 * query) with a realistic review pattern (the first PR left open two weeks, later ones merged the
 * same day, one closed unmerged, the last left open), and the CLI on the same schedule. Every
 * relevant paper must be delivered exactly once.
 */
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cli, listedPerTopic } from '../test-support/cli-runner.js'
import { describeOnNode24 } from '../test-support/node24.js'
import { actionRunner } from '../test-support/action-runner.js'
import { startFakeArxiv, type FakeArxiv } from '../test-support/fake-arxiv.js'
import { startFakeGitHub, type FakeGitHub } from '../test-support/fake-github.js'
import { corpusAt, expectedIds, simulateMonth } from '../test-support/month.js'
import { TOPICS } from '../test-support/weeks.js'

const DAY = 86_400_000
const month = simulateMonth()
const START = Date.parse(month.start)
const TOPIC_IDS = ['vla', 'world_models']

/** Weekday mornings at 12:00 UTC; day 9 skipped, day 10 run at 23:00, day 15 arXiv rejects everything. */
const RUNS = Array.from({ length: 28 }, (_, day) => day)
  .filter(day => ![0, 6].includes(new Date(START + day * DAY).getUTCDay()))
  .filter(day => day !== 9)
  .map(day => ({ day, time: START + day * DAY + (day === 10 ? 23 : 12) * 3_600_000, down: day === 15 }))
const LAST = RUNS[RUNS.length - 1].time

function arxivDown(arxiv: FakeArxiv): void {
  arxiv.injectFaults(...Array.from({ length: 5 }, () => ({ kind: 'error-entry' as const, message: 'down' })))
}

// Many real runs of dist/ in one test: give them room on a loaded 2-core machine.
jest.setTimeout(180_000)

describeOnNode24('a simulated month', () => {
  let arxiv: FakeArxiv
  let temp: string
  const expected = Object.fromEntries(TOPIC_IDS.map(t => [t, expectedIds(month, t, LAST)]))

  beforeAll(async () => {
    arxiv = await startFakeArxiv({ corpus: [] })
    temp = await mkdtemp(join(tmpdir(), 'preprint-digest-month-'))
  })
  afterAll(async () => {
    await arxiv.close()
    await rm(temp, { recursive: true, force: true })
  })

  it('covers what it should: weekends, a holiday, holds of 2 and 21 days, v2s, cross-lists', () => {
    const kinds = new Set(month.papers.map(p => p.kind))
    for (const kind of ['weekend', 'holiday', 'hold-2d', 'hold-21d', 'cross-list', 'both'])
      expect(kinds).toContain(kind)
    expect(month.papers.some(p => p.v2)).toBe(true)
    expect(RUNS.filter(r => r.down)).toHaveLength(1)
  })

  it('the action: every relevant paper in exactly one pull request', async () => {
    const github: FakeGitHub = await startFakeGitHub()
    try {
      const owner = 'lab'
      const repo = 'month'
      github.createRepo(owner, repo, { files: { 'README.md': '# Lab\n' } })
      const action = await actionRunner({
        owner,
        arxivUrl: arxiv.url,
        githubUrl: github.url,
        temp,
        inputs: { topics: TOPICS }
      })
      /** Per PR number, the papers it proposed: on its branch, not on main (topic:id). */
      const proposed = new Map<number, Set<string>>()
      const stateIds = (ref: string): Set<string> => {
        const ids = new Set<string>()
        for (const path of github.listFiles(owner, repo, ref).filter(p => p.startsWith('digests/state/'))) {
          const shard = JSON.parse(github.readFile(owner, repo, ref, path)!)
          for (const p of shard.papers as Array<{ id: string; dismissed?: true }>)
            if (!p.dismissed) ids.add(`${shard.topic}:${p.id}`)
        }
        return ids
      }
      for (const { day, time, down } of RUNS) {
        arxiv.setCorpus(corpusAt(month, time))
        if (down) arxivDown(arxiv)
        const run = await action(repo, time / 1000)
        arxiv.reset()
        expect(run.code).toBe(down ? 1 : 0)
        const open = github.pulls(owner, repo).find(p => p.state === 'open')
        if (open) {
          const onMain = stateIds('main')
          proposed.set(open.number, new Set([...stateIds(open.head)].filter(id => !onMain.has(id))))
          // Review: #1 stays open two weeks, #3 is closed unmerged, the last stays open, the rest merge.
          if (open.number === 3) github.closePullRequest(owner, repo, 3)
          else if ((open.number > 1 || day >= 14) && day < 24)
            github.mergePullRequest(owner, repo, open.number)
        }
      }
      expect(github.violations).toEqual([])
      const all = [...proposed.values()].flatMap(s => [...s])
      const delivered = new Set(all)
      const wanted = TOPIC_IDS.flatMap(t => expected[t].map(id => `${t}:${id}`))
      expect(proposed.size).toBeGreaterThanOrEqual(4)
      expect({
        expected: wanted.length,
        missed: wanted.filter(id => !delivered.has(id)),
        duplicated: all.length - delivered.size,
        unexpected: [...delivered].filter(id => !wanted.includes(id))
      }).toEqual({ expected: wanted.length, missed: [], duplicated: 0, unexpected: [] })
    } finally {
      await github.close()
    }
  })

  it('the CLI: every relevant paper exactly once across topic and archive pages', async () => {
    const out = join(temp, 'cli')
    const config = join(temp, 'topics.yml')
    await writeFile(config, `keep-days: 7\ntopics:${TOPICS}`)
    for (const { time, down } of RUNS) {
      arxiv.setCorpus(corpusAt(month, time))
      if (down) arxivDown(arxiv)
      const args = ['--config', config, '--out', out, '--arxiv-url', arxiv.url, '--request-delay', '0']
      const { code } = await cli(args, time / 1000)
      arxiv.reset()
      expect(code).toBe(down ? 1 : 0)
    }
    const listed = await listedPerTopic(join(out, 'digests'))
    expect(listed).toEqual(expected)
  })
})
