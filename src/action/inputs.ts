/**
 * The action's inputs, read once into a typed object. The inputs, their types and defaults are
 * those of the option table (config/options.ts); each bad value is reported with the input's name
 * and what is allowed. Options that also exist in the topic file are passed on as overrides and
 * validated with the rest of the configuration (paths).
 */
import { UserError } from '../digest/user-error.js'
import * as core from '@actions/core'
import {
  OPTION_LIST,
  OPTIONS,
  parseOptionText,
  type Option,
  type OptionName,
  type OptionValue
} from '../config/options.js'

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
  /** The input checked by its type in the option table; undefined when empty. */
  const given = (name: OptionName): string | number | boolean | undefined => {
    const text = getInput(name).trim()
    if (text === '') return undefined
    try {
      return parseOptionText(name, text, `Input "${name}"`)
    } catch (error) {
      throw new InputError((error as Error).message)
    }
  }
  /** The input, or the table's default when empty. */
  const valueOf = <N extends OptionName>(name: N) =>
    (given(name) ?? (OPTIONS[name] as Option).default) as OptionValue<N>
  const options: ActionInputs['options'] = {}
  const templates: Record<string, string> = {}
  for (const [name, option] of OPTION_LIST) {
    if (option.type === 'template') {
      const path = getInput(name).trim()
      if (path !== '') templates[option.template] = path
    } else if (option.file && option.input && option.type !== 'topics') {
      options[name] = given(name) as string | number | undefined
    }
  }
  const token = getInput('github-token').trim()
  if (token === '') {
    throw new InputError(
      'Input "github-token" is empty. Leave it out to use the workflow token (github.token), or pass a GitHub App token.'
    )
  }
  const branch = valueOf('branch')
  checkBranchName('branch', branch)
  const base = getInput('base').trim()
  if (base !== '') checkBranchName('base', base)
  if (base !== '' && base === branch) {
    throw new InputError(
      `Inputs "base" and "branch" are both "${base}"; the digest branch must be a branch of its own.`
    )
  }
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
    prDraft: valueOf('pr-draft'),
    commitMessage: valueOf('commit-message'),
    dryRun: valueOf('dry-run'),
    arxivApiUrl: valueOf('arxiv-api-url'),
    requestDelay: valueOf('request-delay'),
    arxivTimeout: valueOf('arxiv-timeout'),
    arxivBudget: valueOf('arxiv-budget'),
    arxivPageSize: valueOf('arxiv-page-size')
  }
}

/** Splits a comma- or newline-separated input, trimming and dropping empty items. */
export function list(value: string): string[] {
  return value
    .split(/[\n,]+/)
    .map(s => s.trim())
    .filter(s => s !== '')
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
