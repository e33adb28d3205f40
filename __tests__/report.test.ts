import { describe, expect, it } from '@jest/globals'
import type { TopicOutcome } from '../src/pipeline.js'
import { neutralize, PR_BODY_LIMIT, prBody, summaryMarkdown, type ReportInput } from '../src/report.js'
import type { Topic } from '../src/types.js'
import { paperFixture } from './helpers/fake-arxiv.js'

const topic = (id: string, title: string): Topic => ({
  id,
  title,
  description: '',
  keywords: ['x'],
  categories: ['cs.RO'],
  require: [],
  exclude: [],
  authors: []
})

function outcome(t: Topic, papers: number, extra: Partial<TopicOutcome> = {}): TopicOutcome {
  const result: TopicOutcome = {
    topic: t,
    status: 'ok',
    window: { from: '2026-02-06T22:23:00Z', to: '2026-02-13T22:23:00Z' },
    fetched: papers,
    matched: papers,
    newPapers: Array.from({ length: papers }, (_, i) => ({
      paper: paperFixture({
        id: `2602.${String(20000 + i + (t.id === 'vla' ? 0 : 5000))}`,
        title: `Paper number ${i} on ${t.id}`
      }),
      firstSeen: '2026-02-13T22:23:00Z',
      links: i === 0 ? { projectPage: 'https://example.github.io/x', code: 'https://github.com/a/b' } : {},
      score: 1
    })),
    held: papers,
    proposed: [],
    ...extra
  }
  if (!extra.proposed) result.proposed = result.newPapers
  return result
}

const vla = topic('vla', 'Vision-Language-Action Models')
const wm = topic('world_models', 'World Models')
const input = (outcomes: TopicOutcome[], extra: Partial<ReportInput> = {}): ReportInput => ({
  outcomes,
  pages: new Map([
    ['vla', 'digests/vla.md'],
    ['world_models', 'digests/world_models.md']
  ]),
  staleAfterDays: 14,
  ...extra
})

describe('neutralize', () => {
  it('keeps mentions and issue references from notifying or linking', () => {
    expect(neutralize('thanks @octocat and @org/team, see #12 and GH-7; mail a@b.org')).toBe(
      'thanks @&#8203;octocat and @&#8203;org/team, see #&#8203;12 and GH&#8203;-7; mail a@b.org'
    )
  })
})

describe('prBody', () => {
  it('lists new papers per topic with links, then the table, failures and the thank-you line', () => {
    const body = prBody(
      input([
        outcome(vla, 2),
        outcome(wm, 0, { status: 'failed', error: 'arXiv answered 503 five times\nmore detail', held: 16 })
      ])
    )
    expect(body).toMatch(
      /^\*\*2 new papers\*\* in the latest update \(2026-02-13 22:23 UTC\); \*\*2 papers\*\* in this pull request, awaiting review\.\n/
    )
    expect(body).toContain('| Topic | New in the latest update | In this PR | Listed | Status | Page |')
    expect(body).toContain('| Vision-Language-Action Models | 2 | 2 | 2 | ok | `digests/vla.md` |')
    expect(body).toContain('| World Models | – | 0 | 16 | ⚠️ fetch failed | `digests/world_models.md` |')
    expect(body).toContain('### Vision-Language-Action Models (2 new)')
    expect(body).toContain(
      '- [Paper number 0 on vla](https://arxiv.org/abs/2602.20000v1) — Ada Lovelace, Alan Turing · ' +
        '[Project Page](https://example.github.io/x) · [Code](https://github.com/a/b)\n'
    )
    expect(body).toMatch(
      /Topics that could not be fetched\n\n- \*\*World Models\*\* \(`world_models`\): arXiv answered 503 five times\n/
    )
    expect(body).not.toContain('more detail')
    expect(body).toContain('Thank you to arXiv for use of its open access interoperability.')
  })

  it('escapes and neutralises paper text', () => {
    const o = outcome(vla, 1)
    o.newPapers[0].paper.title = 'Ping @octocat about [this](http://evil.example) #3'
    const body = prBody(input([o]))
    expect(body).not.toMatch(/@octocat|\]\(http:\/\/evil|#3/)
  })

  it('stays under the limit, cut at a paper boundary with a pointer to the files', () => {
    const body = prBody(input([outcome(vla, 900), outcome(wm, 900)]))
    expect(body.length).toBeLessThanOrEqual(PR_BODY_LIMIT)
    const listed = body.match(/^- \[Paper number/gm)!.length
    expect(listed).toBeGreaterThan(100)
    expect(listed).toBeLessThan(1800)
    expect(body).toContain(`… and ${1800 - listed} more entries`)
    expect(body).toMatch(
      /- \[Paper number \d+ on \w+\]\(https:\/\/arxiv\.org\/abs\/2602\.\d+v1\) — Ada Lovelace, Alan Turing\n\n… and/
    )
    expect(body.endsWith('interoperability.</sub>\n')).toBe(true)
  })

  it('reports stale topics and replaced commits', () => {
    const body = prBody(
      input([outcome(vla, 0, { staleDays: 20 })], {
        branch: 'preprint-digest/update',
        foreignCommits: [
          { sha: 'abcdef1234567', message: 'fix typo @someone', author: 'mona', date: '', url: '' }
        ]
      })
    )
    expect(body).toMatch(
      /^No new paper on arXiv since the last run\. Searched 1 topic: `vla` \(2026-02-06 to 2026-02-13\)\./
    )
    expect(body).toContain('no new paper for 20 days (stale-after-days: 14)')
    expect(body).toContain('### ⚠️ Commits replaced on `preprint-digest/update`')
    expect(body).toContain('- abcdef1 fix typo @&#8203;someone (mona)')
  })
})

describe('prBody counts', () => {
  const shared = outcome(vla, 1).newPapers[0]
  const earlier = outcome(vla, 3)
    .newPapers.slice(1)
    .map(e => ({ ...e, firstSeen: '2026-02-12T22:23:00Z' }))
  const outcomes = () => [
    outcome(vla, 1, { proposed: [shared, ...earlier] }),
    outcome(wm, 0, { newPapers: [shared], proposed: [shared] })
  ]

  it('the latest update first, then what earlier runs put on the PR; a paper in two topics counts once', () => {
    const body = prBody(input(outcomes()))
    expect(body).toMatch(
      /^\*\*1 new paper\*\* in the latest update \(2026-02-13 22:23 UTC\); \*\*3 papers\*\* in this pull request/
    )
    expect(body).toContain('| Vision-Language-Action Models | 1 | 3 | 1 | ok |')
    expect(body).toMatch(
      /### Vision-Language-Action Models \(1 new, 2 from earlier runs\)\n\n- \[Paper number 0 on vla\][^\n]* · also in: World Models\n\n\*Found by earlier runs:\*\n\n- \[Paper number 1 on vla\]/
    )
    expect(body).toMatch(
      /### World Models \(1 new\)\n\n- \[Paper number 0 on vla\][^\n]* · also in: Vision-Language-Action Models\n/
    )
  })

  it('depends on what the PR holds, not on the run: a rerun that found nothing renders the same body', () => {
    const rerun = outcomes().map(o => ({
      ...o,
      newPapers: [],
      staleDays: 15,
      lastChanged: '2026-02-13T22:23:00Z'
    }))
    const later = rerun.map(o => ({ ...o, staleDays: 16 }))
    expect(prBody(input(rerun))).toBe(prBody(input(later)))
    expect(prBody(input(rerun))).toContain('stale since 2026-02-13')
    expect(summaryMarkdown(input(rerun))).toContain('stale (15 days)')
  })

  it('the job summary counts this run: nothing new, and what the pull request holds', () => {
    const rerun = outcomes().map(o => ({ ...o, newPapers: [] }))
    expect(summaryMarkdown(input(rerun))).toMatch(
      /^## preprint-digest\n\nNo new paper in this run; \*\*3 papers\*\* in the pull request, awaiting review\.\n/
    )
    expect(summaryMarkdown(input(rerun))).toContain('| Topic | New in this run | In this PR |')
  })
})

describe('summaryMarkdown', () => {
  it('is the same report with a heading and no cut', () => {
    const summary = summaryMarkdown(input([outcome(vla, 900), outcome(wm, 900)]))
    expect(summary.startsWith('## preprint-digest\n\n**1800 new papers**')).toBe(true)
    expect(summary.match(/^- \[Paper number/gm)).toHaveLength(1800)
  })
})
