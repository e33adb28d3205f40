/**
 * Small builders several test files share.
 */
import { validateConfig } from '../src/config/config.js'
import { createOctokit, type GitHubLog, type GitHubPacing, type Octokit } from '../src/github/client.js'
import type { Config } from '../src/digest/types.js'

/** The configuration with every default, no topics, and `overrides` applied. */
export function defaultConfig(overrides: Partial<Config> = {}): Config {
  const config = validateConfig([{ id: 't', title: 'T', keywords: ['t'], categories: ['cs.RO'] }], 'test')
  return { ...config, topics: [], ...overrides }
}

/**
 * The GitHub client's pacing in tests: writes not spaced (GitHub asks for 1 s between them against
 * secondary rate limits), and a `retry-after: 60` or the n-th retry of a 5xx waits milliseconds.
 */
export const TEST_PACING: GitHubPacing = { paceWrites: false, retryAfterBaseValue: 1 }

/** An Octokit for the fake GitHub, with {@link TEST_PACING}. */
export function testOctokit(baseUrl: string, log: GitHubLog): Octokit {
  return createOctokit({
    token: 'test-token',
    baseUrl,
    userAgent: 'preprint-digest-test',
    ...TEST_PACING,
    log
  })
}
