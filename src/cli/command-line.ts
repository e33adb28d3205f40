/**
 * src/cli/: the command line's entry point (`cli.ts`, built to dist/cli.js), what it prints where
 * (`output.ts`), the folder it reads and writes in place of a repository (`repo-fs.ts`), and this
 * file, which wires them to the pipeline.
 *
 * The command line: the same pipeline as the action, with a folder standing in for the repository.
 * `node dist/cli.js --config topics.yml --out DIR`.
 */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { ARXIV_API_URL, ArxivClient } from '../arxiv/client.js'
import { cliOutput, type Verbosity } from './output.js'
import { loadConfig } from '../config/config.js'
import { describeFailure, UserError } from '../digest/user-error.js'
import { runDigest, type Logger } from '../pipeline.js'
import { topicPagePath } from '../digest/layout.js'
import { loadTemplates } from '../render/templates.js'
import { proxyFetch, proxyFor } from '../environment/proxy.js'
import { prBody } from '../report.js'
import { folderReader, stageFiles } from './repo-fs.js'
import { nowFromEnvironment, SYSTEM_CLOCK, userAgent, type Clock } from '../environment/runtime.js'
import { OPTIONS, parseOptionText, type Option, type OptionName } from '../config/options.js'
import { NAME, VERSION } from '../environment/version.js'

const USAGE = `Usage: ${NAME} --config FILE --out DIR [options]

Fetches the arXiv papers that are new since the last run for the topics in FILE and writes the
digest pages, the index and the state into DIR (which plays the repository root).

Options:
  --config FILE            topic file (YAML), required
  --out DIR                folder that plays the repository root, required
  --arxiv-url URL          arXiv API query endpoint (default https://export.arxiv.org/api/query)
  --request-delay SECONDS  pause between arXiv requests (default 3; arXiv asks for at least 3)
  --arxiv-timeout SECONDS  time one arXiv request may take (default 30)
  --arxiv-budget SECONDS   time all arXiv requests may take, retries included (default 180)
  --arxiv-page-size N      papers per arXiv request, 1 to 2000 (default 2000)
  --dry-run                write nothing; print the files that would change and the pull
                           request body the action would open
  -q, --quiet              print only warnings, errors and what --dry-run shows
  --verbose                also print debug lines (each arXiv URL and its answer)
  -h, --help               this text
  -v, --version            the version

Results go to standard output; progress (each arXiv request and retry), warnings and errors to
standard error. "Now" is the current time, or SOURCE_DATE_EPOCH (seconds) when set.
Exit status: 0 done (some topics may have failed: see the warnings), 1 no topic could be fetched
or another runtime error, 2 invalid command line or configuration (templates, state files and the
index file's markers included).`

/** Thrown for bad command-line input; exit status 2. */
class UsageError extends UserError {}

/** Where the CLI prints and what time it lives in; tests pass their own to run it in-process. */
export interface CliRuntime {
  clock: Clock
  /** One line (or block) for standard output. */
  out(text: string): void
  /** One line (or block) for standard error. */
  err(text: string): void
}

const PROCESS: CliRuntime = {
  clock: SYSTEM_CLOCK,
  out: text => console.log(text),
  err: text => console.error(text)
}

/** Runs the CLI with `argv` (without node and script) and returns the exit status. */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  runtime: CliRuntime = PROCESS
): Promise<number> {
  return (await runCli(argv, env, runtime)).code
}

/** What one CLI run did. */
export interface CliOutcome {
  /** The exit status. */
  code: number
  /** The pull request body the action would open, when the run wrote (or would write) files. */
  prBody?: string
}

/** {@link main}, also returning the pull request body (the demo prints it after a real run). */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  runtime: CliRuntime = PROCESS
): Promise<CliOutcome> {
  // Until the flags are read, print at the normal level (a usage error is an error either way).
  let output = cliOutput(runtime, 'normal')
  try {
    const args = parseCommandLine(argv)
    output = cliOutput(runtime, args.verbosity)
    const log: Logger = { info: m => output.info(m), warning: m => output.warning(m) }
    if (args.help) {
      runtime.out(USAGE)
      return { code: 0 }
    }
    if (args.version) {
      runtime.out(`${NAME} ${VERSION}`)
      return { code: 0 }
    }
    const now = nowFromEnvironment(env)
    const text = await readFile(args.config, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`--config: cannot read ${args.config} (${error.code ?? error.message})`)
    })
    const config = loadConfig(text, args.config)
    const repo = folderReader(args.out)
    const templates = await loadTemplates(config.templates, path => repo.read(path))
    const arxivUrl = args.arxivUrl ?? ARXIV_API_URL
    // Proxy variables come from process.env, as for @actions/http-client everywhere, not from `env`.
    const proxy = proxyFor(arxivUrl)
    if (proxy)
      output.progress(`arXiv requests go through the proxy ${proxy} (HTTPS_PROXY/HTTP_PROXY, NO_PROXY).`)
    const arxiv = new ArxivClient({
      baseUrl: arxivUrl,
      fetch: proxyFetch(arxivUrl),
      delaySeconds: args.requestDelay,
      timeoutSeconds: args.arxivTimeout,
      budgetSeconds: args.arxivBudget,
      pageSize: args.arxivPageSize,
      onRetry: message => output.progress(message),
      onRequest: request => output.arxivRequest(request),
      onResponse: response => output.arxivResponse(response),
      sleep: ms => runtime.clock.sleep(ms),
      now: () => runtime.clock.now(),
      userAgent: userAgent(env),
      onWarning: message => log.warning(message)
    })
    // Files are staged beside their targets as they are rendered, and put in place at the end.
    const staged = stageFiles(args.out, repo, args.dryRun)
    const result = await runDigest({
      config,
      now,
      base: repo,
      arxiv,
      templates,
      log,
      write: staged.write
    }).catch(async (error: unknown) => {
      await staged.discard()
      throw error
    })
    const failed = result.topics.filter(t => t.status === 'failed').length
    const settled = result.topics.filter(t => t.settled).length
    const entries = result.topics.reduce((n, t) => n + t.newPapers.length, 0)
    log.info(
      `${result.topics.length - failed - settled} of ${result.topics.length} topics searched, ` +
        (settled > 0 ? `${settled} not asked (nothing announced since their last change), ` : '') +
        `${result.counts.new} new ${result.counts.new === 1 ? 'paper' : 'papers'}` +
        (entries !== result.counts.new
          ? ` (${entries} topic entries: some papers are in several topics)`
          : '') +
        `, ${arxiv.requestCount} arXiv requests`
    )
    // Nothing new, nothing written: not even a page that a template change would render differently.
    const changed = result.counts.new > 0 ? staged.changed() : []
    if (changed.length === 0) {
      await staged.discard()
      log.info('Nothing new: no file written.')
      return { code: 0 }
    }
    const body = prBody({
      outcomes: result.topics,
      pages: new Map(config.topics.map(t => [t.id, topicPagePath(config, t.id)])),
      staleAfterDays: config.staleAfterDays
    })
    if (args.dryRun) {
      output.result(`Dry run: would write ${changed.length} files:\n${changed.map(p => `  ${p}`).join('\n')}`)
      output.result(`Pull request body the action would open:\n${body}`)
    } else {
      await staged.commit()
      log.info(`Wrote ${changed.length} files:\n${changed.map(p => `  ${p}`).join('\n')}`)
    }
    return { code: 0, prBody: body }
  } catch (error) {
    const { code, message, details } = describeFailure(error)
    output.error(message)
    for (const line of details) output.debug(line)
    return { code }
  }
}

interface CommandLine {
  config: string
  out: string
  arxivUrl?: string
  requestDelay?: number
  arxivTimeout?: number
  arxivBudget?: number
  arxivPageSize?: number
  dryRun: boolean
  verbosity: Verbosity
  help: boolean
  version: boolean
}

function parseCommandLine(argv: string[]): CommandLine {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        out: { type: 'string' },
        'arxiv-url': { type: 'string' },
        'request-delay': { type: 'string' },
        'arxiv-timeout': { type: 'string' },
        'arxiv-budget': { type: 'string' },
        'arxiv-page-size': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        quiet: { type: 'boolean', short: 'q', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false }
      }
    }))
  } catch (error) {
    throw new UsageError(`${flagError(error as Error & { code?: string })}\n\n${USAGE}`)
  }
  if (values.quiet && values.verbose) {
    throw new UsageError('--quiet and --verbose cannot be combined: give one of them, or neither')
  }
  const help = values.help === true
  const version = values.version === true
  if (!help && !version) {
    if (!values.config) throw new UsageError(`--config FILE is required\n\n${USAGE}`)
    if (!values.out) throw new UsageError(`--out DIR is required\n\n${USAGE}`)
  }
  /** A value flag, checked as the option table says (as the action's inputs are); its error is a usage error. */
  const flag = (name: OptionName): string | number | undefined => {
    const flagName = (OPTIONS[name] as Option).flag!
    const text = values[flagName.slice(2) as 'request-delay']
    if (text === undefined) return undefined
    try {
      return parseOptionText(name, text, flagName) as string | number
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
  }
  const requestDelay = flag('request-delay') as number | undefined
  const arxivTimeout = flag('arxiv-timeout') as number | undefined
  const arxivBudget = flag('arxiv-budget') as number | undefined
  const arxivPageSize = flag('arxiv-page-size') as number | undefined
  const arxivUrl = flag('arxiv-api-url') as string | undefined
  return {
    config: values.config ?? '',
    out: values.out ?? '',
    arxivUrl,
    requestDelay,
    arxivTimeout,
    arxivBudget,
    arxivPageSize,
    dryRun: values['dry-run'] === true,
    verbosity: values.quiet ? 'quiet' : values.verbose ? 'verbose' : 'normal',
    help,
    version
  }
}

/** The flags, for the message about an unknown one. */
const FLAGS =
  '--config, --out, --arxiv-url, --request-delay, --arxiv-timeout, --arxiv-budget, ' +
  '--arxiv-page-size, --dry-run, --quiet (-q), --verbose, --help (-h), --version (-v)'

/** `parseArgs`' message, with the allowed flags when the flag is unknown. */
function flagError(error: Error & { code?: string }): string {
  const unknown = /^Unknown option '([^']+)'/.exec(error.message)
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    return `unknown flag ${unknown[1]}; the flags are ${FLAGS}`
  }
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return `${error.message.replace(/\.$/, '')}; every value follows its flag (--config FILE, --out DIR)`
  }
  return error.message
}
