/**
 * Where a run starts, in one GraphQL request: the base branch's head (or the repository's default
 * branch, when no base is named), the digest branch's head, and the pull requests from the digest
 * branch. Through REST these are three to four requests (two branches, the pull request listing,
 * and the repository for its default branch).
 *
 * GitHub's GraphQL schema (the `Repository` object): `ref(qualifiedName:)` is null for a branch
 * that does not exist, `isEmpty` is true for a repository without commits, `defaultBranchRef` is
 * null for an empty one, and `pullRequests(headRefName:)` lists pull requests whose head branch
 * has that name, from any fork, so the head repository is checked, as the REST listing's is.
 * A repository that does not exist, or that the token cannot see, is a `NOT_FOUND` error.
 */
import type { Octokit } from './client.js'
import { readError, repositoryMissingError } from './errors.js'

/** A branch's head commit. */
export interface BranchHead {
  name: string
  commitSha: string
  treeSha: string
  parents: string[]
  message: string
}

/** A pull request as far as publishing cares. */
export interface Pull {
  number: number
  url: string
  title: string
  body: string | null
  headSha: string
  merged: boolean
  state: string
  labels: string[]
  assignees: string[]
}

/** What the run starts from. */
export interface StartingRefs {
  /** The base branch's name: the one asked for, or the repository's default branch. */
  baseName: string
  /** Its head; undefined when that branch does not exist. */
  base?: BranchHead
  /** The digest branch's head; undefined when it does not exist. */
  digest?: BranchHead
  /** Pull requests from the digest branch (of this repository) into the base, newest first. */
  pulls: Pull[]
  /** The repository has no commit at all. */
  isEmpty: boolean
}

interface RefAnswer {
  name: string
  target: {
    __typename: string
    oid: string
    message?: string
    tree?: { oid: string }
    parents?: { nodes: Array<{ oid: string }> }
  } | null
}

interface PullAnswer {
  number: number
  url: string
  title: string
  body: string
  state: 'OPEN' | 'CLOSED' | 'MERGED'
  merged: boolean
  headRefOid: string
  baseRefName: string
  headRepository: { nameWithOwner: string } | null
  labels: { nodes: Array<{ name: string }> } | null
  assignees: { nodes: Array<{ login: string }> }
}

interface RefsData {
  repository: {
    isEmpty: boolean
    defaultBranchRef: RefAnswer | null
    base?: RefAnswer | null
    digest: RefAnswer | null
    pullRequests: { nodes: PullAnswer[] }
  } | null
}

/** At most this many pull requests from the digest branch are read (the REST listing read as many). */
const PULLS = 100

const REFS_QUERY = `query startingRefs($owner: String!, $name: String!, $named: Boolean!, $base: String!, $digest: String!, $head: String!) {
  repository(owner: $owner, name: $name) {
    isEmpty
    defaultBranchRef @skip(if: $named) { ...head }
    base: ref(qualifiedName: $base) @include(if: $named) { ...head }
    digest: ref(qualifiedName: $digest) { ...head }
    pullRequests(headRefName: $head, first: ${PULLS}, orderBy: { field: CREATED_AT, direction: DESC }) {
      nodes {
        number url title body state merged headRefOid baseRefName
        headRepository { nameWithOwner }
        labels(first: 100) { nodes { name } }
        assignees(first: 100) { nodes { login } }
      }
    }
  }
}
fragment head on Ref {
  name
  target { __typename oid ... on Commit { message tree { oid } parents(first: 10) { nodes { oid } } } }
}
`

/** Reads the refs a run starts from (see the module comment); `base` empty means the default branch. */
export async function readStartingRefs(
  octokit: Octokit,
  where: { owner: string; repo: string; base?: string; branch: string }
): Promise<StartingRefs> {
  const { owner, repo, branch } = where
  const named = Boolean(where.base?.trim())
  const variables = {
    owner,
    name: repo,
    named,
    base: `refs/heads/${where.base?.trim() ?? ''}`,
    digest: `refs/heads/${branch}`,
    head: branch
  }
  const doing = `reading ${named ? `the base branch "${where.base!.trim()}"` : 'the default branch'}, the digest branch "${branch}" and its pull requests`
  let data: RefsData
  try {
    data = await octokit.graphql<RefsData>(REFS_QUERY, variables)
  } catch (error) {
    throw readError(error, doing, { owner, repo }, { repositoryMissing: true })
  }
  const r = data?.repository
  if (!r) throw repositoryMissingError(owner, repo)
  const baseRef = named ? (r.base ?? null) : r.defaultBranchRef
  const baseName = named ? where.base!.trim() : (r.defaultBranchRef?.name ?? '')
  const pulls = r.pullRequests.nodes
    .filter(p => p.baseRefName === baseName && p.headRepository?.nameWithOwner === `${owner}/${repo}`)
    .map(toPull)
  return { baseName, base: head(baseRef), digest: head(r.digest), pulls, isEmpty: r.isEmpty }
}

function head(ref: RefAnswer | null | undefined): BranchHead | undefined {
  const t = ref?.target
  if (!ref || !t || t.__typename !== 'Commit' || !t.tree) return undefined
  return {
    name: ref.name,
    commitSha: t.oid,
    treeSha: t.tree.oid,
    parents: (t.parents?.nodes ?? []).map(p => p.oid),
    message: t.message ?? ''
  }
}

function toPull(p: PullAnswer): Pull {
  return {
    number: p.number,
    url: p.url,
    title: p.title,
    body: p.body === '' ? null : p.body,
    headSha: p.headRefOid,
    state: p.state === 'OPEN' ? 'open' : 'closed',
    merged: p.merged,
    labels: (p.labels?.nodes ?? []).map(l => l.name),
    assignees: p.assignees.nodes.map(a => a.login)
  }
}
