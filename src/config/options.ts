/**
 * Every setting of a run, once: its name, type, default, allowed values, where it can be given
 * (the topic file, an action input, a CLI flag) and what it does. The action's inputs, the CLI's
 * flags, the defaults of the configuration and the arXiv client's checks are derived from this
 * table; `__tests__/options.test.ts` checks action.yml, the README and the topic file's JSON
 * schema against it. Also the one validator per kind of value, so that an input, a flag and the
 * arXiv client reject the same values with the same words.
 */

/** Where an option can be given; `flag` is the CLI flag's name. */
interface Where {
  /** A global option of the topic file (action inputs that are not empty win over it). */
  file?: true
  /** An action input of the same name. */
  input?: true
  /** The CLI's flag, e.g. `--arxiv-url`. */
  flag?: string
}

interface Described extends Where {
  /** One line for people; action.yml's description of the input (see the test). */
  description: string
  /** What an empty value means when that is not a literal default, e.g. "no dashboard". */
  unset?: string
}

/** One option. `default` is the value an empty input or a missing field stands for. */
export type Option = Described &
  (
    | { type: 'integer'; default: number; min: number; max: number }
    | { type: 'seconds'; default: number; min: number }
    | { type: 'enum'; default: string; values: readonly string[] }
    | { type: 'url'; default: string }
    | { type: 'boolean'; default: boolean }
    | { type: 'string' | 'path' | 'branch'; default?: string }
    /** Comma- or newline-separated items. */
    | { type: 'list'; default?: undefined }
    /** The topic list (YAML), or the `templates` mapping of the topic file. */
    | { type: 'topics' | 'templates'; default?: undefined }
    /** A template path given as an input; the topic file's `templates.<template>`. */
    | { type: 'template'; template: string; default?: undefined }
  )

/** The largest page arXiv serves in one request (its "slice" limit), and our default. */
const ARXIV_SLICE = 2000

/** The table. Kebab-case names, as written in the topic file, action.yml and on the command line. */
export const OPTIONS = {
  topics: {
    type: 'topics',
    file: true,
    input: true,
    description:
      'Topics as inline YAML: a list of {id, title, description, keywords, categories, require?, ' +
      'exclude?, authors?}. Wins over `config` when both are given.'
  },
  config: {
    type: 'path',
    input: true,
    description:
      'Path (in the repository) of a YAML topic file with `topics:` and optional global options. ' +
      'Read from the base branch through the API; no checkout needed.'
  },
  'output-dir': {
    type: 'path',
    default: 'digests',
    file: true,
    input: true,
    description: "Folder (relative to the repository root) for the topic pages and the digest's state."
  },
  'index-file': {
    type: 'path',
    default: 'README.md',
    file: true,
    input: true,
    description: 'File that gets the topics table between the preprint-digest markers.'
  },
  'lookback-days': {
    type: 'integer',
    default: 7,
    min: 1,
    max: 365,
    file: true,
    input: true,
    description: 'First run of a topic looks back this many days.'
  },
  'overlap-days': {
    type: 'integer',
    default: 30,
    min: 0,
    max: 60,
    file: true,
    input: true,
    description:
      'Later runs re-query this many days before the topic last changed, for late announcements and moderation holds.'
  },
  'keep-days': {
    type: 'integer',
    default: 30,
    min: 1,
    max: 3650,
    file: true,
    input: true,
    description: 'Days a paper stays on its topic page before moving to the monthly archive.'
  },
  'stale-after-days': {
    type: 'integer',
    default: 14,
    min: 1,
    max: 3650,
    file: true,
    input: true,
    description: 'Warn when a topic has had no new paper for longer than this.'
  },
  'abstract-length': {
    type: 'integer',
    default: 500,
    min: 0,
    max: 100000,
    file: true,
    input: true,
    description: 'Characters of abstract shown.'
  },
  'max-authors': {
    type: 'integer',
    default: 5,
    min: 1,
    max: 1000,
    file: true,
    input: true,
    description: 'Authors shown before "et al.".'
  },
  sort: {
    type: 'enum',
    default: 'date',
    values: ['date', 'relevance'],
    file: true,
    input: true,
    description: 'Order of papers on a page, `date` or `relevance`.'
  },
  'site-dir': {
    type: 'path',
    unset: 'no dashboard',
    file: true,
    input: true,
    description:
      'Folder (relative to the repository root) for a static dashboard for GitHub Pages (index.html, topics.json, data/), e.g. docs.'
  },
  templates: {
    type: 'templates',
    file: true,
    description:
      'Mustache templates in your repository replacing the shipped ones: topic, archive, index, site, latest, atom, json (docs/templates.md).'
  },
  'topic-template': {
    type: 'template',
    template: 'topic',
    unset: 'shipped',
    input: true,
    description:
      'Path (in the repository) of a mustache template for topic pages, replacing the shipped one (docs/templates.md).'
  },
  'archive-template': {
    type: 'template',
    template: 'archive',
    unset: 'shipped',
    input: true,
    description: 'Path of a mustache template for monthly archive pages.'
  },
  'index-template': {
    type: 'template',
    template: 'index',
    unset: 'shipped',
    input: true,
    description: "Path of a mustache template for the topics table inside the index file's markers."
  },
  'site-template': {
    type: 'template',
    template: 'site',
    unset: 'shipped',
    input: true,
    description: 'Path of a mustache template for the dashboard page (site-dir/index.html).'
  },
  'github-token': {
    type: 'string',
    default: '${{ github.token }}',
    input: true,
    description:
      'Token for reading the repository and opening the pull request. The workflow token needs ' +
      '`permissions: contents: write, pull-requests: write`. Use a GitHub App token if the PR should ' +
      'trigger other workflows.'
  },
  base: {
    type: 'branch',
    unset: 'default branch',
    input: true,
    description:
      "Branch the pull request targets and state is read from (default the repository's default branch)."
  },
  branch: {
    type: 'branch',
    default: 'preprint-digest/update',
    input: true,
    description: 'The digest branch. It belongs to the action and is rebuilt from the base on every run.'
  },
  'pr-title': {
    type: 'string',
    unset: 'what is inside',
    input: true,
    description:
      "Pull request title. Empty: it says what is inside, e.g. '12 new papers: vla 7, world_models 5'."
  },
  'pr-labels': {
    type: 'list',
    input: true,
    description: 'Labels to add to the pull request (comma or newline separated).'
  },
  'pr-reviewers': {
    type: 'list',
    input: true,
    description: 'Users to request reviews from (comma or newline separated).'
  },
  'pr-assignees': {
    type: 'list',
    input: true,
    description: 'Users to assign (comma or newline separated).'
  },
  'pr-draft': {
    type: 'boolean',
    default: false,
    input: true,
    description: 'Open the pull request as a draft (`true` or `false`; applies when it is created).'
  },
  'commit-message': {
    type: 'string',
    default: 'Update paper digest',
    input: true,
    description: 'Message of the digest commit.'
  },
  'dry-run': {
    type: 'boolean',
    default: false,
    input: true,
    flag: '--dry-run',
    description:
      'Do everything up to the commit, then print the publishing decision a real run would carry out, ' +
      'the changed files and the PR body; send only GET requests (`true` or `false`).'
  },
  'arxiv-api-url': {
    type: 'url',
    default: 'https://export.arxiv.org/api/query',
    input: true,
    flag: '--arxiv-url',
    description: 'arXiv API query endpoint.'
  },
  'request-delay': {
    type: 'seconds',
    default: 3,
    min: 0,
    input: true,
    flag: '--request-delay',
    description: 'Seconds between arXiv requests (arXiv asks for at least 3).'
  },
  'arxiv-timeout': {
    type: 'seconds',
    default: 30,
    min: 1,
    input: true,
    flag: '--arxiv-timeout',
    description: 'Seconds one arXiv request may take before it is retried.'
  },
  'arxiv-budget': {
    type: 'seconds',
    default: 180,
    min: 1,
    input: true,
    flag: '--arxiv-budget',
    description:
      'Seconds all arXiv requests of a run may take, retries and waits included; then the run reports what failed.'
  },
  'arxiv-page-size': {
    type: 'integer',
    default: ARXIV_SLICE,
    min: 1,
    max: ARXIV_SLICE,
    input: true,
    flag: '--arxiv-page-size',
    description: 'Papers per arXiv request (max_results), 1 to 2000; lower it only if large answers time out.'
  }
} as const satisfies Record<string, Option>

export type OptionName = keyof typeof OPTIONS

/** The table as a list of `[name, option]`, in its order. */
export const OPTION_LIST = Object.entries(OPTIONS) as Array<[OptionName, Option]>

/** The type of option `N`'s value once parsed. */
export type OptionValue<N extends OptionName> = (typeof OPTIONS)[N] extends { type: 'integer' | 'seconds' }
  ? number
  : (typeof OPTIONS)[N] extends { type: 'boolean' }
    ? boolean
    : string

type FileDefaults = {
  [
    N in OptionName as (typeof OPTIONS)[N] extends { file: true; default: unknown } ? N : never
  ]: OptionValue<N>
}

/** The topic file's global options with their defaults (what a missing field stands for). */
export const FILE_DEFAULTS = Object.fromEntries(
  OPTION_LIST.filter(([, o]) => o.file && o.default !== undefined).map(([name, o]) => [name, o.default])
) as FileDefaults

/**
 * A number of seconds (an action input, a CLI flag or a client setting), at least `min`;
 * `label` is how the message names the setting, e.g. `Input "request-delay"` or `--request-delay`.
 */
export function parseSeconds(value: string | number, label: string, min = 0): number {
  const seconds = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value.trim())
  if (!Number.isFinite(seconds) || seconds < min) {
    throw new RangeError(`${label}: must be a number of seconds, ${min} or more (got "${value}")`)
  }
  return seconds
}

/** A whole number from `min` to `max` (given as text or as a number). */
function parseWholeNumber(value: string | number, label: string, min: number, max: number): number {
  const text = String(value).trim()
  const number = Number(text)
  if (!/^-?\d+$/.test(text) || number < min || number > max) {
    throw new RangeError(`${label}: must be a whole number from ${min} to ${max} (got "${value}")`)
  }
  return number
}

/** Papers per arXiv request: a whole number from 1 to arXiv's slice limit. */
export function parsePageSize(value: string | number, label: string): number {
  const { min, max } = OPTIONS['arxiv-page-size']
  return parseWholeNumber(value, label, min, max)
}

/** The arXiv endpoint: an http or https URL that `fetch` can parse. */
export function parseArxivUrl(value: string, label: string): string {
  if (!/^https?:\/\/\S+$/.test(value) || !URL.canParse(value)) {
    throw new RangeError(`${label}: must be an http(s) URL (got "${value}")`)
  }
  return value
}

/** One of the allowed values. */
function parseEnum(value: string, label: string, values: readonly string[]): string {
  if (!values.includes(value)) {
    throw new RangeError(`${label}: must be one of ${values.join(', ')} (got "${value}")`)
  }
  return value
}

/** YAML 1.2 core booleans, as `core.getBooleanInput` accepts them. */
function parseBoolean(value: string, label: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new RangeError(`${label}: must be true or false (got "${value}")`)
}

/**
 * A non-empty value of option `name` given as text (an input or a flag), checked by the
 * option's type; types that need more than the text (paths, branch names) come back as given.
 */
export function parseOptionText(name: OptionName, text: string, label: string): string | number | boolean {
  const option: Option = OPTIONS[name]
  switch (option.type) {
    case 'seconds':
      return parseSeconds(text, label, option.min)
    case 'integer':
      return parseWholeNumber(text, label, option.min, option.max)
    case 'enum':
      return parseEnum(text, label, option.values)
    case 'url':
      return parseArxivUrl(text, label)
    case 'boolean':
      return parseBoolean(text, label)
    default:
      return text
  }
}
