import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  ArxivAccessDeniedError,
  ArxivClient,
  ArxivFetchError,
  parseRetryAfter,
  type ArxivClientOptions
} from '../src/arxiv/client.js'
import { ArxivApiError } from '../src/arxiv/feed.js'
import type { Paper } from '../src/digest/types.js'
import { paperFixture, startFakeArxiv, type FakeArxiv, type Fault } from '../test-support/fake-arxiv.js'

const UA = 'preprint-digest/0.1.0 (+https://github.com/owner/repo; mailto:team@example.org)'
const QUERY = 'cat:cs.RO AND submittedDate:[202602010000 TO 202602280000]'

/** Seven cs.RO papers, 2602.00001 (oldest) … 2602.00007 (newest). */
const corpus: Paper[] = Array.from({ length: 7 }, (_, i) =>
  paperFixture({
    id: `2602.0000${i + 1}`,
    categories: ['cs.RO'],
    published: `2026-02-0${i + 1}T10:00:00Z`
  })
)

let arxiv: FakeArxiv

beforeAll(async () => {
  arxiv = await startFakeArxiv({ corpus })
})
afterAll(async () => {
  await arxiv.close()
})
beforeEach(() => {
  arxiv.reset()
  arxiv.setCorpus(corpus)
})

/** A client on the fake with no real waiting: every wait is recorded in `waits` instead. */
function client(options: Partial<ArxivClientOptions> = {}): { c: ArxivClient; waits: number[] } {
  const waits: number[] = []
  const c = new ArxivClient({
    baseUrl: arxiv.url,
    userAgent: UA,
    delaySeconds: 0,
    backoffSeconds: 1,
    pageSize: 3,
    // 0.5 makes the jitter factor exactly 1, so waits are predictable.
    random: () => 0.5,
    sleep: async ms => void waits.push(ms),
    ...options
  })
  return { c, waits }
}

const starts = (): string[] => arxiv.requests.map(r => r.params.start)

/** A sleep that injects faults at the first wait, i.e. just before page 2 is requested. */
function injectOnFirstWait(...faults: Fault[]): (ms: number) => Promise<void> {
  let done = false
  return async () => {
    if (!done) arxiv.injectFaults(...faults)
    done = true
  }
}

describe('count', () => {
  it('asks for no entries and returns totalResults: one request, no retry for the empty page', async () => {
    const { c, waits } = client()
    expect(await c.count(QUERY)).toBe(7)
    expect(arxiv.requests.map(r => r.params.max_results)).toEqual(['0'])
    expect(waits).toEqual([])
  })
})

describe('paging', () => {
  it("asks for 2000 papers per page by default, arXiv's largest slice", async () => {
    const { c } = client({ pageSize: undefined })
    expect(await c.search(QUERY)).toHaveLength(7)
    expect(arxiv.requests.map(r => r.params.max_results)).toEqual(['2000'])
  })

  it('pages with start/max_results until totalResults, newest first', async () => {
    const { c } = client()
    const papers = await c.search(QUERY)
    expect(papers.map(p => p.id)).toEqual(['07', '06', '05', '04', '03', '02', '01'].map(n => `2602.000${n}`))
    expect(starts()).toEqual(['0', '3', '6'])
    expect(arxiv.requests.every(r => r.params.max_results === '3')).toBe(true)
    expect(arxiv.requests[0].params).toMatchObject({
      search_query: QUERY,
      sortBy: 'submittedDate',
      sortOrder: 'descending'
    })
    expect(c.requestCount).toBe(3)
  })

  it('sends the configured sort, the User-Agent and the Atom Accept header', async () => {
    const { c } = client({ pageSize: 10 })
    const papers = await c.search(QUERY, { sortBy: 'lastUpdatedDate', sortOrder: 'ascending' })
    expect(papers[0].id).toBe('2602.00001')
    const r = arxiv.requests[0]
    expect(r.params).toMatchObject({ sortBy: 'lastUpdatedDate', sortOrder: 'ascending' })
    expect(r.headers['user-agent']).toBe(UA)
    expect(r.headers.accept).toBe('application/atom+xml')
  })

  it('returns [] for an empty result after one request', async () => {
    const { c } = client()
    expect(await c.search('ti:nothingmatchesthis')).toEqual([])
    expect(arxiv.requests).toHaveLength(1)
  })

  it('dedupes papers that shift between pages and follows a growing totalResults', async () => {
    const newest = paperFixture({
      id: '2602.00008',
      categories: ['cs.RO'],
      published: '2026-02-09T10:00:00Z'
    })
    let waitsSeen = 0
    const { c } = client({
      delaySeconds: 1,
      // A paper is announced between page 1 and page 2, pushing page 2 back by one.
      sleep: async () => {
        if (waitsSeen++ === 0) arxiv.setCorpus([...corpus, newest])
      }
    })
    const papers = await c.search(QUERY)
    const ids = papers.map(p => p.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toHaveLength(7)
    expect(starts()).toEqual(['0', '3', '6'])
  })

  it('warns above 1000 results and still fetches them all', async () => {
    arxiv.setCorpus(
      Array.from({ length: 1001 }, (_, i) => paperFixture({ id: `2602.${String(i).padStart(5, '0')}` }))
    )
    const warnings: number[] = []
    const { c } = client({ pageSize: 2000, onWarning: (_m, info) => void warnings.push(info.totalResults) })
    expect(await c.search('cat:cs.LG')).toHaveLength(1001)
    expect(warnings).toEqual([1001])
  })

  it('refuses a query with more than 30000 results after the first page', async () => {
    arxiv.setCorpus(
      Array.from({ length: 30001 }, (_, i) => paperFixture({ id: `2602.${String(i).padStart(5, '0')}` }))
    )
    const { c } = client({ pageSize: 1 })
    await expect(c.search('cat:cs.LG')).rejects.toThrow(/30001 papers.*30000/)
    expect(arxiv.requests).toHaveLength(1)
  })
})

describe('politeness', () => {
  it('waits delaySeconds from the end of a response before the next request, not before the first', async () => {
    const { c, waits } = client({ delaySeconds: 2 })
    await c.search(QUERY)
    expect(waits).toHaveLength(2)
    for (const w of waits) {
      expect(w).toBeGreaterThan(1900)
      expect(w).toBeLessThanOrEqual(2000)
    }
  })

  it('runs concurrent searches one request at a time', async () => {
    const { c } = client({ timeoutSeconds: 0.2 })
    arxiv.injectFaults({ kind: 'hang' })
    const first = c.search(QUERY)
    const second = c.search('ti:nothingmatchesthis')
    await new Promise(r => setTimeout(r, 100))
    // The first request hangs; the second search must not have started beside it.
    expect(arxiv.requests).toHaveLength(1)
    expect(await first).toHaveLength(7)
    expect(await second).toEqual([])
    expect(arxiv.requests.map(r => r.params.search_query)).toEqual([
      QUERY,
      QUERY,
      QUERY,
      QUERY,
      'ti:nothingmatchesthis'
    ])
  })
})

describe('retries', () => {
  it.each([
    [{ status: 503 }],
    [{ status: 500 }],
    [{ status: 406 }],
    [{ status: 429 }],
    [{ kind: 'blank' as const }],
    [{ kind: 'truncated' as const }],
    [{ kind: 'empty-page' as const }]
  ])('retries %j after the backoff and succeeds', async fault => {
    const { c, waits } = client()
    arxiv.injectFaults(fault)
    expect(await c.search(QUERY)).toHaveLength(7)
    expect(waits).toEqual([1000])
    expect(starts()).toEqual(['0', '0', '3', '6'])
  })

  it('retries a request that hangs past timeoutSeconds', async () => {
    const { c, waits } = client({ timeoutSeconds: 0.2 })
    arxiv.injectFaults({ kind: 'hang' })
    expect(await c.search(QUERY)).toHaveLength(7)
    expect(waits).toEqual([1000])
    expect(c.requestCount).toBe(4)
  })

  it('retries an empty page in the middle of paging, at the same start', async () => {
    const { c } = client({ delaySeconds: 1, sleep: injectOnFirstWait({ kind: 'empty-page' }) })
    expect(await c.search(QUERY)).toHaveLength(7)
    expect(starts()).toEqual(['0', '3', '3', '6'])
  })

  it('grows the backoff about 3x per retry, with jitter, capped', async () => {
    const low = client({
      backoffSeconds: 15,
      maxBackoffSeconds: 300,
      budgetSeconds: 3600,
      maxAttempts: 6,
      random: () => 0
    })
    arxiv.injectFaults(...Array.from({ length: 5 }, () => ({ status: 503 })))
    await low.c.search(QUERY)
    expect(low.waits).toEqual([11250, 33750, 101250, 225000, 225000])

    const high = client({
      backoffSeconds: 15,
      maxBackoffSeconds: 300,
      budgetSeconds: 3600,
      maxAttempts: 5,
      random: () => 0.999999
    })
    arxiv.injectFaults(...Array.from({ length: 4 }, () => ({ status: 503 })))
    await high.c.search(QUERY)
    expect(high.waits.slice(0, 3).map(w => Math.round(w / 1000))).toEqual([19, 56, 169])
    expect(high.waits[3]).toBe(300000)
  })

  it('honours Retry-After in seconds instead of the backoff', async () => {
    const { c, waits } = client({ backoffSeconds: 15 })
    arxiv.injectFaults({ status: 429, retryAfter: '7' })
    await c.search(QUERY)
    expect(waits).toEqual([7000])
  })

  it('honours Retry-After as an HTTP date', async () => {
    const now = Date.parse('2026-02-13T07:00:00Z')
    const { c, waits } = client({ now: () => now })
    arxiv.injectFaults({ status: 503, retryAfter: new Date(now + 20_000).toUTCString() })
    await c.search(QUERY)
    expect(waits).toEqual([20000])
  })

  it('uses the backoff when Retry-After is 0', async () => {
    const { c, waits } = client()
    arxiv.injectFaults({ status: 503, retryAfter: '0' })
    await c.search(QUERY)
    expect(waits).toEqual([1000])
  })

  it('gives up instead of retrying early when Retry-After exceeds the cap', async () => {
    const { c, waits } = client({ maxBackoffSeconds: 300 })
    arxiv.injectFaults({ status: 429, retryAfter: '3600' })
    await expect(c.search(QUERY)).rejects.toThrow(/wait 3600 s \(Retry-After\), more than the 300 s allowed/)
    expect(waits).toEqual([])
    expect(arxiv.requests).toHaveLength(1)
  })

  it('retries network errors', async () => {
    const server = createServer()
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as AddressInfo
    await new Promise(r => server.close(r))
    const { c, waits } = client({ baseUrl: `http://127.0.0.1:${port}/api/query`, maxAttempts: 2 })
    await expect(c.search(QUERY)).rejects.toThrow(/network error ECONNREFUSED.*gave up after 2 attempts/)
    expect(waits).toEqual([1000])
  })
})

describe('giving up', () => {
  it('names the request, the failure and the attempts', async () => {
    const { c } = client({ maxAttempts: 3 })
    arxiv.injectFaults({ status: 503 }, { status: 503 }, { status: 503 })
    const error = (await c.search(QUERY).catch(e => e)) as ArxivFetchError
    expect(error).toBeInstanceOf(ArxivFetchError)
    expect(error.message).toContain(`query "${QUERY}", start 0`)
    expect(error.message).toContain('HTTP 503')
    expect(error.message).toContain('after 3 attempts')
    expect(error.details).toMatchObject({ searchQuery: QUERY, start: 0, attempts: 3, status: 503 })
    expect(arxiv.requests).toHaveLength(3)
  })

  it('reports the offset of a failing later page', async () => {
    const { c } = client({
      maxAttempts: 2,
      delaySeconds: 1,
      sleep: injectOnFirstWait({ kind: 'blank' }, { kind: 'blank' })
    })
    const error = (await c.search(QUERY).catch(e => e)) as ArxivFetchError
    expect(error).toBeInstanceOf(ArxivFetchError)
    expect(error.message).toMatch(
      /HTTP 200 with a bad body: Empty response body.*start 3\); gave up after 2 attempts/
    )
    expect(error.details).toMatchObject({ start: 3, attempts: 2 })
    expect(starts()).toEqual(['0', '3', '3'])
  })

  it('stops at the time budget', async () => {
    let clock = 0
    const { c, waits } = client({
      backoffSeconds: 4,
      budgetSeconds: 10,
      now: () => clock,
      sleep: async ms => {
        waits.push(ms)
        clock += ms
      }
    })
    arxiv.injectFaults({ status: 503 }, { status: 503 })
    await expect(c.search(QUERY)).rejects.toThrow(/time budget of 10 s \(2 attempt\(s\), last: HTTP 503/)
    expect(waits).toEqual([4000])
    expect(arxiv.requests).toHaveLength(2)
  })

  it('does not retry a 400 and reports arXiv message with the query', async () => {
    const { c } = client()
    const error = (await c.search('ti:"unterminated').catch(e => e)) as ArxivApiError
    expect(error).toBeInstanceOf(ArxivApiError)
    expect(error.arxivMessage).toMatch(/malformed search_query/)
    expect(error.message).toContain('ti:\\"unterminated')
    expect(arxiv.requests).toHaveLength(1)
  })

  it('does not retry an error entry served with HTTP 200', async () => {
    const { c } = client()
    arxiv.injectFaults({ kind: 'error-entry', message: 'incorrect id format for 1234.12345', status: 200 })
    await expect(c.search(QUERY)).rejects.toThrow(/incorrect id format for 1234\.12345/)
    expect(arxiv.requests).toHaveLength(1)
  })

  it('does not retry a 404', async () => {
    const { c } = client({ baseUrl: arxiv.url.replace('/api/query', '/api/query/search_query') })
    await expect(c.search(QUERY)).rejects.toThrow(/HTTP 404.*not retried, since retrying cannot help/)
    expect(arxiv.requests).toHaveLength(1)
  })

  it('stops all traffic after a 403, pointing to the terms of use', async () => {
    const { c } = client()
    arxiv.injectFaults({ status: 403 })
    await expect(c.search(QUERY)).rejects.toThrow(ArxivAccessDeniedError)
    await expect(c.search('ti:other')).rejects.toThrow(/info\.arxiv\.org\/help\/api\/tou\.html/)
    expect(arxiv.requests).toHaveLength(1)
    expect(c.requestCount).toBe(1)
  })
})

describe('settings', () => {
  it('rejects a missing User-Agent, a page size above 2000 and a URL that is not http(s)', () => {
    expect(() => new ArxivClient({ userAgent: ' ' })).toThrow(RangeError)
    expect(() => new ArxivClient({ userAgent: UA, pageSize: 2001 })).toThrow(RangeError)
    expect(() => new ArxivClient({ userAgent: UA, baseUrl: 'ftp://x' })).toThrow(
      'ArxivClient: baseUrl: must be an http(s) URL (got "ftp://x")'
    )
    expect(() => new ArxivClient({ userAgent: UA, maxAttempts: 0 })).toThrow(RangeError)
  })

  it('parses Retry-After values', () => {
    expect(parseRetryAfter('120', 0)).toBe(120000)
    expect(parseRetryAfter('Fri, 13 Feb 2026 07:00:30 GMT', Date.parse('2026-02-13T07:00:00Z'))).toBe(30000)
    expect(parseRetryAfter('soon', 0)).toBeUndefined()
    expect(parseRetryAfter(null, 0)).toBeUndefined()
  })
})

describe('retry policy with a visible clock (defaults)', () => {
  /** A client with the default policy on an injected clock: waits advance it, nothing sleeps. */
  function clocked(baseUrl: string) {
    let clock = 0
    const waits: number[] = []
    const lines: string[] = []
    const c = new ArxivClient({
      baseUrl,
      userAgent: UA,
      delaySeconds: 0,
      random: () => 0.5,
      now: () => clock,
      sleep: async ms => {
        waits.push(ms)
        clock += ms
      },
      onRetry: line => lines.push(line)
    })
    return { c, waits, lines, elapsed: () => clock }
  }

  it('arXiv down for good (503 every time): four attempts, one line before each wait, under 3 minutes', async () => {
    arxiv.injectFaults(...Array.from({ length: 10 }, () => ({ status: 503 })))
    const { c, waits, lines, elapsed } = clocked(arxiv.url)
    const error = (await c.search(QUERY).catch(e => e)) as Error
    expect(waits).toEqual([10_000, 30_000, 90_000])
    expect(elapsed()).toBeLessThan(180_000)
    expect(lines).toEqual([
      'arXiv: HTTP 503; retrying in 10 s (attempt 2 of 4, 2 min 50 s of the time budget left)',
      'arXiv: HTTP 503; retrying in 30 s (attempt 3 of 4, 2 min 20 s of the time budget left)',
      'arXiv: HTTP 503; retrying in 1 min 30 s (attempt 4 of 4, 50 s of the time budget left)'
    ])
    expect(error.message).toMatch(
      /^arXiv request failed: HTTP 503 \(query "cat:cs\.RO.*", start 0\); gave up after 4 attempts; arXiv may be down/
    )
    expect(arxiv.requests).toHaveLength(4)
  })

  it('a DNS failure is not retried', async () => {
    const { c, waits, lines } = clocked('http://preprint-digest-test.invalid/api/query')
    await expect(c.search(QUERY)).rejects.toThrow(
      /network error (ENOTFOUND|EAI_AGAIN).*(not retried, since retrying cannot help: the host name does not resolve|gave up)/
    )
    if (waits.length > 0) expect(lines[0]).toMatch(/EAI_AGAIN/) // a resolver that is itself unreachable may heal
    expect(c.requestCount).toBeLessThanOrEqual(4)
  })

  it('a port fetch refuses ("bad port") is not retried, and says what to do', async () => {
    const { c, waits } = clocked('http://127.0.0.1:6000/api/query')
    await expect(c.search(QUERY)).rejects.toThrow(/network error bad port.*use another port/)
    expect(waits).toEqual([])
    expect(c.requestCount).toBe(1)
  })

  it('a refused connection may heal: retried with the same clock', async () => {
    const server = createServer()
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as AddressInfo
    await new Promise(r => server.close(r))
    const { c, waits, lines } = clocked(`http://127.0.0.1:${port}/api/query`)
    await expect(c.search(QUERY)).rejects.toThrow(/network error ECONNREFUSED.*gave up after 4 attempts/)
    expect(waits).toEqual([10_000, 30_000, 90_000])
    expect(lines[0]).toBe(
      'arXiv: network error ECONNREFUSED; retrying in 10 s (attempt 2 of 4, 2 min 50 s of the time budget left)'
    )
  })

  it('a hung server costs at most the 30 s timeout per attempt and stops within the budget', async () => {
    arxiv.injectFaults(...Array.from({ length: 6 }, () => ({ kind: 'hang' as const })))
    let clock = 0
    const c = new ArxivClient({
      baseUrl: arxiv.url,
      userAgent: UA,
      delaySeconds: 0,
      timeoutSeconds: 0.05,
      budgetSeconds: 180,
      random: () => 0.5,
      now: () => clock,
      sleep: async ms => void (clock += ms)
    })
    await expect(c.search(QUERY)).rejects.toThrow(/timeout/)
    expect(clock).toBeLessThan(180_000)
  })
})
