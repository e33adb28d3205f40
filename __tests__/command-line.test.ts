/**
 * The CLI's `main` (src/cli/command-line.ts) in-process, with argv, an environment, a simulated
 * clock and captured standard output and error, against the fake arXiv: what each exit status
 * means and which stream says what. The flags' own output is in cli-flags.test.ts; the CLI as a
 * user runs it (`node dist/cli.js`) in cli.test.ts.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { main } from '../src/cli/command-line.js'
import { NAME, VERSION } from '../src/environment/version.js'
import { SimulatedClock } from '../test-support/clock.js'
import { useSeedServers } from '../test-support/seed-servers.js'

const EPOCH = String(Date.parse('2026-02-13T22:23:00Z') / 1000)

const servers = useSeedServers('command-line')
let count = 0

beforeEach(() => servers.arxiv.reset())

/** A fresh folder for `--out`. */
const fresh = () => join(servers.temp, `out-${++count}`)

/** The arguments of a run of the example topics into `out`, against the fake arXiv. */
const digest = (out: string) => [
  '--config',
  'examples/topics.yml',
  '--out',
  out,
  '--arxiv-url',
  servers.arxiv.url,
  '--request-delay',
  '0'
]

/** `main(argv, env)` with both streams captured. */
async function cli(argv: string[], env: NodeJS.ProcessEnv = { SOURCE_DATE_EPOCH: EPOCH }) {
  const stdout: string[] = []
  const stderr: string[] = []
  const code = await main(argv, env, {
    clock: new SimulatedClock(),
    out: text => stdout.push(text),
    err: text => stderr.push(text)
  })
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') }
}

/** The files under `dir`, sorted; none when it does not exist. */
const files = async (dir: string) => (await readdir(dir, { recursive: true }).catch(() => [])).sort()

describe('exit 0', () => {
  it.each([['--help'], ['-h']])('%s prints the usage on standard output, and nothing else', async flag => {
    const result = await cli([flag])
    expect(result).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^Usage: preprint-digest --config FILE/),
      stderr: ''
    })
    expect(result.stdout).toMatch(/^Exit status: 0 done/m)
    expect(servers.arxiv.requests).toEqual([])
  })

  it.each([['--version'], ['-v']])('%s prints the name and the version', async flag => {
    expect(await cli([flag])).toEqual({ code: 0, stdout: `${NAME} ${VERSION}`, stderr: '' })
  })

  it('a run writes the pages: what was found and written on standard output, each request on standard error', async () => {
    const out = fresh()
    const result = await cli(digest(out))
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^2 of 2 topics searched, 28 new papers \(33 topic entries: .*\), 1 arXiv requests$/m
    )
    expect(result.stdout).toMatch(/^Wrote 10 files:\n {2}README\.md\n/m)
    expect(result.stderr).toMatch(/^arXiv request 1 \(query .*\) …$/)
    expect(await files(out)).toContain('digests/vla.md')
    // A second run before the next announcement asks arXiv nothing and writes nothing.
    const requests = servers.arxiv.requests.length
    const again = await cli(digest(out))
    expect(again).toMatchObject({ code: 0, stderr: '' })
    expect(again.stdout).toMatch(/^Nothing new: no file written\.$/m)
    expect(servers.arxiv.requests.length).toBe(requests)
  })
})

describe('exit 1: no topic could be fetched', () => {
  it('says so on standard error and writes nothing', async () => {
    servers.arxiv.injectFaults({ kind: 'error-entry', message: 'malformed query' })
    const out = fresh()
    const result = await cli(digest(out))
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^error: No topic could be fetched from arXiv; nothing was written\./m)
    expect(result.stderr).toMatch(/malformed query/)
    expect(await files(out)).toEqual([])
  })
})

describe('exit 2: the command line, the environment or the configuration', () => {
  it.each([
    [
      'no --out',
      (_out: string) => ['--config', 'examples/topics.yml'],
      EPOCH,
      /^error: --out DIR is required\n\nUsage:/
    ],
    [
      'a topic file that does not exist',
      (out: string) => ['--config', 'nope.yml', '--out', out],
      EPOCH,
      /^error: --config: cannot read nope\.yml \(ENOENT\)$/
    ],
    [
      'a SOURCE_DATE_EPOCH that is no time',
      digest,
      'yesterday',
      /^error: SOURCE_DATE_EPOCH: must be whole seconds/
    ]
  ])('%s: the error on standard error, no request, nothing written', async (_name, argv, epoch, message) => {
    const out = fresh()
    const result = await cli(argv(out), { SOURCE_DATE_EPOCH: epoch })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(result.stdout).toBe('')
    expect(servers.arxiv.requests).toEqual([])
    expect(await files(out)).toEqual([])
  })
})
