/**
 * src/config/: what the user asked for. The option table with its defaults and validators
 * (`options.ts`), the topic file's JSON Schema (`config.schema.json`) with its validator generated from
 * it (`file-validator.ts`, by `script/config-validator.mjs`), and this file.
 *
 * This file: topic file and options → validated `Config`. Every problem is reported at once, each
 * naming the field path and what is allowed, before anything touches the network or the repository.
 */
import { clean } from '../digest/text.js'
import { UserError } from '../digest/user-error.js'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { loadAll, YAMLException } from 'js-yaml'
import { canonicalCategory, isCategory, similarCategories } from '../digest/categories.js'
import { latestPagePath, siteLayout, topicPagePath } from '../digest/layout.js'
import { normalizeRepoPath, repoPathProblem } from '../digest/repo-path.js'
import { validate } from './file-validator.js'
import { words } from '../digest/terms.js'
import { FILE_DEFAULTS } from './options.js'
import type { Config, SortOrder, Topic } from '../digest/types.js'

/** Raised for invalid configuration; `problems` holds one line per problem. */
export class ConfigError extends UserError {
  constructor(
    readonly origin: string,
    readonly problems: string[]
  ) {
    super(`Invalid configuration in ${origin}:\n${problems.map(p => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/**
 * The schema's `file` definition as ajv's code, generated from `config.schema.json` by
 * `script/config-validator.mjs` (all errors, each with the schema it failed).
 */
const validateFile = validate as ValidateFunction

/**
 * Parses YAML text (YAML 1.2, core schema: `2026-01-01` and `yes` stay text) into a plain value;
 * null when it holds no document (empty, or comments only). A syntax error, a repeated key or a
 * second document becomes a ConfigError, with the line and column where YAML gives them. `origin`
 * names the source in messages (a file path or an input name).
 */
function parseYaml(text: string, origin: string): unknown {
  let documents: unknown[]
  try {
    documents = loadAll(text)
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error
    throw new ConfigError(origin, [`YAML syntax: ${error.message.split('\n')[0]}`])
  }
  if (documents.length > 1) {
    throw new ConfigError(origin, [
      `YAML syntax: ${documents.length} documents (separated by ---); expected one`
    ])
  }
  return documents[0] ?? null
}

/**
 * Validates a topic file's content (a list of topics, or an object with `topics` and options),
 * applies `overrides` (options given elsewhere, e.g. action inputs; they win over the file),
 * fills in defaults, and returns the typed configuration.
 */
export function validateConfig(
  raw: unknown,
  origin: string,
  overrides: Record<string, unknown> = {}
): Config {
  const merged: Record<string, unknown> = { ...asMapping(raw, origin) }
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) merged[key] = value

  const problems: string[] = []
  const valid: boolean = validateFile(merged)
  if (!valid) {
    problems.push(...dedupe((validateFile.errors ?? []).map(e => explain(e, merged))))
    // Also report the semantic problems of the topics whose shape is right, so one pass shows everything.
    const list = Array.isArray(merged.topics) ? (merged.topics as unknown[]) : []
    list.forEach((t, i) => {
      if (isRawTopic(t)) checkTopic(t, `topics[${i}]`, problems)
    })
    throw new ConfigError(origin, problems)
  }
  const topics = (merged.topics as RawTopic[]).map((t, i) => checkTopic(t, `topics[${i}]`, problems))
  const seen = new Map<string, number>()
  topics.forEach((t, i) => {
    const first = seen.get(t.id)
    if (first !== undefined)
      problems.push(`topics[${i}].id: duplicate topic id "${t.id}" (also topics[${first}])`)
    else seen.set(t.id, i)
  })
  const options = { ...FILE_DEFAULTS, ...merged } as typeof FILE_DEFAULTS & {
    templates?: Config['templates']
    'site-dir'?: string
  }
  const outputDir = checkRepoPath(options['output-dir'], 'output-dir', problems, true)
  const indexFile = checkRepoPath(options['index-file'], 'index-file', problems, false)
  const templates = { ...(options.templates ?? {}) }
  for (const [name, path] of Object.entries(templates)) {
    checkRepoPath(path, `templates.${name}`, problems, false)
  }
  topics.forEach((t, i) => {
    // The id names files (<id>.md, state/<id>/, archive/<id>/): it must pass the path policy too.
    const problem = repoPathProblem(t.id)
    if (problem) problems.push(`topics[${i}].id: "${t.id}" ${problem}; choose another id`)
    // <output-dir>/latest.md is the page of the latest batch.
    else if (t.id === 'latest')
      problems.push(`topics[${i}].id: "latest" names the page of the latest papers; choose another id`)
  })
  checkIndexFile(indexFile, outputDir, topics, problems)
  const siteDir =
    options['site-dir'] === undefined
      ? undefined
      : checkRepoPath(options['site-dir'], 'site-dir', problems, true)
  if (siteDir !== undefined) checkSiteDir(siteDir, outputDir, indexFile, problems)
  if (problems.length > 0) throw new ConfigError(origin, problems)
  return {
    topics,
    outputDir,
    indexFile,
    lookbackDays: options['lookback-days'],
    overlapDays: options['overlap-days'],
    keepDays: options['keep-days'],
    staleAfterDays: options['stale-after-days'],
    abstractLength: options['abstract-length'],
    maxAuthors: options['max-authors'],
    sort: options.sort as SortOrder,
    templates,
    ...(siteDir === undefined ? {} : { siteDir })
  }
}

/** A topic file's content as a mapping (a bare list is its `topics`); a ConfigError otherwise. */
function asMapping(raw: unknown, origin: string): Record<string, unknown> {
  const file = Array.isArray(raw) ? { topics: raw } : raw
  if (file === null || typeof file !== 'object') {
    throw new ConfigError(origin, [
      'expected a list of topics, or a mapping with `topics:` and options; got ' + describe(file)
    ])
  }
  return file as Record<string, unknown>
}

/** Parses and validates a topic file's text in one step. */
export function loadConfig(text: string, origin: string, overrides: Record<string, unknown> = {}): Config {
  return validateConfig(parseYaml(text, origin), origin, overrides)
}

/** Where the action's configuration comes from (see {@link mergeConfiguration}). */
export interface ConfigurationSources {
  /** Inline topic YAML (the `topics` input); may be empty. */
  topics: string
  /** The topic file named by the `config` input, read from the base branch. */
  file?: { path: string; text: string }
  /** Global options given as inputs; undefined where the input was empty. */
  options: Record<string, unknown>
  /** Template paths given as inputs, by kind (`topic-template` → `topic`). */
  templates: Record<string, string>
}

/**
 * The action's configuration: inline `topics` win over the topic file's topics; the file's
 * global options still apply; non-empty option inputs (templates one by one) win over both.
 */
export function mergeConfiguration(sources: ConfigurationSources): Config {
  let file: Record<string, unknown> = {}
  let origin = 'input "topics"'
  if (sources.file !== undefined) {
    const raw = parseYaml(sources.file.text, sources.file.path)
    origin = sources.file.path
    // An empty file (or comments only) gives no options, which is fine beside inline topics.
    if (raw !== null || sources.topics.trim() === '') file = asMapping(raw, origin)
  }
  if (sources.topics.trim() !== '') {
    file = { ...file, topics: parseYaml(sources.topics, 'input "topics"') }
    if (sources.file !== undefined) origin = `input "topics" with options from ${sources.file.path}`
  } else if (sources.file === undefined) {
    throw new UserError(
      'Give the topics: either inline with the input "topics", or as a file with the input "config".'
    )
  }
  const overrides: Record<string, unknown> = { ...sources.options }
  if (Object.keys(sources.templates).length > 0) {
    overrides.templates = { ...(file.templates as object | undefined), ...sources.templates }
  }
  return validateConfig(file, origin, overrides)
}

interface RawTopic {
  id: string
  title: string
  description?: string
  keywords: string[]
  categories: string[]
  require?: string[]
  exclude?: string[]
  authors?: string[]
}

function isRawTopic(t: unknown): t is RawTopic {
  const o = t as Record<string, unknown> | null
  const strings = (v: unknown) => v === undefined || (Array.isArray(v) && v.every(x => typeof x === 'string'))
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.id === 'string' &&
    typeof o.title === 'string' &&
    Array.isArray(o.keywords) &&
    Array.isArray(o.categories) &&
    ['keywords', 'categories', 'require', 'exclude', 'authors'].every(f => strings(o[f]))
  )
}

function checkTopic(raw: RawTopic, path: string, problems: string[]): Topic {
  const phrases = (field: 'keywords' | 'require' | 'exclude' | 'authors'): string[] => {
    const list = (raw[field] ?? []).map(clean)
    list.forEach((p, i) => {
      if (words(p).length === 0) {
        problems.push(`${path}.${field}[${i}]: "${raw[field]?.[i]}" has no letters or digits to match`)
      }
    })
    return [...new Set(list)]
  }
  const categories: string[] = []
  raw.categories.forEach((code, i) => {
    if (!isCategory(code)) {
      const hint = similarCategories(code)
      problems.push(
        `${path}.categories[${i}]: unknown arXiv category "${code}"` +
          (hint.length > 0 ? `; did you mean ${hint.join(', ')}?` : '') +
          ' Allowed: the active codes listed at https://arxiv.org/category_taxonomy (e.g. cs.RO, cs.CV, math.PR)'
      )
    } else if (!categories.includes(canonicalCategory(code))) {
      categories.push(canonicalCategory(code))
    }
  })
  return {
    id: raw.id,
    title: raw.title.trim(),
    description: (raw.description ?? '').trim(),
    keywords: phrases('keywords'),
    categories,
    require: phrases('require'),
    exclude: phrases('exclude'),
    authors: phrases('authors')
  }
}

/** A repository-relative path the digest may write (repo-path.ts), normalised; "." is the root. */
function checkRepoPath(value: string, field: string, problems: string[], isDir: boolean): string {
  const problem = repoPathProblem(value, isDir ? 'folder' : 'file')
  if (problem) problems.push(`${field}: "${value}" ${problem} (e.g. "${isDir ? 'digests' : 'README.md'}")`)
  return normalizeRepoPath(value)
}

/** The index file must not be one of the files the digest generates. */
function checkIndexFile(indexFile: string, outputDir: string, topics: Topic[], problems: string[]): void {
  const layout = { outputDir, indexFile }
  const page = topics.find(t => topicPagePath(layout, t.id) === indexFile)
  if (page) {
    problems.push(
      `index-file: "${indexFile}" is the page of topic "${page.id}"; choose another file (e.g. README.md)`
    )
  }
  if (indexFile === latestPagePath(layout)) {
    problems.push(`index-file: "${indexFile}" is the page of the latest papers; choose another file`)
  }
  for (const generated of ['state', 'archive', 'feeds']) {
    const dir = outputDir === '.' ? generated : `${outputDir}/${generated}`
    if (indexFile.startsWith(`${dir}/`)) {
      problems.push(
        `index-file: "${indexFile}" lies in ${dir}/, which the digest generates; choose another file`
      )
    }
  }
}

/**
 * The dashboard's folder must not overlap what the digest generates elsewhere: the state and
 * archive folders are listed as the digest's own, and the index file must not be a dashboard file.
 */
function checkSiteDir(siteDir: string, outputDir: string, indexFile: string, problems: string[]): void {
  for (const generated of ['state', 'archive']) {
    const dir = outputDir === '.' ? generated : `${outputDir}/${generated}`
    if (siteDir === dir || siteDir.startsWith(`${dir}/`)) {
      problems.push(
        `site-dir: "${siteDir}" lies in ${dir}/, which the digest generates; choose another folder (e.g. "docs")`
      )
    }
  }
  const site = siteLayout(siteDir)
  if (indexFile === site.page || indexFile === site.manifest || indexFile.startsWith(`${site.data}/`)) {
    problems.push(
      `index-file: "${indexFile}" is a file of the dashboard in site-dir "${siteDir}"; choose another file (e.g. README.md)`
    )
  }
}

/** One human sentence per ajv error, with the field path in dotted/bracket form. */
function explain(error: ErrorObject, root: unknown): string {
  const path = fieldPath(error.instancePath)
  const where = path === '' ? 'top level' : path
  const value = valueAt(root, error.instancePath)
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = String(error.params.additionalProperty)
      const allowed = Object.keys((error.parentSchema?.properties ?? {}) as object)
      return path === ''
        ? `unknown option "${extra}"; allowed: ${allowed.join(', ')}`
        : `${path}: unknown field "${extra}"; allowed: ${allowed.join(', ')}`
    }
    case 'required':
      return `${path === '' ? 'top level' : path}: missing required field "${String(error.params.missingProperty)}"`
    case 'enum':
      return `${where}: must be one of ${(error.params.allowedValues as unknown[]).join(', ')} (got ${describe(value)})`
    case 'type':
      return `${where}: must be ${article(String(error.params.type))} (got ${describe(value)})`
    case 'minItems':
      return error.params.limit === 1
        ? `${where}: must list at least one entry (got an empty list)`
        : `${where}: must list at least ${error.params.limit} entries`
    case 'minimum':
    case 'maximum': {
      const s = error.parentSchema as { minimum?: number; maximum?: number }
      return `${where}: must be a whole number from ${s.minimum} to ${s.maximum} (got ${describe(value)})`
    }
    case 'pattern':
      return where.endsWith('.id')
        ? `${where}: "${String(value)}" is not a safe file name; use lowercase letters, digits, "-" and "_", starting with a letter or digit (at most 64 characters)`
        : `${where}: "${String(value)}" does not match ${String(error.params.pattern)}`
    case 'minLength':
      return `${where}: must not be empty`
    case 'maxLength':
      return `${where}: is longer than ${error.params.limit} characters`
    default:
      return `${where}: ${error.message ?? 'is invalid'}`
  }
}

function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '')
}

function valueAt(root: unknown, pointer: string): unknown {
  let value = root
  for (const part of pointer.split('/').slice(1)) {
    value = (value as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')]
  }
  return value
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  return `${typeof value} ${JSON.stringify(value)}`
}

function article(type: string): string {
  return { integer: 'a whole number', array: 'a list', object: 'a mapping', string: 'a string' }[type] ?? type
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)]
}
