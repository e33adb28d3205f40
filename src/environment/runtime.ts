/**
 * src/environment/: what comes from where the run happens: "now" and the User-Agent (this file),
 * the version (`version.ts`) and the runner's proxy settings (`proxy.ts`).
 *
 * This file: facts about the run that come from the environment: "now" and how we introduce
 * ourselves to arXiv.
 */
import { UserError } from '../digest/user-error.js'
import { NAME, VERSION } from './version.js'

/**
 * "Now": `SOURCE_DATE_EPOCH` (whole seconds since 1970, the reproducible-builds convention) when
 * set, else the clock. A malformed value is an error rather than silently the clock.
 */
export function nowFromEnvironment(env: NodeJS.ProcessEnv): Date {
  const epoch = env.SOURCE_DATE_EPOCH?.trim()
  if (epoch === undefined || epoch === '') return new Date()
  if (!/^\d+$/.test(epoch)) {
    throw new UserError(`SOURCE_DATE_EPOCH: must be whole seconds since 1970-01-01 UTC (got "${epoch}")`)
  }
  return new Date(Number(epoch) * 1000)
}

/**
 * The User-Agent for arXiv: names the tool and, inside GitHub Actions, the repository it runs for,
 * so arXiv can tell who is asking (arXiv's help for blocked users asks for exactly this).
 */
export function userAgent(env: NodeJS.ProcessEnv): string {
  const repo = env.GITHUB_REPOSITORY
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com'
  return repo ? `${NAME}/${VERSION} (+${server}/${repo})` : `${NAME}/${VERSION} (command line)`
}

/**
 * Time as a run sees it. The entry points take one so that tests can run them in-process on a
 * simulated clock: `sleep` then advances `now` and records the wait instead of waiting.
 */
export interface Clock {
  /** Milliseconds since 1970. */
  now(): number
  sleep(ms: number): Promise<void>
}

/** The real clock. */
export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: ms => new Promise(resolve => setTimeout(resolve, ms))
}
