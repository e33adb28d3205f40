/**
 * The mustache templates: loading the shipped ones (`templates/`) or the user's, checking that they
 * parse, and rendering a view with them.
 *
 * Every string in a view is already safe for its output format (see `views.ts`). Templates use
 * `{{{…}}}`; a user's `{{…}}` gives the same result, because `render` passes an escape function that
 * leaves values alone instead of mustache's HTML escaping (which would turn `&lt;` into `&amp;lt;`).
 */
import { readFile } from 'node:fs/promises'
import Mustache from 'mustache'
import { TEMPLATES_DIR } from '../assets.js'
import { UserError } from '../digest/user-error.js'
import type { TemplatePaths } from '../digest/types.js'

/** The text of the templates, ready to render (LF line endings, checked to parse). */
export interface Templates {
  topic: string
  archive: string
  index: string
  latest: string
  atom: string
  json: string
  /** The dashboard page (`site.html.mustache`); rendered only with `site-dir`. */
  site: string
  /** The dashboard's script (`templates/site.js`), always the shipped one: the page template embeds it. */
  siteScript: string
  /** The templates read from the user's repository (the others are the shipped ones). */
  custom?: TemplateName[]
  /** The shipped partials any template may include (`{{> paper}}`), by name. */
  partials: Record<PartialName, string>
}

/** The templates a user can replace. */
export type TemplateName = 'topic' | 'archive' | 'index' | 'latest' | 'atom' | 'json' | 'site'

/** Raised when a template cannot be loaded or parsed; the message names the config field and the path. */
export class TemplateError extends UserError {
  constructor(message: string) {
    super(message)
    this.name = 'TemplateError'
  }
}

/** The shipped partials: one paper's block, shared by the topic, archive and latest pages. */
export type PartialName = 'paper'

const PARTIAL_FILES: Record<PartialName, string> = { paper: 'paper.md.mustache' }

const TEMPLATE_FILES: Record<TemplateName, string> = {
  topic: 'topic.md.mustache',
  archive: 'archive.md.mustache',
  index: 'index.md.mustache',
  latest: 'latest.md.mustache',
  atom: 'feed.atom.mustache',
  json: 'feed.json.mustache',
  site: 'site.html.mustache'
}

/** Fixed tags, so a change to the global `Mustache.tags` elsewhere cannot alter our pages. */
const TAGS: [string, string] = ['{{', '}}']

/** Values are pre-escaped Markdown; `String` only turns numbers into text. */
const RENDER_OPTIONS = { tags: TAGS, escape: String }

/**
 * Loads the templates: the shipped default for each, unless the configuration names a file in
 * the user's repository, which is then read through `read`. Every template is parsed once here, so a
 * broken one fails the run before anything is fetched.
 *
 * @param paths The configured overrides (`templates.topic` etc.), repository-relative.
 * @param read Reads a file of the user's repository; undefined when it does not exist.
 * @returns The template texts, line endings normalised to LF.
 * @throws TemplateError naming the field (`templates.topic`), the path and the problem.
 */
export async function loadTemplates(
  paths: TemplatePaths,
  read: (repoPath: string) => Promise<string | undefined>
): Promise<Templates> {
  const load = async (name: TemplateName): Promise<string> => {
    const path = paths[name]
    const field = `templates.${name}`
    if (path === undefined) {
      const shipped = new URL(TEMPLATE_FILES[name], TEMPLATES_DIR)
      return checkTemplate(await readFile(shipped, 'utf8'), `the shipped ${field} template`)
    }
    const text = await read(path)
    if (text === undefined) {
      throw new TemplateError(`${field}: template file "${path}" was not found in the repository`)
    }
    return checkTemplate(text, `${field} ("${path}")`)
  }
  const names = Object.keys(TEMPLATE_FILES) as TemplateName[]
  const [texts, siteScript, partials] = await Promise.all([
    Promise.all(names.map(load)),
    loadSiteScript(),
    loadPartials()
  ])
  const loaded = Object.fromEntries(names.map((name, i) => [name, texts[i]])) as Record<TemplateName, string>
  return { ...loaded, siteScript, partials, custom: names.filter(name => paths[name] !== undefined) }
}

async function loadPartials(): Promise<Record<PartialName, string>> {
  const names = Object.keys(PARTIAL_FILES) as PartialName[]
  const texts = await Promise.all(
    names.map(async name =>
      checkTemplate(
        await readFile(new URL(PARTIAL_FILES[name], TEMPLATES_DIR), 'utf8'),
        `the shipped "${name}" partial`
      )
    )
  )
  return Object.fromEntries(names.map((name, i) => [name, texts[i]])) as Record<PartialName, string>
}

/** The shipped dashboard script, LF line endings (its hash is part of the page's security policy). */
async function loadSiteScript(): Promise<string> {
  const text = await readFile(new URL('site.js', TEMPLATES_DIR), 'utf8')
  return text.replace(/\r\n?/g, '\n')
}

function checkTemplate(text: string, origin: string): string {
  // CRLF from a Windows editor would leave `\r` before every newline of the pages.
  const normalised = text.replace(/\r\n?/g, '\n')
  let tokens: unknown[]
  try {
    tokens = Mustache.parse(normalised, TAGS)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new TemplateError(`${origin} is not a valid mustache template: ${withLine(message, normalised)}`)
  }
  const unknown = partialNames(tokens).find(name => !Object.hasOwn(PARTIAL_FILES, name))
  if (unknown !== undefined) {
    const known = Object.keys(PARTIAL_FILES).map(name => `{{> ${name}}}`)
    throw new TemplateError(
      `${origin} includes the partial {{> ${unknown}}}, which does not exist; the partials are: ${known.join(', ')}`
    )
  }
  return normalised
}

/** The names of the partials (`{{> name}}`) in parsed tokens, sections included. */
function partialNames(tokens: unknown[]): string[] {
  // A token is [type, value, start, end, children?, …]; sections carry their children at index 4.
  return (tokens as [string, string, number, number, unknown[]?][]).flatMap(([type, value, , , children]) =>
    type === '>' ? [value] : Array.isArray(children) ? partialNames(children) : []
  )
}

/** Mustache reports a character offset ("at 120"); people look for a line and column. */
function withLine(message: string, text: string): string {
  const at = /\bat (\d+)$/.exec(message)
  if (!at) return message
  const before = text.slice(0, Number(at[1])).split('\n')
  return `${message} (line ${before.length}, column ${before[before.length - 1]!.length + 1})`
}

/**
 * Renders with our escaping (values are pre-escaped for the output format, so mustache's HTML
 * escaping is off), then guarantees no trailing spaces and exactly one final newline.
 */
export function render(
  template: string,
  view: object,
  partials: Partial<Record<PartialName, string>> = {}
): string {
  const text = trimLineEnds(Mustache.render(template, view, partials, RENDER_OPTIONS))
  // By hand: `/\n*$/` tries every position of the page.
  let end = text.length
  while (end > 0 && text[end - 1] === '\n') end--
  return text.slice(0, end) + '\n'
}

/**
 * `text` without the spaces and tabs that end its lines, as `text.replace(/[ \t]+$/gm, '')` gives it,
 * found from the line ends rather than by trying the pattern at every space of the page.
 */
function trimLineEnds(text: string): string {
  // Lines end at \n only, unless another line terminator is there (rare): the pattern handles that.
  if (text.includes('\r') || text.includes('\u2028') || text.includes('\u2029'))
    return text.replace(/[ \t]+$/gm, '')
  // Most pages have nothing to trim. Looking at the character before each line end says so faster
  // than searching for " \n" (a search that stops at every space of an indented feed).
  let out = ''
  let from = 0
  for (let end = text.indexOf('\n'); ; end = text.indexOf('\n', end + 1)) {
    const lineEnd = end < 0 ? text.length : end
    let cut = lineEnd
    while (cut > from && isBlank(text.charCodeAt(cut - 1))) cut--
    if (cut < lineEnd) {
      out += text.slice(from, cut)
      from = lineEnd
    }
    if (end < 0) break
  }
  return from === 0 ? text : out + text.slice(from)
}

/** A space or a tab. */
function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09
}
