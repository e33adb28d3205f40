/**
 * The CLI (`node dist/cli.js`) over the simulated weeks of test-support/weeks.ts, run daily into one
 * folder, with a short `keep-days` so that papers move to archive pages on the way: every
 * matching paper ends up exactly once across each topic's page and archive pages.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cli, listedPerTopic } from '../test-support/cli-runner.js'
import { startFakeArxiv, type FakeArxiv } from '../test-support/fake-arxiv.js'
import {
  A,
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

// Many real runs of dist/ in one test: give them room on a loaded 2-core machine.
jest.setTimeout(180_000)

describe('CLI over simulated weeks', () => {
  let arxiv: FakeArxiv
  let dir: string
  let out: string

  beforeAll(async () => {
    arxiv = await startFakeArxiv({ corpus: [] })
    dir = await mkdtemp(join(tmpdir(), 'preprint-digest-cli-weeks-'))
    out = join(dir, 'repo')
  })
  afterAll(async () => {
    await arxiv.close()
    await rm(dir, { recursive: true, force: true })
  })

  async function runOn(day: number, topics: string): Promise<{ code: number; stdout: string }> {
    arxiv.setCorpus(visibleOn(day))
    const config = join(dir, 'topics.yml')
    await writeFile(config, `keep-days: 5\ntopics:${topics}`)
    const args = ['--config', config, '--out', out, '--arxiv-url', arxiv.url, '--request-delay', '0']
    return cli(args, (D0 + day * DAY) / 1000)
  }

  it('delivers every matching paper exactly once, through a failed day, a skipped day and a 21-day hold', async () => {
    const quiet = await runOn(0, TOPICS)
    expect(quiet.code).toBe(0)
    expect(quiet.stdout).toMatch(/^Nothing new: no file written\.$/m)
    expect(await readdir(dir)).toEqual(['topics.yml'])

    let archived = false
    for (let day = 1; day <= 22; day++) {
      if (day === 11) continue // the scheduled run did not happen
      if (day === 10)
        arxiv.injectFaults(
          ...Array.from({ length: 5 }, () => ({ kind: 'error-entry' as const, message: 'down' }))
        )
      const run = await runOn(day, day >= 8 ? WITH_TACTILE : TOPICS)
      expect(run.code).toBe(day === 10 ? 1 : 0)
      if (day === 10) arxiv.reset()
      const again = await runOn(day, day >= 8 ? WITH_TACTILE : TOPICS)
      if (day !== 10) expect(again.stdout).toMatch(/^Nothing new: no file written\.$/m)
      archived ||= (await readdir(join(out, 'digests'))).includes('archive')
    }
    expect(archived).toBe(true)
    expect(await listedPerTopic(join(out, 'digests'))).toEqual({
      vla: ids(A, W, C, E, G, H),
      world_models: ids(B, W, D, F),
      tactile: ids(T)
    })
  })
})
