/**
 * src/github/: everything about GitHub, and the only folder that imports Octokit. This client;
 * GitHub's refusals and what they mean (`errors.ts`); reading branches, refs, pull requests and
 * files (`refs.ts`, `repo.ts`, `blobs.ts`, `digest-branch.ts`); deciding and carrying out the
 * commit and the pull request (`publish-decision.ts`, `publish.ts`). Facts about GitHub's API:
 * docs/github.md.
 *
 * This file: the Octokit the action talks to GitHub with.
 *
 * The client is `@actions/github`'s `getOctokit` (Octokit core with the REST endpoint methods and
 * pagination) with the official retry, throttling and request-log plugins, sending through the
 * runner's proxy settings (`src/environment/proxy.ts`).
 */
import { getOctokit } from '@actions/github'
import { requestLog } from '@octokit/plugin-request-log'
import { retry } from '@octokit/plugin-retry'
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling'
import { proxyFetch } from '../environment/proxy.js'

/** The GitHub client: `getOctokit` with our plugins. */
export type Octokit = ReturnType<typeof getOctokit>

/** Where the GitHub modules report progress; `@actions/core`'s `debug`/`info`/`warning` fit. */
export interface GitHubLog {
  debug(message: string): void
  info(message: string): void
  warning(message: string): void
}

/** A log that drops everything (the default). */
export const SILENT_LOG: GitHubLog = { debug: () => {}, info: () => {}, warning: () => {} }

/** Options of `createOctokit`. */
export interface OctokitOptions {
  /** The token the workflow passes (`github-token` input); never read from the environment here. */
  token: string
  /** `GITHUB_API_URL` (GHES and tests differ from https://api.github.com). */
  baseUrl: string
  userAgent: string
  /** How often a transient failure (5xx, secondary rate limit) is retried. Default 3. */
  retries?: number
  /**
   * Milliseconds per unit of wait: a `retry-after: 60` waits 60 × this, the n-th 5xx retry n² × this.
   * Default 1000 (GitHub's seconds); tests pass 1 so that waits take milliseconds.
   */
  retryAfterBaseValue?: number
  /**
   * Keep the throttling plugin's pacing of writes (1 s between writes, 3 s between writes that
   * notify people), which follows GitHub's advice against secondary rate limits. Default true;
   * tests turn it off.
   */
  paceWrites?: boolean
  /** The longest `retry-after` (seconds) worth waiting for inside a run; longer ones fail. Default 600. */
  maxRetryAfter?: number
  log?: GitHubLog
}

/** How patiently the client waits: GitHub's advice when left out; tests pass no pacing and 1 ms units. */
export type GitHubPacing = Pick<OctokitOptions, 'paceWrites' | 'retryAfterBaseValue'>

/**
 * Octokit's request log parses the already-expanded URL a second time, so an encoded `/` in a
 * branch name shows as `%252F` although `%2F` was sent; print the path as sent.
 */
function requestLine(message: string): string {
  return message.replace(/%25([0-9A-Fa-f]{2})/g, '%$1')
}

/**
 * Statuses never retried: the request itself is wrong or not allowed, and sending it again would
 * fail the same way. 403 and 429 rate limits are retried by the throttling plugin instead, which
 * tells them apart from permission 403s by their message and headers.
 */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451]

type WriteGroup = NonNullable<ThrottlingOptions['write']>

/**
 * A stand-in for a Bottleneck group that runs every job at once. The throttling plugin only calls
 * `key(id).schedule(options, job, ...args)` on the write and notification groups.
 */
function unpacedGroup(): WriteGroup {
  const limiter = {
    schedule: (...args: unknown[]) => {
      const [first, ...rest] = args
      const [job, ...jobArgs] = (typeof first === 'function' ? args : rest) as [
        (...a: unknown[]) => unknown,
        ...unknown[]
      ]
      return Promise.resolve().then(() => job(...jobArgs))
    }
  }
  return { key: () => limiter } as unknown as WriteGroup
}

/**
 * An Octokit with GitHub's recommended retry and throttling behaviour: transient 5xx answers are
 * retried with growing waits, secondary rate limits wait for `retry-after`, and the number of
 * attempts is bounded. Permission and validation errors (400/401/403/404/409/422) fail at once.
 */
export function createOctokit(options: OctokitOptions): Octokit {
  const log = options.log ?? SILENT_LOG
  const retries = options.retries ?? 3
  const base = options.retryAfterBaseValue ?? 1000
  const maxRetryAfter = options.maxRetryAfter ?? 600
  const where = (o: { method: string; url: string }) => `${o.method} ${o.url}`
  const groups = options.paceWrites === false ? { write: unpacedGroup(), notifications: unpacedGroup() } : {}
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const octokitOptions: Parameters<typeof getOctokit>[1] = {
    baseUrl,
    userAgent: options.userAgent,
    // getOctokit's own default picks the proxy for GITHUB_API_URL when @actions/github is first
    // imported; this one is chosen for the URL the client is for, when it is made.
    request: { fetch: proxyFetch(baseUrl) },
    log: {
      debug: (m: string) => log.debug(m),
      info: (m: string) => log.debug(requestLine(m)),
      warn: (m: string) => log.warning(m),
      // Failed requests: the run's own error names the one that matters, so these stay plain log
      // lines, and the 404s that only say "not there yet" (a digest branch before the first run) debug.
      error: (m: string) => (/ - 404 with id /.test(m) ? log.debug : log.info)(requestLine(m))
    },
    retry: { retries, retryAfterBaseValue: base, doNotRetry: DO_NOT_RETRY },
    throttle: {
      retryAfterBaseValue: base,
      ...groups,
      onRateLimit: (retryAfter, o, _octokit, retryCount) => {
        const again = retryCount < retries && retryAfter <= maxRetryAfter
        log.warning(
          `GitHub API rate limit reached (${where(o)}); ` +
            (again ? `retrying in ${retryAfter} s.` : `it resets in ${retryAfter} s, giving up.`)
        )
        return again
      },
      onSecondaryRateLimit: (retryAfter, o, _octokit, retryCount) => {
        const again = retryCount < retries && retryAfter <= maxRetryAfter
        log.warning(
          `GitHub secondary rate limit (${where(o)}); ` +
            (again ? `retrying in ${retryAfter} s (attempt ${retryCount + 2}).` : 'giving up.')
        )
        return again
      }
    }
  }
  return getOctokit(options.token, octokitOptions, retry, throttling, requestLog)
}
