/**
 * The runner's proxy settings (HTTP_PROXY / HTTPS_PROXY, NO_PROXY) for GitHub and arXiv, against a
 * real local forward proxy. The fakes are addressed as `github.test` and `arxiv.test`, names only
 * the proxy resolves, so a request that bypasses it cannot reach them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ArxivClient } from '../src/arxiv/client.js'
import { main } from '../src/cli/command-line.js'
import { proxyFetch, proxyFor } from '../src/environment/proxy.js'
import type { Paper } from '../src/digest/types.js'
import { actionRunner, type ActionRun } from '../test-support/action-runner.js'
import { SimulatedClock } from '../test-support/clock.js'
import { startFakeArxiv, type FakeArxiv } from '../test-support/fake-arxiv.js'
import { startFakeGitHub, type FakeGitHub } from '../test-support/fake-github.js'
import { startForwardProxy, type ForwardProxy } from '../test-support/forward-proxy.js'
import { testOctokit } from '../test-support/setup.js'

const DAY1 = Date.parse('2026-02-13T22:23:00Z') / 1000
const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']

let arxiv: FakeArxiv
let github: FakeGitHub
let proxy: ForwardProxy
let temp: string
let arxivUrl: string
let githubUrl: string
const saved = Object.fromEntries(PROXY_VARIABLES.map(name => [name, process.env[name]]))

beforeAll(async () => {
  const corpus = JSON.parse(await readFile('__fixtures__/seed/papers.json', 'utf8')) as Paper[]
  arxiv = await startFakeArxiv({ corpus })
  github = await startFakeGitHub()
  proxy = await startForwardProxy({ 'arxiv.test': '127.0.0.1', 'github.test': '127.0.0.1' })
  temp = await mkdtemp(join(tmpdir(), 'preprint-digest-proxy-'))
  arxivUrl = arxiv.url.replace('127.0.0.1', 'arxiv.test')
  githubUrl = github.url.replace('127.0.0.1', 'github.test')
})
afterAll(async () => {
  await Promise.all([arxiv.close(), github.close(), proxy.close()])
  await rm(temp, { recursive: true, force: true })
})
afterEach(() => {
  for (const name of PROXY_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name]
    else process.env[name] = saved[name]
  }
  proxy.targets.length = 0
  arxiv.reset()
  github.clearRequests()
})

/** Sets the proxy variables for this test (the others unset). */
function useProxy(variables: Record<string, string>): void {
  for (const name of PROXY_VARIABLES) delete process.env[name]
  Object.assign(process.env, variables)
}

const host = (url: string) => new URL(url).host

function client(): ArxivClient {
  return new ArxivClient({
    baseUrl: arxivUrl,
    userAgent: 'preprint-digest-test',
    delaySeconds: 0,
    maxAttempts: 1,
    fetch: proxyFetch(arxivUrl),
    sleep: async () => {}
  })
}

describe('arXiv through the proxy', () => {
  it('HTTP_PROXY: every arXiv request goes through the proxy', async () => {
    useProxy({ HTTP_PROXY: proxy.url })
    expect(proxyFor(arxivUrl)).toBe(proxy.url)
    const papers = await client().search('cat:cs.RO')
    expect(papers.length).toBeGreaterThan(0)
    expect(proxy.targets).toEqual([host(arxivUrl)])
    expect(arxiv.requests).toHaveLength(1)
  })

  it('lower-case http_proxy works too, and NO_PROXY naming another host keeps arXiv on the proxy', async () => {
    useProxy({ http_proxy: proxy.url, NO_PROXY: 'github.test,example.org' })
    await client().search('cat:cs.RO')
    expect(proxy.targets).toEqual([host(arxivUrl)])
  })

  it.each([['arxiv.test'], ['.test'], ['arxiv.test:<port>'], ['*']])(
    'NO_PROXY=%s bypasses the proxy (the name then does not resolve: the request went direct)',
    async entry => {
      const noProxy = entry.replace('<port>', new URL(arxivUrl).port)
      useProxy({ HTTP_PROXY: proxy.url, NO_PROXY: `example.org, ${noProxy}` })
      expect(proxyFor(arxivUrl)).toBeUndefined()
      await expect(client().search('cat:cs.RO')).rejects.toThrow(/arXiv request failed: network error/)
      expect(proxy.targets).toEqual([])
      expect(arxiv.requests).toHaveLength(0)
    }
  )

  it('HTTPS_PROXY alone is for https URLs: an http arXiv URL goes direct', () => {
    useProxy({ HTTPS_PROXY: proxy.url })
    expect(proxyFor(arxivUrl)).toBeUndefined()
    expect(proxyFor('https://export.arxiv.org/api/query')).toBe(proxy.url)
  })

  it('the CLI sends through it and says so', async () => {
    useProxy({ HTTP_PROXY: proxy.url })
    const lines: string[] = []
    const out = join(temp, 'cli')
    const code = await main(
      ['--config', 'examples/topics.yml', '--out', out, '--arxiv-url', arxivUrl, '--request-delay', '0'],
      { SOURCE_DATE_EPOCH: String(DAY1) },
      { clock: new SimulatedClock(), out: t => lines.push(t), err: t => lines.push(t) }
    )
    expect(code).toBe(0)
    expect(lines[0]).toBe(
      `arXiv requests go through the proxy ${proxy.url} (HTTPS_PROXY/HTTP_PROXY, NO_PROXY).`
    )
    expect(await readFile(join(out, 'digests/vla.md'), 'utf8')).toMatch(/^# Vision-Language-Action Models/)
    expect(proxy.targets).toEqual([host(arxivUrl)])
  })
})

describe('GitHub through the proxy', () => {
  it('the Octokit sends every request through the proxy', async () => {
    useProxy({ HTTP_PROXY: proxy.url })
    github.createRepo('lab', 'direct', { files: { 'README.md': '# x\n' } })
    const octokit = testOctokit(githubUrl, { debug: () => {}, info: () => {}, warning: () => {} })
    const { data } = await octokit.rest.repos.get({ owner: 'lab', repo: 'direct' })
    expect(data.default_branch).toBe('main')
    expect(proxy.targets).toEqual([host(githubUrl)])
    expect(github.requests).toHaveLength(1)
  })

  it('NO_PROXY bypasses it', async () => {
    useProxy({ HTTP_PROXY: proxy.url, NO_PROXY: 'github.test' })
    const octokit = testOctokit(githubUrl, { debug: () => {}, info: () => {}, warning: () => {} })
    await expect(octokit.rest.repos.get({ owner: 'lab', repo: 'direct' })).rejects.toThrow()
    expect(proxy.targets).toEqual([])
    expect(github.requests).toHaveLength(0)
  })
})

describe('the action through the proxy', () => {
  const topics = '- {id: vla, title: VLA, keywords: [VLA], categories: [cs.RO, cs.CV, cs.LG, cs.AI]}'

  async function runAction(
    repo: string,
    env: Record<string, string>,
    inProcess: boolean
  ): Promise<ActionRun> {
    github.createRepo('lab', repo, { files: { 'README.md': '# x\n' } })
    const action = await actionRunner({
      owner: 'lab',
      arxivUrl,
      githubUrl,
      temp,
      inputs: { topics },
      env,
      clock: inProcess ? new SimulatedClock() : undefined,
      asRunner: !inProcess
    })
    return action(repo, DAY1)
  }

  it.each([
    ['in-process', true],
    ['as the runner runs dist/index.js', false]
  ])('%s: GitHub and arXiv requests all go through it, and the log says so', async (_name, inProcess) => {
    const run = await runAction(`proxied-${inProcess}`, { HTTP_PROXY: proxy.url }, inProcess)
    expect(run.code).toBe(0)
    expect(run.outputs['pull-request-operation']).toBe('created')
    expect(run.stdout).toContain(`GitHub requests go through the proxy ${proxy.url}`)
    expect(run.stdout).toContain(`arXiv requests go through the proxy ${proxy.url}`)
    const targets = new Set(proxy.targets)
    expect(targets).toEqual(new Set([host(githubUrl), host(arxivUrl)]))
    expect(proxy.targets.filter(t => t === host(arxivUrl))).toHaveLength(arxiv.requests.length)
    // undici keeps no connection open across requests through a proxy (pipelining 0): one tunnel each.
    expect(proxy.targets.filter(t => t === host(githubUrl)).length).toBe(github.requests.length)
  })

  it('NO_PROXY=arxiv.test: GitHub through the proxy, arXiv direct (and unreachable by that name)', async () => {
    const run = await runAction('bypass', { HTTP_PROXY: proxy.url, NO_PROXY: 'arxiv.test' }, true)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`GitHub requests go through the proxy ${proxy.url}`)
    expect(run.stdout).not.toContain('arXiv requests go through the proxy')
    expect(new Set(proxy.targets)).toEqual(new Set([host(githubUrl)]))
    expect(arxiv.requests).toHaveLength(0)
  })
})
