/**
 * What the command line prints, and where: results on standard output; progress, warnings,
 * errors and debug lines on standard error, so that `> file` keeps only the results. `--quiet`
 * keeps warnings, errors and what a dry run was asked to show; `--verbose` adds debug lines.
 */
import type { ArxivRequestInfo, ArxivResponseInfo } from '../arxiv/client.js'

/** How much the CLI prints: `quiet` (warnings and errors), `normal`, `verbose` (debug lines too). */
export type Verbosity = 'quiet' | 'normal' | 'verbose'

/** The two streams the CLI writes to; tests pass their own. */
export interface Streams {
  out(text: string): void
  err(text: string): void
}

/** The CLI's printer at one verbosity. */
export interface CliOutput {
  /** A result (what was searched, found and written): standard output, not when quiet. */
  info(message: string): void
  /** What the run was asked to show (a dry run's files and pull request body): standard output, always. */
  result(message: string): void
  /** A line while the run waits (a request, a retry): standard error, not when quiet. */
  progress(message: string): void
  /** A detail for finding a fault: standard error, only when verbose. */
  debug(message: string): void
  /** Something went partly wrong (a failed topic): standard error, always. */
  warning(message: string): void
  /** The run failed: standard error, always. */
  error(message: string): void
  /** Progress and debug lines of each arXiv request. */
  arxivRequest(request: ArxivRequestInfo): void
  arxivResponse(response: ArxivResponseInfo): void
}

export function cliOutput(streams: Streams, verbosity: Verbosity): CliOutput {
  const quiet = verbosity === 'quiet'
  const verbose = verbosity === 'verbose'
  const output: CliOutput = {
    info: message => quiet || streams.out(message),
    result: message => streams.out(message),
    progress: message => quiet || streams.err(message),
    debug: message => verbose && streams.err(`debug: ${message}`),
    warning: message => streams.err(`warning: ${message}`),
    error: message => streams.err(`error: ${message}`),
    arxivRequest: request => {
      output.progress(requestLine(request))
      output.debug(`GET ${request.url}`)
    },
    arxivResponse: response => output.debug(responseLine(response))
  }
  return output
}

/** `arXiv request 3 (page 2 of 4, query "…", start 2000), attempt 2 of 4 …` */
export function requestLine(request: ArxivRequestInfo): string {
  const what = request.pageSize === 0 ? `count for ${request.where}` : request.where
  const page = request.page ? `page ${request.page.index} of ${request.page.of}, ` : ''
  const attempt = request.attempt > 1 ? `, attempt ${request.attempt} of ${request.maxAttempts}` : ''
  return `arXiv request ${request.number} (${page}${what})${attempt} …`
}

/** `arXiv request 3: HTTP 200 in 1.2 s, 2000 papers of 5312` */
function responseLine(response: ArxivResponseInfo): string {
  const status = response.status === undefined ? 'no answer' : `HTTP ${response.status}`
  const time = response.ms < 1000 ? `${Math.round(response.ms)} ms` : `${(response.ms / 1000).toFixed(1)} s`
  const result =
    response.failure !== undefined
      ? `: ${response.failure}`
      : `, ${response.papers} ${response.papers === 1 ? 'paper' : 'papers'} of ${response.totalResults}`
  return `arXiv request ${response.number}: ${status} in ${time}${result}`
}
