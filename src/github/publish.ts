/**
 * Publishing through the GitHub REST API: every changed file in one commit on the digest branch,
 * built on the base branch's head, and one rolling pull request from that branch
 * No checkout and no git.
 *
 * Three steps: what GitHub holds is read (`readDigestBranch`, the comparison for foreign commits),
 * `decidePublish` makes the one decision from it (publish-decision.ts), and only then is anything
 * written. A dry run stops after the decision, so it sends only GET requests and can never
 * disagree with a real run.
 *
 * Rules:
 * - Nothing to deliver (no paper awaiting review): no write, operation `none`, the digest branch
 *   and any pull request are left alone.
 * - The digest branch belongs to the action: it is rebuilt from the base head on every run that
 *   changes something, and force-updated. Commits on it that the action did not make are
 *   reported (`foreignCommits`, a warning, and the PR body through `body(ctx)`), not kept.
 *   The rule: the commits on the branch ahead of its merge base with the base branch are compared
 *   (`GET /compare`). The action's own commit is the first of them, has a single parent (the merge
 *   base), and either carries this run's commit message or was authored by a bot account (the
 *   message may have been reconfigured since). Every other commit ahead of the merge base is
 *   foreign: a push on top, a force-push, a merge of base into the branch.
 * - The branch already holds exactly this tree on top of the current base head (checked locally by
 *   hashing the tree, so no object is created): no git write; the open PR's title and body are
 *   refreshed if they differ, and if no PR is open one is created (a previous run pushed and then
 *   failed to open it).
 * - A closed or merged PR is never reopened; new content gets a new PR.
 * - `draft` applies on creation only. Labels and assignees missing from the PR are added on every
 *   run (never removed); reviewers (`user` or `org/team`) are requested only when the PR is
 *   created, because requesting again would re-notify people who already reviewed. Failures of
 *   these follow-up calls are warnings: the PR exists by then and failing the run would hide it.
 * - All writes are sequential. Retried writes are safe: a repeated commit or tree is harmless,
 *   and a repeated ref or PR creation lands in the "already exists" paths below.
 */
import { SILENT_LOG, type GitHubLog, type Octokit } from './client.js'
import {
  ActionableError,
  errorText,
  noCommitsError,
  pullRequestsDisabledError,
  refused,
  throwIfNotAccessible
} from './errors.js'
import { listPulls, readDigestBranch, toPull, type DigestBranch, type Pull } from './digest-branch.js'
import { decidePublish, delivers, describeAction, OPERATION, type PublishAction } from './publish-decision.js'
import { gitBlobSha, treeShaWith, type GitHubBranch } from './repo.js'
import { repoPathProblem, RepoPathError } from '../digest/repo-path.js'

/** A file larger than this is refused (digest pages are kilobytes; GitHub's blob limit is 40 MiB). */
const MAX_FILE_BYTES = 10 * 1024 * 1024

/** Entries and inline bytes per `POST git/trees`; larger changes are chained through `base_tree`. */
const TREE_CHUNK_ENTRIES = 100
const TREE_CHUNK_BYTES = 1024 * 1024

/** A commit on the digest branch that the action did not make. */
export interface ForeignCommit {
  sha: string
  /** The first line of the commit message. */
  message: string
  /** GitHub login when GitHub knows the account, else the git author name. */
  author: string
  /** Author date, ISO 8601. */
  date: string
  /** The commit's page on GitHub. */
  url: string
}

/** What the pull request should look like. */
export interface PullRequestSettings {
  title: string
  labels: string[]
  /** Logins, or `org/team-slug` for team reviews. */
  reviewers: string[]
  assignees: string[]
  /** Applies when the PR is created. */
  draft: boolean
}

/** Everything `publish` needs. */
export interface PublishOptions {
  octokit: Octokit
  owner: string
  repo: string
  /** The base branch, already opened (its tree listing gives the blob SHAs to compare with). */
  base: GitHubBranch
  /** The digest branch. */
  branch: string
  /** The digest branch as the caller has just read it (saves requests). Left out, publish reads it. */
  digestBranch?: DigestBranch
  /** Repository path → full new content of every file the run produced. */
  files: ReadonlyMap<string, string>
  /** Distinct papers awaiting review in the files; with none, nothing is published. */
  proposed: number
  commitMessage: string
  pr: PullRequestSettings
  /**
   * The PR body, given what publishing found out (foreign commits to warn about); within GitHub's
   * limit, which report.ts's `prBody` keeps.
   */
  body: (ctx: { foreignCommits: ForeignCommit[] }) => string
  dryRun: boolean
  /** `GITHUB_SERVER_URL`, for the compare link when the PR cannot be created. */
  serverUrl: string
  log?: GitHubLog
  /** Wait before retrying "Could not resolve to a node" (doubles per attempt). Default 1000 ms. */
  followUpRetryDelayMs?: number
}

/** What happened to the pull request. */
export type PublishOperation = 'created' | 'updated' | 'unchanged' | 'none'

/** The outcome of `publish`. */
export interface PublishResult {
  operation: PublishOperation
  /** Paths whose content differs from the base branch, sorted. */
  changedFiles: string[]
  number?: number
  url?: string
  /** The digest commit when one was made this run. */
  commitSha?: string
  /** Whether GitHub signed that commit (Verified). */
  verified?: boolean
  foreignCommits: ForeignCommit[]
  /** The decision, carried out (or, in a dry run, not). */
  action: PublishAction
  /** Dry run: what a real run would have reported (`operation` is then `none`). */
  planned?: PublishOperation
  /** The PR body that was (or would have been) sent. */
  body?: string
  /** Problems that did not stop publishing (follow-up calls, foreign commits). */
  warnings: string[]
}

/**
 * Refuses paths the action must never write (the policy of repo-path.ts), and, since the tree
 * must name files exactly, any path not already in normal form. Checked before any request.
 */
export function checkPublishPath(path: string): void {
  const why = repoPathProblem(path, 'exact')
  if (why) throw new RepoPathError(`Refusing to publish "${path}": the path ${why}.`)
}

/** The compare page where a user can open the PR by hand once the branch is pushed. */
export function compareUrl(
  serverUrl: string,
  owner: string,
  repo: string,
  base: string,
  branch: string
): string {
  const ref = (s: string) => encodeURIComponent(s).replace(/%2F/g, '/')
  return `${serverUrl.replace(/\/+$/, '')}/${owner}/${repo}/compare/${ref(base)}...${ref(branch)}?expand=1`
}

/**
 * Publishes the run's files: one commit on `branch` on top of the base head, then one open pull
 * request from `branch` into the base. See the module comment for what happens in each case.
 */
export async function publish(options: PublishOptions): Promise<PublishResult> {
  return new Publisher(options).run()
}

class Publisher {
  private readonly log: GitHubLog
  private readonly warnings: string[] = []

  constructor(private readonly o: PublishOptions) {
    this.log = o.log ?? SILENT_LOG
  }

  async run(): Promise<PublishResult> {
    const { base, files, branch, owner, repo } = this.o
    for (const [path, content] of files) {
      checkPublishPath(path)
      if (Buffer.byteLength(content, 'utf8') > MAX_FILE_BYTES) {
        throw new ActionableError(
          'file-too-large',
          `Refusing to publish "${path}": it is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB. ` +
            'Lower keep-days or the abstract length so that pages stay small.'
        )
      }
    }
    const changedFiles = [...files.keys()].filter(p => gitBlobSha(files.get(p)!) !== base.blobSha(p)).sort()
    const changed = new Map(changedFiles.map(p => [p, files.get(p)!]))

    // 1. Read what GitHub holds (GET only); nothing at all when there is nothing to deliver.
    const deliver = delivers({ proposed: this.o.proposed, changedFiles: changedFiles.length })
    const remote: DigestBranch = deliver
      ? (this.o.digestBranch ?? (await readDigestBranch(this.o.octokit, this.scope())))
      : { role: 'none' }
    const head = remote.head
    const sameTree =
      head !== undefined &&
      head.parents.length === 1 &&
      head.parents[0] === base.commitSha &&
      head.treeSha === treeShaWith(base.entries(), changed)
    const foreignCommits = deliver && head && !sameTree ? await this.foreignCommits(head) : []
    const body = this.o.body({ foreignCommits })
    const open = remote.open

    // 2. Decide.
    const action = decidePublish({
      proposed: this.o.proposed,
      changedFiles: changedFiles.length,
      branch: head === undefined ? 'missing' : sameTree ? 'same' : 'different',
      openPull: open && { upToDate: open.title === this.o.pr.title && (open.body ?? '') === body }
    })
    const decided = { action, changedFiles, foreignCommits, body, number: open?.number, url: open?.url }
    this.log.info(
      `${changedFiles.length} file(s) differ from ${base.name}; ${this.o.proposed} paper(s) awaiting review: ` +
        `${this.o.dryRun ? 'would ' : ''}${describeAction(action)}.`
    )
    if (this.o.dryRun) return this.result({ ...decided, operation: 'none', planned: OPERATION[action] })

    // 3. Carry it out.
    switch (action) {
      case 'none':
        return this.result({ ...decided, operation: 'none', number: undefined, url: undefined })
      case 'unchanged':
      case 'refresh': {
        const pull = await this.refresh(open!, body)
        await this.followUps(pull, false)
        return this.result({ ...decided, operation: 'unchanged', number: pull.number, url: pull.url })
      }
      case 'create-pull': {
        const { pull, operation } = await this.createPull(body)
        await this.followUps(pull, operation === 'created')
        return this.result({ ...decided, operation, number: pull.number, url: pull.url })
      }
    }

    const tree = await this.createTree(changed)
    const commit = await this.write('creating the digest commit', () =>
      // No author, committer or signature: GitHub then signs the commit as the token's bot.
      this.o.octokit.rest.git.createCommit({
        owner,
        repo,
        message: this.o.commitMessage,
        tree,
        parents: [base.commitSha]
      })
    )
    const commitSha = commit.data.sha
    const verified = commit.data.verification?.verified ?? false
    this.log.info(`Created commit ${commitSha} (${verified ? 'verified' : 'not verified'}) on ${branch}.`)
    const branchCreated = await this.pointBranch(head !== undefined, commitSha)

    // A branch that was just created cannot have an open PR; otherwise update the one found.
    let pull: Pull
    let operation: PublishOperation
    if (open && !branchCreated) {
      pull = await this.refresh(open, body)
      operation = 'updated'
    } else {
      ;({ pull, operation } = await this.createPull(body))
    }
    await this.followUps(pull, operation === 'created')
    return this.result({
      ...decided,
      operation,
      number: pull.number,
      url: pull.url,
      commitSha,
      verified
    })
  }

  private scope() {
    const { owner, repo, branch, base } = this.o
    return { owner, repo, branch, base: base.name }
  }

  private result(r: Omit<PublishResult, 'warnings'>): PublishResult {
    return { ...r, warnings: this.warnings }
  }

  private warn(message: string): void {
    this.warnings.push(message)
    this.log.warning(message)
  }

  /** Every write goes through here: a permission 403 becomes advice. */
  private async write<T>(doing: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      throwIfNotAccessible(error, doing, this.o)
      throw error
    }
  }

  private async foreignCommits(head: GitHubBranch): Promise<ForeignCommit[]> {
    const { octokit, owner, repo, base } = this.o
    // The common case needs no request: the branch is a single commit of ours on the current base
    // head, which is exactly what the comparison below would find.
    if (
      head.parents.length === 1 &&
      head.parents[0] === base.commitSha &&
      head.message.trim() === this.o.commitMessage.trim()
    )
      return []
    let data
    try {
      ;({ data } = await octokit.rest.repos.compareCommitsWithBasehead({
        owner,
        repo,
        basehead: `${base.commitSha}...${head.commitSha}`
      }))
    } catch (error) {
      if (!refused(error, 'not-found')) throw error
      this.warn(
        `Could not compare ${this.o.branch} with ${base.name}; not checking it for commits by others.`
      )
      return []
    }
    const mergeBase = data.merge_base_commit.sha
    const wanted = this.o.commitMessage.trim()
    const foreign = data.commits
      .filter((c, i) => {
        const login = c.author?.login ?? ''
        const byBot = c.author?.type === 'Bot' || login.endsWith('[bot]')
        const ours =
          i === 0 &&
          c.parents.length === 1 &&
          c.parents[0].sha === mergeBase &&
          (c.commit.message.trim() === wanted || byBot)
        return !ours
      })
      .map(c => ({
        sha: c.sha,
        message: c.commit.message.split('\n')[0],
        author: c.author?.login ?? c.commit.author?.name ?? 'unknown',
        date: c.commit.author?.date ?? '',
        url: c.html_url
      }))
    if (foreign.length > 0) {
      const more =
        data.total_commits > data.commits.length ? ' (GitHub listed only the first 250 commits)' : ''
      this.warn(
        `${this.o.branch} has ${foreign.length} commit(s) not made by the digest${more}: ` +
          foreign.map(c => `${c.sha.slice(0, 7)} "${c.message}" by ${c.author}`).join('; ') +
          `. The branch belongs to the action and is rebuilt from ${base.name}; these commits are not on it anymore.`
      )
    }
    return foreign
  }

  /** One `POST git/trees` per chunk, each on top of the previous, starting from the base tree. */
  private async createTree(changed: Map<string, string>): Promise<string> {
    const { octokit, owner, repo } = this.o
    let tree = this.o.base.treeSha
    const entries = [...changed]
    let start = 0
    while (start < entries.length) {
      let end = start
      let bytes = 0
      while (end < entries.length && end - start < TREE_CHUNK_ENTRIES) {
        const size = Buffer.byteLength(entries[end][1], 'utf8')
        if (end > start && bytes + size > TREE_CHUNK_BYTES) break
        bytes += size
        end++
      }
      const chunk = entries.slice(start, end)
      const { data } = await this.write('writing the digest files', () =>
        octokit.rest.git.createTree({
          owner,
          repo,
          base_tree: tree,
          tree: chunk.map(([path, content]) => ({
            path,
            mode: '100644' as const,
            type: 'blob' as const,
            content
          }))
        })
      )
      tree = data.sha
      start = end
    }
    return tree
  }

  /**
   * Points the digest branch at `sha`, creating it or force-moving it. Handles the branch
   * appearing or disappearing between our read and this write (a concurrent run, a merged PR
   * whose branch GitHub deleted). Returns true when the branch was created.
   */
  private async pointBranch(exists: boolean, sha: string): Promise<boolean> {
    const { octokit, owner, repo, branch } = this.o
    const doing = `pushing the branch "${branch}"`
    const create = () =>
      this.write(doing, () => octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha }))
    const update = () =>
      this.write(doing, () =>
        octokit.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha, force: true })
      )
    if (!exists) {
      try {
        await create()
        this.log.info(`Created branch ${branch}.`)
        return true
      } catch (error) {
        if (!refused(error, 'ref-exists')) throw error
        this.log.info(`Branch ${branch} appeared meanwhile (another run?); updating it instead.`)
      }
      await update()
      return false
    }
    try {
      await update()
      this.log.info(`Force-updated branch ${branch}.`)
      return false
    } catch (error) {
      if (!refused(error, 'ref-missing')) throw error
      this.log.info(`Branch ${branch} was deleted meanwhile; creating it again.`)
    }
    await create()
    return true
  }

  private async findOpenPull(): Promise<Pull | undefined> {
    const pulls = await listPulls(this.o.octokit, this.scope(), 'open')
    return pulls[0]
  }

  private async refresh(pull: Pull, body: string): Promise<Pull> {
    const { octokit, owner, repo } = this.o
    const title = this.o.pr.title
    if (pull.title === title && (pull.body ?? '') === body) {
      this.log.info(`Pull request #${pull.number} is up to date.`)
      return pull
    }
    const { data } = await this.write(`updating pull request #${pull.number}`, () =>
      octokit.rest.pulls.update({ owner, repo, pull_number: pull.number, title, body })
    )
    this.log.info(`Updated pull request #${pull.number}: ${data.html_url}`)
    return toPull(data)
  }

  private async createPull(body: string): Promise<{ pull: Pull; operation: PublishOperation }> {
    const { octokit, owner, repo, branch, base, pr } = this.o
    try {
      const { data } = await this.write('creating the pull request', () =>
        octokit.rest.pulls.create({
          owner,
          repo,
          head: branch,
          base: base.name,
          title: pr.title,
          body,
          draft: pr.draft
        })
      )
      this.log.info(`Created pull request #${data.number}: ${data.html_url}`)
      return { pull: toPull(data), operation: 'created' }
    } catch (error) {
      if (refused(error, 'pull-exists')) {
        this.log.info('A pull request for this branch appeared meanwhile; updating it.')
        const open = await this.findOpenPull()
        if (open) return { pull: await this.refresh(open, body), operation: 'updated' }
      }
      if (refused(error, 'pull-requests-disabled')) {
        const link = compareUrl(this.o.serverUrl, owner, repo, base.name, branch)
        throw pullRequestsDisabledError(branch, link, error)
      }
      if (refused(error, 'no-commits')) throw noCommitsError(base.name, branch, error)
      throw error
    }
  }

  /** Adds missing labels and assignees; requests reviews on a new PR. Problems become warnings. */
  private async followUps(pull: Pull, created: boolean): Promise<void> {
    const { octokit, owner, repo, pr } = this.o
    const n = pull.number
    const labels = unique(pr.labels).filter(l => !pull.labels.includes(l))
    const assignees = unique(pr.assignees).filter(a => !pull.assignees.includes(a))
    const reviewers = created ? unique(pr.reviewers) : []
    if (labels.length > 0) {
      await this.followUp(`adding labels to #${n}`, () =>
        octokit.rest.issues.addLabels({ owner, repo, issue_number: n, labels })
      )
    }
    if (assignees.length > 0) {
      await this.followUp(`assigning #${n}`, () =>
        octokit.rest.issues.addAssignees({ owner, repo, issue_number: n, assignees })
      )
    }
    if (reviewers.length > 0) {
      const teams = reviewers.filter(r => r.includes('/')).map(r => r.split('/').pop()!)
      const users = reviewers.filter(r => !r.includes('/'))
      await this.followUp(`requesting reviews on #${n}`, () =>
        octokit.rest.pulls.requestReviewers({
          owner,
          repo,
          pull_number: n,
          ...(users.length > 0 ? { reviewers: users } : {}),
          ...(teams.length > 0 ? { team_reviewers: teams } : {})
        })
      )
    }
  }

  /**
   * A call on a PR that may be too new for GitHub's other services: "Could not resolve to a node"
   * is retried twice with growing waits. Any failure is a warning, not a failed run.
   */
  private async followUp(doing: string, call: () => Promise<unknown>): Promise<void> {
    const delay = this.o.followUpRetryDelayMs ?? 1000
    for (let attempt = 0; ; attempt++) {
      try {
        await this.write(doing, call)
        return
      } catch (error) {
        if (refused(error, 'not-ready') && attempt < 2) {
          await new Promise(resolve => setTimeout(resolve, delay * 2 ** attempt))
          continue
        }
        const why = error instanceof ActionableError ? error.message : errorText(error).split('\n')[0]
        this.warn(`Failed ${doing}: ${why}`)
        return
      }
    }
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values.map(v => v.trim()).filter(v => v !== ''))]
}
