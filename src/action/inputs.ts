/**
 * The action's inputs, read once into a typed object. Each bad value is reported with the input's
 * name and what is allowed; numbers and enums that also exist in the topic file are passed on as
 * overrides and validated with the rest of the configuration.
 */
import { UserError } from '../digest/user-error.js'
import * as core from '@actions/core'
import { ARXIV_PAGE_SIZE, ARXIV_TIME_DEFAULTS, parsePageSize, parseSeconds } from '../environment/runtime.js'

/** Inputs that override the topic file's global options when not empty (kebab-case, as in the file). */
const OPTION_INPUTS = {
  'output-dir': 'string',
  'index-file': 'string',
  'lookback-days': 'integer',
  'overlap-days': 'integer',
  'keep-days': 'integer',
  'stale-after-days': 'integer',
  'abstract-length': 'integer',
  'max-authors': 'integer',
  sort: 'string',
  'site-dir': 'string'
} as const

/** Everything the action was given, parsed. */
export interface ActionInputs {
  /** Inline topic YAML (may be empty). */
  topics: string
  /** Repository path of a topic file (may be empty). */
  config: string
  /** Global options given as inputs; undefined where the input was empty. */
  options: Record<string, string | number | undefined>
  /** Template paths given as inputs (`topic-template` → `topic`); only the non-empty ones. */
  templates: Record<string, string>
  githubToken: string
  /** Empty: the repository's default branch. */
  base: string
  branch: string
  prTitle: string
  prLabels: string[]
  prReviewers: string[]
  prAssignees: string[]
  prDraft: boolean
  commitMessage: string
  dryRun: boolean
  arxivApiUrl: string
  requestDelay: number
  /** Seconds one arXiv request may take. */
  arxivTimeout: number
  /** Seconds all arXiv requests of the run may take, retries and waits included. */
  arxivBudget: number
  /** Papers per arXiv request (`max_results`). */
  arxivPageSize: number
}

/** Raised for an input that cannot be used; the message names it. */
export class InputError extends UserError {
  constructor(message: string) {
    super(message)
    this.name = 'InputError'
  }
}

type GetInput = (name: string) => string

/** Reads and checks every input. `getInput` is injectable for tests; by default the runner's. */
export function readInputs(getInput: GetInput = name => core.getInput(name)): ActionInputs {
  const options: ActionInputs['options'] = {}
  for (const [name, type] of Object.entries(OPTION_INPUTS)) {
    const value = getInput(name).trim()
    options[name] = value === '' ? undefined : type === 'integer' ? integer(name, value) : value
  }
  const templates: Record<string, string> = {}
  for (const kind of ['topic', 'archive', 'index', 'site']) {
    const path = getInput(`${kind}-template`).trim()
    if (path !== '') templates[kind] = path
  }
  const token = getInput('github-token').trim()
  if (token === '') {
    throw new InputError(
      'Input "github-token" is empty. Leave it out to use the workflow token (github.token), or pass a GitHub App token.'
    )
  }
  const branch = getInput('branch').trim() || 'preprint-digest/update'
  checkBranchName('branch', branch)
  const base = getInput('base').trim()
  if (base !== '') checkBranchName('base', base)
  if (base !== '' && base === branch) {
    throw new InputError(
      `Inputs "base" and "branch" are both "${base}"; the digest branch must be a branch of its own.`
    )
  }
  const arxivApiUrl = getInput('arxiv-api-url').trim() || 'https://export.arxiv.org/api/query'
  if (!/^https?:\/\/\S+$/.test(arxivApiUrl)) {
    throw new InputError(`Input "arxiv-api-url": must be an http(s) URL (got "${arxivApiUrl}")`)
  }
  /** A number input parsed by the shared rule (the CLI's flags use the same); empty means `fallback`. */
  const number = (name: string, fallback: number, parse: (text: string, label: string) => number): number => {
    const text = getInput(name)
    if (text.trim() === '') return fallback
    try {
      return parse(text, `Input "${name}"`)
    } catch (error) {
      throw new InputError((error as Error).message)
    }
  }
  const seconds = (min: number) => (text: string, label: string) => parseSeconds(text, label, min)
  const requestDelay = number('request-delay', ARXIV_TIME_DEFAULTS.delay, seconds(0))
  const arxivTimeout = number('arxiv-timeout', ARXIV_TIME_DEFAULTS.timeout, seconds(1))
  const arxivBudget = number('arxiv-budget', ARXIV_TIME_DEFAULTS.budget, seconds(1))
  const arxivPageSize = number('arxiv-page-size', ARXIV_PAGE_SIZE, parsePageSize)
  return {
    topics: getInput('topics'),
    config: getInput('config').trim(),
    options,
    templates,
    githubToken: token,
    base,
    branch,
    // Empty: the title says what the pull request holds (report.ts `prTitle`).
    prTitle: getInput('pr-title').trim(),
    prLabels: list(getInput('pr-labels')),
    prReviewers: list(getInput('pr-reviewers')).map(u => u.replace(/^@/, '')),
    prAssignees: list(getInput('pr-assignees')).map(u => u.replace(/^@/, '')),
    prDraft: boolean('pr-draft', getInput('pr-draft')),
    commitMessage: getInput('commit-message').trim() || 'Update paper digest',
    dryRun: boolean('dry-run', getInput('dry-run')),
    arxivApiUrl,
    requestDelay,
    arxivTimeout,
    arxivBudget,
    arxivPageSize
  }
}

/** Splits a comma- or newline-separated input, trimming and dropping empty items. */
export function list(value: string): string[] {
  return value
    .split(/[\n,]+/)
    .map(s => s.trim())
    .filter(s => s !== '')
}

function integer(name: string, value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InputError(`Input "${name}": must be a whole number (got "${value}")`)
  return Number(value)
}

/** YAML 1.2 core booleans, as `core.getBooleanInput` accepts; empty means false here. */
function boolean(name: string, raw: string): boolean {
  const value = raw.trim()
  if (value === '' || ['false', 'False', 'FALSE'].includes(value)) return false
  if (['true', 'True', 'TRUE'].includes(value)) return true
  throw new InputError(`Input "${name}": must be true or false (got "${value}")`)
}

/** The rules of `git check-ref-format` that a user can plausibly break. */
function checkBranchName(name: string, value: string): void {
  const bad =
    /(^[./-])|([./]$)|\.\.|\/\/|@\{|[\s~^:?*[\\]|\p{Cc}|\.lock(\/|$)/u.test(value) ||
    value.startsWith('refs/')
  if (bad) {
    throw new InputError(
      `Input "${name}": "${value}" is not a valid branch name (no spaces, "..", "~^:?*[\\", leading "-" or "/", ` +
        'or "refs/" prefix; e.g. preprint-digest/update)'
    )
  }
}
