/**
 * A fake arXiv query API: a real HTTP server on 127.0.0.1 that answers the subset of arXiv's
 * `/api/query` that preprint-digest sends, from an in-memory corpus, in arXiv's Atom layout, and that
 * injects faults on request. Use it for any test that fetches papers:
 *
 * ```ts
 * const arxiv = await startFakeArxiv({ corpus: [paperFixture({ id: '2602.00001' })] })
 * // point the code under test at arxiv.url, e.g. new ArxivClient({ baseUrl: arxiv.url, ... })
 * arxiv.injectFaults({ status: 503 }, { kind: 'blank' })   // the next two requests fail
 * await arxiv.close()
 * ```
 *
 * Query semantics (close to arXiv's, documented so tests can rely on them):
 * - fields `ti`, `abs`, `au` (per author), `co`, `jr`, `cat` (exact code, case-insensitive) and `all`
 *   (any of those); a term without a field is `all:`.
 * - `"quoted phrases"` and bare terms are both reduced to `words()` of src/digest/terms.ts (so hyphens and
 *   apostrophes are spaces) and match a contiguous run of the field's words, case-insensitively and
 *   accent-insensitively (Internò = Interno, as arXiv's search folds accents), with no stemming:
 *   `ti:model` does not match "models".
 * - `submittedDate:[YYYYMMDDHHMM TO YYYYMMDDHHMM]` (on `published`) and `lastUpdatedDate:[…]`
 *   (on `updated`): inclusive, GMT, minute precision.
 * - `AND`, `OR`, `ANDNOT`, parentheses. Stricter than arXiv: mixing OR with AND/ANDNOT at one level
 *   without parentheses is rejected as malformed, because arXiv's precedence is undocumented and a
 *   client must not depend on it.
 * - `sortBy` (`relevance` = corpus order, `submittedDate`, `lastUpdatedDate`), `sortOrder` (default
 *   `descending`), `start` (default 0), `max_results` (default 10, at most 2000 entries per page).
 * - Errors like arXiv's 2025+ backend: HTTP 400 with an Atom error entry for a malformed query or a
 *   non-integer/negative `start`/`max_results` (or `max_results` > 30000); 406 without
 *   `Accept: application/atom+xml`; 404 for any other path.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { words } from '../src/digest/terms.js'
import type { Paper } from '../src/digest/types.js'

/** One request as the fake received it. */
export interface RecordedRequest {
  method: string
  /** Path and query string, as sent. */
  url: string
  /** Decoded query parameters (the last value wins for repeated names). */
  params: Record<string, string>
  headers: IncomingHttpHeaders
}

/**
 * A fault applied to one request instead of the normal answer (faults are consumed in order, one per
 * request). `status`: that HTTP status with a short text body (and `Retry-After` if given);
 * `hang`: accept and never answer until `close()`; `reset`: drop the connection without an answer (as a
 * crashing proxy does); `blank`: 200 with an empty body; `truncated`: 200 with
 * the real answer cut in the middle; `empty-page`: the real answer with its entries removed (totalResults
 * kept); `error-entry`: arXiv's Atom error feed with `message` (HTTP 400 unless `status` is given).
 * With `match`, the fault waits for the first request whose search_query matches it (other requests
 * are answered normally), so a test can fail one query of several.
 */
export type Fault = (
  | { status: number; retryAfter?: string }
  | { kind: 'hang' | 'reset' | 'blank' | 'truncated' | 'empty-page' }
  | { kind: 'error-entry'; message: string; status?: number }
) & { match?: RegExp }

/** A running fake. */
export interface FakeArxiv {
  /** Full query endpoint, e.g. `http://127.0.0.1:41234/api/query`. */
  url: string
  /** Every request received, in order (faulted ones included). */
  requests: RecordedRequest[]
  /** Queues faults for the next requests, in order. */
  injectFaults(...faults: Fault[]): void
  /** Replaces the corpus. */
  setCorpus(papers: Paper[]): void
  /** Drops pending faults and recorded requests (call it between tests sharing one fake). */
  reset(): void
  /** Stops the server, dropping hung and keep-alive connections. */
  close(): Promise<void>
}

const ATOM_NS = 'http://www.w3.org/2005/Atom'
const OPENSEARCH_NS = 'http://a9.com/-/spec/opensearch/1.1/'
const ARXIV_NS = 'http://arxiv.org/schemas/atom'

/** Escapes text for XML element content and attribute values. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** Greedy word wrap at `width` columns, the way arXiv line-wraps titles and abstracts. */
function wrapLines(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines
}

function entryXml(p: Paper): string {
  const title = wrapLines(p.title, 70).map(xmlEscape).join('\n  ')
  // arXiv's summaries start with two spaces and end with a newline; continuation lines are not indented.
  const summary = '  ' + wrapLines(p.abstract, 78).map(xmlEscape).join('\n') + '\n'
  const lines = [
    '  <entry>',
    `    <id>http://arxiv.org/abs/${xmlEscape(p.versionedId)}</id>`,
    `    <title>${title}</title>`,
    `    <updated>${p.updated}</updated>`,
    `    <link href="https://arxiv.org/abs/${xmlEscape(p.versionedId)}" rel="alternate" type="text/html"/>`,
    `    <link href="https://arxiv.org/pdf/${xmlEscape(p.versionedId)}" rel="related" type="application/pdf" title="pdf"/>`
  ]
  if (p.doi) lines.push(`    <link href="https://doi.org/${xmlEscape(p.doi)}" rel="related" title="doi"/>`)
  lines.push(`    <summary>${summary}</summary>`)
  for (const c of p.categories) lines.push(`    <category term="${xmlEscape(c)}" scheme="${ARXIV_NS}"/>`)
  lines.push(`    <published>${p.published}</published>`)
  if (p.comment) lines.push(`    <arxiv:comment>${xmlEscape(p.comment)}</arxiv:comment>`)
  if (p.journalRef) lines.push(`    <arxiv:journal_ref>${xmlEscape(p.journalRef)}</arxiv:journal_ref>`)
  if (p.doi) lines.push(`    <arxiv:doi>${xmlEscape(p.doi)}</arxiv:doi>`)
  lines.push(`    <arxiv:primary_category term="${xmlEscape(p.primaryCategory)}"/>`)
  for (const a of p.authors) lines.push(`    <author>\n      <name>${xmlEscape(a)}</name>\n    </author>`)
  lines.push('  </entry>')
  return lines.join('\n')
}

/** Feed-level values of an Atom page. */
export interface AtomMeta {
  totalResults: number
  startIndex?: number
  /** Defaults to the number of papers (arXiv echoes the requested max_results here). */
  itemsPerPage?: number
  /** The raw search_query, echoed in the feed title. */
  searchQuery?: string
  /** Feed `<updated>`; defaults to a fixed time so output is deterministic. */
  updated?: string
}

/** Serialises papers as one page of arXiv's Atom response (2026 layout). */
export function toAtom(papers: Paper[], meta: AtomMeta): string {
  const start = meta.startIndex ?? 0
  const per = meta.itemsPerPage ?? papers.length
  const query = `search_query=${meta.searchQuery ?? ''}&id_list=&start=${start}&max_results=${per}`
  const link = `https://arxiv.org/api/query?${new URLSearchParams({
    search_query: meta.searchQuery ?? '',
    id_list: '',
    start: String(start),
    max_results: String(per)
  })}`
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<feed xmlns="${ATOM_NS}" xmlns:opensearch="${OPENSEARCH_NS}" xmlns:arxiv="${ARXIV_NS}">`,
    `  <id>https://arxiv.org/api/${Buffer.from(query).toString('base64url').slice(0, 27)}</id>`,
    `  <title>arXiv Query: ${xmlEscape(query)}</title>`,
    `  <updated>${meta.updated ?? '2026-02-13T07:00:00Z'}</updated>`,
    `  <link href="${xmlEscape(link)}" type="application/atom+xml"/>`,
    `  <opensearch:itemsPerPage>${per}</opensearch:itemsPerPage>`,
    `  <opensearch:totalResults>${meta.totalResults}</opensearch:totalResults>`,
    `  <opensearch:startIndex>${start}</opensearch:startIndex>`,
    ...papers.map(entryXml),
    '</feed>',
    ''
  ].join('\n')
}

/** arXiv's error feed (docs/arxiv.md, "Responses") carrying `message`. */
export function errorAtom(message: string): string {
  const slug = message.replace(/[^A-Za-z0-9.]+/g, '_')
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<feed xmlns="${ATOM_NS}" xmlns:opensearch="${OPENSEARCH_NS}">`,
    '  <id>https://arxiv.org/api/error</id>',
    '  <title>arXiv Query: error</title>',
    '  <updated>2026-02-13T07:00:00Z</updated>',
    '  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>',
    '  <opensearch:totalResults>1</opensearch:totalResults>',
    '  <opensearch:startIndex>0</opensearch:startIndex>',
    '  <entry>',
    `    <id>http://arxiv.org/api/errors#${xmlEscape(slug)}</id>`,
    '    <title>Error</title>',
    `    <summary>${xmlEscape(message)}</summary>`,
    '    <updated>2026-02-13T07:00:00Z</updated>',
    `    <link href="http://arxiv.org/api/errors#${xmlEscape(slug)}" rel="alternate" type="text/html"/>`,
    '    <author>\n      <name>arXiv api core</name>\n    </author>',
    '  </entry>',
    '</feed>',
    ''
  ].join('\n')
}

let fixtureCounter = 0

/**
 * A complete, realistic `Paper` for tests; pass only what the test is about. Without an `id`, each call
 * gets a fresh one (2602.10001, 2602.10002, …); `versionedId` follows the id.
 */
export function paperFixture(overrides: Partial<Paper> = {}): Paper {
  const id = overrides.id ?? `2602.${String(10001 + fixtureCounter++).padStart(5, '0')}`
  return {
    id,
    versionedId: `${id}v1`,
    title: 'A Study of Something Unremarkable',
    abstract: 'We study something. Our results are modest but reproducible.',
    authors: ['Ada Lovelace', 'Alan Turing'],
    categories: ['cs.LG'],
    primaryCategory: overrides.categories?.[0] ?? 'cs.LG',
    published: '2026-02-10T12:00:00Z',
    updated: overrides.published ?? '2026-02-10T12:00:00Z',
    ...overrides
  }
}

// ---------------------------------------------------------------------------------------------------
// Query language

/** Parsed search_query. */
export type QueryNode =
  | { op: 'AND' | 'OR' | 'ANDNOT'; left: QueryNode; right: QueryNode }
  | { field: string; words: string[] }
  | { field: 'submittedDate' | 'lastUpdatedDate'; from: string; to: string }

/** A malformed search_query. */
export class QuerySyntaxError extends Error {}

type Token =
  { type: '(' | ')' } | { type: 'op'; op: 'AND' | 'OR' | 'ANDNOT' } | { type: 'term'; node: QueryNode }

const TEXT_FIELDS = new Set(['ti', 'abs', 'au', 'co', 'jr', 'cat', 'all'])
const RANGE_FIELDS = new Set(['submittedDate', 'lastUpdatedDate'])

/** `words()` with accents folded away. */
function tokens(text: string): string[] {
  return words(text.normalize('NFKD').replace(/\p{M}/gu, ''))
}

function termNode(field: string, value: string): QueryNode {
  if (!TEXT_FIELDS.has(field)) throw new QuerySyntaxError(`unknown field ${field}`)
  if (field === 'cat') return { field, words: [value.toLowerCase()] }
  const w = tokens(value)
  if (w.length === 0) throw new QuerySyntaxError(`empty term ${field}:${value}`)
  return { field, words: w }
}

function lex(query: string): Token[] {
  const tokens: Token[] = []
  const rules: Array<[RegExp, (m: RegExpExecArray) => Token | undefined]> = [
    [/\s+/y, () => undefined],
    [/[()]/y, m => ({ type: m[0] as '(' | ')' })],
    [/(ANDNOT|AND|OR)(?=[\s()]|$)/y, m => ({ type: 'op', op: m[1] as 'AND' | 'OR' | 'ANDNOT' })],
    [/([A-Za-z_]+):"([^"]*)"/y, m => ({ type: 'term', node: termNode(m[1], m[2]) })],
    [
      /([A-Za-z_]+):\[(\d{12}) TO (\d{12})\]/y,
      m => {
        if (!RANGE_FIELDS.has(m[1])) throw new QuerySyntaxError(`${m[1]} takes no range`)
        return { type: 'term', node: { field: m[1] as 'submittedDate', from: m[2], to: m[3] } }
      }
    ],
    [/([A-Za-z_]+):([^\s()"[\]]+)/y, m => ({ type: 'term', node: termNode(m[1], m[2]) })],
    [/"([^"]*)"/y, m => ({ type: 'term', node: termNode('all', m[1]) })],
    [/[^\s()"[\]:]+/y, m => ({ type: 'term', node: termNode('all', m[0]) })]
  ]
  let i = 0
  outer: while (i < query.length) {
    for (const [re, make] of rules) {
      re.lastIndex = i
      const m = re.exec(query)
      if (!m) continue
      const token = make(m)
      if (token) tokens.push(token)
      i = re.lastIndex
      continue outer
    }
    throw new QuerySyntaxError(`unexpected input at ${i}: ${query.slice(i, i + 20)}`)
  }
  return tokens
}

/** Parses a search_query. @throws QuerySyntaxError */
export function parseSearchQuery(query: string): QueryNode {
  const tokens = lex(query)
  let pos = 0
  const operand = (): QueryNode => {
    const t = tokens[pos++]
    if (!t) throw new QuerySyntaxError('query ends where a term was expected')
    if (t.type === 'term') return t.node
    if (t.type === '(') {
      const node = expression()
      if (tokens[pos++]?.type !== ')') throw new QuerySyntaxError('missing )')
      return node
    }
    throw new QuerySyntaxError(`unexpected ${t.type === 'op' ? t.op : t.type}`)
  }
  const expression = (): QueryNode => {
    let node = operand()
    let family: 'OR' | 'AND' | undefined
    while (pos < tokens.length && tokens[pos].type === 'op') {
      const op = (tokens[pos++] as { op: 'AND' | 'OR' | 'ANDNOT' }).op
      const opFamily = op === 'OR' ? 'OR' : 'AND'
      if (family && family !== opFamily) throw new QuerySyntaxError('OR mixed with AND without parentheses')
      family = opFamily
      node = { op, left: node, right: operand() }
    }
    return node
  }
  const root = expression()
  if (pos !== tokens.length) throw new QuerySyntaxError('unexpected input after the query')
  return root
}

function containsRun(haystack: string[], needle: string[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer
    return true
  }
  return false
}

function minuteOf(iso: string): string {
  return new Date(iso).toISOString().slice(0, 16).replace(/[-T:]/g, '')
}

function fieldMatches(field: string, needle: string[], p: Paper): boolean {
  switch (field) {
    case 'ti':
      return containsRun(tokens(p.title), needle)
    case 'abs':
      return containsRun(tokens(p.abstract), needle)
    case 'au':
      return p.authors.some(a => containsRun(tokens(a), needle))
    case 'co':
      return containsRun(tokens(p.comment ?? ''), needle)
    case 'jr':
      return containsRun(tokens(p.journalRef ?? ''), needle)
    case 'cat':
      return p.categories.some(c => c.toLowerCase() === needle[0])
    default:
      return ['ti', 'abs', 'au', 'co', 'jr', 'cat'].some(f => fieldMatches(f, needle, p))
  }
}

/** Whether a paper satisfies a parsed query. */
export function matchesQuery(node: QueryNode, p: Paper): boolean {
  if ('op' in node) {
    const left = matchesQuery(node.left, p)
    if (node.op === 'OR') return left || matchesQuery(node.right, p)
    if (node.op === 'AND') return left && matchesQuery(node.right, p)
    return left && !matchesQuery(node.right, p)
  }
  if ('from' in node) {
    const minute = minuteOf(node.field === 'submittedDate' ? p.published : p.updated)
    return minute >= node.from && minute <= node.to
  }
  return fieldMatches(node.field, node.words, p)
}

// ---------------------------------------------------------------------------------------------------
// Server

class BadRequest extends Error {}

function integerParam(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name)
  if (raw === null || raw === '') return fallback
  if (!/^\d+$/.test(raw)) throw new BadRequest(`${name} must be an integer`)
  return Number(raw)
}

function answer(params: URLSearchParams, corpus: Paper[]): { status: number; body: string; papers: Paper[] } {
  const searchQuery = params.get('search_query') ?? ''
  const start = integerParam(params, 'start', 0)
  const maxResults = integerParam(params, 'max_results', 10)
  if (maxResults > 30000) throw new BadRequest('max_results must be less than or equal to 30000')
  let tree: QueryNode
  try {
    tree = parseSearchQuery(searchQuery)
  } catch (e) {
    throw new BadRequest(`malformed search_query: ${(e as Error).message}`)
  }
  const sortBy = params.get('sortBy') ?? 'relevance'
  const sortOrder = params.get('sortOrder') ?? 'descending'
  if (!['relevance', 'submittedDate', 'lastUpdatedDate'].includes(sortBy)) throw new BadRequest('bad sortBy')
  if (!['ascending', 'descending'].includes(sortOrder)) throw new BadRequest('bad sortOrder')
  const hits = corpus.filter(p => matchesQuery(tree, p))
  if (sortBy !== 'relevance') {
    const key = (p: Paper): string => (sortBy === 'submittedDate' ? p.published : p.updated) + ' ' + p.id
    hits.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    if (sortOrder === 'descending') hits.reverse()
  }
  const page = hits.slice(start, start + Math.min(maxResults, 2000))
  const body = toAtom(page, {
    totalResults: hits.length,
    startIndex: start,
    itemsPerPage: maxResults,
    searchQuery
  })
  return { status: 200, body, papers: page }
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/atom+xml; charset=utf-8', ...headers })
  res.end(body)
}

/**
 * Starts a fake arXiv on a random port of 127.0.0.1.
 *
 * @param options.cacheAnswers Keep each answer, by its query string, until the corpus is replaced: a
 *   repeated request is then answered without searching and writing the Atom again (the benchmark
 *   measures the CLI in its own process, and a fake that recomputes 6 MB answers on the same two
 *   cores while the CLI runs would count in the CLI's time). Papers must not be changed in place.
 */
export async function startFakeArxiv(options: {
  corpus: Paper[]
  cacheAnswers?: boolean
}): Promise<FakeArxiv> {
  let corpus = [...options.corpus]
  const answers = new Map<string, { status: number; body: string; papers: Paper[] }>()
  const faults: Fault[] = []
  const requests: RecordedRequest[] = []

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    requests.push({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      params: Object.fromEntries(url.searchParams),
      headers: req.headers
    })
    const query = url.searchParams.get('search_query') ?? ''
    const index = faults.findIndex(f => f.match === undefined || f.match.test(query))
    const fault = index < 0 ? undefined : faults.splice(index, 1)[0]
    if (fault && 'status' in fault && !('kind' in fault)) {
      const headers: Record<string, string> = { 'Content-Type': 'text/plain' }
      if (fault.retryAfter !== undefined) headers['Retry-After'] = fault.retryAfter
      res.writeHead(fault.status, headers)
      res.end(`fault ${fault.status}\n`)
      return
    }
    if (fault?.kind === 'hang') return
    if (fault?.kind === 'reset') return void req.socket.destroy()
    if (fault?.kind === 'blank') return send(res, 200, '')
    if (fault?.kind === 'error-entry') return send(res, fault.status ?? 400, errorAtom(fault.message))

    if (url.pathname !== '/api/query') return send(res, 404, 'not found', { 'Content-Type': 'text/plain' })
    if (req.method !== 'GET') return send(res, 405, 'GET only', { 'Content-Type': 'text/plain' })
    if (!(req.headers.accept ?? '').includes('application/atom+xml')) {
      return send(res, 406, 'Not Acceptable', { 'Content-Type': 'text/plain' })
    }
    let result = answers.get(url.search)
    try {
      result ??= answer(url.searchParams, corpus)
    } catch (e) {
      if (e instanceof BadRequest) return send(res, 400, errorAtom(e.message))
      throw e
    }
    if (options.cacheAnswers) answers.set(url.search, result)
    if (fault?.kind === 'truncated')
      return send(res, 200, result.body.slice(0, Math.floor(result.body.length * 0.6)))
    if (fault?.kind === 'empty-page') {
      return send(res, 200, result.body.replace(/\n {2}<entry>[\s\S]*<\/entry>/, ''))
    }
    send(res, result.status, result.body)
  })

  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/api/query`,
    requests,
    injectFaults: (...more) => void faults.push(...more),
    setCorpus: papers => {
      corpus = [...papers]
      answers.clear()
    },
    reset: () => {
      faults.length = 0
      requests.length = 0
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close(err => (err ? reject(err) : resolve()))
        server.closeAllConnections()
      })
  }
}
