/**
 * The CLI as a user runs it (`node dist/cli.js`), against the fake arXiv, over simulated days.
 * `npm test` builds dist/ first (pretest).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cli } from '../test-support/cli-runner.js'
import { readAtom, readJsonFeed } from '../test-support/feeds.js'
import { expectedSeedPage, SEED_FILES } from '../test-support/seed.js'
import { changed, snapshot } from '../test-support/files.js'
import { paperFixture, startFakeArxiv, type FakeArxiv } from '../test-support/fake-arxiv.js'
import type { Paper } from '../src/digest/types.js'

const DAY1 = Date.parse('2026-02-13T22:23:00Z') / 1000
const DAY = 86_400

describe('CLI over simulated days', () => {
  let seed: Paper[]
  let arxiv: FakeArxiv
  let out: string
  const noise = [
    paperFixture({ title: 'Grasping Deformable Objects with Tactile Feedback', categories: ['cs.RO'] }),
    paperFixture({ title: 'VLA Bounds for Random Walks', categories: ['math.PR'] }),
    paperFixture({ title: 'Underworld Modeling of Sediment Transport', categories: ['cs.LG'] })
  ]
  // Announced after day 1: one submitted before day 1 (a late announcement), one after.
  const lateWorldModel = paperFixture({
    id: '2602.11111',
    title: 'Latent World Models for Deformable Manipulation',
    categories: ['cs.RO'],
    published: '2026-02-12T09:00:00Z'
  })
  const newWorldModel = paperFixture({
    id: '2602.13001',
    title: 'Scaling Video World Models with Sparse Attention',
    categories: ['cs.CV', 'cs.LG'],
    published: '2026-02-13T16:30:00Z'
  })

  beforeAll(async () => {
    seed = JSON.parse(await readFile('__fixtures__/seed/papers.json', 'utf8'))
    arxiv = await startFakeArxiv({ corpus: [...seed, ...noise] })
    out = await mkdtemp(join(tmpdir(), 'preprint-digest-cli-'))
  })
  afterAll(async () => {
    await arxiv.close()
    await rm(out, { recursive: true, force: true })
  })

  const args = () => [
    '--config',
    'examples/topics.yml',
    '--out',
    out,
    '--arxiv-url',
    arxiv.url,
    '--request-delay',
    '0'
  ]

  it('day 1: writes the topic pages, the index and the state', async () => {
    const result = await cli(args(), DAY1)
    // Progress goes to standard error: the one request (both topics share one combined query).
    expect(result.stderr).toMatch(
      /^arXiv request 1 \(query "\(\(ti:vla .*" \(\d+ characters\), start 0\) …\n$/
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^vla: searched 2026-02-06T22:23:00Z to 2026-02-13T22:23:00Z, fetched \d+, matched 17, new 17 \(lists 17\)$/m
    )
    expect(result.stdout).toMatch(
      /^world_models: searched [^,]+, fetched \d+, matched 16, new 16 \(lists 16\)$/m
    )
    const files = await snapshot(out)
    expect([...files.keys()].sort()).toEqual(SEED_FILES)
    // Through the whole path (Atom over HTTP, parsing, matching, link extraction, rendering), the
    // pages equal the reference pages apart from the intended fixes.
    expect(files.get('digests/vla.md')).toBe(await expectedSeedPage('vla'))
    expect(files.get('digests/world_models.md')).toBe(await expectedSeedPage('world_models'))
    expect(files.get('README.md')).toContain('<!-- preprint-digest:start -->')
    expect(files.get('README.md')).toContain('[latest.md](digests/latest.md)')
    // Two Atom and two JSON feeds that a feed reader accepts, one entry per paper of the page.
    for (const [id, count] of [
      ['vla', 17],
      ['world_models', 16]
    ] as const) {
      expect(readAtom(files.get(`digests/feeds/${id}.xml`)!).entries).toHaveLength(count)
      expect(readJsonFeed(files.get(`digests/feeds/${id}.json`)!).items).toHaveLength(count)
    }
    // The first batch is every paper: 28 distinct, 33 entries under the two topics.
    const latest = files.get('digests/latest.md')!
    expect(latest).toContain("**28 papers** in the digest's latest update (2026-02-13 22:23 UTC)")
    expect(latest.match(/^### /gm)).toHaveLength(33)
    // Both topics share their categories, so one combined query serves them (one page of results).
    expect(arxiv.requests).toHaveLength(1)
    expect(arxiv.requests[0].headers['user-agent']).toMatch(
      /^preprint-digest\/\d+\.\d+\.\d+ \(command line\)$/
    )
  })

  it('a rerun before the next announcement asks arXiv nothing and writes nothing', async () => {
    const before = await snapshot(out)
    arxiv.reset()
    // Saturday: arXiv announced nothing since Thursday 20:00 ET, before the first run.
    const result = await cli(args(), DAY1 + DAY)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^vla: not asked: nothing announced on arXiv since its last change/m)
    expect(result.stdout).toMatch(/^Nothing new: no file written\.$/m)
    expect(arxiv.requests).toHaveLength(0)
    expect(changed(before, await snapshot(out))).toEqual([])
  })

  it('day 2 (Monday, after the Sunday announcement): adds only the new papers and leaves unchanged pages byte-identical', async () => {
    const before = await snapshot(out)
    const v2 = { ...seed[0], versionedId: seed[0].id + 'v2', updated: '2026-02-14T08:00:00Z' }
    arxiv.setCorpus([v2, ...seed.slice(1), ...noise, lateWorldModel, newWorldModel])
    const result = await cli(args(), DAY1 + 3 * DAY)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^vla: searched [^,]+, fetched \d+, matched 17, new 0 \(lists 17\)$/m)
    expect(result.stdout).toMatch(
      /^world_models: searched [^,]+, fetched \d+, matched 18, new 2 \(lists 18\)$/m
    )
    const after = await snapshot(out)
    expect(changed(before, after)).toEqual([
      'README.md',
      'digests/feeds/world_models.json',
      'digests/feeds/world_models.xml',
      'digests/latest.md',
      'digests/state/world_models/2026-02.json',
      'digests/world_models.md'
    ])
    const page = after.get('digests/world_models.md')!
    expect(page).toContain('**Papers found:** 18')
    expect(page).toContain('**Last updated:** 2026-02-16 22:23 UTC')
    expect(page.indexOf('Scaling Video World Models')).toBeLessThan(page.indexOf('Latent World Models'))
    // The latest batch is day 2's two papers; the feed says the topic changed on day 2.
    expect(after.get('digests/latest.md')!.match(/^### .*$/gm)).toEqual([
      `### [Scaling Video World Models with Sparse Attention](https://arxiv.org/abs/${newWorldModel.id}v1)`,
      `### [Latent World Models for Deformable Manipulation](https://arxiv.org/abs/${lateWorldModel.id}v1)`
    ])
    const feed = readAtom(after.get('digests/feeds/world_models.xml')!)
    expect(feed.updated).toBe('2026-02-16T22:23:00Z')
    expect(feed.entries!.slice(0, 2).map(e => e.id)).toEqual([
      `https://arxiv.org/abs/${newWorldModel.id}`,
      `https://arxiv.org/abs/${lateWorldModel.id}`
    ])
    const state = JSON.parse(after.get('digests/state/world_models/2026-02.json')!)
    const late = state.papers.find((p: { id: string }) => p.id === lateWorldModel.id)
    expect(late.firstSeen).toBe('2026-02-16T22:23:00Z')
  })

  it('day 3: nothing new changes no file at all, the feeds and latest.md included', async () => {
    const before = await snapshot(out)
    expect([...before.keys()].filter(p => /feeds\/|latest\.md/.test(p))).toHaveLength(5)
    const result = await cli(args(), DAY1 + 4 * DAY)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Nothing new: no file written\.$/m)
    expect(changed(before, await snapshot(out))).toEqual([])
  })

  it('a run whose fetch fails writes nothing and exits 1', async () => {
    const before = await snapshot(out)
    arxiv.reset()
    arxiv.injectFaults({ kind: 'error-entry', message: 'malformed query' })
    const result = await cli(args(), DAY1 + 5 * DAY)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/error: No topic could be fetched from arXiv; nothing was written/)
    expect(result.stderr).toMatch(
      /No topic could be fetched from arXiv; nothing was written\. arXiv rejected the request: malformed query/
    )
    expect(changed(before, await snapshot(out))).toEqual([])
  })

  it('--dry-run prints what would change and writes nothing', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'preprint-digest-dry-'))
    try {
      const result = await cli(
        [
          ...args().slice(0, 2),
          '--out',
          fresh,
          '--arxiv-url',
          arxiv.url,
          '--request-delay',
          '0',
          '--dry-run'
        ],
        DAY1
      )
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/Dry run: would write 10 files:\n {2}README\.md\n/)
      expect(await readdir(fresh)).toEqual([])
    } finally {
      await rm(fresh, { recursive: true, force: true })
    }
  })

  it.each([
    ['output-dir: .github/./workflows', /output-dir: ".github\/.\/workflows" lies under .github\/workflows/],
    ['index-file: .git/config', /index-file: ".git\/config" lies inside .git/],
    ['output-dir: .git', /output-dir: ".git" lies inside .git/],
    [
      'templates: {topic: missing.mustache}',
      /templates\.topic: template file "missing\.mustache" was not found/
    ]
  ])('refuses %j before any arXiv request: exit 2, nothing written', async (option, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'preprint-digest-path-'))
    try {
      await writeFile(
        join(dir, 'topics.yml'),
        `${option}\ntopics:\n  - {id: x, title: X, keywords: [x], categories: [cs.RO]}\n`
      )
      const requests = arxiv.requests.length
      const run = await cli(
        ['--config', join(dir, 'topics.yml'), '--out', join(dir, 'out'), '--arxiv-url', arxiv.url],
        DAY1
      )
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(message)
      expect(arxiv.requests.length).toBe(requests)
      expect(await readdir(dir)).toEqual(['topics.yml'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  // Files are staged beside their targets while the run renders them: what a run does not write
  // must leave neither a temporary file nor a folder behind.
  it.each([
    [
      'finds nothing new, with pages to render',
      'topics:\n  - {id: x, title: X, keywords: [nothing matches this], categories: [cs.RO]}\n',
      0,
      /^Nothing new: no file written\.$/m
    ],
    [
      'fails on a broken template after its first pages',
      'templates: {atom: broken.mustache}\ntopics:\n  - {id: vla, title: VLA, keywords: [vla], categories: [cs.RO]}\n',
      2,
      /templates\.atom rendered digests\/feeds\/vla\.xml as invalid XML/
    ]
  ])('a run that %s leaves the folder as it was', async (_name, topics, code, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'preprint-digest-staged-'))
    try {
      await writeFile(join(dir, 'topics.yml'), topics)
      await writeFile(join(dir, 'broken.mustache'), '<feed>{{{title}}}\n')
      const run = await cli(
        ['--config', join(dir, 'topics.yml'), '--out', dir, '--arxiv-url', arxiv.url, '--request-delay', '0'],
        DAY1
      )
      expect(run.code).toBe(code)
      expect(run.stdout + run.stderr).toMatch(message)
      expect((await readdir(dir)).sort()).toEqual(['broken.mustache', 'topics.yml'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('bad input: exit 2 with a message naming the problem, nothing written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'preprint-digest-bad-'))
    try {
      await writeFile(join(dir, 'topics.yml'), '- {id: x, title: X, keywords: [], categories: [cs.XX]}\n')
      const bad = await cli(
        ['--config', join(dir, 'topics.yml'), '--out', join(dir, 'out'), '--arxiv-url', arxiv.url],
        DAY1
      )
      expect(bad.code).toBe(2)
      expect(bad.stderr).toMatch(/topics\[0\]\.keywords: must list at least one entry/)
      expect(bad.stderr).toMatch(/topics\[0\]\.categories\[0\]: unknown arXiv category "cs\.XX"/)
      expect(await readdir(dir)).toEqual(['topics.yml'])
      const usage = await cli(['--out', dir], DAY1)
      expect(usage.code).toBe(2)
      expect(usage.stderr).toMatch(/--config FILE is required/)
      const delay = await cli([...args(), '--request-delay', 'soon'], DAY1)
      expect(delay.code).toBe(2)
      expect(delay.stderr).toMatch(/--request-delay: must be a number of seconds/)
      const epoch = await cli(args(), 'yesterday')
      expect(epoch).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/SOURCE_DATE_EPOCH: must be whole seconds/)
      })
      const missing = await cli(['--config', join(dir, 'nope.yml'), '--out', dir], DAY1)
      expect(missing.code).toBe(2)
      expect(missing.stderr).toMatch(/--config: cannot read .*nope\.yml \(ENOENT\)/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
