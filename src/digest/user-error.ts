/**
 * The common base of every error that a user's input caused: configuration (config.ts), action
 * inputs (inputs.ts), command-line flags (command-line.ts), templates (templates.ts), state files
 * (state.ts), the index file's markers (index-region.ts), paths (repo-path.ts). Its message says
 * what to fix, and running again unchanged fails the same way.
 *
 * Everything else is an operational failure: arXiv or GitHub did not answer or refused (GitHub's
 * refusals are explained in src/github/errors.ts, but they are GitHub's verdict, found only by
 * asking), or no topic could be fetched.
 */
export class UserError extends Error {
  override name = 'UserError'
}

/** The exit status of a run that failed: 2 for a user error, 1 for an operational failure. */
export const EXIT_USER_ERROR = 2
export const EXIT_FAILURE = 1

/** How an entry point reports a failed run. */
export interface Failure {
  /** `EXIT_USER_ERROR` or `EXIT_FAILURE`. */
  code: number
  /** The error's message, as is: the one thing printed as the error. */
  message: string
  /**
   * The stack (without the message) and the chain of causes, one line each, for debug output only.
   */
  details: string[]
}

/** The one mapping both entry points (src/action/main.ts, src/cli/command-line.ts) use. */
export function describeFailure(error: unknown): Failure {
  const details: string[] = []
  const seen = new Set<unknown>()
  let e: unknown = error
  while (e !== undefined && !seen.has(e)) {
    const stack = e instanceof Error ? (e.stack ?? '') : ''
    const at = stack.search(/\n\s+at /)
    const frames = at < 0 ? [] : stack.slice(at + 1).split('\n')
    const name = e instanceof Error ? e.name : typeof e
    // The message itself is printed once, as the error; the debug lines add where it came from.
    const head =
      seen.size === 0
        ? `${name} thrown`
        : `Caused by: ${e instanceof Error ? `${name}: ${e.message}` : String(e)}`
    details.push(...head.split('\n'), ...frames)
    seen.add(e)
    e = e instanceof Error ? e.cause : undefined
  }
  return {
    code: error instanceof UserError ? EXIT_USER_ERROR : EXIT_FAILURE,
    message: error instanceof Error ? error.message : String(error),
    details
  }
}
