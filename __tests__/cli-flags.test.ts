/**
 * The CLI's output flags in-process (`main` with a simulated clock and captured streams): progress
 * on stderr for each arXiv request and retry, `--quiet`, `--verbose`, `--dry-run` with the pull
 * request body, and the errors for bad or conflicting flags.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { duration } from '../src/arxiv/client.js'
import { main, runCli } from '../src/cli/command-line.js'
import { SimulatedClock } from '../test-support/clock.js'
import { useSeedServers } from '../test-support/seed-servers.js'

const EPOCH = { SOURCE_DATE_EPOCH: String(Date.parse('2026-02-13T22:23:00Z') / 1000) }

const servers = useSeedServers('flags')
let count = 0

beforeEach(() => servers.arxiv.reset())

/** Runs the CLI on the example topics into a fresh folder; `flags` come last. */
async function run(...flags: string[]) {
  const out = join(servers.temp, `out-${++count}`)
  const stdout: string[] = []
  const stderr: string[] = []
  const clock = new SimulatedClock()
  const argv = ['--config', 'examples/topics.yml', '--out', out, '--arxiv-url', servers.arxiv.url, ...flags]
  const outcome = await runCli(argv, EPOCH, {
    clock,
    out: t => stdout.push(t),
    err: t => stderr.push(t)
  })
  const written = await readdir(out, { recursive: true }).catch(() => [] as string[])
  return { ...outcome, out: stdout.join('\n'), err: stderr, written: written.sort(), clock }
}

const REQUEST =
  /^arXiv request (\d+) \((?:page (\d+) of (\d+), )?query "\(\(ti:vla .*" \(\d+ characters\), start (\d+)\)(.*) …$/

describe('progress on stderr', () => {
  it('one line per arXiv request, with the page once the total is known', async () => {
    const result = await run('--request-delay', '0', '--arxiv-page-size', '10')
    expect(result.code).toBe(0)
    // 28 papers, 10 per page: three pages of one query.
    expect(result.err.map(line => REQUEST.exec(line)?.slice(1, 5))).toEqual([
      ['1', undefined, undefined, '0'],
      ['2', '2', '3', '10'],
      ['3', '3', '3', '20']
    ])
    expect(result.out).toMatch(/^Wrote 10 files:/m)
    expect(result.out).not.toMatch(/^arXiv request/m)
  })

  it('each retry: what failed, the wait, the attempt, and the retried request', async () => {
    servers.arxiv.injectFaults({ status: 503 }, { status: 503 })
    const result = await run('--request-delay', '0')
    expect(result.code).toBe(0)
    const waits = result.clock.waits.map(ms => Math.round(ms / 1000))
    expect(result.err).toEqual([
      expect.stringMatching(REQUEST),
      `arXiv: HTTP 503; retrying in ${waits[0]} s (attempt 2 of 4, ${duration(180_000 - result.clock.waits[0])} of the time budget left)`,
      expect.stringMatching(/^arXiv request 2 \(query .*\), attempt 2 of 4 …$/),
      expect.stringMatching(/^arXiv: HTTP 503; retrying in \d+ s \(attempt 3 of 4, /),
      expect.stringMatching(/^arXiv request 3 \(query .*\), attempt 3 of 4 …$/)
    ])
    expect(servers.arxiv.requests).toHaveLength(3)
  })
})

describe('--quiet', () => {
  it('prints nothing when all goes well, and still writes the pages', async () => {
    const result = await run('--request-delay', '0', '--quiet')
    expect({ code: result.code, out: result.out, err: result.err }).toEqual({ code: 0, out: '', err: [] })
    expect(result.written).toContain('digests/vla.md')
  })

  it('-q keeps warnings and errors', async () => {
    servers.arxiv.injectFaults({ status: 404 })
    const result = await run('--request-delay', '0', '-q')
    expect(result.code).toBe(1)
    expect(result.out).toBe('')
    expect(result.err).toEqual([
      expect.stringMatching(/^error: No topic could be fetched from arXiv.*HTTP 404/)
    ])
    expect(result.written).toEqual([])
  })

  it('with --dry-run prints only the files and the pull request body', async () => {
    const result = await run('--request-delay', '0', '--quiet', '--dry-run')
    expect(result.err).toEqual([])
    expect(result.out).toMatch(/^Dry run: would write 10 files:\n {2}README\.md\n/)
    expect(result.out).toContain(`Pull request body the action would open:\n${result.prBody}`)
    expect(result.out).not.toMatch(/searched/)
  })
})

describe('--verbose', () => {
  it('adds the URL and the answer of each request as debug lines', async () => {
    const result = await run('--request-delay', '0', '--verbose')
    expect(result.code).toBe(0)
    expect(result.err).toEqual([
      expect.stringMatching(REQUEST),
      `debug: GET ${servers.arxiv.url}?${new URLSearchParams(servers.arxiv.requests[0].params)}`,
      expect.stringMatching(/^debug: arXiv request 1: HTTP 200 in \d+ ms, 28 papers of 28$/)
    ])
    expect(result.out).toMatch(/^vla: searched /m)
  })

  it('a failed attempt shows its status and cause', async () => {
    servers.arxiv.injectFaults({ status: 503 })
    const result = await run('--request-delay', '0', '--verbose')
    expect(result.err[2]).toMatch(/^debug: arXiv request 1: HTTP 503 in \d+ ms: HTTP 503$/)
    expect(result.err[result.err.length - 1]).toMatch(/^debug: arXiv request 2: HTTP 200 in /)
  })
})

describe('--dry-run', () => {
  it('writes nothing and prints the files and the body a real run opens', async () => {
    const dry = await run('--request-delay', '0', '--dry-run')
    expect(dry.code).toBe(0)
    expect(dry.written).toEqual([])
    const real = await run('--request-delay', '0')
    expect(real.written).toContain('README.md')
    expect(dry.prBody).toBe(real.prBody)
    expect(dry.out).toContain(
      'Dry run: would write 10 files:\n  README.md\n  digests/feeds/vla.json\n  digests/feeds/vla.xml\n' +
        '  digests/feeds/world_models.json\n  digests/feeds/world_models.xml\n  digests/latest.md\n' +
        '  digests/state/vla/2026-02.json\n  digests/state/world_models/2026-02.json\n' +
        '  digests/vla.md\n  digests/world_models.md'
    )
    expect(dry.out).toContain(`Pull request body the action would open:\n${real.prBody}`)
    expect(real.prBody).toMatch(/^\*\*28 new papers\*\* in the latest update/)
    expect(real.out).not.toContain('Pull request body')
  })
})

describe('bad flags: exit 2, a message naming the flag, no request, nothing written', () => {
  it.each([
    [
      ['--quiet', '--verbose'],
      /^error: --quiet and --verbose cannot be combined: give one of them, or neither$/
    ],
    [['-q', '--verbose'], /^error: --quiet and --verbose cannot be combined/],
    [['--verbse'], /^error: unknown flag --verbse; the flags are --config, .*--quiet \(-q\), --verbose,/],
    [['--quiet=yes'], /^error: Option '-q, --quiet' does not take an argument/],
    [['extra'], /^error: Unexpected argument 'extra'.*; every value follows its flag/],
    // The value flags are checked by the action inputs' validators (config/options.ts).
    [['--arxiv-url', 'ftp://x'], /^error: --arxiv-url: must be an http\(s\) URL \(got "ftp:\/\/x"\)$/],
    [
      ['--arxiv-timeout', '0'],
      /^error: --arxiv-timeout: must be a number of seconds, 1 or more \(got "0"\)$/
    ],
    [
      ['--arxiv-page-size', '2001'],
      /^error: --arxiv-page-size: must be a whole number from 1 to 2000 \(got "2001"\)$/
    ]
  ])('%j', async (flags, message) => {
    const result = await run(...flags)
    expect(result.code).toBe(2)
    expect(result.err).toHaveLength(1)
    expect(result.err[0]).toMatch(message)
    // A flag parseArgs refuses comes with the usage text; the conflict is one line.
    expect(result.err[0].includes('Usage: preprint-digest')).toBe(
      !flags.includes('--verbose') && !flags[0].startsWith('--arxiv')
    )
    expect(result.out).toBe('')
    expect(servers.arxiv.requests).toHaveLength(0)
    expect(result.written).toEqual([])
  })

  it('main returns the same exit status', async () => {
    const lines: string[] = []
    const code = await main(['--quiet', '--verbose'], EPOCH, {
      clock: new SimulatedClock(),
      out: t => lines.push(t),
      err: t => lines.push(t)
    })
    expect(code).toBe(2)
    expect(lines).toHaveLength(1)
  })
})
