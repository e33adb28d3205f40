/**
 * Small builders several test files share.
 */
import { validateConfig } from '../src/config/config.js'
import { createOctokit, type GitHubLog, type Octokit } from '../src/github/client.js'
import type { Config } from '../src/digest/types.js'

/** The configuration with every default, no topics, and `overrides` applied. */
export function defaultConfig(overrides: Partial<Config> = {}): Config {
  const config = validateConfig([{ id: 't', title: 'T', keywords: ['t'], categories: ['cs.RO'] }], 'test')
  return { ...config, topics: [], ...overrides }
}

/** An Octokit for the fake GitHub: no write pacing, retry waits in milliseconds. */
export function testOctokit(baseUrl: string, log: GitHubLog): Octokit {
  return createOctokit({
    token: 'test-token',
    baseUrl,
    userAgent: 'preprint-digest-test',
    retryAfterBaseValue: 1,
    paceWrites: false,
    log
  })
}
