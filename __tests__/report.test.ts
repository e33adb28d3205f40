import { describe, expect, it } from '@jest/globals'
import type { TopicOutcome } from '../src/pipeline.js'
import {
  neutralize,
  PR_BODY_LIMIT,
  PR_TITLE_LIMIT,
  prBody,
  prTitle,
  summaryMarkdown,
  type ReportInput
} from '../src/report.js'
import type { Topic } from '../src/digest/types.js'
import { paperFixture } from '../test-support/fake-arxiv.js'

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
      score: 1,
      reason: 'keyword "paper" in title',
      alsoIn: []
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
    expect(body).toContain('| Topic | New in the latest update | In this PR | Listed | Status |')
    expect(body).toContain('| Vision-Language-Action Models (`digests/vla.md`) | 2 | 2 | 2 | ok |')
    expect(body).toContain('| World Models (`digests/world_models.md`) | – | 0 | 16 | ⚠️ fetch failed |')
    expect(body).toContain(
      '### Vision-Language-Action Models (`digests/vla.md`) · 2 new\n\n**New in the latest update**\n\n'
    )
    expect(body).toContain(
      '- [Paper number 0 on vla](https://arxiv.org/abs/2602.20000v1) — Ada Lovelace, Alan Turing · ' +
        '[Project Page](https://example.github.io/x) · [Code](https://github.com/a/b)\n' +
        '  <br><sub>why: keyword "paper" in title</sub>\n'
    )
    expect(body).toMatch(
      /Topics that could not be fetched\n\n- \*\*World Models\*\* \(`world_models`\): arXiv answered 503 five times\n/
    )
    expect(body).not.toContain('more detail')
    expect(body).toContain('Thank you to arXiv for use of its open access interoperability.')
  })

  it('links the pages on the digest branch and says how the rolling pull request behaves', () => {
    const body = prBody(
      input([outcome(vla, 1)], {
        branch: 'preprint-digest/update',
        base: 'main',
        fileUrl: path => `https://github.example/lab/papers/blob/preprint-digest/update/${path}`
      })
    )
    expect(body).toContain(
      '| [Vision-Language-Action Models](https://github.example/lab/papers/blob/preprint-digest/update/digests/vla.md) | 1 |'
    )
    expect(body).toContain(
      'How this pull request behaves: every run that finds new papers updates it, until you merge it. ' +
        'It is rebuilt from `main` as one commit each time, so commits pushed to `preprint-digest/update` are replaced'
    )
    expect(body).toContain(
      'close it without merging to drop them for good: the next pull request records them as dismissed'
    )
    // Nothing to review, nothing to explain.
    expect(prBody(input([outcome(vla, 0)], { base: 'main' }))).not.toContain('How this pull request behaves')
  })

  it('escapes and neutralises paper text, the reason included', () => {
    const o = outcome(vla, 1)
    o.newPapers[0].paper.title = 'Ping @octocat about [this](http://evil.example) #3'
    o.newPapers[0].reason = 'author "@octocat" (~ "[x](http://evil.example)")'
    const body = prBody(input([o]))
    expect(body).not.toMatch(/@octocat|\]\(http:\/\/evil|#3/)
    expect(body).toContain('why: author "@&#8203;octocat" (\\~ "\\[x\\](http\\://evil.example)")')
  })

  it('collapses lists longer than 10 papers in <details>', () => {
    const body = prBody(input([outcome(vla, 11), outcome(wm, 10)]))
    expect(body).toContain(
      '\n<details>\n<summary>New in the latest update: 11 papers</summary>\n\n- [Paper number 0 on vla]'
    )
    expect(body.match(/<details>/g)).toHaveLength(1)
    expect(body.match(/<\/details>/g)).toHaveLength(1)
    expect(body).toContain(
      '### World Models (`digests/world_models.md`) · 10 new\n\n**New in the latest update**\n\n'
    )
  })

  it('stays under the limit, cut at a paper boundary with a pointer to the files, every <details> closed', () => {
    const many = Array.from({ length: 100 }, (_, i) =>
      outcome(topic(`t${i}`, `Topic ${i} @team`), 60, { held: 60 })
    )
    for (const cases of [[outcome(vla, 900), outcome(wm, 900)], many]) {
      const body = prBody(input(cases))
      const total = cases.reduce((n, o) => n + o.proposed.length, 0)
      expect(body.length).toBeLessThanOrEqual(PR_BODY_LIMIT)
      expect(body.length).toBeGreaterThan(PR_BODY_LIMIT - 2_000)
      const listed = body.match(/^- \[Paper number/gm)!.length
      expect(listed).toBeGreaterThan(100)
      expect(listed).toBeLessThan(total)
      expect(body).toContain(`… and ${total - listed} more entries`)
      expect(body.match(/<details>/g)!.length).toBe(body.match(/<\/details>/g)!.length)
      expect(body).toMatch(/<\/sub>\n\n<\/details>\n\n… and/)
      expect(body.endsWith('interoperability.</sub>\n')).toBe(true)
      expect(body).not.toMatch(/@team/)
    }
  })

  it('stays under the limit when even the table and the warnings do not fit: whole lines, then how many more', () => {
    const long = 'x'.repeat(180)
    const failed = Array.from({ length: 300 }, (_, i) =>
      outcome(topic(`f${i}`, `Failed ${i} ${long}`), 0, { status: 'failed', error: `arXiv said no ${long}` })
    )
    const commits = Array.from({ length: 250 }, (_, i) => ({
      sha: `${String(i).padStart(7, '0')}abcdef`,
      message: `commit ${i} ${'y'.repeat(400)}`,
      author: 'mona',
      date: '',
      url: ''
    }))
    const body = prBody(
      input([outcome(vla, 50), ...failed], { branch: 'preprint-digest/update', foreignCommits: commits })
    )
    expect(body.length).toBeLessThanOrEqual(PR_BODY_LIMIT)
    expect(body.length).toBeGreaterThan(PR_BODY_LIMIT - 2_000)
    // The table is served first, then the failed topics; the commits and the papers get what is left.
    const rows = body.match(/^\| Failed \d+ /gm)!.length
    expect(body).toContain(`| … and ${300 - rows} more topics | | | | |\n`)
    const failedLines = body.match(/^- \*\*Failed \d+ /gm)?.length ?? 0
    expect(body).toContain(`- … and ${300 - failedLines} more topics\n`)
    expect(body).toContain('- … and 250 more commits\n')
    expect(body).toContain('… and 50 more entries')
    expect(body.endsWith('interoperability.</sub>\n')).toBe(true)
    // Below the limit nothing is cut.
    const small = prBody(
      input([outcome(vla, 5), ...failed.slice(0, 3)], { foreignCommits: commits.slice(0, 2) })
    )
    expect(small).not.toContain('… and')
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

describe('prTitle', () => {
  it('says what is inside: distinct papers, then per topic, most first', () => {
    const shared = outcome(vla, 1).newPapers[0]
    const more = outcome(wm, 5).proposed
    expect(prTitle([outcome(vla, 7), outcome(wm, 5)])).toBe('12 new papers: vla 7, world_models 5')
    expect(
      prTitle([outcome(vla, 1, { proposed: [shared] }), outcome(wm, 6, { proposed: [shared, ...more] })])
    ).toBe('6 new papers: world_models 6, vla 1')
    expect(prTitle([outcome(vla, 1), outcome(wm, 0)])).toBe('1 new paper: vla 1')
  })

  it('stays within 256 characters, naming the topics it leaves out', () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      outcome(topic(`topic_number_${i}`, `T${i}`), 1 + (i % 3))
    )
    const title = prTitle(many)
    expect(title.length).toBeLessThanOrEqual(PR_TITLE_LIMIT)
    expect(title).toMatch(/^\d+ new papers: topic_number_2 3, topic_number_5 3, .*, \+\d+ more topics$/)
  })
})

describe('prBody counts', () => {
  const shared = { ...outcome(vla, 1).newPapers[0], alsoIn: ['vla', 'world_models'] }
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
    expect(body).toContain('| Vision-Language-Action Models (`digests/vla.md`) | 1 | 3 | 1 | ok |')
    expect(body).toMatch(
      /### Vision-Language-Action Models \(`digests\/vla\.md`\) · 1 new, 2 waiting\n\n\*\*New in the latest update\*\*\n\n- \[Paper number 0 on vla\][^\n]*\n {2}<br><sub>why: [^\n]* · also in: World Models<\/sub>\n\n\*\*Already waiting in this pull request\*\*\n\n- \[Paper number 1 on vla\]/
    )
    expect(body).toMatch(
      /### World Models \(`digests\/world_models\.md`\) · 1 new\n\n\*\*New in the latest update\*\*\n\n- \[Paper number 0 on vla\][^\n]*\n {2}<br><sub>why: [^\n]* · also in: Vision-Language-Action Models<\/sub>\n/
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
    expect(prTitle(rerun)).toBe(prTitle(outcomes()))
    expect(prBody(input(rerun))).toContain('stale since 2026-02-13')
    expect(summaryMarkdown(input(rerun))).toContain('stale (15 days)')
  })

  it('the job summary counts this run: nothing new, and what the pull request holds', () => {
    const rerun = outcomes().map(o => ({ ...o, newPapers: [] }))
    expect(summaryMarkdown(input(rerun))).toMatch(
      /^## preprint-digest\n\nNo new paper in this run; \*\*3 papers\*\* in the pull request, awaiting review\.\n/
    )
    expect(summaryMarkdown(input(rerun))).toContain('| Topic | New in this run | In this PR |')
    expect(summaryMarkdown(input(rerun))).toContain('**Already in the pull request**')
    expect(summaryMarkdown(input(rerun))).not.toContain('How this pull request behaves')
  })
})

describe('summaryMarkdown', () => {
  it('is the same report with a heading and no cut', () => {
    const summary = summaryMarkdown(input([outcome(vla, 900), outcome(wm, 900)]))
    expect(summary.startsWith('## preprint-digest\n\n**1800 new papers**')).toBe(true)
    expect(summary.match(/^- \[Paper number/gm)).toHaveLength(1800)
  })
})
