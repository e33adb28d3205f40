/**
 * The fault matrix: one row per way a run can go wrong, over real HTTP against the fake arXiv and
 * the fake GitHub, for both entry points run in-process on a simulated clock. Each row asserts the
 * exit status, what was written, how many requests each server saw, the waits asked of the clock,
 * and the line a user sees (exactly once, and never the whole query).
 */
import { SEED_FILES } from '../test-support/seed.js'
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { main as cli } from '../src/cli/command-line.js'
import { actionRunner, type ActionRun } from '../test-support/action-runner.js'
import { SimulatedClock } from '../test-support/clock.js'
import { type Fault as ArxivFault } from '../test-support/fake-arxiv.js'
import { type Fault as GitHubFault, type FaultMatch } from '../test-support/fake-github.js'
import { useSeedServers } from '../test-support/seed-servers.js'

const DAY1 = Date.parse('2026-02-13T22:23:00Z') / 1000

const ROBOTICS = `
  - id: vla
    title: Vision-Language-Action Models
    keywords: [VLA, vision-language-action, vision language action]
    categories: [cs.RO, cs.CV, cs.LG, cs.AI]
  - id: world_models
    title: World Models
    keywords: [world model, world models]
    categories: [cs.RO, cs.CV, cs.LG, cs.AI]`

/**
 * A topic with enough keywords that the plan gives it queries of its own, so that a fault on
 * those queries leaves the robotics topics' query alone.
 */
const ALGEBRA = `
  - id: algebra
    title: Algebraic Geometry
    categories: [math.AG]
    keywords: [${Array.from({ length: 19 }, (_, i) => `sheaf cohomology variant${i}`).join(', ')}]`

const TOPICS = `output-dir: digests\nindex-file: README.md\ntopics:${ROBOTICS}\n`

/** Topics as the action's `topics: |` input passes them: the block's indentation removed. */
const inline = (yaml: string): string => yaml.replace(/^ {2}/gm, '')

/** What a row expects. `waits` are nominal seconds: backoff waits carry ±25 % jitter. */
interface Expect {
  code: number
  /** Files written (CLI: under --out; action: changed on the digest branch); [] for nothing. */
  written: string[]
  arxivRequests: number
  waits: number[]
  /** The line a user must see exactly once. */
  message: RegExp
  /** Action rows: GitHub requests, all and writes. */
  github?: { requests?: number; writes: number }
}

/** Backoff waits are jittered; a Retry-After is honoured exactly. */
function expectWaits(actualMs: number[], nominal: number[], exact = false): void {
  expect(actualMs).toHaveLength(nominal.length)
  actualMs.forEach((ms, i) => {
    if (exact) expect(ms).toBe(nominal[i] * 1000)
    else {
      expect(ms).toBeGreaterThanOrEqual(nominal[i] * 750)
      expect(ms).toBeLessThanOrEqual(nominal[i] * 1250)
    }
  })
}

function occurrences(text: string, pattern: RegExp): number {
  return [...text.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))].length
}

/** Every file under `dir`, relative, sorted; [] when `dir` does not exist. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries
    .filter(e => e.isFile())
    .map(e => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort()
}

/** A port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise(resolve => server.close(resolve))
  return port
}

/** How long the row took to fail or succeed as a user would wait: real time plus simulated waits. */
const timings: Array<[string, number, number]> = []

const servers = useSeedServers('faults', { github: true })

afterAll(async () => {
  if (process.env.FAULT_MATRIX_TIMES) {
    const lines = timings.map(([name, real, waited]) => `| ${name} | ${real} ms | ${waited / 1000} s |`)
    await writeFile(
      process.env.FAULT_MATRIX_TIMES,
      `| case | real time | simulated waits |\n|---|---|---|\n${lines.join('\n')}\n`
    )
  }
})

// ---------------------------------------------------------------------------------------------
// The command line

interface CliRow {
  name: string
  faults?: ArxivFault[]
  /** The topic file; default TOPICS. */
  config?: string
  /** Extra flags; `--arxiv-url` replaces the fake's URL. */
  args?: string[]
  /** Files in the output folder before the run. */
  before?: Record<string, string>
  expect: Expect
  /** The Retry-After is exact. */
  exactWaits?: boolean
}

const down = (n: number, fault: ArxivFault = { status: 503 }): ArxivFault[] => Array(n).fill(fault)

const CLI_ROWS: CliRow[] = [
  // Transient faults: one retry, then the run completes.
  ...(
    [
      [
        '503 once',
        { status: 503 },
        /arXiv: HTTP 503; retrying in \d+ s \(attempt 2 of 4, 2 min \d+ s of the time budget left\)/
      ],
      ['500 once', { status: 500 }, /arXiv: HTTP 500; retrying in \d+ s/],
      ['a blank 200 page', { kind: 'blank' }, /arXiv: HTTP 200 with a bad body: .*; retrying in/],
      ['a truncated page', { kind: 'truncated' }, /arXiv: HTTP 200 with a bad body: .*; retrying in/],
      [
        'an empty page before totalResults',
        { kind: 'empty-page' },
        /empty page although totalResults is \d+; retrying/
      ],
      ['a dropped connection', { kind: 'reset' }, /arXiv: network error \S+; retrying in \d+ s/]
    ] as Array<[string, ArxivFault, RegExp]>
  ).map(([name, fault, message]) => ({
    name,
    faults: [fault],
    expect: { code: 0, written: SEED_FILES, arxivRequests: 2, waits: [10], message }
  })),
  {
    name: 'a hung server (timeout)',
    faults: [{ kind: 'hang' }],
    args: ['--arxiv-timeout', '1'],
    expect: {
      code: 0,
      written: SEED_FILES,
      arxivRequests: 2,
      waits: [10],
      message: /arXiv: no complete answer within 1 s \(timeout\); retrying in \d+ s/
    }
  },
  {
    name: '429 with Retry-After: 5',
    faults: [{ status: 429, retryAfter: '5' }],
    exactWaits: true,
    expect: {
      code: 0,
      written: SEED_FILES,
      arxivRequests: 2,
      waits: [5],
      message: /arXiv: HTTP 429; retrying in 5 s/
    }
  },
  // Down for good: the run fails within the budget, nothing is written.
  {
    name: '503 every time',
    faults: down(4),
    expect: {
      code: 1,
      written: [],
      arxivRequests: 4,
      waits: [10, 30, 90],
      message:
        /arXiv request failed: HTTP 503 \(query ".+?…" \(\d+ characters\), start 0\); gave up after 4 attempts/
    }
  },
  {
    name: '503 every time, --arxiv-budget 60',
    faults: down(3),
    args: ['--arxiv-budget', '60'],
    expect: {
      code: 1,
      written: [],
      arxivRequests: 3,
      waits: [10, 30],
      message: /arXiv did not answer within the time budget of 1 min \(3 attempt\(s\), last: HTTP 503; query/
    }
  },
  {
    name: '503 with Retry-After: 600 (longer than allowed)',
    faults: [{ status: 503, retryAfter: '600' }],
    expect: {
      code: 1,
      written: [],
      arxivRequests: 1,
      waits: [],
      message:
        /arXiv asked to wait 600 s \(Retry-After\), more than the 120 s allowed, so gave up after 1 attempt/
    }
  },
  {
    name: 'connection refused',
    args: ['--arxiv-url', 'REFUSED'],
    expect: {
      code: 1,
      written: [],
      arxivRequests: 0,
      waits: [10, 30, 90],
      message: /arXiv request failed: network error ECONNREFUSED .*gave up after 4 attempts/
    }
  },
  // Permanent faults: no retry.
  {
    name: 'DNS failure',
    args: ['--arxiv-url', 'http://preprint-digest.invalid/api/query'],
    expect: {
      code: 1,
      written: [],
      arxivRequests: 0,
      waits: [],
      message:
        /network error ENOTFOUND .*not retried, since retrying cannot help: the host name does not resolve \(DNS\)/
    }
  },
  {
    name: 'a port fetch refuses',
    args: ['--arxiv-url', 'http://127.0.0.1:6000/api/query'],
    expect: {
      code: 1,
      written: [],
      arxivRequests: 0,
      waits: [],
      message: /network error bad port .*not retried.*use another port in the arXiv API URL/
    }
  },
  {
    name: 'HTTP 404 (wrong API URL)',
    args: ['--arxiv-url', `URL/../nothing-here`],
    expect: {
      code: 1,
      written: [],
      arxivRequests: 1,
      waits: [],
      message: /HTTP 404 Not Found \(check the arXiv API URL\) .*not retried/
    }
  },
  {
    name: "arXiv's error entry (malformed query)",
    faults: [{ kind: 'error-entry', message: 'malformed query' }],
    expect: { code: 1, written: [], arxivRequests: 1, waits: [], message: /malformed query/ }
  },
  {
    name: '403: no further request',
    faults: [{ status: 403 }],
    config: `topics:${ROBOTICS}${ALGEBRA}\n`,
    expect: {
      code: 1,
      written: [],
      arxivRequests: 1,
      waits: [],
      message: /arXiv denied access \(HTTP 403\) to query .*No further arXiv requests are made in this run/
    }
  },
  {
    name: "one topic's query fails for good, the others are written",
    faults: [{ kind: 'error-entry', message: 'unsupported term', match: /variant/ }],
    config: `output-dir: digests\nindex-file: README.md\ntopics:${ROBOTICS}${ALGEBRA}\n`,
    expect: {
      code: 0,
      written: SEED_FILES,
      arxivRequests: 2,
      waits: [],
      message: /algebra.*unsupported term/
    }
  },
  // Bad configuration: exit 2 before any request, nothing written.
  ...(
    [
      ['output-dir: .github/./workflows', 'output-dir: .github/./workflows', /output-dir/],
      ['output-dir: .github//workflows', 'output-dir: .github//workflows', /output-dir/],
      ['output-dir: .GitHub/Workflows', 'output-dir: .GitHub/Workflows', /output-dir/],
      ['index-file: .git/config', 'index-file: .git/config', /index-file/],
      ['index-file: .github/./workflows/ci.yml', 'index-file: .github/./workflows/ci.yml', /index-file/],
      ['output-dir: .git', 'output-dir: .git', /output-dir/],
      ['output-dir: ../outside', 'output-dir: ../outside', /output-dir/],
      ['output-dir: /etc', 'output-dir: /etc', /output-dir/],
      ['sort: newest', 'sort: newest', /sort.*(date|relevance)/]
    ] as Array<[string, string, RegExp]>
  ).map(([name, line, message]) => ({
    name,
    config: `${line}\ntopics:${ROBOTICS}\n`,
    expect: { code: 2, written: [], arxivRequests: 0, waits: [], message }
  })),
  ...['con', 'nul', 'com1', 'aux', 'lpt9'].map(id => ({
    name: `topic id: ${id}`,
    config: `topics:\n  - id: ${id}\n    title: T\n    keywords: [x]\n    categories: [cs.RO]\n`,
    expect: {
      code: 2,
      written: [],
      arxivRequests: 0,
      waits: [],
      message: /a name Windows reserves for a device/
    }
  })),
  {
    name: 'a state file whose paper lacks its title',
    before: {
      'digests/state/vla/2026-01.json': JSON.stringify({
        schema: 1,
        topic: 'vla',
        month: '2026-01',
        papers: [
          {
            id: '2601.00001',
            firstSeen: '2026-01-05T00:00:00.000Z',
            paper: {
              id: '2601.00001',
              versionedId: '2601.00001v1',
              authors: ['A. Author'],
              published: '2026-01-04T00:00:00Z',
              updated: '2026-01-04T00:00:00Z',
              primaryCategory: 'cs.RO',
              categories: ['cs.RO'],
              abstract: 'x'
            }
          }
        ]
      })
    },
    expect: {
      code: 2,
      written: ['digests/state/vla/2026-01.json'],
      arxivRequests: 0,
      waits: [],
      message: /digests\/state\/vla\/2026-01\.json.*2601\.00001.*paper\.title is missing/
    }
  },
  {
    name: '--arxiv-url not a URL',
    args: ['--arxiv-url', 'export.arxiv.org'],
    expect: {
      code: 2,
      written: [],
      arxivRequests: 0,
      waits: [],
      message: /--arxiv-url: must be an http\(s\) URL/
    }
  },
  {
    name: '--arxiv-page-size 2001',
    args: ['--arxiv-page-size', '2001'],
    expect: {
      code: 2,
      written: [],
      arxivRequests: 0,
      waits: [],
      message: /--arxiv-page-size: must be a whole number from 1 to 2000 \(got "2001"\)/
    }
  },
  {
    name: '--arxiv-budget 0',
    args: ['--arxiv-budget', '0'],
    expect: {
      code: 2,
      written: [],
      arxivRequests: 0,
      waits: [],
      message: /--arxiv-budget: must be a number of seconds, 1 or more/
    }
  }
]

describe('the CLI, fault by fault', () => {
  let count = 0
  it.each(CLI_ROWS.map(row => [row.name, row] as const))('%s', async (_name, row) => {
    const dir = join(servers.temp, `cli-${++count}`)
    const out = join(dir, 'out')
    await mkdir(out, { recursive: true })
    for (const [path, text] of Object.entries(row.before ?? {})) {
      await mkdir(dirname(join(out, path)), { recursive: true })
      await writeFile(join(out, path), text)
    }
    await writeFile(join(dir, 'topics.yml'), row.config ?? TOPICS)
    servers.arxiv.reset()
    servers.arxiv.injectFaults(...(row.faults ?? []))
    const args = [...(row.args ?? [])]
    const urlAt = args.indexOf('--arxiv-url')
    if (urlAt < 0) args.push('--arxiv-url', servers.arxiv.url)
    else if (args[urlAt + 1] === 'REFUSED')
      args[urlAt + 1] = `http://127.0.0.1:${await closedPort()}/api/query`
    else
      args[urlAt + 1] = args[urlAt + 1].replace(/^URL\/\.\./, servers.arxiv.url.replace(/\/api\/query$/, ''))

    const clock = new SimulatedClock()
    const lines: string[] = []
    const started = performance.now()
    const code = await cli(
      ['--config', join(dir, 'topics.yml'), '--out', out, '--request-delay', '0', ...args],
      { SOURCE_DATE_EPOCH: String(DAY1) },
      { clock, out: text => lines.push(text), err: text => lines.push(text) }
    )
    timings.push([`CLI: ${row.name}`, Math.round(performance.now() - started), clock.waited])
    const output = lines.join('\n')

    expect({ code, output }).toMatchObject({ code: row.expect.code })
    expect(await filesUnder(out)).toEqual(row.expect.written)
    expect(servers.arxiv.requests).toHaveLength(row.expect.arxivRequests)
    expectWaits(clock.waits, row.expect.waits, row.exactWaits)
    expect({ output, count: occurrences(output, row.expect.message) }).toMatchObject({ count: 1 })
    // The query is shortened in messages: no line carries a whole long search_query.
    for (const request of servers.arxiv.requests) {
      const query = request.params.search_query ?? ''
      if (query.length > 80) expect(output).not.toContain(query)
    }
  })
})

// ---------------------------------------------------------------------------------------------
// The action

interface ActionRow {
  name: string
  arxivFaults?: ArxivFault[]
  githubFaults?: Array<[FaultMatch, GitHubFault, number?]>
  inputs?: Record<string, string>
  /** Files on the base branch besides README.md. */
  files?: Record<string, string>
  /** Earlier history: runs the action (fault-free) and changes the repository before the row's run. */
  setup?: (repo: string, action: (epoch: number) => Promise<ActionRun>) => Promise<void>
  /** `pr`: a pull request is open after the run. */
  expect: Expect & { summary?: RegExp; pr?: boolean }
}

const ACTION_ROWS: ActionRow[] = [
  {
    name: 'arXiv 503 once',
    arxivFaults: [{ status: 503 }],
    expect: {
      code: 0,
      written: SEED_FILES,
      arxivRequests: 2,
      waits: [10],
      message: /arXiv: HTTP 503; retrying in \d+ s \(attempt 2 of 4/,
      github: { writes: 4 },
      pr: true
    }
  },
  {
    name: 'arXiv 503 every time',
    arxivFaults: down(4),
    expect: {
      code: 1,
      written: [],
      arxivRequests: 4,
      waits: [10, 30, 90],
      message: /gave up after 4 attempts/,
      github: { writes: 0 },
      summary: /The run failed\.[\s\S]*gave up after 4 attempts[\s\S]*Nothing was written/
    }
  },
  {
    name: 'arXiv 403',
    arxivFaults: [{ status: 403 }],
    inputs: { topics: inline(`${ROBOTICS}${ALGEBRA}`) },
    expect: {
      code: 1,
      written: [],
      arxivRequests: 1,
      waits: [],
      message: /arXiv denied access \(HTTP 403\)/,
      github: { writes: 0 }
    }
  },
  {
    name: "arXiv fails one topic's query: the others are proposed",
    arxivFaults: [{ kind: 'error-entry', message: 'unsupported term', match: /variant/ }],
    inputs: { topics: inline(`${ROBOTICS}${ALGEBRA}`) },
    expect: {
      code: 0,
      written: SEED_FILES,
      arxivRequests: 2,
      waits: [],
      message: /algebra.*unsupported term/,
      github: { writes: 4 },
      pr: true
    }
  },
  {
    name: 'GitHub 401 (bad token)',
    githubFaults: [[{}, { kind: 'bad-credentials' }]],
    expect: {
      code: 1,
      written: [],
      arxivRequests: 0,
      waits: [],
      message:
        /GitHub answered 401 to POST \/graphql: Bad credentials\. The token was refused: check the `github-token` input/,
      github: { requests: 1, writes: 0 }
    }
  },
  {
    name: 'GitHub 502 once on reading the base',
    githubFaults: [[{ method: 'POST', path: '/graphql' }, { status: 502 }]],
    expect: {
      code: 0,
      written: SEED_FILES,
      arxivRequests: 1,
      waits: [],
      message: /Opened pull request #1/,
      github: { writes: 4 },
      pr: true
    }
  },
  {
    name: 'GitHub 500 every time on creating the tree',
    githubFaults: [[{ method: 'POST', path: '/repos/{owner}/{repo}/git/trees' }, { status: 500 }, 10]],
    expect: {
      code: 1,
      written: [],
      arxivRequests: 1,
      waits: [],
      message:
        /GitHub answered 500 to POST \/repos\/lab\/\S+\/git\/trees: Server Error\. GitHub had a server error and retries did not help: run the workflow again later, and see https:\/\/www\.githubstatus\.com/,
      // Four attempts at the tree, nothing else written.
      github: { writes: 4 },
      summary: /The run failed while publishing/
    }
  },
  {
    name: 'GitHub secondary rate limit once on opening the pull request',
    githubFaults: [
      [
        { method: 'POST', path: '/repos/{owner}/{repo}/pulls' },
        { kind: 'secondary-rate-limit', retryAfter: 1 }
      ]
    ],
    expect: {
      code: 0,
      written: SEED_FILES,
      arxivRequests: 1,
      waits: [],
      message: /GitHub secondary rate limit \(POST \/repos\/\{owner\}\/\{repo\}\/pulls\); retrying in 1 s/,
      github: { writes: 5 },
      pr: true
    }
  },
  {
    name: 'GitHub: the token may not write contents',
    githubFaults: [[{ method: 'POST', path: '/repos/{owner}/{repo}/git/trees' }, { kind: 'not-accessible' }]],
    expect: {
      code: 1,
      written: [],
      arxivRequests: 1,
      waits: [],
      message:
        /GitHub refused .* "Resource not accessible by integration" \(HTTP 403\)\. The token lacks a permission/,
      github: { writes: 1 }
    }
  },
  {
    name: 'GitHub: Actions may not open pull requests',
    githubFaults: [
      [
        { method: 'POST', path: '/repos/{owner}/{repo}/pulls' },
        { kind: 'actions-cannot-create-pull-requests' }
      ]
    ],
    expect: {
      code: 1,
      written: SEED_FILES,
      arxivRequests: 1,
      waits: [],
      message: /Allow GitHub Actions to create and approve pull requests/,
      github: { writes: 4 }
    }
  },
  {
    // An hour after the first run, with no announcement in between: arXiv is not asked either.
    name: 'nothing new after a maintainer edited a topic page: no pull request',
    setup: async (repo, action) => {
      expect((await action(DAY1 - 3600)).code).toBe(0)
      servers.github.mergePullRequest('lab', repo, 1)
      const page = servers.github.readFile('lab', repo, 'main', 'digests/vla.md')!
      servers.github.commitFiles('lab', repo, 'main', {
        'digests/vla.md': `${page}\nA note by a maintainer.\n`
      })
    },
    expect: {
      code: 0,
      written: [],
      arxivRequests: 0,
      waits: [],
      message: /No new papers: nothing to commit, no pull request\./,
      github: { writes: 0 }
    }
  },
  // Bad input: a user error (exit 2, as in the CLI) before any request.
  {
    name: 'inline topics with a bad sort',
    inputs: { topics: inline(ROBOTICS), sort: 'newest' },
    expect: {
      code: 2,
      written: [],
      arxivRequests: 0,
      waits: [],
      message: /sort/,
      github: { requests: 0, writes: 0 }
    }
  },
  {
    name: 'input output-dir: .github/workflows',
    inputs: { 'output-dir': '.github/workflows' },
    expect: {
      code: 2,
      written: [],
      arxivRequests: 0,
      waits: [],
      message: /output-dir/,
      github: { requests: 0, writes: 0 }
    }
  },
  {
    name: 'inline topic id: con',
    inputs: { topics: '- id: con\n  title: T\n  keywords: [x]\n  categories: [cs.RO]' },
    expect: {
      code: 2,
      written: [],
      arxivRequests: 0,
      waits: [],
      message: /"con" uses "con", a name Windows reserves for a device/,
      github: { requests: 0, writes: 0 }
    }
  },
  {
    name: 'input arxiv-budget: soon',
    inputs: { 'arxiv-budget': 'soon' },
    expect: {
      code: 2,
      written: [],
      arxivRequests: 0,
      waits: [],
      message: /arxiv-budget/,
      github: { requests: 0, writes: 0 }
    }
  },
  {
    name: 'a malformed state file on the base branch',
    files: {
      'digests/state/vla/2026-02.json': JSON.stringify({
        schema: 1,
        topic: 'vla',
        month: '2026-02',
        papers: [{ id: '2602.00001' }]
      })
    },
    expect: {
      code: 2,
      written: [],
      arxivRequests: 0,
      waits: [],
      message: /digests\/state\/vla\/2026-02\.json.*papers\[0\] lacks id, firstSeen or paper/,
      github: { writes: 0 }
    }
  }
]

describe('the action, fault by fault', () => {
  let count = 0
  it.each(ACTION_ROWS.map(row => [row.name, row] as const))('%s', async (_name, row) => {
    const repo = `faults-${++count}`
    servers.github.createRepo('lab', repo, { files: { 'README.md': '# Lab\n', ...row.files } })
    const clock = new SimulatedClock()
    const action = await actionRunner({
      owner: 'lab',
      arxivUrl: servers.arxiv.url,
      githubUrl: servers.github.url,
      temp: servers.temp,
      clock,
      inputs: { topics: inline(ROBOTICS) }
    })
    await row.setup?.(repo, epoch => action(repo, epoch))
    servers.arxiv.reset()
    servers.arxiv.injectFaults(...(row.arxivFaults ?? []))
    servers.github.clearRequests()
    servers.github.clearFaults()
    for (const [match, fault, times] of row.githubFaults ?? [])
      servers.github.injectFault(match, fault, times)

    const started = performance.now()
    const run: ActionRun = await action(repo, DAY1, row.inputs)
    timings.push([`action: ${row.name}`, Math.round(performance.now() - started), clock.waited])

    expect({ code: run.code, stdout: run.stdout }).toMatchObject({ code: row.expect.code })
    const branch = servers.github.branchSha('lab', repo, 'preprint-digest/update')
    const written =
      branch && servers.github.writeRequests().length > 0
        ? servers.github
            .listFiles('lab', repo, 'preprint-digest/update')
            .filter(
              p =>
                servers.github.readFile('lab', repo, 'preprint-digest/update', p) !==
                servers.github.readFile('lab', repo, 'main', p)
            )
        : []
    expect(written).toEqual(row.expect.written)
    expect(servers.github.pulls('lab', repo).some(p => p.state === 'open')).toBe(row.expect.pr === true)
    expect(servers.arxiv.requests).toHaveLength(row.expect.arxivRequests)
    if (row.expect.github?.requests !== undefined)
      expect(servers.github.requests).toHaveLength(row.expect.github.requests)
    if (row.expect.github) expect(servers.github.writeRequests()).toHaveLength(row.expect.github.writes)
    expectWaits(clock.waits, row.expect.waits)
    expect({ stdout: run.stdout, count: occurrences(run.stdout, row.expect.message) }).toMatchObject({
      count: 1
    })
    if (row.expect.summary) expect(run.summary).toMatch(row.expect.summary)
    // The token appears once, in the command that tells the runner to mask it.
    expect(run.stdout.replace(/^::add-mask::.*$/m, '')).not.toContain('ghs_e2eTestToken')
    for (const request of servers.arxiv.requests) {
      const query = request.params.search_query ?? ''
      if (query.length > 80) expect(run.stdout).not.toContain(query)
    }
  })
})
