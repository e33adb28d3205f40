/**
 * The digest branch and its pull requests as a run finds them, read before anything is fetched
 * from arXiv, because what the branch proposes is part of what the digest holds:
 *
 * - no branch, or a pull request from it that was merged: the base holds everything;
 * - an open pull request, or a branch whose pull request was never opened (a run pushed it and
 *   GitHub refused the PR): its papers await review and are carried forward;
 * - a pull request closed without merging that shows the branch's head: its papers were turned
 *   down, and are held as dismissed so that no later run proposes them again.
 *
 * Only reads: the branch (head and tree, through `openBranch`) and, when it exists, one listing of
 * its pull requests; or, with the refs read at the start (`refs.ts`), only the tree.
 */
import type { Octokit } from './client.js'
import type { Pull, StartingRefs } from './refs.js'
import { openBranch, type GitHubBranch } from './repo.js'

export type { Pull } from './refs.js'

/** What the digest branch means for this run (see the module comment). */
export type BranchRole = 'none' | 'merged' | 'open' | 'unopened' | 'closed'

/** The digest branch as found. */
export interface DigestBranch {
  /** The branch, when it exists. */
  head?: GitHubBranch
  /** The open pull request from it into the base, if any. */
  open?: Pull
  role: BranchRole
}

/** Where the pull requests live. */
export interface PullScope {
  owner: string
  repo: string
  /** The digest branch. */
  branch: string
  /** The base branch's name. */
  base: string
}

/**
 * Reads the digest branch and classifies it. With `known` (the refs as read at the start of the
 * run), only the branch's tree is requested.
 */
export async function readDigestBranch(
  octokit: Octokit,
  scope: PullScope,
  known?: StartingRefs
): Promise<DigestBranch> {
  const where = { owner: scope.owner, repo: scope.repo, branch: scope.branch }
  const head = await openBranch(octokit, where, known && { head: known.digest })
  if (!head) return { role: 'none' }
  const pulls = known ? known.pulls : await listPulls(octokit, scope, 'all')
  const open = pulls.find(p => p.state === 'open')
  return { head, open, role: branchRole(head.commitSha, pulls) }
}

/**
 * The branch's state as part of what the run holds: an open or never-opened pull request's papers
 * are carried, a closed one's are dismissed; without a branch, or after a merge, nothing.
 */
export function proposedBranch(found: DigestBranch): { files: GitHubBranch; closed: boolean } | undefined {
  if (!found.head || found.role === 'none' || found.role === 'merged') return undefined
  return { files: found.head, closed: found.role === 'closed' }
}

/** The role of a branch at `headSha`, given the pull requests from it (any state). */
function branchRole(headSha: string, pulls: Pull[]): BranchRole {
  if (pulls.some(p => p.state === 'open')) return 'open'
  const shown = pulls.find(p => p.headSha === headSha)
  if (!shown) return 'unopened'
  return shown.merged ? 'merged' : 'closed'
}

/**
 * Pull requests from our branch into our base. GitHub's `head` filter takes `owner:branch`; the
 * answer is checked again so that a fork's branch of the same name is never taken for ours.
 */
export async function listPulls(
  octokit: Octokit,
  { owner, repo, branch, base }: PullScope,
  state: 'open' | 'all'
): Promise<Pull[]> {
  const { data } = await octokit.rest.pulls.list({
    owner,
    repo,
    head: `${owner}:${branch}`,
    base,
    state,
    per_page: 100
  })
  return data
    .filter(
      p => p.head.ref === branch && p.base.ref === base && p.head.repo?.full_name === `${owner}/${repo}`
    )
    .map(toPull)
}

/** The fields publishing uses of a pull request as the REST API returns it. */
export function toPull(p: {
  number: number
  html_url: string
  title: string
  body?: string | null
  state: string
  merged_at?: string | null
  head: { sha: string }
  labels?: Array<{ name?: string } | string>
  assignees?: Array<{ login: string }> | null
}): Pull {
  return {
    number: p.number,
    url: p.html_url,
    title: p.title,
    body: p.body ?? null,
    headSha: p.head.sha,
    state: p.state,
    merged: Boolean(p.merged_at),
    labels: (p.labels ?? []).map(l => (typeof l === 'string' ? l : (l.name ?? ''))),
    assignees: (p.assignees ?? []).map(a => a.login)
  }
}
