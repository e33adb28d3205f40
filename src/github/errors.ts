/**
 * GitHub's refusals, recognised in one place: which answers mean what (`refused`), and the
 * messages that tell a person what to do about them. The other modules of src/github/ catch a
 * request's error, ask `refused(error, …)` which refusal it is, and throw the explanation built
 * here; every error that reaches the run's end goes through `explainGitHubError` last.
 */

/** Which known refusal an `ActionableError` stands for. */
export type ActionableErrorCode =
  | 'permissions'
  | 'pull-requests-disabled'
  | 'base-missing'
  | 'empty-repository'
  | 'repository-missing'
  | 'tree-too-large'
  | 'file-too-large'
  | 'binary-file'
  | 'no-commits'
  | 'github-request'

/**
 * A failure the user can fix, with a message that says how. The action prints `message` as is.
 */
export class ActionableError extends Error {
  override name = 'ActionableError'

  constructor(
    readonly code: ActionableErrorCode,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }
}

/** The HTTP status of an Octokit request error, or undefined for anything else. */
function errorStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}

/**
 * GitHub's message for a failed request including the `errors[].message` details (where
 * "A pull request already exists" and "No commits between" live), for matching known refusals.
 */
export function errorText(error: unknown): string {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data as
    { message?: string; errors?: Array<{ message?: string } | string> } | undefined
  const parts = [error instanceof Error ? error.message : String(error)]
  if (data?.message) parts.push(data.message)
  for (const e of data?.errors ?? []) parts.push(typeof e === 'string' ? e : (e.message ?? ''))
  return parts.join('\n')
}

/** GraphQL's own refusal (HTTP 200 with `errors`), as `@octokit/graphql`'s GraphqlResponseError has it. */
function graphqlErrors(error: unknown): Array<{ type?: string; message?: string }> | undefined {
  const e = error as { name?: unknown; errors?: unknown } | null
  return e?.name === 'GraphqlResponseError' && Array.isArray(e.errors) ? e.errors : undefined
}

/**
 * The refusals the action tells apart: GitHub's HTTP status and, where one status means several
 * things, the words of its message.
 */
const REFUSALS = {
  /** The token lacks a permission (a 403 that is not a rate limit). */
  'not-accessible': { status: 403, text: /Resource not accessible by integration/i },
  /** The repository setting that forbids Actions to open pull requests. */
  'pull-requests-disabled': { status: 403, text: /not permitted to create or approve pull requests/i },
  /** A repository, branch or file that does not exist (or that the token cannot see). */
  'not-found': { status: 404 },
  /** Git history asked of an empty repository. */
  'empty-repository': { status: 409 },
  /** Creating a branch that another run created meanwhile. */
  'ref-exists': { status: 422, text: /Reference already exists/i },
  /** Moving a branch that was deleted meanwhile. */
  'ref-missing': { status: 422, text: /Reference does not exist/i },
  /** Opening a pull request that another run opened meanwhile. */
  'pull-exists': { status: 422, text: /A pull request already exists/i },
  /** Opening a pull request from a branch with nothing the base lacks. */
  'no-commits': { status: 422, text: /No commits between/i },
  /** A call on a pull request too new for GitHub's other services. */
  'not-ready': { status: 422, text: /Could not resolve to a node/i }
} satisfies Record<string, { status: number; text?: RegExp }>

/** A refusal `refused` recognises. */
export type Refusal = keyof typeof REFUSALS

/** True when `error` is GitHub's answer for `refusal`. */
export function refused(error: unknown, refusal: Refusal): boolean {
  const known: { status: number; text?: RegExp } = REFUSALS[refusal]
  return (
    errorStatus(error) === known.status && (known.text === undefined || known.text.test(errorText(error)))
  )
}

/** True for GraphQL's `NOT_FOUND`: the repository does not exist or the token cannot see it. */
function graphqlNotFound(error: unknown): boolean {
  return graphqlErrors(error)?.some(e => e.type === 'NOT_FOUND') ?? false
}

/** True for GraphQL's `FORBIDDEN` with "Resource not accessible by integration". */
function graphqlNotAccessible(error: unknown): boolean {
  return (
    graphqlErrors(error)?.some(
      e => e.type === 'FORBIDDEN' && REFUSALS['not-accessible'].text.test(e.message ?? '')
    ) ?? false
  )
}

/**
 * The advice for 403 "Resource not accessible by integration" (the GITHUB_TOKEN or App token
 * lacks a permission), naming what was being done.
 */
function permissionsError(doing: string, owner: string, repo: string, cause: unknown): ActionableError {
  return new ActionableError(
    'permissions',
    `GitHub refused ${doing} in ${owner}/${repo}: "Resource not accessible by integration" (HTTP 403). ` +
      'The token lacks a permission. Give the job\n' +
      '  permissions:\n    contents: write\n    pull-requests: write\n' +
      'in the workflow (repositories created after 2023-02-02 default to a read-only GITHUB_TOKEN). ' +
      'Workflows triggered by pull_request from a fork always get a read-only token: run the digest on ' +
      '`schedule` or `workflow_dispatch` instead. With a GitHub App token, an organization owner must ' +
      "first approve the App's newly requested permissions.",
    { cause }
  )
}

/** Throws the advice for a permission refusal (`not-accessible`); returns for anything else. */
export function throwIfNotAccessible(
  error: unknown,
  doing: string,
  { owner, repo }: { owner: string; repo: string }
): void {
  if (refused(error, 'not-accessible')) throw permissionsError(doing, owner, repo, error)
}

/** The repository does not exist, or the token cannot see it (GitHub does not tell the two apart). */
export function repositoryMissingError(owner: string, repo: string, cause?: unknown): ActionableError {
  return new ActionableError(
    'repository-missing',
    `The repository ${owner}/${repo} was not found, or the token cannot see it. Check the ` +
      'repository name and that the `github-token` input has access to it.',
    { cause }
  )
}

/** The repository has no commit, so no branch to build on. */
export function emptyRepositoryError(owner: string, repo: string, cause?: unknown): ActionableError {
  return new ActionableError(
    'empty-repository',
    `The repository ${owner}/${repo} is empty (it has no commit yet), so there is no branch to build the ` +
      'digest on. Push an initial commit (a README is enough) to the default branch, then run the workflow again.',
    { cause }
  )
}

/** The base branch (`named`: given as the input `base`; otherwise the default branch) does not exist. */
export function baseMissingError(owner: string, repo: string, name: string, named: boolean): ActionableError {
  return new ActionableError(
    'base-missing',
    named
      ? `The base branch "${name}" (input \`base\`) does not exist in ${owner}/${repo}. Set \`base\` to an ` +
          "existing branch, or leave it empty to use the repository's default branch."
      : `The default branch "${name}" of ${owner}/${repo} does not exist. Set the input \`base\` to the ` +
          'branch the digest should build on.'
  )
}

/** The repository setting that forbids Actions to open pull requests, with the link to open it by hand. */
export function pullRequestsDisabledError(
  branch: string,
  compareUrl: string,
  cause: unknown
): ActionableError {
  return new ActionableError(
    'pull-requests-disabled',
    `The digest branch "${branch}" was pushed, but GitHub refused to open the pull request: ` +
      '"GitHub Actions is not permitted to create or approve pull requests." A repository admin must ' +
      'enable Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and ' +
      'approve pull requests" (if it is greyed out, the organization setting overrides it and an ' +
      'organization owner must allow it first), or pass a GitHub App token as `github-token`. ' +
      `Meanwhile, open the pull request by hand: ${compareUrl}`,
    { cause }
  )
}

/** GitHub sees the digest branch as adding nothing to the base. */
export function noCommitsError(base: string, branch: string, cause: unknown): ActionableError {
  return new ActionableError(
    'no-commits',
    `GitHub sees no difference between ${base} and ${branch}, so no pull request can be opened.`,
    { cause }
  )
}

/**
 * A failed read as the user should see it: the repository missing (`repositoryMissing`: GraphQL's
 * NOT_FOUND), permission advice, GitHub's own words, what was read.
 */
export function readError(
  error: unknown,
  doing: string,
  { owner, repo }: { owner: string; repo: string },
  { repositoryMissing = false } = {}
): unknown {
  if (error instanceof ActionableError) return error
  if (repositoryMissing && graphqlNotFound(error)) return repositoryMissingError(owner, repo, error)
  if (refused(error, 'not-accessible') || graphqlNotAccessible(error))
    return permissionsError(doing, owner, repo, error)
  const errors = graphqlErrors(error)
  if (errors) {
    const said = errors.map(e => e.message ?? JSON.stringify(e)).join('; ')
    return new ActionableError('github-request', `GitHub refused ${doing} in ${owner}/${repo}: ${said}`, {
      cause: error
    })
  }
  if (errorStatus(error) === undefined) return error
  const explained = explainGitHubError(error)
  const message = explained instanceof Error ? explained.message : String(explained)
  const what = `${doing[0].toUpperCase()}${doing.slice(1)} in ${owner}/${repo}`
  return new ActionableError('github-request', `${what} failed. ${message}`, {
    cause: error
  })
}

/**
 * A GitHub request error as a person can act on it: which request failed, its status, and what
 * to do. Anything that is not a GitHub request error is returned unchanged.
 */
export function explainGitHubError(error: unknown): unknown {
  const status = errorStatus(error)
  const request = (error as { request?: { method?: string; url?: string } } | null)?.request
  if (status === undefined || !request?.method || error instanceof ActionableError) return error
  let path = request.url ?? ''
  try {
    path = decodeURIComponent(new URL(path).pathname)
  } catch {
    // keep the URL as given
  }
  const data = (error as { response?: { data?: { message?: unknown } } }).response?.data
  const said = typeof data?.message === 'string' ? data.message : errorText(error).split('\n')[0]
  const advice =
    status === 401
      ? 'The token was refused: check the `github-token` input (by default the workflow token; a personal or App token may have expired or been revoked).'
      : status >= 500
        ? 'GitHub had a server error and retries did not help: run the workflow again later, and see https://www.githubstatus.com.'
        : status === 404
          ? 'Check the repository and branch names, and that the token can see the repository.'
          : 'See the message above; the log has the request at debug level.'
  return new ActionableError(
    'github-request',
    `GitHub answered ${status} to ${request.method} ${path}: ${said}. ${advice}`,
    { cause: error }
  )
}
