/**
 * One error model for both entry points: every kind of user error (src/digest/user-error.ts)
 * exits 2 with its message printed once as the error, in the CLI and in the action alike; an
 * operational failure exits 1. The stack goes to the debug output only (`--verbose`, `::debug::`).
 * Both run in-process against the fake arXiv and the fake GitHub.
 */
import { describe, expect, it } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { runCli } from '../src/cli/command-line.js'
import { REGION_START } from '../src/render/index-region.js'
import { actionRunner } from '../test-support/action-runner.js'
import { SimulatedClock } from '../test-support/clock.js'
import { useSeedServers } from '../test-support/seed-servers.js'

const DAY1 = Date.parse('2026-02-13T22:23:00Z') / 1000

const TOPIC = '- id: vla\n  title: VLA\n  keywords: [VLA]\n  categories: [cs.RO]\n'

/** One way a user gets it wrong, as the CLI and the action are told it. */
interface Case {
  kind: string
  /** The topic file's options besides `topics` (CLI) or the action's inputs. */
  cli?: { options?: string; topics?: string; args?: string[]; files?: Record<string, string>; epoch?: string }
  action?: { inputs?: Record<string, string>; files?: Record<string, string>; epoch?: number; fork?: boolean }
  /** arXiv refuses the first request (HTTP 403). */
  arxivRefuses?: boolean
  /** The error, as both print it. */
  message: RegExp
  /** The exit status both give. */
  code: number
}

const BAD_STATE = JSON.stringify({
  schema: 1,
  topic: 'vla',
  month: '2026-02',
  papers: [{ id: '2602.00001' }]
})
const BAD_INDEX = `# Lab\n\n${REGION_START}\n${REGION_START}\n`

const CASES: Case[] = [
  {
    kind: 'configuration (ConfigError)',
    cli: { topics: TOPIC.replace('cs.RO', 'cs.XX') },
    action: { inputs: { topics: TOPIC.replace('cs.RO', 'cs.XX') } },
    message: /topics\[0\]\.categories\[0\]: unknown arXiv category "cs\.XX"/,
    code: 2
  },
  {
    kind: 'a path the policy refuses (ConfigError through repo-path.ts)',
    cli: { options: 'output-dir: .github/workflows\n' },
    action: { inputs: { 'output-dir': '.github/workflows' } },
    message: /output-dir: "\.github\/workflows" lies under \.github\/workflows/,
    code: 2
  },
  {
    kind: 'a template file that is missing (TemplateError)',
    cli: { options: 'templates:\n  topic: missing.mustache\n' },
    action: { inputs: { 'topic-template': 'missing.mustache' } },
    message: /templates\.topic: template file "missing\.mustache" was not found/,
    code: 2
  },
  {
    kind: 'a malformed state file (StateError)',
    cli: { files: { 'digests/state/vla/2026-02.json': BAD_STATE } },
    action: { files: { 'digests/state/vla/2026-02.json': BAD_STATE } },
    message: /digests\/state\/vla\/2026-02\.json.*papers\[0\] lacks id, firstSeen or paper/,
    code: 2
  },
  {
    kind: "the index file's markers (IndexRegionError)",
    cli: { files: { 'README.md': BAD_INDEX } },
    action: { files: { 'README.md': BAD_INDEX } },
    message: /Index file README\.md: 2 start markers/,
    code: 2
  },
  {
    kind: 'a bad flag or input (UsageError, InputError)',
    cli: { args: ['--arxiv-budget', 'soon'] },
    action: { inputs: { 'arxiv-budget': 'soon' } },
    message: /arxiv-budget.*: must be a number of seconds, 1 or more \(got "soon"\)/,
    code: 2
  },
  {
    kind: 'a bad SOURCE_DATE_EPOCH (UserError)',
    cli: { epoch: 'soon' },
    action: { epoch: NaN },
    message: /SOURCE_DATE_EPOCH: must be whole seconds since 1970-01-01 UTC/,
    code: 2
  },
  {
    kind: 'a pull_request run from a fork (UserError)',
    action: { fork: true },
    message: /This run was triggered by a pull request from a fork/,
    code: 2
  },
  {
    kind: 'an operational failure: arXiv refuses the query',
    cli: {},
    action: {},
    arxivRefuses: true,
    message: /No topic could be fetched from arXiv; nothing was written\./,
    code: 1
  }
]

const servers = useSeedServers('user-errors', { github: true })

function arrange(c: Case): void {
  servers.arxiv.reset()
  if (c.arxivRefuses) servers.arxiv.injectFaults({ status: 403 })
}

function occurrences(text: string, pattern: RegExp): number {
  return text.split('\n').filter(line => pattern.test(line)).length
}

describe('the CLI', () => {
  let count = 0
  it.each(CASES.filter(c => c.cli).map(c => [c.kind, c] as const))('%s', async (_kind, c) => {
    const dir = join(servers.temp, `cli-${++count}`)
    for (const [path, text] of Object.entries(c.cli!.files ?? {})) {
      await mkdir(dirname(join(dir, path)), { recursive: true })
      await writeFile(join(dir, path), text)
    }
    const config = join(dir, 'topics.yml')
    await mkdir(dir, { recursive: true })
    await writeFile(
      config,
      `${c.cli!.options ?? ''}topics:\n${(c.cli!.topics ?? TOPIC).replace(/^/gm, '  ')}`
    )
    const run = async (extra: string[]) => {
      arrange(c)
      const err: string[] = []
      const runtime = { clock: new SimulatedClock(), out: () => {}, err: (t: string) => err.push(t) }
      const { code } = await runCli(
        [
          '--config',
          config,
          '--out',
          dir,
          '--arxiv-url',
          servers.arxiv.url,
          '--request-delay',
          '0',
          ...(c.cli!.args ?? []),
          ...extra
        ],
        { SOURCE_DATE_EPOCH: c.cli!.epoch ?? String(DAY1) },
        runtime
      )
      return { code, blocks: err, stderr: err.join('\n') }
    }

    const plain = await run([])
    expect(plain.code).toBe(c.code)
    const errors = plain.blocks.filter(b => b.startsWith('error: '))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(c.message)
    expect(occurrences(plain.stderr, c.message)).toBe(1)
    expect(plain.stderr).not.toMatch(/^\s+at /m)

    // With --verbose, the stack too; unless the flags could not be read, which --verbose is one of.
    const verbose = await run(['--verbose'])
    expect(verbose.code).toBe(c.code)
    expect(occurrences(verbose.stderr, c.message)).toBe(1)
    const debug = c.cli!.args === undefined
    expect(/^debug: \w+ thrown$/m.test(verbose.stderr)).toBe(debug)
    expect(/^debug:\s+at /m.test(verbose.stderr)).toBe(debug)
  })
})

describe('the action', () => {
  let count = 0
  it.each(CASES.filter(c => c.action).map(c => [c.kind, c] as const))('%s', async (_kind, c) => {
    const repo = `user-errors-${++count}`
    servers.github.createRepo('lab', repo, { files: { 'README.md': '# Lab\n', ...c.action!.files } })
    const action = await actionRunner({
      owner: 'lab',
      arxivUrl: servers.arxiv.url,
      githubUrl: servers.github.url,
      temp: servers.temp,
      clock: new SimulatedClock(),
      inputs: { topics: TOPIC }
    })
    arrange(c)
    const event = c.action!.fork
      ? {
          name: 'pull_request',
          payload: {
            repository: { default_branch: 'main' },
            pull_request: { head: { repo: { fork: true } } }
          }
        }
      : undefined
    const run = await action(repo, c.action!.epoch ?? DAY1, c.action!.inputs, event)

    expect(run.code).toBe(c.code)
    const errors = run.stdout.split('\n').filter(l => l.startsWith('::error::'))
    expect(errors).toHaveLength(1)
    expect(errors[0].replace(/%0A/g, '\n')).toMatch(c.message)
    expect(occurrences(run.stdout.replace(/%0A/g, ' '), c.message)).toBe(1)
    expect(run.stdout).not.toMatch(/^\s+at /m)
    expect(run.stdout).toMatch(/^::debug::\w+ thrown$/m)
    expect(run.stdout).toMatch(/^::debug::\s+at /m)
    expect(run.summary).toContain('**The run failed.**')
  })
})
