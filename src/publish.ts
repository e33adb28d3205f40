/**
 * Publishing through the GitHub REST API: every changed file in one commit on the digest branch,
 * built on the base branch's head, and one rolling pull request from that branch
 * (pull-requests.md §4). No checkout and no git.
 *
 * Decisions:
 * - The digest branch belongs to the action: it is rebuilt from the base head on every run that
 *   changes something, and force-updated (R5). Commits on it that the action did not make are
 *   reported (`foreignCommits`, a warning, and the PR body through `body(ctx)`), not kept.
 *   The rule: the commits on the branch ahead of its merge base with the base branch are compared
 *   (`GET /compare`). The action's own commit is the first of them, has a single parent (the merge
 *   base), and either carries this run's commit message or was authored by a bot account (the
 *   message may have been reconfigured since). Every other commit ahead of the merge base is
 *   foreign: a push on top, a force-push, a merge of base into the branch.
 * - Nothing differs from base: no request at all, operation `none`, the digest branch is left alone.
 * - The branch already holds exactly this tree on top of the current base head (checked locally by
 *   hashing the tree, so no object is created): no git write, operation `unchanged`; the open PR's
 *   title and body are refreshed if they differ. If there is no open PR, one is created (a previous
 *   run may have pushed and then failed to open it), unless a closed, unmerged PR already shows
 *   exactly this commit: somebody rejected that content, so nothing is reopened.
 * - A closed-unmerged or merged PR is never reopened; new content gets a new PR (R7).
 * - Title and body are patched only when they differ; `draft` applies on creation only.
 * - Labels and assignees missing from the PR are added on every run (never removed); reviewers
 *   (`user` or `org/team`) are requested only when the PR is created, because requesting again
 *   would re-notify people who already reviewed. Failures of these follow-up calls are warnings:
 *   the PR exists by then and failing the run would hide it.
 * - Dry run: only GET requests (the digest branch, the comparison, the PR lookup); the result's
 *   `operation` is `none`, `planned` says what a real run would have done, `body` is the PR body.
 * - All writes are sequential. Retried writes are safe: a repeated commit or tree is harmless,
 *   and a repeated ref or PR creation lands in the "already exists" paths below.
 */
import {
  ActionableError,
  errorStatus,
  errorText,
  isNotAccessible,
  permissionsError,
  SILENT_LOG,
  type GitHubLog,
  type Octokit
} from './github-client.js'
import { getBranchHead, gitBlobSha, treeShaWith, type BranchHead, type GitHubBranch } from './repo-github.js'

export { ActionableError } from './github-client.js'

/** GitHub refuses pull request bodies longer than this many characters. */
export const MAX_BODY_LENGTH = 65_536

/** A file larger than this is refused (digest pages are kilobytes; GitHub's blob limit is 40 MiB). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024

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
  /**
   * The digest branch's head if the caller has just read it (`null`: it does not exist); saves a
   * request. Left out, publish reads it.
   */
  head?: BranchHead | null
  /** Repository path → full new content of every file the run produced. */
  files: ReadonlyMap<string, string>
  commitMessage: string
  pr: PullRequestSettings
  /** The PR body, given what publishing found out (foreign commits to warn about). */
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
  /** Dry run: what a real run would have done (`operation` is then `none`). */
  planned?: PublishOperation
  /** The PR body that was (or would have been) sent, after the length guard. */
  body?: string
  /** Requests publish sent (the base branch's two reads are not included). */
  requests: { total: number; writes: number }
  /** Problems that did not stop publishing (follow-up calls, truncated body, foreign commits). */
  warnings: string[]
}

/** A pull request as far as publishing cares. */
interface Pull {
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

/**
 * Refuses paths the action must never write: absolute, with `.`/`..`/empty segments or
 * backslashes, inside `.git`, or under `.github/workflows/` (a workflow token may not change
 * workflows, and a digest has no business there). Checked before any request.
 */
export function checkPublishPath(path: string): void {
  const why =
    path === ''
      ? 'is empty'
      : path.startsWith('/') || /^[A-Za-z]:/.test(path)
        ? 'is absolute'
        : path.includes('\\')
          ? 'contains a backslash (use "/")'
          : path.split('/').some(p => p === '' || p === '.' || p === '..')
            ? 'contains an empty, "." or ".." segment'
            : path.split('/').some(p => p.toLowerCase() === '.git')
              ? 'lies inside .git'
              : /^\.github\/workflows(\/|$)/i.test(path)
                ? 'lies under .github/workflows, which the action never writes'
                : undefined
  if (why) {
    throw new ActionableError('unsafe-path', `Refusing to publish "${path}": the path ${why}.`)
  }
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
  private readonly counts = { total: 0, writes: 0 }
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
    if (changedFiles.length === 0) {
      this.log.info(`Every file already matches ${base.name}: nothing to publish.`)
      return this.result({ operation: 'none', changedFiles, foreignCommits: [], planned: 'none' })
    }
    this.log.info(`${changedFiles.length} file(s) differ from ${base.name}: ${changedFiles.join(', ')}`)
    const changed = new Map(changedFiles.map(p => [p, files.get(p)!]))

    const head =
      this.o.head !== undefined
        ? (this.o.head ?? undefined)
        : await this.read(() => getBranchHead(this.o.octokit, { owner, repo, branch }))
    const onBase = head !== undefined && head.parents.length === 1 && head.parents[0] === base.commitSha
    const sameTree = head !== undefined && onBase && head.treeSha === treeShaWith(base.entries(), changed)
    const foreignCommits = head && !sameTree ? await this.foreignCommits(head) : []
    const body = this.limitBody(this.o.body({ foreignCommits }))

    if (this.o.dryRun) return this.dryRun(head, sameTree, changedFiles, foreignCommits, body)
    if (sameTree) return this.unchanged(head, changedFiles, body)

    const tree = await this.createTree(changed)
    if (tree === base.treeSha) {
      // Cannot happen when blob SHAs differ; kept so that a PR is never opened without a diff.
      return this.result({ operation: 'none', changedFiles, foreignCommits, body })
    }
    if (head && onBase && tree === head.treeSha) return this.unchanged(head, changedFiles, body)

    const commit = await this.write('creating the digest commit', () =>
      // No author, committer or signature: GitHub then signs the commit as the token's bot (R12).
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
    this.log.info(`Created commit ${commitSha} (${verified ? 'verified' : 'not verified'}).`)
    const branchCreated = await this.pointBranch(head !== undefined, commitSha)

    // A branch that did not exist cannot have a PR yet; otherwise look for the open one.
    const existing = branchCreated ? undefined : await this.findOpenPull()
    let pull: Pull
    let operation: PublishOperation
    if (existing) {
      pull = await this.refresh(existing, body)
      operation = 'updated'
    } else {
      ;({ pull, operation } = await this.createPull(body))
    }
    await this.followUps(pull, operation === 'created')
    return this.result({
      operation,
      changedFiles,
      number: pull.number,
      url: pull.url,
      commitSha,
      verified,
      foreignCommits,
      body
    })
  }

  private result(r: Omit<PublishResult, 'requests' | 'warnings'>): PublishResult {
    return { ...r, requests: { ...this.counts }, warnings: this.warnings }
  }

  private warn(message: string): void {
    this.warnings.push(message)
    this.log.warning(message)
  }

  private async read<T>(call: () => Promise<T>): Promise<T> {
    this.counts.total++
    return call()
  }

  /** Every write goes through here: counted, and a permission 403 becomes advice. */
  private async write<T>(doing: string, call: () => Promise<T>): Promise<T> {
    this.counts.total++
    this.counts.writes++
    try {
      return await call()
    } catch (error) {
      if (isNotAccessible(error)) throw permissionsError(doing, this.o.owner, this.o.repo, error)
      throw error
    }
  }

  private async dryRun(
    head: BranchHead | undefined,
    sameTree: boolean,
    changedFiles: string[],
    foreignCommits: ForeignCommit[],
    body: string
  ): Promise<PublishResult> {
    let planned: PublishOperation = 'created'
    let pull: Pull | undefined
    if (head) {
      pull = await this.findOpenPull()
      planned = sameTree ? 'unchanged' : pull ? 'updated' : 'created'
    }
    this.log.info(
      `Dry run: would have ${planned === 'unchanged' ? 'left' : planned} the pull request; nothing written.`
    )
    return this.result({
      operation: 'none',
      planned,
      changedFiles,
      number: pull?.number,
      url: pull?.url,
      foreignCommits,
      body
    })
  }

  /** The branch already has this content on the current base: no git write, only the PR is kept right. */
  private async unchanged(head: BranchHead, changedFiles: string[], body: string): Promise<PublishResult> {
    this.log.info(`${this.o.branch} already holds these files on top of ${this.o.base.name}: no new commit.`)
    const pulls = await this.listPulls('all')
    const open = pulls.find(p => p.state === 'open')
    let pull: Pull | undefined
    let operation: PublishOperation = 'unchanged'
    if (open) {
      pull = await this.refresh(open, body)
      await this.followUps(pull, false)
    } else if (pulls.some(p => !p.merged && p.headSha === head.commitSha)) {
      this.log.info(
        `The pull request for this exact commit was closed without merging; a new one opens when new papers arrive.`
      )
    } else {
      // Pushed by an earlier run that could not open the PR (e.g. the repository setting was off).
      ;({ pull, operation } = await this.createPull(body))
      await this.followUps(pull, operation === 'created')
    }
    return this.result({
      operation,
      changedFiles,
      number: pull?.number,
      url: pull?.url,
      foreignCommits: [],
      body
    })
  }

  private async foreignCommits(head: BranchHead): Promise<ForeignCommit[]> {
    const { octokit, owner, repo, base } = this.o
    let data
    try {
      ;({ data } = await this.read(() =>
        octokit.rest.repos.compareCommitsWithBasehead({
          owner,
          repo,
          basehead: `${base.commitSha}...${head.commitSha}`
        })
      ))
    } catch (error) {
      if (errorStatus(error) !== 404) throw error
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

  private limitBody(body: string): string {
    if (body.length <= MAX_BODY_LENGTH) return body
    const note = '\n\n…(cut at GitHub’s size limit for a pull request body: see the changed files)'
    this.warn(
      `The pull request body has ${body.length} characters; cut to GitHub's limit of ${MAX_BODY_LENGTH}.`
    )
    return body.slice(0, MAX_BODY_LENGTH - note.length) + note
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
        if (!(errorStatus(error) === 422 && /Reference already exists/i.test(errorText(error)))) throw error
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
      if (!(errorStatus(error) === 422 && /Reference does not exist/i.test(errorText(error)))) throw error
      this.log.info(`Branch ${branch} was deleted meanwhile; creating it again.`)
    }
    await create()
    return true
  }

  private toPull(p: {
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

  /** PRs from our branch into our base, both matched (R6); `head` must be `owner:branch` (§6.7). */
  private async listPulls(state: 'open' | 'all'): Promise<Pull[]> {
    const { octokit, owner, repo, branch, base } = this.o
    const { data } = await this.read(() =>
      octokit.rest.pulls.list({
        owner,
        repo,
        head: `${owner}:${branch}`,
        base: base.name,
        state,
        per_page: 100
      })
    )
    return data
      .filter(
        p =>
          p.head.ref === branch && p.base.ref === base.name && p.head.repo?.full_name === `${owner}/${repo}`
      )
      .map(p => this.toPull(p))
  }

  private async findOpenPull(): Promise<Pull | undefined> {
    return (await this.listPulls('open'))[0]
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
    return this.toPull(data)
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
      return { pull: this.toPull(data), operation: 'created' }
    } catch (error) {
      const text = errorText(error)
      if (errorStatus(error) === 422 && /A pull request already exists/i.test(text)) {
        this.log.info('A pull request for this branch appeared meanwhile; updating it.')
        const open = await this.findOpenPull()
        if (open) return { pull: await this.refresh(open, body), operation: 'updated' }
      }
      if (errorStatus(error) === 403 && /not permitted to create or approve pull requests/i.test(text)) {
        throw new ActionableError(
          'pull-requests-disabled',
          `The digest branch "${branch}" was pushed, but GitHub refused to open the pull request: ` +
            '"GitHub Actions is not permitted to create or approve pull requests." A repository admin must ' +
            'enable Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and ' +
            'approve pull requests" (if it is greyed out, the organization setting overrides it and an ' +
            'organization owner must allow it first), or pass a GitHub App token as `github-token`. ' +
            `Meanwhile, open the pull request by hand: ${compareUrl(this.o.serverUrl, owner, repo, base.name, branch)}`,
          { cause: error }
        )
      }
      if (errorStatus(error) === 422 && /No commits between/i.test(text)) {
        throw new ActionableError(
          'no-commits',
          `GitHub sees no difference between ${base.name} and ${branch}, so no pull request can be opened.`,
          { cause: error }
        )
      }
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
   * is retried twice with growing waits (R9). Any failure is a warning, not a failed run.
   */
  private async followUp(doing: string, call: () => Promise<unknown>): Promise<void> {
    const delay = this.o.followUpRetryDelayMs ?? 1000
    for (let attempt = 0; ; attempt++) {
      try {
        await this.write(doing, call)
        return
      } catch (error) {
        if (
          errorStatus(error) === 422 &&
          /Could not resolve to a node/i.test(errorText(error)) &&
          attempt < 2
        ) {
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
