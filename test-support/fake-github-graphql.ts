/**
 * The GraphQL side of the fake GitHub (`POST /graphql`), which `fake-github.ts` hands the parsed
 * request body to once it has applied faults and checked the token.
 *
 * Every query is parsed and validated against GitHub's published schema (`@octokit/graphql-schema`,
 * built once per module instance on the first GraphQL request, about 0.2 s), plus GitHub's rule
 * that every connection takes `first` or `last` between 1 and 100. A query GitHub would refuse gets
 * GitHub's kind of answer, HTTP 200 with `{"errors": [...]}`, and is recorded as an
 * `invalid-graphql` violation. Valid queries run against the fake's repositories with
 * `graphql-js`; a field the fake does not model is an `unimplemented` violation and a field error.
 *
 * Modelled: `repository(owner, name)` with `name`, `nameWithOwner`, `isEmpty`,
 * `defaultBranchRef` and `ref(qualifiedName:)` (branches: `Ref { name target }`),
 * `pullRequests(headRefName, baseRefName, states, first, orderBy: CREATED_AT)` (`PullRequest
 * { number url title body state merged headRefName headRefOid baseRefName headRepository labels
 * assignees }`), and
 * `object(oid:)` / `object(expression: "<ref or oid>" | "<ref or oid>:<path>")`, resolving to
 * `Blob { oid abbreviatedOid byteSize isBinary isTruncated text }`,
 * `Tree { oid abbreviatedOid entries { name path mode type oid size object } }` and
 * `Commit { oid abbreviatedOid message tree parents }`.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import {
  buildClientSchema,
  defaultFieldResolver,
  executeSync,
  getNamedType,
  getOperationAST,
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type IntrospectionQuery,
  type ValidationRule
} from 'graphql'

// ---------------------------------------------------------------------------------------------
// What the fake's repositories look like from here (fake-github.ts's RepoState fits)

/** A git object as the fake stores it. */
export type GraphQLGitObject =
  | { type: 'blob'; content: Buffer }
  | { type: 'tree'; entries: ReadonlyArray<{ name: string; mode: string; type: string; sha: string }> }
  | { type: 'commit'; tree: string; message: string; parents: readonly string[] }

/** A pull request as the fake stores it (fake-github.ts's FakePull fits). */
export interface GraphQLPull {
  readonly number: number
  readonly state: 'open' | 'closed'
  readonly merged: boolean
  readonly title: string
  readonly body: string | null
  readonly head: string
  readonly base: string
  readonly headSha: string
  readonly labels: readonly string[]
  readonly assignees: readonly string[]
  readonly createdAt: string
}

/** One repository of the fake. */
export interface GraphQLRepo {
  readonly owner: string
  readonly name: string
  readonly defaultBranch: string
  readonly objects: ReadonlyMap<string, GraphQLGitObject>
  /** `refs/heads/main` → commit SHA. */
  readonly refs: ReadonlyMap<string, string>
  readonly pulls: readonly GraphQLPull[]
  /** No commit at all. */
  readonly empty: boolean
  /** A branch, tag or full commit SHA to a commit SHA. */
  resolve(ref: string): string | undefined
}

/** What a GraphQL request can see and report. */
export interface GraphQLEnvironment {
  repo(owner: string, name: string): GraphQLRepo | undefined
  /** Blobs longer than this many bytes get a cut `text` and `isTruncated: true`. */
  textLimit: number
  violation(kind: 'invalid-graphql' | 'unimplemented', message: string): void
}

/** The JSON body to answer (always with HTTP 200), and the operation's type when it parsed. */
export interface GraphQLAnswer {
  body: { data?: unknown; errors?: unknown[] }
  operation?: 'query' | 'mutation' | 'subscription'
}

// ---------------------------------------------------------------------------------------------
// The schema

let schema: GraphQLSchema | undefined

/** GitHub's schema from `@octokit/graphql-schema`, built on first use. */
function githubSchema(): GraphQLSchema {
  if (!schema) {
    // The package exports only its ESM entry, which parses the schema eagerly; read the file directly.
    const require = createRequire(import.meta.url)
    const file = (require.resolve.paths('@octokit/graphql-schema') ?? [])
      .map(dir => join(dir, '@octokit', 'graphql-schema', 'schema.json'))
      .find(f => existsSync(f))
    if (!file) throw new Error('fake-github: @octokit/graphql-schema is not installed')
    const json = JSON.parse(readFileSync(file, 'utf8')) as IntrospectionQuery | { data: IntrospectionQuery }
    schema = buildClientSchema('data' in json ? json.data : json)
  }
  return schema
}

/**
 * GitHub's node-limit rule that graphql-js does not know: every connection needs `first` or
 * `last`, and a literal value must lie within 1–100.
 */
const connectionArguments: ValidationRule = context => ({
  Field(node) {
    const field = context.getFieldDef()
    if (!field || !getNamedType(field.type).name.endsWith('Connection')) return
    const name = node.name.value
    const limits = (node.arguments ?? []).filter(a => a.name.value === 'first' || a.name.value === 'last')
    if (limits.length === 0) {
      context.reportError(
        new GraphQLError(
          `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
          { nodes: node }
        )
      )
    }
    for (const a of limits) {
      const n = a.value.kind === Kind.INT ? Number(a.value.value) : undefined
      if (n !== undefined && (n < 1 || n > 100)) {
        context.reportError(
          new GraphQLError(
            `Requesting ${n} records on the \`${name}\` connection exceeds the \`${a.name.value}\` limit of 100 records.`,
            { nodes: a }
          )
        )
      }
    }
  }
})

// ---------------------------------------------------------------------------------------------
// Answering

/** A field error with GitHub's top-level `type` (`NOT_FOUND`, `FORBIDDEN`, …). */
class TypedError extends Error {
  constructor(
    readonly type: string,
    message: string
  ) {
    super(message)
  }
}

function formatErrors(errors: readonly GraphQLError[]): unknown[] {
  return errors.map(e => {
    const json = e.toJSON()
    return e.originalError instanceof TypedError ? { type: e.originalError.type, ...json } : json
  })
}

/** Answers one GraphQL request body as GitHub would. */
export function answerGraphQL(body: unknown, env: GraphQLEnvironment): GraphQLAnswer {
  const request = (body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown }
  if (typeof request.query !== 'string') {
    const message = 'A query attribute must be specified and must be a string.'
    env.violation('invalid-graphql', message)
    return { body: { errors: [{ message }] } }
  }
  const variables = request.variables ?? {}
  if (typeof variables !== 'object' || Array.isArray(variables)) {
    const message = 'Variables are invalid JSON.'
    env.violation('invalid-graphql', message)
    return { body: { errors: [{ message }] } }
  }
  let document: DocumentNode
  try {
    document = parse(request.query)
  } catch (error) {
    const e = error as GraphQLError
    env.violation('invalid-graphql', e.message)
    return { body: { errors: formatErrors([e]) } }
  }
  const s = githubSchema()
  const invalid = validate(s, document, [...specifiedRules, connectionArguments])
  if (invalid.length > 0) {
    for (const e of invalid) env.violation('invalid-graphql', e.message)
    return { body: { errors: formatErrors(invalid) } }
  }
  const operationName = typeof request.operationName === 'string' ? request.operationName : undefined
  const operation = getOperationAST(document, operationName)?.operation
  if (operation !== 'query') {
    const message = `fake-github does not implement GraphQL ${operation ?? 'operations'} (only queries)`
    env.violation('unimplemented', message)
    return { body: { errors: [{ message }] }, operation }
  }
  const result = executeSync({
    schema: s,
    document,
    operationName,
    variableValues: variables as Record<string, unknown>,
    rootValue: root(env),
    contextValue: env,
    fieldResolver
  })
  const errors = result.errors ? formatErrors(result.errors) : undefined
  // No data at all: the variables did not fit the query, which GitHub refuses like a bad query.
  if (result.errors && result.data === undefined) {
    for (const e of result.errors) env.violation('invalid-graphql', e.message)
  }
  return {
    body: { ...(result.data !== undefined ? { data: result.data } : {}), ...(errors ? { errors } : {}) },
    operation
  }
}

/** Reads plain fields and calls methods; a field the fake's object lacks is an `unimplemented` violation. */
const fieldResolver: GraphQLFieldResolver<unknown, GraphQLEnvironment> = (source, args, env, info) => {
  if (source !== null && typeof source === 'object' && !(info.fieldName in source)) {
    const message = `fake-github does not implement ${info.parentType.name}.${info.fieldName}`
    env.violation('unimplemented', message)
    throw new Error(message)
  }
  return defaultFieldResolver(source, args, env, info)
}

function root(env: GraphQLEnvironment): Record<string, unknown> {
  return {
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = env.repo(owner, name)
      if (!repo)
        throw new TypedError(
          'NOT_FOUND',
          `Could not resolve to a Repository with the name '${owner}/${name}'.`
        )
      return repositoryNode(repo, env)
    }
  }
}

function repositoryNode(repo: GraphQLRepo, env: GraphQLEnvironment): Record<string, unknown> {
  const refNode = (qualified: string) => {
    const sha = repo.refs.get(qualified)
    if (!sha || !qualified.startsWith('refs/heads/')) return null
    return {
      __typename: 'Ref',
      name: qualified.slice('refs/heads/'.length),
      prefix: 'refs/heads/',
      target: () => objectNode(repo, env, sha, '')
    }
  }
  return {
    __typename: 'Repository',
    name: repo.name,
    nameWithOwner: `${repo.owner}/${repo.name}`,
    isEmpty: repo.empty,
    defaultBranchRef: () => refNode(`refs/heads/${repo.defaultBranch}`),
    ref: ({ qualifiedName }: { qualifiedName: string }) =>
      refNode(qualifiedName.startsWith('refs/') ? qualifiedName : `refs/heads/${qualifiedName}`),
    pullRequests: (args: {
      headRefName?: string
      baseRefName?: string
      states?: string[]
      first?: number
      last?: number
      orderBy?: { field: string; direction: string }
    }) => {
      if (args.orderBy && args.orderBy.field !== 'CREATED_AT') {
        const message = `fake-github orders pull requests by CREATED_AT only, not ${args.orderBy.field}`
        env.violation('unimplemented', message)
        throw new Error(message)
      }
      const state = (p: GraphQLPull) => (p.state === 'open' ? 'OPEN' : p.merged ? 'MERGED' : 'CLOSED')
      let list = repo.pulls.filter(
        p =>
          (args.headRefName === undefined || p.head === args.headRefName) &&
          (args.baseRefName === undefined || p.base === args.baseRefName) &&
          (args.states === undefined || args.states.includes(state(p)))
      )
      // GitHub's default order is oldest first; CREATED_AT DESC is newest first.
      list = [...list].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.number - b.number)
      if (args.orderBy?.direction === 'DESC') list.reverse()
      list = args.first !== undefined ? list.slice(0, args.first) : list.slice(-(args.last ?? list.length))
      const nodes = list.map(p => ({
        __typename: 'PullRequest',
        number: p.number,
        url: `https://github.com/${repo.owner}/${repo.name}/pull/${p.number}`,
        title: p.title,
        body: p.body ?? '',
        state: state(p),
        merged: p.merged,
        headRefName: p.head,
        baseRefName: p.base,
        // An open pull request follows its branch; a closed one keeps the head it had.
        headRefOid: p.state === 'open' ? (repo.refs.get(`refs/heads/${p.head}`) ?? p.headSha) : p.headSha,
        headRepository: { __typename: 'Repository', nameWithOwner: `${repo.owner}/${repo.name}` },
        labels: ({ first }: { first?: number }) => ({
          nodes: p.labels.slice(0, first).map(name => ({ name }))
        }),
        assignees: ({ first }: { first?: number }) => ({
          nodes: p.assignees.slice(0, first).map(login => ({ login }))
        })
      }))
      return { nodes, totalCount: nodes.length }
    },
    object: ({ oid, expression }: { oid?: string; expression?: string }) => {
      if (typeof oid === 'string') return objectNode(repo, env, oid.toLowerCase(), '')
      if (typeof expression !== 'string') return null
      const colon = expression.indexOf(':')
      const rev = colon < 0 ? expression : expression.slice(0, colon)
      const commit = repo.resolve(rev === '' || rev === 'HEAD' ? repo.defaultBranch : rev)
      if (!commit) return null
      if (colon < 0) return objectNode(repo, env, commit, '')
      const start = repo.objects.get(commit)
      let sha = start?.type === 'commit' ? start.tree : commit
      const path = expression
        .slice(colon + 1)
        .split('/')
        .filter(p => p !== '')
      for (const part of path) {
        const tree = repo.objects.get(sha)
        const entry = tree?.type === 'tree' ? tree.entries.find(e => e.name === part) : undefined
        if (!entry) return null
        sha = entry.sha
      }
      return objectNode(repo, env, sha, path.join('/'))
    }
  }
}

function objectNode(
  repo: GraphQLRepo,
  env: GraphQLEnvironment,
  sha: string,
  path: string
): Record<string, unknown> | null {
  const obj = repo.objects.get(sha)
  if (!obj) return null
  const common = { oid: sha, abbreviatedOid: sha.slice(0, 7), id: `${obj.type}:${sha}` }
  switch (obj.type) {
    case 'blob': {
      // Git's test for binary content: a NUL byte near the start.
      const isBinary = obj.content.subarray(0, 8000).includes(0)
      const isTruncated = !isBinary && obj.content.length > env.textLimit
      const text = isBinary ? null : obj.content.subarray(0, env.textLimit).toString('utf8')
      return { __typename: 'Blob', ...common, byteSize: obj.content.length, isBinary, isTruncated, text }
    }
    case 'tree':
      return {
        __typename: 'Tree',
        ...common,
        entries: () =>
          obj.entries.map(e => {
            const target = repo.objects.get(e.sha)
            return {
              name: e.name,
              path: path === '' ? e.name : `${path}/${e.name}`,
              mode: parseInt(e.mode, 8),
              type: e.type,
              oid: e.sha,
              size: target?.type === 'blob' ? target.content.length : 0,
              object: () => objectNode(repo, env, e.sha, path === '' ? e.name : `${path}/${e.name}`)
            }
          })
      }
    case 'commit':
      return {
        __typename: 'Commit',
        ...common,
        message: obj.message,
        tree: () => objectNode(repo, env, obj.tree, ''),
        parents: ({ first }: { first?: number }) => ({
          nodes: obj.parents.slice(0, first).map(sha => objectNode(repo, env, sha, ''))
        })
      }
  }
}
