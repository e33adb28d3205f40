/**
 * End to end over simulated weeks: the built action on Node 24 (test-support/action-runner.ts)
 * against the fake arXiv and the fake GitHub, with the review pattern users have (the first PR left
 * open two weeks, a topic added meanwhile, a merge, a PR closed unmerged) and arXiv's (weekend batches, a 21-day moderation hold,
 * a v2, a failed run, a skipped run). Each step asserts the exact set of papers on the PR branch
 * and the counts the action reports.
 */
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeOnNode24 } from '../test-support/node24.js'
import { actionRunner, type ActionRun } from '../test-support/action-runner.js'
import { listedIds } from '../test-support/cli-runner.js'
import { startFakeArxiv, type FakeArxiv } from '../test-support/fake-arxiv.js'
import { startFakeGitHub, type FakeGitHub } from '../test-support/fake-github.js'
import {
  A,
  at,
  B,
  C,
  D,
  D0,
  DAY,
  E,
  F,
  G,
  H,
  ids,
  T,
  TOPICS,
  visibleOn,
  W,
  WITH_TACTILE
} from '../test-support/weeks.js'

const BRANCH = 'preprint-digest/update'

// Many real runs of dist/ in one test: give them room on a loaded 2-core machine.
jest.setTimeout(180_000)

describeOnNode24('the action over simulated weeks', () => {
  const owner = 'lab'
  const repo = 'weeks'
  let arxiv: FakeArxiv
  let github: FakeGitHub
  let temp: string
  let action: Awaited<ReturnType<typeof actionRunner>>

  beforeAll(async () => {
    arxiv = await startFakeArxiv({ corpus: [] })
    github = await startFakeGitHub()
    temp = await mkdtemp(join(tmpdir(), 'preprint-digest-weeks-'))
    action = await actionRunner({
      owner,
      arxivUrl: arxiv.url,
      githubUrl: github.url,
      temp,
      inputs: { topics: TOPICS },
      beforeRun: () => github.clearRequests()
    })
    github.createRepo(owner, repo, { files: { 'README.md': '# Lab\n' } })
  })
  afterAll(async () => {
    await arxiv.close()
    await github.close()
    await rm(temp, { recursive: true, force: true })
  })

  /** Runs on `day`, with arXiv showing what was announced by then (A as v2 from day 9). */
  async function runOn(day: number, inputs: Record<string, string> = {}): Promise<ActionRun> {
    arxiv.setCorpus(visibleOn(day))
    const run = await action(repo, (D0 + day * DAY) / 1000, inputs)
    expect(github.violations).toEqual([])
    return run
  }

  /** Per topic, the ids a ref's state lists (dismissed ones apart), each checked to be on exactly one page. */
  function held(ref: string): { topics: Record<string, string[]>; dismissed: string[] } {
    const topics: Record<string, string[]> = {}
    const dismissed: string[] = []
    const files = github.listFiles(owner, repo, ref)
    for (const path of files.filter(p => /^digests\/state\/.+\.json$/.test(p))) {
      const shard = JSON.parse(github.readFile(owner, repo, ref, path)!)
      for (const p of shard.papers as Array<{ id: string; dismissed?: true }>) {
        if (p.dismissed) dismissed.push(p.id)
        else (topics[shard.topic] ??= []).push(p.id)
      }
    }
    for (const [topic, ids] of Object.entries(topics)) {
      ids.sort()
      const pages = files
        .filter(p => p === `digests/${topic}.md` || p.startsWith(`digests/archive/${topic}/`))
        .map(p => github.readFile(owner, repo, ref, p)!)
      const listed = pages.flatMap(listedIds)
      expect(listed.sort()).toEqual(ids)
    }
    return { topics, dismissed: dismissed.sort() }
  }
  const counts = (run: ActionRun) => ({
    new: Number(run.outputs['new-papers']),
    inPr: Number(run.outputs['pull-request-papers']),
    operation: run.outputs['pull-request-operation']
  })

  it('day 0, a quiet first run: no write request at all, and the summary shows what was searched', async () => {
    const run = await runOn(0)
    expect(run.code).toBe(0)
    expect(counts(run)).toEqual({ new: 0, inPr: 0, operation: 'none' })
    expect(github.writeRequests()).toEqual([])
    expect(github.branchSha(owner, repo, BRANCH)).toBeUndefined()
    expect(run.summary).toMatch(
      /No new paper on arXiv since the last run\. Searched 2 topics: `vla` \(2026-02-23 to 2026-03-02\), `world_models`/
    )
  })

  it('days 1–3: the first PR opens and grows; a paper in two topics counts once', async () => {
    expect(counts(await runOn(1))).toEqual({ new: 1, inPr: 1, operation: 'created' })
    expect(counts(await runOn(2))).toEqual({ new: 1, inPr: 2, operation: 'updated' })
    const day3 = await runOn(3)
    expect(counts(day3)).toEqual({ new: 1, inPr: 3, operation: 'updated' })
    expect(JSON.parse(day3.outputs['new-papers-by-topic'])).toEqual({ vla: 1, world_models: 1 })
    expect(held(BRANCH).topics).toEqual({ vla: ids(A, W), world_models: ids(B, W) })
    expect(github.pulls(owner, repo)[0].body).toMatch(
      /VLA Trained Inside a World Model[^\n]*\n {2}<br><sub>why: [^\n]*also in: \[World Models\]\(/
    )
  })

  it("day 7: the weekend's batch arrives; day 8: a topic added while the PR is open joins it", async () => {
    expect(counts(await runOn(7))).toEqual({ new: 1, inPr: 4, operation: 'updated' })
    const day8 = await runOn(8, { topics: WITH_TACTILE })
    expect(counts(day8)).toEqual({ new: 1, inPr: 5, operation: 'updated' })
    expect(held(BRANCH).topics).toEqual({ vla: ids(A, W, C), world_models: ids(B, W), tactile: ids(T) })
  })

  it('day 9: a v2 of a paper on the open PR changes nothing: no new paper, no write', async () => {
    const run = await runOn(9, { topics: WITH_TACTILE })
    expect(counts(run)).toEqual({ new: 0, inPr: 5, operation: 'unchanged' })
    expect(github.writeRequests()).toEqual([])
    expect(github.readFile(owner, repo, BRANCH, 'digests/vla.md')).toContain('A VLA for Kitchens](')
    expect(github.readFile(owner, repo, BRANCH, 'digests/vla.md')).not.toContain('revised')
  })

  it('day 10 fails (arXiv rejects every query), day 11 is skipped, day 12 catches up', async () => {
    arxiv.injectFaults(
      ...Array.from({ length: 5 }, () => ({ kind: 'error-entry' as const, message: 'down' }))
    )
    const failed = await runOn(10, { topics: WITH_TACTILE })
    expect(failed.code).toBe(1)
    expect(github.writeRequests()).toEqual([])
    arxiv.reset()
    const day12 = await runOn(12, { topics: WITH_TACTILE })
    expect(counts(day12)).toEqual({ new: 2, inPr: 7, operation: 'updated' })
  })

  it('day 15: after 14 days open the PR still holds every paper it found, with its first sightings', async () => {
    const quiet = await runOn(15, { topics: WITH_TACTILE })
    expect(counts(quiet)).toEqual({ new: 0, inPr: 7, operation: 'unchanged' })
    expect(github.writeRequests()).toEqual([])
    expect(held(BRANCH).topics).toEqual({
      vla: ids(A, W, C, E),
      world_models: ids(B, W, D),
      tactile: ids(T)
    })
    const state = JSON.parse(github.readFile(owner, repo, BRANCH, 'digests/state/vla/2026-03.json')!)
    expect(state.papers.find((p: { id: string }) => p.id === A.paper.id).firstSeen).toBe(at(1))
    github.mergePullRequest(owner, repo, 1)
    expect(held('main').topics).toEqual(held(BRANCH).topics)
  })

  it('day 16 opens a new PR with only what is newer; closing it unmerged drops its paper for good', async () => {
    const day16 = await runOn(16, { topics: WITH_TACTILE })
    expect(counts(day16)).toEqual({ new: 1, inPr: 1, operation: 'created' })
    expect(held(BRANCH).topics.world_models).toEqual(ids(B, W, D, F))
    github.closePullRequest(owner, repo, 2)
    const day17 = await runOn(17, { topics: WITH_TACTILE })
    expect(counts(day17)).toEqual({ new: 1, inPr: 1, operation: 'created' })
    const after = held(BRANCH)
    expect(after.topics.world_models).toEqual(ids(B, W, D))
    expect(after.dismissed).toEqual(ids(F))
    expect(after.topics.vla).toEqual(ids(A, W, C, E, G))
    // Nothing new: still nothing written, and the dismissed paper does not come back.
    const quiet = await runOn(18, { topics: WITH_TACTILE })
    expect(counts(quiet)).toEqual({ new: 0, inPr: 1, operation: 'unchanged' })
    expect(github.writeRequests()).toEqual([])
  })

  it('day 22: a paper held 21 days by moderation is delivered once, on the open PR', async () => {
    const run = await runOn(22, { topics: WITH_TACTILE })
    expect(counts(run)).toEqual({ new: 1, inPr: 2, operation: 'updated' })
    const end = held(BRANCH)
    expect(end.topics).toEqual({
      vla: ids(A, W, C, E, G, H),
      world_models: ids(B, W, D),
      tactile: ids(T)
    })
    // Every relevant paper exactly once; the one closed unmerged is dismissed, not listed.
    const delivered = new Set(Object.values(end.topics).flat())
    expect([...delivered].sort()).toEqual(ids(A, B, W, C, T, D, E, G, H))
    expect(end.dismissed).toEqual(ids(F))
  })
})
