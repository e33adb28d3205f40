/**
 * A fake GitHub REST and GraphQL API for tests: a real HTTP server on 127.0.0.1 that keeps
 * repositories in memory (git objects with real SHA-1 ids, refs, pull requests, labels) and answers
 * the endpoints the action uses with the status codes and error bodies GitHub uses.
 *
 * Every request is first checked against GitHub's published OpenAPI description
 * (`@octokit/openapi`): a request the real API would refuse (unknown endpoint, wrong method, bad
 * path or query parameter, body not matching the schema) is answered 404/422 and recorded in
 * `violations`, so a test can end with `expect(fake.violations).toEqual([])`. Requests GitHub would
 * accept but that are almost certainly mistakes (unknown query parameters or body fields, which
 * GitHub silently ignores, and a `pulls?head=` filter without `owner:`) are served normally but
 * also recorded as violations. `POST /graphql` is answered by `fake-github-graphql.ts`, which
 * validates queries against GitHub's published GraphQL schema in the same spirit.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { answerGraphQL } from './fake-github-graphql.js'

// ---------------------------------------------------------------------------------------------
// Public types

/** A person as written into a commit object. */
export interface FakePerson {
  name: string
  email: string
  /** The GitHub account the API shows for this person (`null` author when absent). */
  login?: string
  type?: 'User' | 'Bot'
}

/** Who the token belongs to: decides the author of API commits and whether they are signed. */
export interface FakeActor extends FakePerson {
  login: string
  type: 'User' | 'Bot'
}

/** GITHUB_TOKEN's identity: a GitHub App installation, so API commits without an author are signed. */
export const GITHUB_ACTIONS_BOT: FakeActor = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
  login: 'github-actions[bot]',
  type: 'Bot'
}

/** The committer GitHub records on commits it creates for someone through the API or the web. */
const WEB_FLOW: FakePerson = { name: 'GitHub', email: 'noreply@github.com', login: 'web-flow', type: 'User' }

/** A human pushing to a branch, for `commitFiles`. */
export const OCTOCAT: FakePerson = {
  name: 'The Octocat',
  email: 'octocat@github.com',
  login: 'octocat',
  type: 'User'
}

/** A commit as the fake stores it. */
export interface FakeCommit {
  sha: string
  tree: string
  parents: string[]
  message: string
  author: FakePerson
  committer: FakePerson
  /** ISO 8601 UTC, the same for author and committer. */
  date: string
  verified: boolean
}

/** A pull request as the fake stores it. */
export interface FakePull {
  number: number
  state: 'open' | 'closed'
  merged: boolean
  title: string
  body: string | null
  draft: boolean
  head: string
  base: string
  /** The head branch's commit when the PR was last synchronised (or merged/closed). */
  headSha: string
  labels: string[]
  assignees: string[]
  requestedReviewers: string[]
  requestedTeams: string[]
  user: string
  createdAt: string
  updatedAt: string
  closedAt: string | null
  mergedAt: string | null
  mergeCommitSha: string | null
}

/** One HTTP request the fake received. */
export interface RecordedRequest {
  method: string
  /** Path without query, percent-decoded: `/repos/o/r/git/refs/heads/preprint-digest/x`. */
  path: string
  /** Query parameters as sent. */
  query: Record<string, string>
  /** The OpenAPI path template it matched, when it matched one: `/repos/{owner}/{repo}/pulls`. */
  template?: string
  /**
   * The OpenAPI operation id (`pulls/create`), when it matched one. GraphQL requests (template
   * `/graphql`) have `graphql/query` or `graphql/mutation` once their query parsed, else `graphql`.
   */
  operation?: string
  status: number
  /** Parsed JSON body (or the raw text when it was not JSON), undefined when empty. */
  body?: unknown
}

/** A request the real API would have refused or ignored in part. */
export interface Violation {
  kind:
    | 'unknown-endpoint'
    | 'method-not-allowed'
    | 'invalid-path-parameter'
    | 'invalid-query-parameter'
    | 'unknown-query-parameter'
    | 'missing-query-parameter'
    | 'invalid-json'
    | 'invalid-body'
    | 'unknown-body-field'
    | 'ignored-filter'
    | 'invalid-graphql'
    | 'unimplemented'
  method: string
  path: string
  message: string
}

/** What a matching request gets instead of its normal answer. */
export type Fault =
  | { status: 500 | 502 | 503 | 504; message?: string }
  /** 403 with `retry-after` and GitHub's secondary-rate-limit message. */
  | { kind: 'secondary-rate-limit'; retryAfter?: number }
  /** 403 with `x-ratelimit-remaining: 0` and a reset time `resetIn` seconds from now. */
  | { kind: 'primary-rate-limit'; resetIn?: number }
  /** The repository setting that forbids GITHUB_TOKEN to create pull requests. */
  | { kind: 'actions-cannot-create-pull-requests' }
  /** A token without the permission the endpoint needs. */
  | { kind: 'not-accessible' }
  /** A token GitHub does not accept (expired, revoked, mistyped): 401. */
  | { kind: 'bad-credentials' }
  /** GitHub's eventual-consistency error on follow-up calls to a brand-new pull request. */
  | { kind: 'could-not-resolve-node' }
  /** Run `action` (to change the repository, e.g. simulate a concurrent run), then answer normally. */
  | { kind: 'before'; action: () => void }

/** Which requests a fault applies to. Strings match the decoded path or the OpenAPI template. */
export interface FaultMatch {
  method?: string
  path?: string | RegExp
}

/** Options of `startFakeGitHub`. */
export interface FakeGitHubOptions {
  /** The token's owner (default: github-actions[bot], as with GITHUB_TOKEN). */
  actor?: FakeActor
  /** Check requests against the OpenAPI description (default true). */
  validate?: boolean
  /**
   * GraphQL's `Blob.text` is cut after this many bytes, with `isTruncated: true` (default 512,000,
   * where users report GitHub cuts; GitHub does not document it). Also settable on the fake.
   */
  graphqlTextLimit?: number
}

/** Options of `createRepo`. */
export interface CreateRepoOptions {
  /** Files of the initial commit (none: a README is created unless `empty`). */
  files?: Record<string, string>
  defaultBranch?: string
  /** A repository without any commit: git endpoints answer 409 "Git Repository is empty.". */
  empty?: boolean
  /** The "Allow GitHub Actions to create and approve pull requests" setting (default true). */
  actionsCanCreatePullRequests?: boolean
}

/** Options of `commitFiles`. */
export interface CommitFilesOptions {
  author?: FakePerson
  message?: string
  /** Where a branch that does not exist yet starts (default: the default branch's head). */
  from?: string
}

/** The running fake. */
export interface FakeGitHub {
  /** Base URL for Octokit's `baseUrl`: `http://127.0.0.1:PORT`. */
  readonly url: string
  readonly requests: RecordedRequest[]
  readonly violations: Violation[]
  /** Bytes of `Blob.text` GraphQL returns before it truncates (see `FakeGitHubOptions`). */
  graphqlTextLimit: number
  close(): Promise<void>
  createRepo(owner: string, repo: string, options?: CreateRepoOptions): void
  /** A file's text at a branch, tag-less ref or commit SHA; undefined when absent. */
  readFile(owner: string, repo: string, ref: string, path: string): string | undefined
  /** Every file path at a ref, sorted. */
  listFiles(owner: string, repo: string, ref: string): string[]
  /** Commits `files` (null deletes) on `branch` as someone else; creates the branch if needed. Returns the SHA. */
  commitFiles(
    owner: string,
    repo: string,
    branch: string,
    files: Record<string, string | null>,
    options?: CommitFilesOptions
  ): string
  /** The commit a branch points at, or undefined. */
  branchSha(owner: string, repo: string, branch: string): string | undefined
  /** A stored commit. */
  commit(owner: string, repo: string, sha: string): FakeCommit
  /** Deletes a branch (as GitHub's "delete branch after merge" does). */
  deleteBranch(owner: string, repo: string, branch: string): void
  /** Opens a pull request as a user would (for race simulations). Returns its number. */
  openPullRequest(
    owner: string,
    repo: string,
    pr: { head: string; base: string; title?: string; body?: string }
  ): number
  /** Merges like the merge button: a merge commit on base with the head's tree; PR closed and merged. */
  mergePullRequest(owner: string, repo: string, number: number): string
  closePullRequest(owner: string, repo: string, number: number): void
  pulls(owner: string, repo: string): FakePull[]
  /** The requests that can change something (not GET, HEAD or a GraphQL query), in order. */
  writeRequests(): RecordedRequest[]
  /** `METHOD path` of every request, for sequence assertions. */
  requestLines(): string[]
  clearRequests(): void
  injectFault(match: FaultMatch, fault: Fault, times?: number): void
  /** Drops the faults not yet used up. */
  clearFaults(): void
}

// ---------------------------------------------------------------------------------------------
// Git objects

type Mode = '100644' | '100755' | '040000' | '160000' | '120000'
type EntryType = 'blob' | 'tree' | 'commit'

interface TreeEntry {
  name: string
  mode: Mode
  type: EntryType
  sha: string
}

type GitObject =
  | { type: 'blob'; content: Buffer }
  | { type: 'tree'; entries: TreeEntry[] }
  | ({ type: 'commit' } & Omit<FakeCommit, 'sha'>)

function sha1(type: string, body: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]))
    .digest('hex')
}

/** Git's tree order: byte order of names, where a subtree's name sorts as if it ended in "/". */
function treeOrder(a: TreeEntry, b: TreeEntry): number {
  const ka = Buffer.from(a.type === 'tree' ? `${a.name}/` : a.name)
  const kb = Buffer.from(b.type === 'tree' ? `${b.name}/` : b.name)
  return Buffer.compare(ka, kb)
}

function serializeTree(entries: TreeEntry[]): Buffer {
  const parts: Buffer[] = []
  for (const e of [...entries].sort(treeOrder)) {
    // Git writes the directory mode without its leading zero.
    const mode = e.mode === '040000' ? '40000' : e.mode
    parts.push(Buffer.from(`${mode} ${e.name}\0`), Buffer.from(e.sha, 'hex'))
  }
  return Buffer.concat(parts)
}

function serializeCommit(c: Omit<FakeCommit, 'sha'>): Buffer {
  const seconds = Math.floor(Date.parse(c.date) / 1000)
  const lines = [`tree ${c.tree}`, ...c.parents.map(p => `parent ${p}`)]
  lines.push(`author ${c.author.name} <${c.author.email}> ${seconds} +0000`)
  lines.push(`committer ${c.committer.name} <${c.committer.email}> ${seconds} +0000`)
  return Buffer.from(`${lines.join('\n')}\n\n${c.message}`)
}

/** A flat view of a tree: path → leaf entry (blobs and submodules). */
type Flat = Map<string, { mode: Mode; type: EntryType; sha: string }>

class RepoState {
  readonly objects = new Map<string, GitObject>()
  /** `refs/heads/main` → commit SHA. */
  readonly refs = new Map<string, string>()
  readonly pulls: FakePull[] = []
  readonly labels = new Map<string, { id: number; name: string; color: string }>()
  nextNumber = 1
  readonly id: number

  constructor(
    readonly owner: string,
    readonly name: string,
    public defaultBranch: string,
    public actionsCanCreatePullRequests: boolean,
    id: number
  ) {
    this.id = id
  }

  get empty(): boolean {
    return this.refs.size === 0
  }

  put(obj: GitObject): string {
    let sha: string
    if (obj.type === 'blob') sha = sha1('blob', obj.content)
    else if (obj.type === 'tree') sha = sha1('tree', serializeTree(obj.entries))
    else sha = sha1('commit', serializeCommit(obj))
    this.objects.set(sha, obj)
    return sha
  }

  blob(sha: string): Buffer | undefined {
    const o = this.objects.get(sha)
    return o?.type === 'blob' ? o.content : undefined
  }

  tree(sha: string): TreeEntry[] | undefined {
    const o = this.objects.get(sha)
    return o?.type === 'tree' ? o.entries : undefined
  }

  commit(sha: string): FakeCommit | undefined {
    const o = this.objects.get(sha)
    if (o?.type !== 'commit') return undefined
    return {
      sha,
      tree: o.tree,
      parents: o.parents,
      message: o.message,
      author: o.author,
      committer: o.committer,
      date: o.date,
      verified: o.verified
    }
  }

  flatten(treeSha: string, prefix = '', into: Flat = new Map()): Flat {
    for (const e of this.tree(treeSha) ?? []) {
      const path = prefix + e.name
      if (e.type === 'tree') this.flatten(e.sha, `${path}/`, into)
      else into.set(path, { mode: e.mode, type: e.type, sha: e.sha })
    }
    return into
  }

  /** Writes the nested trees for a flat map and returns the root tree's SHA. */
  build(flat: Flat): string {
    interface Dir {
      files: TreeEntry[]
      dirs: Map<string, Dir>
    }
    const root: Dir = { files: [], dirs: new Map() }
    for (const [path, e] of flat) {
      const parts = path.split('/')
      let dir = root
      for (const part of parts.slice(0, -1)) {
        let next = dir.dirs.get(part)
        if (!next) dir.dirs.set(part, (next = { files: [], dirs: new Map() }))
        dir = next
      }
      dir.files.push({ name: parts[parts.length - 1], ...e })
    }
    const write = (dir: Dir): string => {
      const entries = [...dir.files]
      for (const [name, sub] of dir.dirs)
        entries.push({ name, mode: '040000', type: 'tree', sha: write(sub) })
      return this.put({ type: 'tree', entries })
    }
    return write(root)
  }

  resolve(ref: string): string | undefined {
    if (/^[0-9a-f]{40}$/.test(ref) && this.objects.has(ref)) return ref
    return this.refs.get(`refs/heads/${ref}`) ?? this.refs.get(`refs/tags/${ref}`) ?? this.refs.get(ref)
  }

  /** The commit and all its ancestors. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>()
    const stack = [sha]
    while (stack.length > 0) {
      const s = stack.pop()!
      if (seen.has(s)) continue
      seen.add(s)
      stack.push(...(this.commit(s)?.parents ?? []))
    }
    return seen
  }
}

// ---------------------------------------------------------------------------------------------
// The OpenAPI description

interface SpecParameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required?: boolean
  schema?: Record<string, unknown>
  'x-multi-segment'?: boolean
}

interface SpecOperation {
  operationId: string
  parameters?: Array<SpecParameter | { $ref: string }>
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Record<string, unknown> }> }
}

interface Spec {
  paths: Record<string, Record<string, SpecOperation>>
  components: { parameters: Record<string, SpecParameter>; schemas: Record<string, unknown> }
}

interface Route {
  template: string
  segments: string[]
  /** Path parameters that may span several segments (refs and branch names contain "/"). */
  multi: Set<string>
  methods: Record<string, SpecOperation>
}

const SPEC_ID = 'https://fake-github.test/openapi.json'

class SpecIndex {
  readonly routes: Route[]
  private readonly ajv: Ajv
  private readonly bodyValidators = new Map<string, ValidateFunction>()
  private readonly paramValidators = new Map<string, ValidateFunction>()

  constructor(readonly spec: Spec) {
    this.routes = Object.entries(spec.paths).map(([template, methods]) => {
      const segments = template.split('/').slice(1)
      const multi = new Set<string>()
      for (const op of Object.values(methods)) {
        for (const p of op.parameters ?? []) {
          const param = this.parameter(p)
          if (param?.in === 'path' && param['x-multi-segment']) multi.add(param.name)
        }
      }
      return { template, segments, multi, methods }
    })
    // Literal segments beat parameters: `/pulls/comments` must not match `/pulls/{pull_number}`.
    // Among equals, longer templates first, so a multi-segment `{branch}` does not swallow `/protection`.
    this.routes.sort(
      (a, b) => countParams(a.segments) - countParams(b.segments) || b.segments.length - a.segments.length
    )
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: false })
    addFormats(this.ajv)
    this.ajv.addSchema({ $id: SPEC_ID, components: spec.components }, SPEC_ID)
  }

  parameter(p: SpecParameter | { $ref: string }): SpecParameter | undefined {
    if ('$ref' in p) return this.spec.components.parameters[p.$ref.split('/').pop()!]
    return p
  }

  match(segments: string[]): Array<{ route: Route; params: Record<string, string> }> {
    const found: Array<{ route: Route; params: Record<string, string> }> = []
    for (const route of this.routes) {
      const params = matchSegments(route, segments)
      if (params) found.push({ route, params })
    }
    return found
  }

  bodyValidator(key: string, schema: Record<string, unknown>): ValidateFunction {
    let v = this.bodyValidators.get(key)
    if (!v) {
      v = this.ajv.compile(rebaseRefs(schema) as object)
      this.bodyValidators.set(key, v)
    }
    return v
  }

  paramValidator(key: string, schema: Record<string, unknown>): ValidateFunction {
    let v = this.paramValidators.get(key)
    if (!v) {
      v = this.ajv.compile(rebaseRefs(schema) as object)
      this.paramValidators.set(key, v)
    }
    return v
  }

  errorsText(v: ValidateFunction): string {
    return this.ajv.errorsText(v.errors, { dataVar: 'body', separator: '\n' })
  }

  schema(ref: string): Record<string, unknown> | undefined {
    return this.spec.components.schemas[ref.split('/').pop()!] as Record<string, unknown> | undefined
  }
}

function countParams(segments: string[]): number {
  return segments.filter(s => s.startsWith('{')).length
}

function matchSegments(route: Route, segments: string[]): Record<string, string> | undefined {
  const t = route.segments
  const params: Record<string, string> = {}
  let i = 0
  for (let j = 0; j < t.length; j++) {
    const seg = t[j]
    if (i >= segments.length) return undefined
    const name = /^\{(.+)\}$/.exec(seg)?.[1]
    if (name === undefined) {
      if (seg !== segments[i]) return undefined
      i++
      continue
    }
    if (route.multi.has(name) && j === t.length - 1) {
      params[name] = segments.slice(i).join('/')
      i = segments.length
      continue
    }
    if (segments[i] === '') return undefined
    params[name] = segments[i++]
  }
  return i === segments.length ? params : undefined
}

/** Points the spec's document-local `$ref`s at the registered copy of its components. */
function rebaseRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rebaseRefs)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${SPEC_ID}${v}` : rebaseRefs(v)
  }
  return out
}

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv

let specIndex: SpecIndex | undefined

/** The parsed OpenAPI description, loaded once per module instance (about 0.2 s for 13 MB). */
function loadSpec(): SpecIndex {
  if (!specIndex) {
    const require = createRequire(import.meta.url)
    const dir = dirname(require.resolve('@octokit/openapi/package.json'))
    const spec = JSON.parse(readFileSync(join(dir, 'generated', 'api.github.com.json'), 'utf8')) as Spec
    specIndex = new SpecIndex(spec)
  }
  return specIndex
}

// ---------------------------------------------------------------------------------------------
// HTTP plumbing

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {}
  ) {
    super(message)
  }
}

function validationFailed(message: string, resource = 'PullRequest'): ApiError {
  return new ApiError(422, 'Validation Failed', { errors: [{ resource, code: 'custom', message }] })
}

const DOCS = 'https://docs.github.com/rest'

interface Ctx {
  method: string
  path: string
  query: Record<string, string>
  params: Record<string, string>
  body: Record<string, unknown>
  repo: RepoState
  template: string
}

type Handler = (ctx: Ctx) => { status?: number; data: unknown }

// ---------------------------------------------------------------------------------------------
// The server

class FakeGitHubServer implements FakeGitHub {
  url = ''
  readonly requests: RecordedRequest[] = []
  readonly violations: Violation[] = []
  graphqlTextLimit: number
  private readonly repos = new Map<string, RepoState>()
  private readonly faults: Array<{ match: FaultMatch; fault: Fault; remaining: number }> = []
  private readonly server: Server
  private readonly spec: SpecIndex
  private readonly actor: FakeActor
  private readonly validate: boolean
  private clock = Date.parse('2026-02-13T12:00:00Z')
  private nextId = 1000
  private readonly handlers: Record<string, Handler>

  constructor(options: FakeGitHubOptions) {
    this.actor = options.actor ?? GITHUB_ACTIONS_BOT
    this.validate = options.validate ?? true
    this.graphqlTextLimit = options.graphqlTextLimit ?? 512_000
    this.spec = loadSpec()
    this.server = createServer((req, res) => void this.handle(req, res))
    this.handlers = this.buildHandlers()
  }

  async listen(): Promise<void> {
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  close(): Promise<void> {
    this.server.closeAllConnections()
    return new Promise((resolve, reject) => this.server.close(e => (e ? reject(e) : resolve())))
  }

  // --- test-side helpers -----------------------------------------------------------------------

  createRepo(owner: string, repo: string, options: CreateRepoOptions = {}): void {
    const state = new RepoState(
      owner,
      repo,
      options.defaultBranch ?? 'main',
      options.actionsCanCreatePullRequests ?? true,
      this.nextId++
    )
    this.repos.set(`${owner}/${repo}`.toLowerCase(), state)
    if (options.empty) return
    const files = options.files ?? { 'README.md': `# ${repo}\n` }
    const flat: Flat = new Map()
    for (const [path, content] of Object.entries(files)) {
      flat.set(path, {
        mode: '100644',
        type: 'blob',
        sha: state.put({ type: 'blob', content: Buffer.from(content) })
      })
    }
    const sha = this.writeCommit(state, state.build(flat), [], 'Initial commit', OCTOCAT, OCTOCAT, false)
    state.refs.set(`refs/heads/${state.defaultBranch}`, sha)
  }

  readFile(owner: string, repo: string, ref: string, path: string): string | undefined {
    const state = this.repo(owner, repo)
    const commit = state.commit(state.resolve(ref) ?? '')
    if (!commit) throw new Error(`fake-github: no ref ${ref} in ${owner}/${repo}`)
    const entry = state.flatten(commit.tree).get(path)
    return entry ? state.blob(entry.sha)?.toString('utf8') : undefined
  }

  listFiles(owner: string, repo: string, ref: string): string[] {
    const state = this.repo(owner, repo)
    const commit = state.commit(state.resolve(ref) ?? '')
    if (!commit) throw new Error(`fake-github: no ref ${ref} in ${owner}/${repo}`)
    return [...state.flatten(commit.tree).keys()].sort()
  }

  commitFiles(
    owner: string,
    repo: string,
    branch: string,
    files: Record<string, string | null>,
    options: CommitFilesOptions = {}
  ): string {
    const state = this.repo(owner, repo)
    const ref = `refs/heads/${branch}`
    const parent = state.refs.get(ref) ?? state.resolve(options.from ?? state.defaultBranch)
    const flat: Flat = parent ? state.flatten(state.commit(parent)!.tree) : new Map()
    for (const [path, content] of Object.entries(files)) {
      if (content === null) flat.delete(path)
      else
        flat.set(path, {
          mode: '100644',
          type: 'blob',
          sha: state.put({ type: 'blob', content: Buffer.from(content) })
        })
    }
    const author = options.author ?? OCTOCAT
    const message = options.message ?? `Update ${Object.keys(files).join(', ')}`
    const sha = this.writeCommit(
      state,
      state.build(flat),
      parent ? [parent] : [],
      message,
      author,
      author,
      false
    )
    this.moveRef(state, ref, sha)
    return sha
  }

  branchSha(owner: string, repo: string, branch: string): string | undefined {
    return this.repo(owner, repo).refs.get(`refs/heads/${branch}`)
  }

  commit(owner: string, repo: string, sha: string): FakeCommit {
    const c = this.repo(owner, repo).commit(sha)
    if (!c) throw new Error(`fake-github: no commit ${sha}`)
    return c
  }

  deleteBranch(owner: string, repo: string, branch: string): void {
    this.repo(owner, repo).refs.delete(`refs/heads/${branch}`)
  }

  openPullRequest(
    owner: string,
    repo: string,
    pr: { head: string; base: string; title?: string; body?: string }
  ): number {
    const state = this.repo(owner, repo)
    return this.createPull(state, { ...pr, title: pr.title ?? pr.head, draft: false, user: 'octocat' }).number
  }

  mergePullRequest(owner: string, repo: string, number: number): string {
    const state = this.repo(owner, repo)
    const pr = this.pull(state, number)
    if (pr.state !== 'open') throw new Error(`fake-github: PR #${number} is not open`)
    const head = state.refs.get(`refs/heads/${pr.head}`)!
    const base = state.refs.get(`refs/heads/${pr.base}`)!
    const message = `Merge pull request #${number} from ${state.owner}/${pr.head}\n\n${pr.title}`
    const sha = this.writeCommit(
      state,
      state.commit(head)!.tree,
      [base, head],
      message,
      OCTOCAT,
      WEB_FLOW,
      true
    )
    state.refs.set(`refs/heads/${pr.base}`, sha)
    Object.assign(pr, {
      state: 'closed',
      merged: true,
      headSha: head,
      mergedAt: this.now(),
      closedAt: this.now(),
      updatedAt: this.now(),
      mergeCommitSha: sha
    })
    return sha
  }

  closePullRequest(owner: string, repo: string, number: number): void {
    const pr = this.pull(this.repo(owner, repo), number)
    Object.assign(pr, { state: 'closed', closedAt: this.now(), updatedAt: this.now() })
  }

  pulls(owner: string, repo: string): FakePull[] {
    return this.repo(owner, repo).pulls.map(p => ({ ...p }))
  }

  writeRequests(): RecordedRequest[] {
    return this.requests.filter(r =>
      r.template === '/graphql'
        ? r.operation === 'graphql/mutation'
        : r.method !== 'GET' && r.method !== 'HEAD'
    )
  }

  requestLines(): string[] {
    return this.requests.map(r => `${r.method} ${r.path}`)
  }

  clearRequests(): void {
    this.requests.length = 0
  }

  injectFault(match: FaultMatch, fault: Fault, times = 1): void {
    this.faults.push({ match, fault, remaining: times })
  }

  clearFaults(): void {
    this.faults.length = 0
  }

  // --- internals -------------------------------------------------------------------------------

  private repo(owner: string, repo: string): RepoState {
    const state = this.repos.get(`${owner}/${repo}`.toLowerCase())
    if (!state) throw new Error(`fake-github: no repository ${owner}/${repo}`)
    return state
  }

  private pull(state: RepoState, number: number): FakePull {
    const pr = state.pulls.find(p => p.number === number)
    if (!pr) throw new Error(`fake-github: no PR #${number}`)
    return pr
  }

  private now(): string {
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z')
  }

  private writeCommit(
    state: RepoState,
    tree: string,
    parents: string[],
    message: string,
    author: FakePerson,
    committer: FakePerson,
    verified: boolean
  ): string {
    // Each commit gets its own second, so two commits of the same tree and parent differ, as in git.
    this.clock += 1000
    return state.put({
      type: 'commit',
      tree,
      parents,
      message,
      author,
      committer,
      date: this.now(),
      verified
    })
  }

  private moveRef(state: RepoState, ref: string, sha: string): void {
    state.refs.set(ref, sha)
    const branch = ref.replace(/^refs\/heads\//, '')
    for (const pr of state.pulls) {
      if (pr.state === 'open' && pr.head === branch)
        Object.assign(pr, { headSha: sha, updatedAt: this.now() })
    }
  }

  private createPull(
    state: RepoState,
    pr: { head: string; base: string; title: string; body?: string; draft: boolean; user: string }
  ): FakePull {
    const headSha = state.refs.get(`refs/heads/${pr.head}`)
    const baseSha = state.refs.get(`refs/heads/${pr.base}`)
    if (!baseSha) throw validationFailed(`base: invalid`, 'PullRequest')
    if (!headSha) throw validationFailed(`head: invalid`, 'PullRequest')
    if (state.pulls.some(p => p.state === 'open' && p.head === pr.head && p.base === pr.base)) {
      throw validationFailed(`A pull request already exists for ${state.owner}:${pr.head}.`)
    }
    const baseAncestors = state.ancestors(baseSha)
    if (baseAncestors.has(headSha)) throw validationFailed(`No commits between ${pr.base} and ${pr.head}`)
    const created: FakePull = {
      number: state.nextNumber++,
      state: 'open',
      merged: false,
      title: pr.title,
      body: pr.body ?? null,
      draft: pr.draft,
      head: pr.head,
      base: pr.base,
      headSha,
      labels: [],
      assignees: [],
      requestedReviewers: [],
      requestedTeams: [],
      user: pr.user,
      createdAt: this.now(),
      updatedAt: this.now(),
      closedAt: null,
      mergedAt: null,
      mergeCommitSha: null
    }
    state.pulls.push(created)
    return created
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://fake-github.test')
    const method = (req.method ?? 'GET').toUpperCase()
    const segments = url.pathname
      .split('/')
      .slice(1)
      .map(s => {
        try {
          return decodeURIComponent(s)
        } catch {
          return s
        }
      })
    const path = `/${segments.join('/')}`
    const query = Object.fromEntries(url.searchParams)
    const record: RecordedRequest = { method, path, query, status: 0 }
    this.requests.push(record)
    let body: unknown = undefined
    let status = 200
    let data: unknown
    let headers: Record<string, string> = {}
    try {
      if (raw !== '') {
        try {
          body = JSON.parse(raw)
        } catch {
          record.body = raw
          this.violation('invalid-json', method, path, 'Request body is not valid JSON')
          throw new ApiError(400, 'Problems parsing JSON')
        }
      }
      record.body = body
      if (path === '/graphql') {
        data = this.graphql(method, req, body, record)
      } else {
        const { template, operation, params } = this.route(method, segments, path, query, body)
        record.template = template
        record.operation = operation
        this.applyFault(method, path, template)
        if (!req.headers.authorization && method !== 'GET') throw new ApiError(401, 'Requires authentication')
        const handler = this.handlers[`${method} ${template}`]
        if (!handler) {
          this.violation('unimplemented', method, path, `the fake does not implement ${method} ${template}`)
          throw new ApiError(501, `fake-github does not implement ${method} ${template}`)
        }
        const repo = this.repos.get(`${params.owner}/${params.repo}`.toLowerCase())
        if (!repo) throw new ApiError(404, 'Not Found')
        const result = handler({
          method,
          path,
          query,
          params,
          body: (body ?? {}) as Record<string, unknown>,
          repo,
          template
        })
        status = result.status ?? 200
        data = result.data
      }
    } catch (error) {
      if (!(error instanceof ApiError)) {
        status = 500
        data = { message: `fake-github crashed: ${(error as Error).stack}` }
      } else {
        status = error.status
        headers = error.headers
        const docs =
          record.template === '/graphql'
            ? 'https://docs.github.com/graphql'
            : record.operation
              ? `${DOCS}/${record.operation}`
              : `${DOCS}`
        data = { message: error.message, documentation_url: docs, ...error.extra, status: String(status) }
      }
    }
    record.status = status
    const text = data === undefined ? '' : JSON.stringify(data)
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-github-request-id': `FAKE:${this.requests.length}`,
      ...headers
    })
    res.end(text)
  }

  /**
   * `POST /graphql`: faults and the token checked as for REST, then the body answered by
   * `fake-github-graphql.ts` (always HTTP 200, like GitHub, even for a query it refuses).
   */
  private graphql(method: string, req: IncomingMessage, body: unknown, record: RecordedRequest): unknown {
    record.template = '/graphql'
    record.operation = 'graphql'
    if (method !== 'POST') {
      this.violation('method-not-allowed', method, '/graphql', `GitHub answers GraphQL on POST only`)
      throw new ApiError(404, 'Not Found')
    }
    this.applyFault(method, '/graphql', '/graphql')
    if (!req.headers.authorization) throw new ApiError(401, 'This endpoint requires you to be authenticated.')
    const answer = answerGraphQL(body, {
      repo: (owner, name) => this.repos.get(`${owner}/${name}`.toLowerCase()),
      textLimit: this.graphqlTextLimit,
      violation: (kind, message) => this.violation(kind, method, '/graphql', message)
    })
    if (answer.operation) record.operation = `graphql/${answer.operation}`
    return answer.body
  }

  private violation(kind: Violation['kind'], method: string, path: string, message: string): void {
    this.violations.push({ kind, method, path, message })
  }

  /** Finds the OpenAPI operation and checks parameters and body; throws what GitHub would answer. */
  private route(
    method: string,
    segments: string[],
    path: string,
    query: Record<string, string>,
    body: unknown
  ): { template: string; operation: string; params: Record<string, string> } {
    const matches = this.spec.match(segments)
    const m = method.toLowerCase()
    const hit = matches.find(x => x.route.methods[m])
    if (!hit) {
      if (matches.length > 0) {
        this.violation(
          'method-not-allowed',
          method,
          path,
          `${method} is not an operation of ${matches[0].route.template}`
        )
      } else {
        this.violation('unknown-endpoint', method, path, `no such endpoint in GitHub's OpenAPI description`)
      }
      throw new ApiError(404, 'Not Found')
    }
    const op = hit.route.methods[m]
    const template = hit.route.template
    if (!this.validate) return { template, operation: op.operationId, params: hit.params }
    const params = (op.parameters ?? []).map(p => this.spec.parameter(p)).filter(p => p !== undefined)
    for (const p of params.filter(p => p.in === 'path')) {
      const value = hit.params[p.name]
      if (!this.checkParam(op, p, value)) {
        this.violation(
          'invalid-path-parameter',
          method,
          path,
          `path parameter ${p.name}="${value}" is not valid`
        )
        throw new ApiError(404, 'Not Found')
      }
    }
    const queryParams = params.filter(p => p.in === 'query')
    for (const [name, value] of Object.entries(query)) {
      const p = queryParams.find(q => q.name === name)
      if (!p) {
        this.violation(
          'unknown-query-parameter',
          method,
          path,
          `unknown query parameter "${name}" (GitHub ignores it)`
        )
      } else if (!this.checkParam(op, p, value)) {
        this.violation(
          'invalid-query-parameter',
          method,
          path,
          `query parameter ${name}="${value}" is not valid`
        )
        throw new ApiError(422, `Invalid request.\n\n"${name}" is not valid.`)
      }
    }
    for (const p of queryParams) {
      if (p.required && query[p.name] === undefined) {
        this.violation('missing-query-parameter', method, path, `query parameter "${p.name}" is required`)
        throw new ApiError(422, `Invalid request.\n\n"${p.name}" wasn't supplied.`)
      }
    }
    const schema = op.requestBody?.content?.['application/json']?.schema
    if (schema) {
      if (body === undefined && op.requestBody?.required) {
        this.violation('invalid-body', method, path, 'a JSON body is required')
        throw new ApiError(422, 'Invalid request.\n\nA request body is required.')
      }
      if (body !== undefined) {
        const v = this.spec.bodyValidator(`${method} ${template}`, schema)
        if (!v(body)) {
          const text = this.spec.errorsText(v)
          this.violation('invalid-body', method, path, text)
          throw new ApiError(422, `Invalid request.\n\n${text}`)
        }
        for (const field of this.unknownFields(schema, body, 'body')) {
          this.violation(
            'unknown-body-field',
            method,
            path,
            `${field} is not in the schema (GitHub ignores it)`
          )
        }
      }
    }
    return { template, operation: op.operationId, params: hit.params }
  }

  private checkParam(op: SpecOperation, p: SpecParameter, value: string): boolean {
    if (!p.schema) return true
    const v = this.spec.paramValidator(`${op.operationId} ${p.in} ${p.name}`, p.schema)
    const type = p.schema.type
    const coerced =
      type === 'integer' || type === 'number' ? Number(value) : type === 'boolean' ? value === 'true' : value
    if ((type === 'integer' || type === 'number') && (value.trim() === '' || Number.isNaN(coerced)))
      return false
    if (type === 'boolean' && value !== 'true' && value !== 'false') return false
    return v(coerced) as boolean
  }

  /** Body fields the schema does not define where it lists its properties (GitHub drops them silently). */
  private unknownFields(schema: Record<string, unknown>, value: unknown, at: string): string[] {
    if (typeof schema.$ref === 'string') {
      const resolved = this.spec.schema(schema.$ref)
      return resolved ? this.unknownFields(resolved, value, at) : []
    }
    const oneOf = (schema.oneOf ?? schema.anyOf) as Array<Record<string, unknown>> | undefined
    if (oneOf) return oneOf.length === 1 ? this.unknownFields(oneOf[0], value, at) : []
    if (Array.isArray(value) && schema.items && typeof schema.items === 'object') {
      return value.flatMap((item, i) =>
        this.unknownFields(schema.items as Record<string, unknown>, item, `${at}[${i}]`)
      )
    }
    const props = schema.properties as Record<string, Record<string, unknown>> | undefined
    if (!props || value === null || typeof value !== 'object' || Array.isArray(value)) return []
    if (schema.additionalProperties !== undefined || schema.allOf) return []
    const out: string[] = []
    for (const [key, v] of Object.entries(value)) {
      if (!(key in props)) out.push(`${at}.${key}`)
      else out.push(...this.unknownFields(props[key], v, `${at}.${key}`))
    }
    return out
  }

  private applyFault(method: string, path: string, template: string): void {
    const i = this.faults.findIndex(f => {
      if (f.remaining <= 0) return false
      if (f.match.method && f.match.method.toUpperCase() !== method) return false
      const p = f.match.path
      if (p === undefined) return true
      return typeof p === 'string' ? p === path || p === template : p.test(path)
    })
    if (i < 0) return
    const { fault } = this.faults[i]
    this.faults[i].remaining--
    if ('status' in fault) throw new ApiError(fault.status, fault.message ?? 'Server Error')
    switch (fault.kind) {
      case 'secondary-rate-limit':
        throw new ApiError(
          403,
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID FAKE.',
          {},
          { 'retry-after': String(fault.retryAfter ?? 1) }
        )
      case 'primary-rate-limit':
        throw new ApiError(
          403,
          'API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID FAKE.',
          {},
          {
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + (fault.resetIn ?? 0))
          }
        )
      case 'actions-cannot-create-pull-requests':
        throw new ApiError(403, 'GitHub Actions is not permitted to create or approve pull requests.')
      case 'not-accessible':
        throw new ApiError(403, 'Resource not accessible by integration')
      case 'bad-credentials':
        throw new ApiError(401, 'Bad credentials')
      case 'could-not-resolve-node':
        throw new ApiError(422, "Could not resolve to a node with the global id of 'PR_kwFAKE'.")
      case 'before':
        fault.action()
        return
    }
  }

  // --- endpoint handlers -----------------------------------------------------------------------

  private buildHandlers(): Record<string, Handler> {
    const r = '/repos/{owner}/{repo}'
    return {
      [`GET ${r}`]: ({ repo }) => ({ data: this.repoJson(repo) }),
      [`GET ${r}/branches/{branch}`]: ({ repo, params }) => {
        const sha = repo.refs.get(`refs/heads/${params.branch}`)
        if (!sha) throw new ApiError(404, 'Branch not found')
        return {
          data: {
            name: params.branch,
            commit: this.commitJson(repo, sha),
            _links: { self: `${this.api(repo)}/branches/${params.branch}`, html: '' },
            protected: false,
            protection_url: `${this.api(repo)}/branches/${params.branch}/protection`
          }
        }
      },
      [`GET ${r}/commits`]: ({ repo, query }) => {
        this.notEmpty(repo)
        const start = repo.resolve(query.sha ?? repo.defaultBranch)
        if (!start) throw new ApiError(404, 'Not Found')
        const perPage = Number(query.per_page ?? 30)
        const shas = [...repo.ancestors(start)].sort((a, b) => this.byDateDesc(repo, a, b)).slice(0, perPage)
        return { data: shas.map(s => this.commitJson(repo, s)) }
      },
      [`GET ${r}/compare/{basehead}`]: ({ repo, params }) => {
        this.notEmpty(repo)
        const [baseRef, headRef] = params.basehead.split('...')
        const base = repo.resolve(baseRef ?? '')
        const head = repo.resolve(headRef ?? '')
        if (!base || !head || headRef === undefined) throw new ApiError(404, 'Not Found')
        const baseAnc = repo.ancestors(base)
        const headAnc = repo.ancestors(head)
        const ahead = [...headAnc].filter(s => !baseAnc.has(s)).sort((a, b) => -this.byDateDesc(repo, a, b))
        const behind = [...baseAnc].filter(s => !headAnc.has(s))
        const common = [...headAnc].filter(s => baseAnc.has(s)).sort((a, b) => this.byDateDesc(repo, a, b))
        const status =
          ahead.length && behind.length
            ? 'diverged'
            : ahead.length
              ? 'ahead'
              : behind.length
                ? 'behind'
                : 'identical'
        return {
          data: {
            url: `${this.api(repo)}/compare/${params.basehead}`,
            html_url: `https://github.com/${repo.owner}/${repo.name}/compare/${params.basehead}`,
            permalink_url: `https://github.com/${repo.owner}/${repo.name}/compare/${base}...${head}`,
            diff_url: '',
            patch_url: '',
            base_commit: this.commitJson(repo, base),
            merge_base_commit: this.commitJson(repo, common[0] ?? base),
            status,
            ahead_by: ahead.length,
            behind_by: behind.length,
            total_commits: ahead.length,
            commits: ahead.slice(0, 250).map(s => this.commitJson(repo, s)),
            files: []
          }
        }
      },
      [`GET ${r}/git/trees/{tree_sha}`]: ({ repo, params, query }) => {
        this.notEmpty(repo)
        const sha = repo.tree(params.tree_sha)
          ? params.tree_sha
          : repo.commit(repo.resolve(params.tree_sha) ?? '')?.tree
        if (!sha) throw new ApiError(404, 'Not Found')
        const tree: unknown[] = []
        const walk = (treeSha: string, prefix: string): void => {
          for (const e of [...repo.tree(treeSha)!].sort(treeOrder)) {
            tree.push(this.treeEntryJson(repo, prefix + e.name, e))
            if (e.type === 'tree' && query.recursive !== undefined) walk(e.sha, `${prefix}${e.name}/`)
          }
        }
        walk(sha, '')
        return { data: { sha, url: `${this.api(repo)}/git/trees/${sha}`, tree, truncated: false } }
      },
      [`GET ${r}/git/blobs/{file_sha}`]: ({ repo, params }) => {
        this.notEmpty(repo)
        const content = repo.blob(params.file_sha)
        if (!content) throw new ApiError(404, 'Not Found')
        // GitHub wraps the base64 text at 60 characters.
        const b64 = (content.toString('base64').match(/.{1,60}/g) ?? []).join('\n')
        return {
          data: {
            sha: params.file_sha,
            node_id: `B_${params.file_sha.slice(0, 8)}`,
            size: content.length,
            url: `${this.api(repo)}/git/blobs/${params.file_sha}`,
            content: b64 === '' ? '' : `${b64}\n`,
            encoding: 'base64'
          }
        }
      },
      [`POST ${r}/git/blobs`]: ({ repo, body }) => {
        this.notEmpty(repo)
        const content = Buffer.from(String(body.content), body.encoding === 'base64' ? 'base64' : 'utf8')
        const sha = repo.put({ type: 'blob', content })
        return { status: 201, data: { sha, url: `${this.api(repo)}/git/blobs/${sha}` } }
      },
      [`POST ${r}/git/trees`]: ctx => this.createTree(ctx),
      [`POST ${r}/git/commits`]: ({ repo, body }) => {
        this.notEmpty(repo)
        const tree = String(body.tree)
        if (!repo.tree(tree)) throw new ApiError(422, 'Tree SHA does not exist')
        const parents = (body.parents as string[] | undefined) ?? []
        for (const p of parents) {
          if (!repo.commit(p)) throw new ApiError(422, 'Parent SHA does not exist or is not a commit object')
        }
        const custom =
          body.author !== undefined || body.committer !== undefined || body.signature !== undefined
        const a = body.author as { name: string; email: string } | undefined
        const c = (body.committer as { name: string; email: string } | undefined) ?? a
        const author: FakePerson = a ? { name: a.name, email: a.email } : this.actor
        const committer: FakePerson = c
          ? { name: c.name, email: c.email }
          : this.actor.type === 'Bot'
            ? WEB_FLOW
            : this.actor
        // GitHub signs API commits only for apps and bots, and only without custom identity or signature.
        const verified = !custom && this.actor.type === 'Bot'
        const sha = this.writeCommit(repo, tree, parents, String(body.message), author, committer, verified)
        const json = this.commitJson(repo, sha)
        return {
          status: 201,
          data: {
            sha,
            node_id: json.node_id,
            html_url: json.html_url,
            ...json.commit,
            parents: json.parents
          }
        }
      },
      [`GET ${r}/git/commits/{commit_sha}`]: ({ repo, params }) => {
        this.notEmpty(repo)
        if (!repo.commit(params.commit_sha)) throw new ApiError(404, 'Not Found')
        const json = this.commitJson(repo, params.commit_sha)
        return {
          data: {
            sha: json.sha,
            node_id: json.node_id,
            html_url: json.html_url,
            ...json.commit,
            parents: json.parents
          }
        }
      },
      [`GET ${r}/git/ref/{ref}`]: ({ repo, params }) => {
        this.notEmpty(repo)
        const sha = repo.refs.get(`refs/${params.ref}`)
        if (!sha) throw new ApiError(404, 'Not Found')
        return { data: this.refJson(repo, `refs/${params.ref}`, sha) }
      },
      [`GET ${r}/git/matching-refs/{ref}`]: ({ repo, params }) => {
        this.notEmpty(repo)
        const prefix = `refs/${params.ref}`
        const refs = [...repo.refs]
          .filter(([name]) => name.startsWith(prefix))
          .sort(([a], [b]) => (a < b ? -1 : 1))
        return { data: refs.map(([name, sha]) => this.refJson(repo, name, sha)) }
      },
      [`POST ${r}/git/refs`]: ({ repo, body }) => {
        this.notEmpty(repo)
        const ref = String(body.ref)
        if (!/^refs\/[^/]+\/.+/.test(ref)) {
          throw new ApiError(422, "Reference name must start with 'refs/' and have at least two slashes.")
        }
        if (!repo.objects.has(String(body.sha))) throw new ApiError(422, 'Object does not exist')
        if (repo.refs.has(ref)) throw new ApiError(422, 'Reference already exists')
        this.moveRef(repo, ref, String(body.sha))
        return { status: 201, data: this.refJson(repo, ref, String(body.sha)) }
      },
      [`PATCH ${r}/git/refs/{ref}`]: ({ repo, params, body }) => {
        this.notEmpty(repo)
        const ref = `refs/${params.ref}`
        const current = repo.refs.get(ref)
        if (!current) throw new ApiError(422, 'Reference does not exist')
        const sha = String(body.sha)
        if (!repo.commit(sha)) throw new ApiError(422, 'Object does not exist')
        if (body.force !== true && !repo.ancestors(sha).has(current)) {
          throw new ApiError(422, 'Update is not a fast forward')
        }
        this.moveRef(repo, ref, sha)
        return { data: this.refJson(repo, ref, sha) }
      },
      [`DELETE ${r}/git/refs/{ref}`]: ({ repo, params }) => {
        this.notEmpty(repo)
        if (!repo.refs.delete(`refs/${params.ref}`)) throw new ApiError(422, 'Reference does not exist')
        return { status: 204, data: undefined }
      },
      [`GET ${r}/pulls`]: ({ repo, query, method, path }) => {
        const state = query.state ?? 'open'
        let list = repo.pulls.filter(p => state === 'all' || p.state === state)
        if (query.head !== undefined) {
          const [owner, branch] = query.head.includes(':')
            ? query.head.split(/:(.*)/s)
            : [undefined, undefined]
          if (owner === undefined) {
            // GitHub ignores a head filter without "owner:" and returns every PR.
            this.violation(
              'ignored-filter',
              method,
              path,
              `head="${query.head}" lacks "owner:", GitHub ignores it`
            )
          } else {
            list = list.filter(p => owner.toLowerCase() === repo.owner.toLowerCase() && p.head === branch)
          }
        }
        if (query.base !== undefined) list = list.filter(p => p.base === query.base)
        list = [...list].sort((a, b) => b.number - a.number)
        const perPage = Number(query.per_page ?? 30)
        const page = Number(query.page ?? 1)
        return { data: list.slice((page - 1) * perPage, page * perPage).map(p => this.pullJson(repo, p)) }
      },
      [`POST ${r}/pulls`]: ({ repo, body }) => {
        if (!repo.actionsCanCreatePullRequests && this.actor.login === GITHUB_ACTIONS_BOT.login) {
          throw new ApiError(403, 'GitHub Actions is not permitted to create or approve pull requests.')
        }
        let head = String(body.head)
        if (head.includes(':')) {
          const [owner, branch] = head.split(/:(.*)/s)
          if (owner.toLowerCase() !== repo.owner.toLowerCase()) throw validationFailed('head: invalid')
          head = branch
        }
        const pr = this.createPull(repo, {
          head,
          base: String(body.base),
          title: String(body.title ?? ''),
          body: body.body as string | undefined,
          draft: body.draft === true,
          user: this.actor.login
        })
        return { status: 201, data: this.pullJson(repo, pr) }
      },
      [`GET ${r}/pulls/{pull_number}`]: ({ repo, params }) => {
        const pr = repo.pulls.find(p => p.number === Number(params.pull_number))
        if (!pr) throw new ApiError(404, 'Not Found')
        return { data: this.pullJson(repo, pr) }
      },
      [`PATCH ${r}/pulls/{pull_number}`]: ({ repo, params, body }) => {
        const pr = repo.pulls.find(p => p.number === Number(params.pull_number))
        if (!pr) throw new ApiError(404, 'Not Found')
        if (body.title !== undefined) pr.title = String(body.title)
        if (body.body !== undefined) pr.body = body.body as string
        if (body.base !== undefined) pr.base = String(body.base)
        if (body.state === 'closed' && pr.state === 'open')
          Object.assign(pr, { state: 'closed', closedAt: this.now() })
        if (body.state === 'open' && pr.state === 'closed' && !pr.merged) {
          Object.assign(pr, { state: 'open', closedAt: null })
        }
        pr.updatedAt = this.now()
        return { data: this.pullJson(repo, pr) }
      },
      [`POST ${r}/issues/{issue_number}/labels`]: ({ repo, params, body }) => {
        const pr = this.issue(repo, params.issue_number)
        for (const l of (body.labels as Array<string | { name: string }>) ?? []) {
          const name = typeof l === 'string' ? l : l.name
          // Adding a label that does not exist yet creates it, as on GitHub.
          if (!repo.labels.has(name)) repo.labels.set(name, { id: this.nextId++, name, color: 'ededed' })
          if (!pr.labels.includes(name)) pr.labels.push(name)
        }
        return { data: pr.labels.map(n => this.labelJson(repo, n)) }
      },
      [`POST ${r}/issues/{issue_number}/assignees`]: ({ repo, params, body }) => {
        const pr = this.issue(repo, params.issue_number)
        for (const a of (body.assignees as Array<string | { login: string }>) ?? []) {
          const login = typeof a === 'string' ? a : a.login
          if (!pr.assignees.includes(login)) pr.assignees.push(login)
        }
        return { status: 201, data: this.pullJson(repo, pr) }
      },
      [`POST ${r}/pulls/{pull_number}/requested_reviewers`]: ({ repo, params, body }) => {
        const pr = repo.pulls.find(p => p.number === Number(params.pull_number))
        if (!pr) throw new ApiError(404, 'Not Found')
        const reviewers = (body.reviewers as string[] | undefined) ?? []
        if (reviewers.includes(pr.user))
          throw new ApiError(422, 'Review cannot be requested from pull request author.')
        for (const u of reviewers) if (!pr.requestedReviewers.includes(u)) pr.requestedReviewers.push(u)
        for (const t of (body.team_reviewers as string[] | undefined) ?? []) {
          if (!pr.requestedTeams.includes(t)) pr.requestedTeams.push(t)
        }
        return { status: 201, data: this.pullJson(repo, pr) }
      }
    }
  }

  private createTree({ repo, body }: Ctx): { status: number; data: unknown } {
    this.notEmpty(repo)
    let flat: Flat = new Map()
    if (body.base_tree !== undefined) {
      const base = String(body.base_tree)
      if (!repo.tree(base)) throw new ApiError(422, 'base_tree is not a valid tree oid')
      flat = repo.flatten(base)
    }
    const entries = body.tree as Array<Record<string, unknown>>
    for (const e of entries) {
      const path = e.path
      if (typeof path !== 'string' || path === '' || path.startsWith('/') || path.endsWith('/')) {
        throw new ApiError(422, `tree.path contains a malformed path component`)
      }
      if (path.split('/').some(p => p === '' || p === '.' || p === '..' || p === '.git')) {
        throw new ApiError(422, `tree.path contains a malformed path component`)
      }
      const mode = e.mode as Mode | undefined
      const type = e.type as EntryType | undefined
      if (!mode) throw new ApiError(422, 'Must supply a valid tree.mode')
      if (!type) throw new ApiError(422, 'Must supply a valid tree.type')
      if ((type === 'tree') !== (mode === '040000') || (type === 'commit') !== (mode === '160000')) {
        throw new ApiError(422, `tree.mode ${mode} does not match tree.type ${type}`)
      }
      const hasSha = 'sha' in e
      const hasContent = 'content' in e
      if (hasSha === hasContent) {
        throw new ApiError(
          422,
          'Must supply either tree.sha or tree.content. Request will be rejected if both are present.'
        )
      }
      if (hasSha && e.sha === null) {
        const under = [...flat.keys()].filter(p => p.startsWith(`${path}/`))
        // Deleting a path that is not there fails on GitHub.
        if (!flat.has(path) && under.length === 0) throw new ApiError(422, 'GitRPC::BadObjectState')
        flat.delete(path)
        for (const p of under) flat.delete(p)
        continue
      }
      for (const p of [...flat.keys()]) if (p.startsWith(`${path}/`)) flat.delete(p)
      if (hasContent) {
        if (type !== 'blob') throw new ApiError(422, 'tree.content can only be used with blobs')
        const sha = repo.put({ type: 'blob', content: Buffer.from(String(e.content), 'utf8') })
        flat.set(path, { mode, type, sha })
      } else if (type === 'tree') {
        const sha = String(e.sha)
        if (!repo.tree(sha)) throw new ApiError(422, 'GitRPC::BadObjectState')
        for (const [p, leaf] of repo.flatten(sha)) flat.set(`${path}/${p}`, leaf)
      } else {
        const sha = String(e.sha)
        if (type === 'blob' && !repo.blob(sha)) throw new ApiError(422, 'GitRPC::BadObjectState')
        flat.set(path, { mode, type, sha })
      }
    }
    const sha = repo.build(flat)
    const tree = [...repo.tree(sha)!].sort(treeOrder).map(e => this.treeEntryJson(repo, e.name, e))
    return { status: 201, data: { sha, url: `${this.api(repo)}/git/trees/${sha}`, tree, truncated: false } }
  }

  private notEmpty(repo: RepoState): void {
    if (repo.empty) throw new ApiError(409, 'Git Repository is empty.')
  }

  private issue(repo: RepoState, number: string): FakePull {
    const pr = repo.pulls.find(p => p.number === Number(number))
    if (!pr) throw new ApiError(404, 'Not Found')
    return pr
  }

  private byDateDesc(repo: RepoState, a: string, b: string): number {
    const da = repo.commit(a)!.date
    const db = repo.commit(b)!.date
    return da === db ? 0 : da < db ? 1 : -1
  }

  // --- JSON shapes -----------------------------------------------------------------------------

  private api(repo: RepoState): string {
    return `${this.url}/repos/${repo.owner}/${repo.name}`
  }

  private user(login: string, type: 'User' | 'Bot' = 'User'): Record<string, unknown> {
    const id = login === GITHUB_ACTIONS_BOT.login ? 41898282 : login === 'web-flow' ? 19864447 : 583231
    return {
      login,
      id,
      node_id: `U_${login}`,
      type: login.endsWith('[bot]') ? 'Bot' : type,
      site_admin: false,
      url: `${this.url}/users/${encodeURIComponent(login)}`,
      html_url: `https://github.com/${login}`
    }
  }

  private repoJson(repo: RepoState): Record<string, unknown> {
    return {
      id: repo.id,
      node_id: `R_${repo.id}`,
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      owner: this.user(repo.owner),
      private: false,
      html_url: `https://github.com/${repo.owner}/${repo.name}`,
      url: this.api(repo),
      fork: false,
      default_branch: repo.defaultBranch,
      size: repo.empty ? 0 : 1,
      visibility: 'public',
      archived: false,
      disabled: false
    }
  }

  private person(p: FakePerson, date: string): Record<string, unknown> {
    return { name: p.name, email: p.email, date }
  }

  private commitJson(repo: RepoState, sha: string) {
    const c = repo.commit(sha)!
    const verification = {
      verified: c.verified,
      reason: c.verified ? 'valid' : 'unsigned',
      signature: c.verified ? '-----BEGIN PGP SIGNATURE-----\nfake\n-----END PGP SIGNATURE-----' : null,
      payload: c.verified ? 'fake' : null,
      verified_at: c.verified ? c.date : null
    }
    return {
      sha,
      node_id: `C_${sha.slice(0, 10)}`,
      url: `${this.api(repo)}/commits/${sha}`,
      html_url: `https://github.com/${repo.owner}/${repo.name}/commit/${sha}`,
      comments_url: `${this.api(repo)}/commits/${sha}/comments`,
      commit: {
        author: this.person(c.author, c.date),
        committer: this.person(c.committer, c.date),
        message: c.message,
        tree: { sha: c.tree, url: `${this.api(repo)}/git/trees/${c.tree}` },
        url: `${this.api(repo)}/git/commits/${sha}`,
        comment_count: 0,
        verification
      },
      author: c.author.login ? this.user(c.author.login, c.author.type) : null,
      committer: c.committer.login ? this.user(c.committer.login, c.committer.type) : null,
      parents: c.parents.map(p => ({
        sha: p,
        url: `${this.api(repo)}/commits/${p}`,
        html_url: `https://github.com/${repo.owner}/${repo.name}/commit/${p}`
      }))
    }
  }

  private treeEntryJson(repo: RepoState, path: string, e: TreeEntry): Record<string, unknown> {
    const kind = e.type === 'tree' ? 'trees' : 'blobs'
    const json: Record<string, unknown> = { path, mode: e.mode, type: e.type, sha: e.sha }
    if (e.type === 'blob') json.size = repo.blob(e.sha)?.length ?? 0
    if (e.type !== 'commit') json.url = `${this.api(repo)}/git/${kind}/${e.sha}`
    return json
  }

  private refJson(repo: RepoState, ref: string, sha: string): Record<string, unknown> {
    return {
      ref,
      node_id: `REF_${ref}`,
      url: `${this.api(repo)}/git/${ref}`,
      object: { type: 'commit', sha, url: `${this.api(repo)}/git/commits/${sha}` }
    }
  }

  private labelJson(repo: RepoState, name: string): Record<string, unknown> {
    const l = repo.labels.get(name)!
    return {
      id: l.id,
      node_id: `LA_${l.id}`,
      url: `${this.api(repo)}/labels/${name}`,
      name,
      color: l.color,
      default: false,
      description: null
    }
  }

  private pullJson(repo: RepoState, p: FakePull): Record<string, unknown> {
    const headSha = p.state === 'open' ? (repo.refs.get(`refs/heads/${p.head}`) ?? p.headSha) : p.headSha
    const baseSha = repo.refs.get(`refs/heads/${p.base}`) ?? ''
    const side = (ref: string, sha: string) => ({
      label: `${repo.owner}:${ref}`,
      ref,
      sha,
      user: this.user(repo.owner),
      repo: this.repoJson(repo)
    })
    return {
      url: `${this.api(repo)}/pulls/${p.number}`,
      id: 5000 + p.number,
      node_id: `PR_${p.number}`,
      html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${p.number}`,
      number: p.number,
      state: p.state,
      locked: false,
      title: p.title,
      user: this.user(p.user),
      body: p.body,
      labels: p.labels.map(n => this.labelJson(repo, n)),
      assignee: p.assignees.length > 0 ? this.user(p.assignees[0]) : null,
      assignees: p.assignees.map(a => this.user(a)),
      requested_reviewers: p.requestedReviewers.map(u => this.user(u)),
      requested_teams: p.requestedTeams.map(t => ({ id: 1, slug: t, name: t })),
      head: side(p.head, headSha),
      base: side(p.base, baseSha),
      draft: p.draft,
      merged: p.merged,
      merged_at: p.mergedAt,
      closed_at: p.closedAt,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
      merge_commit_sha: p.mergeCommitSha,
      author_association: 'CONTRIBUTOR'
    }
  }
}

/** Starts a fake GitHub on a random port of 127.0.0.1. Call `close()` when done. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const fake = new FakeGitHubServer(options)
  await fake.listen()
  return fake
}
