/**
 * src/arxiv/: everything about asking arXiv. Which queries cover the topics (`plan.ts`, `query.ts`,
 * and `plan-choice.ts`, which prices the keyword and category plans), this client, and the Atom
 * parser (`feed.ts`). Facts about arXiv's API: docs/arxiv.md.
 *
 * This file: the only module that talks to arXiv's query API. Polite by construction
 * (docs/arxiv.md, "Politeness" and "Failures seen in practice"): one request at a time per client,
 * a gap after every response, growing backoff with jitter, Retry-After honoured, a total time
 * budget, and a full stop after a 403.
 */
import { ArxivApiError, FeedFormatError, parseFeed, type FeedPage } from './feed.js'
import { OPTIONS, parseArxivUrl, parsePageSize, parseSeconds } from '../config/options.js'
import type { Paper } from '../digest/types.js'

/** arXiv's query endpoint. */
export const ARXIV_API_URL = OPTIONS['arxiv-api-url'].default

/** The largest page arXiv serves in one request (its "slice" limit), and the default page size. */
export const ARXIV_PAGE_SIZE = OPTIONS['arxiv-page-size'].max

/** Settings of {@link ArxivClient}. Times are in seconds; every default follows docs/arxiv.md. */
export interface ArxivClientOptions {
  /** Query endpoint; default `https://export.arxiv.org/api/query`. */
  baseUrl?: string
  /** Sent as `User-Agent`; name the action, its version and the repository it runs for. Required. */
  userAgent: string
  /** Minimum gap between the end of one response and the next request; default 3 (arXiv's ask). */
  delaySeconds?: number
  /** Per-request timeout, body included; default 30. */
  timeoutSeconds?: number
  /** Attempts per request, the first included; default 4. */
  maxAttempts?: number
  /** Wait before the first retry; default 10. Each further retry waits about 3× longer. */
  backoffSeconds?: number
  /** Upper bound of one backoff wait, and of an honoured Retry-After; default 120. */
  maxBackoffSeconds?: number
  /** Total time this client may spend, from its first request; default 180. */
  budgetSeconds?: number
  /** `max_results` per page; default and at most 2000 (arXiv's slice limit). */
  pageSize?: number
  /** Waits `ms` milliseconds; injectable so tests record waits instead of sleeping. */
  sleep?: (ms: number) => Promise<void>
  /** Random number in [0, 1) for jitter; default Math.random. */
  random?: () => number
  /** Clock in milliseconds; default Date.now. */
  now?: () => number
  /** Called when a query matches more than 1000 papers (arXiv asks to narrow such queries). */
  onWarning?: (message: string, info: { searchQuery: string; totalResults: number }) => void
  /**
   * Called once before every retry wait starts, with a line for a person: what failed, how long
   * the wait is, which attempt comes next and how much of the time budget is left.
   */
  onRetry?: (message: string) => void
  /** Called before every HTTP request, retries included: for progress lines while a run waits. */
  onRequest?: (request: ArxivRequestInfo) => void
  /** Called when a request has an outcome (an answer or a failure): for debug lines. */
  onResponse?: (response: ArxivResponseInfo) => void
  /**
   * Sends the requests; default the global `fetch`. The entry points pass one that goes through
   * the runner's proxy (`HTTPS_PROXY`, `NO_PROXY`; see `src/environment/proxy.ts`).
   */
  fetch?: (url: string, init: RequestInit) => Promise<Response>
}

/** One HTTP request to arXiv, as {@link ArxivClientOptions.onRequest} sees it. */
export interface ArxivRequestInfo {
  /** 1 for the client's first request; retries count. */
  number: number
  /** 1 for the first try of this page, up to `maxAttempts`. */
  attempt: number
  maxAttempts: number
  searchQuery: string
  start: number
  /** `max_results`; 0 for a count. */
  pageSize: number
  /** This page's number and how many pages the query needs, once its first page told the total. */
  page?: { index: number; of: number }
  /** The query shortened and the start, as messages show a request. */
  where: string
  url: string
}

/** The outcome of one request, as {@link ArxivClientOptions.onResponse} sees it. */
export interface ArxivResponseInfo {
  number: number
  /** The HTTP status; undefined when no answer came (network error, timeout). */
  status?: number
  /** Milliseconds from sending to the outcome, on the client's clock. */
  ms: number
  /** Papers on the page, for an answer that parsed. */
  papers?: number
  totalResults?: number
  /** Why the attempt failed, if it did. */
  failure?: string
}

/** Sort options of {@link ArxivClient.search}; default newest submissions first. */
export interface SearchOptions {
  sortBy?: 'submittedDate' | 'lastUpdatedDate' | 'relevance'
  sortOrder?: 'ascending' | 'descending'
  /** The query is meant to match many papers (a whole category over the window): no warning. */
  large?: boolean
}

/** A request to arXiv failed for good: attempts or time budget used up, or a non-retryable status. */
export class ArxivFetchError extends Error {
  override readonly name: string = 'ArxivFetchError'

  /**
   * @param message the whole explanation (which request, how it failed, after how many attempts)
   * @param details the request and the last failure, for callers that report them separately
   */
  constructor(
    message: string,
    readonly details: { searchQuery: string; start: number; attempts: number; status?: number },
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }
}

/** arXiv answered 403: this client sends nothing more (arXiv reads further requests as an attack). */
export class ArxivAccessDeniedError extends ArxivFetchError {
  override readonly name = 'ArxivAccessDeniedError'
}

/** arXiv's hard limit on results reachable by paging one query (docs/arxiv.md, "Requests"). */
export const MAX_REACHABLE_RESULTS = 30000
/** Above this many results arXiv asks clients to refine the query (docs/arxiv.md, "Requests"). */
export const LARGE_RESULT_WARNING = 1000

const TOU_URL = 'https://info.arxiv.org/help/api/tou.html'

/** One failed attempt, classified. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
    /** What to do about a permanent failure. */
    readonly hint?: string
  ) {
    super(message)
  }
}

/** Parses Retry-After (delta seconds or HTTP date) into milliseconds from now; undefined if absent or bad. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}

/** The request in a message: the query shortened (the whole one is in the error's `details`). */
function describe(searchQuery: string, start: number): string {
  const shown = searchQuery.length > 80 ? `${searchQuery.slice(0, 77)}…` : searchQuery
  return `query ${JSON.stringify(shown)}${searchQuery.length > 80 ? ` (${searchQuery.length} characters)` : ''}, start ${start}`
}

/** `2 min 15 s`, `45 s`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  return s >= 60 ? `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}` : `${s} s`
}

/**
 * Network failures that a retry within minutes cannot heal, with what to do about each. Anything
 * else (refused or reset connections, timeouts) is transient.
 */
const PERMANENT_NETWORK: Array<[RegExp, string]> = [
  [/^(ENOTFOUND)$/, 'the host name does not resolve (DNS): check the arXiv API URL and the network'],
  [/^(ERR_INVALID_URL)$/, 'the arXiv API URL is not a valid URL'],
  [/^bad port$/, 'fetch refuses to connect to this port: use another port in the arXiv API URL'],
  [
    /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_)/,
    "the server's TLS certificate is not valid for this host: check the arXiv API URL"
  ]
]

/** Fetches and pages arXiv search results. One instance per run: it holds the politeness state. */
export class ArxivClient {
  /** HTTP requests sent so far, retries included. */
  requestCount = 0

  private readonly baseUrl: string
  private readonly userAgent: string
  private readonly delayMs: number
  private readonly timeoutMs: number
  private readonly maxAttempts: number
  private readonly backoffMs: number
  private readonly maxBackoffMs: number
  private readonly budgetMs: number
  /** `max_results` per page. */
  readonly pageSize: number
  private readonly sleep: (ms: number) => Promise<void>
  private readonly random: () => number
  private readonly now: () => number
  private readonly onWarning?: ArxivClientOptions['onWarning']
  private readonly onRetry?: ArxivClientOptions['onRetry']
  private readonly onRequest?: ArxivClientOptions['onRequest']
  private readonly onResponse?: ArxivClientOptions['onResponse']
  private readonly fetch: NonNullable<ArxivClientOptions['fetch']>

  private queue: Promise<unknown> = Promise.resolve()
  private lastResponseEnd?: number
  private deadline?: number
  private denied?: string

  /** @throws RangeError for an empty userAgent, a baseUrl that is not an http(s) URL, or out-of-range numbers. */
  constructor(options: ArxivClientOptions) {
    if (typeof options.userAgent !== 'string' || options.userAgent.trim() === '') {
      throw new RangeError(
        'ArxivClient: userAgent is required (name the action and the repository it runs for)'
      )
    }
    const seconds = (name: string, value: number | undefined, fallback: number, min = 0): number =>
      parseSeconds(value ?? fallback, `ArxivClient: ${name}`, min) * 1000
    this.baseUrl = parseArxivUrl(options.baseUrl ?? ARXIV_API_URL, 'ArxivClient: baseUrl')
    this.userAgent = options.userAgent
    this.delayMs = seconds('delaySeconds', options.delaySeconds, OPTIONS['request-delay'].default)
    this.timeoutMs = seconds(
      'timeoutSeconds',
      options.timeoutSeconds,
      OPTIONS['arxiv-timeout'].default,
      0.001
    )
    this.backoffMs = seconds('backoffSeconds', options.backoffSeconds, 10)
    this.maxBackoffMs = seconds('maxBackoffSeconds', options.maxBackoffSeconds, 120)
    this.budgetMs = seconds('budgetSeconds', options.budgetSeconds, OPTIONS['arxiv-budget'].default)
    this.maxAttempts = options.maxAttempts ?? 4
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new RangeError('ArxivClient: maxAttempts must be an integer >= 1')
    }
    this.pageSize = parsePageSize(options.pageSize ?? ARXIV_PAGE_SIZE, 'ArxivClient: pageSize')
    this.sleep = options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)))
    this.random = options.random ?? Math.random
    this.now = options.now ?? Date.now
    this.onWarning = options.onWarning
    this.onRetry = options.onRetry
    this.onRequest = options.onRequest
    this.onResponse = options.onResponse
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init))
  }

  /**
   * All papers matching `searchQuery`, deduplicated by id, in arXiv's order. Calls on one instance run
   * one after another, never concurrently.
   * @throws ArxivApiError if arXiv rejects the query (never retried).
   * @throws ArxivFetchError if a page cannot be fetched, or the query matches more than 30000 papers.
   * @throws ArxivAccessDeniedError after a 403, for this and every later call.
   */
  search(searchQuery: string, opts: SearchOptions = {}): Promise<Paper[]> {
    const run = this.queue.then(() => this.searchNow(searchQuery, opts))
    // The queue only orders calls; one call's failure must not fail the next.
    this.queue = run.catch(() => undefined)
    return run
  }

  /**
   * How many papers `searchQuery` matches, from one request for no entries (`max_results=0`): what
   * a plan costs, found cheaply. Same politeness, retries and budget as {@link search}.
   */
  count(searchQuery: string): Promise<number> {
    const run = this.queue.then(async () => (await this.fetchPage(searchQuery, 0, {}, 0)).totalResults)
    this.queue = run.catch(() => undefined)
    return run
  }

  private async searchNow(searchQuery: string, opts: SearchOptions): Promise<Paper[]> {
    const byId = new Map<string, Paper>()
    let start = 0
    let total = 0
    let index = 0
    do {
      index++
      const pages =
        total === 0 ? undefined : { index, of: index - 1 + Math.ceil((total - start) / this.pageSize) }
      const page = await this.fetchPage(searchQuery, start, opts, this.pageSize, pages)
      if (start === 0) {
        if (page.totalResults > MAX_REACHABLE_RESULTS) {
          throw new ArxivFetchError(
            `arXiv query matches ${page.totalResults} papers, more than the ${MAX_REACHABLE_RESULTS} its API can ` +
              `return; narrow the topics or shorten the window (${describe(searchQuery, start)})`,
            { searchQuery, start, attempts: 1 }
          )
        }
        if (page.totalResults > LARGE_RESULT_WARNING && !opts.large) {
          this.onWarning?.(
            `arXiv query matches ${page.totalResults} papers; arXiv asks to refine queries with more than ` +
              `${LARGE_RESULT_WARNING} results (narrow the topics' keywords or categories)`,
            { searchQuery, totalResults: page.totalResults }
          )
        }
      }
      // Papers arriving while we page raise totalResults; follow them up to the reachable limit.
      total = Math.min(Math.max(total, page.totalResults), MAX_REACHABLE_RESULTS)
      for (const paper of page.papers) if (!byId.has(paper.id)) byId.set(paper.id, paper)
      // Short pages happen; advance by what actually arrived, never by what was asked for.
      start += page.papers.length
    } while (start < total)
    return [...byId.values()]
  }

  /** One page, with retries. An empty page before totalResults is reached counts as a failure. */
  private async fetchPage(
    searchQuery: string,
    start: number,
    opts: SearchOptions,
    pageSize = this.pageSize,
    page?: ArxivRequestInfo['page']
  ): Promise<FeedPage> {
    const params = new URLSearchParams({
      search_query: searchQuery,
      start: String(start),
      max_results: String(pageSize),
      sortBy: opts.sortBy ?? 'submittedDate',
      sortOrder: opts.sortOrder ?? 'descending'
    })
    const url = `${this.baseUrl}?${params}`
    const where = describe(searchQuery, start)
    this.deadline ??= this.now() + this.budgetMs

    let wait = 0
    let lastFailure: string | undefined
    for (let attempt = 1; ; attempt++) {
      this.checkDenied(searchQuery, start)
      const gap = this.lastResponseEnd === undefined ? 0 : this.lastResponseEnd + this.delayMs - this.now()
      const ms = Math.max(wait, gap, 0)
      if (this.now() + ms >= this.deadline) {
        throw new ArxivFetchError(
          `arXiv did not answer within the time budget of ${duration(this.budgetMs)} ` +
            `(${attempt - 1} attempt(s)${lastFailure ? `, last: ${lastFailure}` : ''}; ${where}). ` +
            'arXiv may be down or overloaded (https://status.arxiv.org): run again later, the next run ' +
            'searches the same window. The budget is the arxiv-budget input (--arxiv-budget).',
          { searchQuery, start, attempts: attempt - 1 }
        )
      }
      if (ms > 0) await this.sleep(ms)
      const request = {
        attempt,
        maxAttempts: this.maxAttempts,
        searchQuery,
        start,
        pageSize,
        page,
        where,
        url
      }
      try {
        return await this.attempt(request)
      } catch (error) {
        if (error instanceof ArxivApiError) throw new ArxivApiError(error.arxivMessage, where)
        const failure = error instanceof AttemptError ? error : new AttemptError(String(error), false)
        if (failure.status === 403) {
          this.denied =
            `arXiv denied access (HTTP 403) to ${where}. No further arXiv requests are made in this run, ` +
            `since arXiv treats continued requests after a 403 as an attack. Check the request rate and ` +
            `User-Agent against arXiv's API terms of use: ${TOU_URL}`
          throw new ArxivAccessDeniedError(this.denied, {
            searchQuery,
            start,
            attempts: attempt,
            status: 403
          })
        }
        if (!failure.retryable || attempt >= this.maxAttempts) {
          const outcome = failure.retryable
            ? `gave up after ${attempt} attempts; arXiv may be down or overloaded (https://status.arxiv.org): ` +
              'run again later, the next run searches the same window'
            : `not retried, since retrying cannot help${failure.hint ? `: ${failure.hint}` : ''}`
          throw new ArxivFetchError(
            `arXiv request failed: ${failure.message} (${where}); ${outcome}`,
            { searchQuery, start, attempts: attempt, status: failure.status },
            { cause: error }
          )
        }
        wait = this.retryWait(attempt, failure, where, searchQuery, start)
        lastFailure = failure.message
        const left = this.deadline - this.now() - wait
        if (left > 0) {
          this.onRetry?.(
            `arXiv: ${failure.message}; retrying in ${duration(wait)} ` +
              `(attempt ${attempt + 1} of ${this.maxAttempts}, ${duration(left)} of the time budget left)`
          )
        }
      }
    }
  }

  /** How long to wait before attempt `failed + 1`. */
  private retryWait(
    failed: number,
    failure: AttemptError,
    where: string,
    searchQuery: string,
    start: number
  ): number {
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs > 0) {
      // Retrying earlier than arXiv asked would be impolite, so a too-long Retry-After ends this request.
      if (failure.retryAfterMs > this.maxBackoffMs) {
        throw new ArxivFetchError(
          `arXiv request failed (${where}): ${failure.message}; arXiv asked to wait ${Math.round(failure.retryAfterMs / 1000)} s ` +
            `(Retry-After), more than the ${this.maxBackoffMs / 1000} s allowed, so gave up after ${failed} attempt(s)`,
          { searchQuery, start, attempts: failed, status: failure.status }
        )
      }
      return failure.retryAfterMs
    }
    const base = Math.min(this.backoffMs * 3 ** (failed - 1), this.maxBackoffMs)
    // ±25 % jitter so that runs started by the same cron minute do not retry in lockstep.
    return Math.round(Math.min(base * (0.75 + 0.5 * this.random()), this.maxBackoffMs))
  }

  private checkDenied(searchQuery: string, start: number): void {
    if (this.denied)
      throw new ArxivAccessDeniedError(this.denied, { searchQuery, start, attempts: 0, status: 403 })
  }

  /** Sends one request, tells the hooks, and classifies the outcome. */
  private async attempt(request: Omit<ArxivRequestInfo, 'number'>): Promise<FeedPage> {
    const number = ++this.requestCount
    const sent = this.now()
    this.onRequest?.({ ...request, number })
    let status: number | undefined
    try {
      const page = await this.send(request.url, request.start, request.pageSize === 0, s => (status = s))
      this.onResponse?.({
        number,
        status,
        ms: this.now() - sent,
        papers: page.papers.length,
        totalResults: page.totalResults
      })
      return page
    } catch (error) {
      const failure = error instanceof Error ? error.message : String(error)
      this.onResponse?.({ number, status, ms: this.now() - sent, failure })
      throw error
    }
  }

  /**
   * Sends one request and classifies the outcome. `counting`: a `max_results=0` request, whose
   * page is empty by design; `answered` learns the status as soon as it is known.
   */
  private async send(
    url: string,
    start: number,
    counting: boolean,
    answered: (status: number) => void
  ): Promise<FeedPage> {
    const controller = new AbortController()
    const remaining = (this.deadline ?? Infinity) - this.now()
    const timeoutMs = Math.max(1, Math.min(this.timeoutMs, remaining))
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    let status: number
    let body: string
    let retryAfter: string | null
    try {
      const response = await this.fetch(url, {
        headers: { 'User-Agent': this.userAgent, Accept: 'application/atom+xml' },
        signal: controller.signal,
        redirect: 'follow'
      })
      status = response.status
      answered(status)
      retryAfter = response.headers.get('retry-after')
      body = await response.text()
    } catch (error) {
      if (controller.signal.aborted) {
        throw new AttemptError(`no complete answer within ${timeoutMs / 1000} s (timeout)`, true)
      }
      const cause = (error as { cause?: { code?: string; message?: string } }).cause
      const code = cause?.code ?? cause?.message ?? String(error)
      const permanent = PERMANENT_NETWORK.find(([pattern]) => pattern.test(code))
      throw new AttemptError(`network error ${code}`, !permanent, undefined, undefined, permanent?.[1])
    } finally {
      clearTimeout(timer)
      this.lastResponseEnd = this.now()
    }
    return this.classify(status, body, retryAfter, start, counting)
  }

  private classify(
    status: number,
    body: string,
    retryAfter: string | null,
    start: number,
    counting: boolean
  ): FeedPage {
    const retryAfterMs = parseRetryAfter(retryAfter, this.now())
    if (status === 200) {
      let page: FeedPage
      try {
        page = parseFeed(body)
      } catch (error) {
        if (error instanceof FeedFormatError)
          throw new AttemptError(`HTTP 200 with a bad body: ${error.message}`, true, 200)
        throw error
      }
      if (!counting && page.papers.length === 0 && start < page.totalResults) {
        throw new AttemptError(
          `HTTP 200 with an empty page although totalResults is ${page.totalResults}`,
          true,
          200
        )
      }
      return page
    }
    if (status === 400) {
      // arXiv's 2025+ backend sends its Atom error entry with a 400: surface its message.
      try {
        parseFeed(body)
      } catch (error) {
        if (error instanceof ArxivApiError) throw error
      }
      throw new AttemptError('HTTP 400 Bad Request (the query is malformed)', false, 400)
    }
    if (status === 403) throw new AttemptError('HTTP 403 Forbidden', false, 403)
    if (status === 404) throw new AttemptError('HTTP 404 Not Found (check the arXiv API URL)', false, 404)
    const retryable = status === 429 || status === 406 || (status >= 500 && status <= 599)
    throw new AttemptError(`HTTP ${status}`, retryable, status, retryAfterMs)
  }
}
