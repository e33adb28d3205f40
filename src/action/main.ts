/**
 * src/action/: the GitHub Action's entry point (`index.ts`, built to dist/index.js), its inputs
 * (`inputs.ts`) and this file, which wires config, GitHub, arXiv and the pipeline together.
 *
 * The action: inputs → state from the base branch → arXiv → pages → one commit and one rolling pull
 * request. Every failure is reported once, through `core.setFailed`, with the CLI's exit statuses
 * (user-error.ts): 2 for a user error, 1 for anything else; stack and causes go to the debug log.
 */
import * as core from '@actions/core'
import { context as loadedContext } from '@actions/github'
import { ArxivClient } from '../arxiv/client.js'
import { mergeConfiguration } from '../config/config.js'
import { proposedBranch, readDigestBranch, type DigestBranch } from '../github/digest-branch.js'
import { createOctokit, type GitHubPacing } from '../github/client.js'
import { explainGitHubError } from '../github/errors.js'
import { InputError, readInputs, type ActionInputs } from './inputs.js'
import { fileUrl, topicPagePath } from '../digest/layout.js'
import { runDigest, type DigestResult } from '../pipeline.js'
import { publish, type PublishResult } from '../github/publish.js'
import { describeAction } from '../github/publish-decision.js'
import { loadTemplates } from '../render/templates.js'
import { prBody, prTitle, summaryMarkdown, type ReportInput } from '../report.js'
import { readStartingRefs } from '../github/refs.js'
import { proxyFetch, proxyFor } from '../environment/proxy.js'
import { openBase, type GitHubBranch } from '../github/repo.js'
import { nowFromEnvironment, SYSTEM_CLOCK, userAgent, type Clock } from '../environment/runtime.js'
import type { Config } from '../digest/types.js'
import { describeFailure, UserError } from '../digest/user-error.js'

/**
 * Runs the action; `env` is the runner's environment (inputs, outputs and the summary go through
 * `@actions/core`, which reads `process.env`). `clock` times the arXiv requests and their retries;
 * `pacing` how the GitHub client spaces its writes and waits before retries (GitHub's advice by
 * default; tests pass theirs). Never throws.
 *
 * @returns The exit status for the entry point to set: 0, or the failure's (`describeFailure`).
 */
export async function run(
  env: NodeJS.ProcessEnv = process.env,
  clock: Clock = SYSTEM_CLOCK,
  pacing: GitHubPacing = {}
): Promise<number> {
  const progress = { publishing: false }
  try {
    await digest(env, clock, pacing, progress)
    return 0
  } catch (caught) {
    const { code, message, details } = describeFailure(explainGitHubError(caught))
    core.setFailed(message)
    for (const line of details) core.debug(line)
    await failureSummary(message, progress.publishing)
    return code
  }
}

/** A failed run still leaves a job summary: what failed, and what is kept. */
async function failureSummary(message: string, publishing: boolean): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const kept = publishing
    ? 'The run failed while publishing: the log shows which requests succeeded. The base branch and its ' +
      'state are unchanged, so the next run starts from the same papers and repairs the pull request.'
    : 'Nothing was written: the base branch, the digest branch and the pull request are as they were, ' +
      'and the next run searches the same window again.'
  const text = message.replace(/[<>&]/g, c => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!)
  try {
    await core.summary
      .addRaw(`## preprint-digest\n\n**The run failed.**\n\n<pre>${text}</pre>\n\n${kept}\n`)
      .write()
  } catch {
    // The summary is a courtesy; the failure itself is already reported.
  }
}

async function digest(
  env: NodeJS.ProcessEnv,
  clock: Clock,
  pacing: GitHubPacing,
  progress: { publishing: boolean }
): Promise<void> {
  const inputs = readInputs()
  // Inline topics are validated before any request; a topic file must first be read from the base.
  const inline = inputs.config === '' ? await readConfiguration(inputs) : undefined
  const now = nowFromEnvironment(env)
  const context = runContext()
  const { owner, repo } = repoOf(context)
  core.setSecret(inputs.githubToken)
  for (const [what, url] of [
    ['GitHub', context.apiUrl],
    ['arXiv', inputs.arxivApiUrl]
  ]) {
    const proxy = proxyFor(url)
    if (proxy) core.info(`${what} requests go through the proxy ${proxy} (HTTPS_PROXY/HTTP_PROXY, NO_PROXY).`)
  }
  const octokit = createOctokit({
    token: inputs.githubToken,
    baseUrl: context.apiUrl,
    userAgent: userAgent(env),
    ...pacing,
    log: core
  })

  const event = context.payload as EventPayload
  if (isForkPullRequest(context.eventName, event) && !inputs.dryRun) {
    throw new UserError(
      'This run was triggered by a pull request from a fork, whose token is read-only: the digest cannot be ' +
        'committed. Run the digest on `schedule` and `workflow_dispatch`, or set `dry-run: true` for pull requests.'
    )
  }
  // One GraphQL request for both branches' heads and the digest branch's pull requests.
  const baseName = inputs.base || event.repository?.default_branch
  const refs = await readStartingRefs(octokit, { owner, repo, base: baseName, branch: inputs.branch })
  const base = await openBase(octokit, { owner, repo, base: baseName }, refs)
  core.info(`Base: ${owner}/${repo}@${base.name} (${base.commitSha.slice(0, 7)})`)
  const config = inline ?? (await readConfiguration(inputs, base))
  const templates = await loadTemplates(config.templates, path => base.read(path))
  const digestBranch = await readDigestBranch(
    octokit,
    { owner, repo, branch: inputs.branch, base: base.name },
    refs
  )
  core.info(describeBranch(inputs.branch, digestBranch))

  const arxiv = new ArxivClient({
    baseUrl: inputs.arxivApiUrl,
    delaySeconds: inputs.requestDelay,
    timeoutSeconds: inputs.arxivTimeout,
    budgetSeconds: inputs.arxivBudget,
    pageSize: inputs.arxivPageSize,
    onRetry: message => core.info(message),
    fetch: proxyFetch(inputs.arxivApiUrl),
    sleep: ms => clock.sleep(ms),
    now: () => clock.now(),
    userAgent: userAgent(env),
    onWarning: message => core.warning(message)
  })
  const result = await core.group('Fetch from arXiv', () =>
    runDigest({
      config,
      now,
      base,
      proposed: proposedBranch(digestBranch),
      arxiv,
      templates,
      // For the feeds' absolute links: the base branch's files on GitHub.
      repository: { url: repositoryUrl(context.serverUrl, owner, repo), branch: base.name },
      log: { info: m => core.info(m), warning: m => core.warning(m) }
    })
  )
  core.info(
    `${arxiv.requestCount} arXiv requests; ${result.counts.new} new papers in this run, ` +
      `${result.counts.proposed} in the pull request (distinct papers)`
  )

  const repository = repositoryUrl(context.serverUrl, owner, repo)
  const report: ReportInput = {
    outcomes: result.topics,
    pages: new Map(config.topics.map(t => [t.id, topicPagePath(config, t.id)])),
    staleAfterDays: config.staleAfterDays,
    branch: inputs.branch,
    base: base.name,
    // Pages as the pull request has them: on the digest branch.
    fileUrl: path => fileUrl({ url: repository, branch: inputs.branch }, 'blob', path)
  }
  progress.publishing = true
  const published = await core.group('Publish', () =>
    publish({
      octokit,
      owner,
      repo,
      base,
      branch: inputs.branch,
      digestBranch,
      files: result.files,
      proposed: result.counts.proposed,
      commitMessage: inputs.commitMessage,
      pr: {
        // Given, or what the pull request holds (a function of it, like the body).
        title: inputs.prTitle || prTitle(result.topics),
        labels: inputs.prLabels,
        reviewers: inputs.prReviewers,
        assignees: inputs.prAssignees,
        draft: inputs.prDraft
      },
      body: ({ foreignCommits }) => prBody({ ...report, foreignCommits }),
      dryRun: inputs.dryRun,
      serverUrl: context.serverUrl,
      log: core
    })
  )
  for (const warning of published.warnings) core.warning(warning)
  if (inputs.dryRun) printDryRun(published)
  else describeOperation(published)
  setOutputs(result, published)
  // Without a pull request the digest branch may not exist: the summary links the base's pages.
  const summaryUrl =
    published.number === undefined
      ? (path: string) => fileUrl({ url: repository, branch: base.name }, 'blob', path)
      : report.fileUrl
  await core.summary
    .addRaw(summaryMarkdown({ ...report, fileUrl: summaryUrl, foreignCommits: published.foreignCommits }))
    .write()
}

/** The repository's web address: `https://github.com/lab/papers`. */
function repositoryUrl(serverUrl: string, owner: string, repo: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/${owner}/${repo}`
}

/** The parts of the triggering event's payload the action looks at. */
interface EventPayload {
  repository?: { default_branch?: string }
  pull_request?: { head?: { repo?: { fork?: boolean } } }
}

type Context = typeof loadedContext

/**
 * The run's context from `@actions/github`: repository, event name and payload, server and API
 * URLs, read from the runner's environment now. Its `context` is read once, when the module is
 * first loaded; a fresh one sees the environment of this run (tests run several in one process).
 */
function runContext(): Context {
  try {
    return new (loadedContext.constructor as new () => Context)()
  } catch (error) {
    throw new Error(
      `GITHUB_EVENT_PATH: the event payload the runner wrote cannot be read (${(error as Error).message}).`
    )
  }
}

/** `owner/repo` from GITHUB_REPOSITORY (or the event payload), with our message when missing. */
function repoOf(context: Context): { owner: string; repo: string } {
  try {
    const { owner, repo } = context.repo
    if (owner && repo) return { owner, repo }
  } catch {
    // reported below
  }
  throw new Error('GITHUB_REPOSITORY is not set (owner/repo); the action must run inside GitHub Actions.')
}

/** `pull_request` runs for forks get a read-only token whatever `permissions:` says. */
function isForkPullRequest(eventName: string | undefined, event: EventPayload): boolean {
  return eventName === 'pull_request' && event.pull_request?.head?.repo?.fork === true
}

/** The configuration from the inputs and, when `config` names one, the topic file on the base. */
async function readConfiguration(inputs: ActionInputs, base?: GitHubBranch): Promise<Config> {
  let file: { path: string; text: string } | undefined
  if (inputs.config !== '') {
    const text = await base!.read(inputs.config)
    if (text === undefined) {
      throw new InputError(
        `Input "config": ${inputs.config} does not exist on branch ${base!.name}. ` +
          'Commit the topic file there, or give the topics inline with the input "topics".'
      )
    }
    file = { path: inputs.config, text }
  }
  const { topics, options, templates } = inputs
  return mergeConfiguration({ topics, file, options, templates })
}

/** What the digest branch means for this run, in one log line. */
function describeBranch(branch: string, found: DigestBranch): string {
  switch (found.role) {
    case 'none':
      return `No digest branch ${branch}: the base holds everything found so far.`
    case 'merged':
      return `${branch} was merged: the base holds everything found so far.`
    case 'open':
      return `Pull request #${found.open!.number} is open: its papers are carried forward, and this run can only add.`
    case 'unopened':
      return `${branch} holds papers whose pull request was never opened: they are carried forward.`
    case 'closed':
      return `The pull request from ${branch} was closed without merging: its papers are dismissed and not proposed again.`
  }
}

function describeOperation(published: PublishResult): void {
  switch (published.operation) {
    case 'created':
      core.notice(`Opened pull request #${published.number}: ${published.url}`)
      break
    case 'updated':
      core.info(`Updated pull request #${published.number}: ${published.url}`)
      break
    case 'unchanged':
      core.info(`Pull request #${published.number} already holds these files: ${published.url}`)
      break
    case 'none':
      core.notice('No new papers: nothing to commit, no pull request.')
      break
  }
}

function printDryRun(published: PublishResult): void {
  core.info(`Dry run: would ${describeAction(published.action)}; no write request was sent.`)
  core.info(
    `Changed files (${published.changedFiles.length}):\n${published.changedFiles.map(p => `  ${p}`).join('\n')}`
  )
  if (published.body !== undefined) core.info(`Pull request body:\n${published.body}`)
}

function setOutputs(result: DigestResult, published: PublishResult): void {
  const byTopic = (pick: (t: DigestResult['topics'][number]) => unknown[]) =>
    JSON.stringify(Object.fromEntries(result.topics.map(t => [t.topic.id, pick(t).length])))
  core.setOutput('new-papers', String(result.counts.new))
  core.setOutput(
    'new-papers-by-topic',
    byTopic(t => t.newPapers)
  )
  core.setOutput('pull-request-papers', String(result.counts.proposed))
  core.setOutput(
    'pull-request-papers-by-topic',
    byTopic(t => t.proposed)
  )
  core.setOutput('pull-request-number', published.number === undefined ? '' : String(published.number))
  core.setOutput('pull-request-url', published.url ?? '')
  core.setOutput('pull-request-operation', published.operation)
  core.setOutput('changed-files', JSON.stringify(published.changedFiles))
  core.setOutput('commits-verified', published.verified === undefined ? '' : String(published.verified))
}
