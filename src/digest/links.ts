/**
 * Project-page and code-repository links found in a paper's comment and abstract.
 *
 * Text from arXiv is hostile input as far as we are concerned (megabyte comments, unbalanced TeX), so the
 * scanner is a single left-to-right pass: every character is looked at a bounded number of times, and the
 * only regular expression applied to unbounded text is a search for a few literal words (see `scanStart`).
 */
import { words } from './terms.js'
import type { Paper, PaperLinks } from './types.js'

/** URLs longer than this are not links anyone wants in a digest (and are usually garbage). */
const MAX_URL_LENGTH = 2048
/** Links considered per text; later ones are ignored (a real comment or abstract has a handful). */
const MAX_CANDIDATES = 100
/** Characters before a URL searched for cues such as "code is available at" or "baseline". */
const CONTEXT_CHARS = 120
/** Longest host name (DNS limit). */
const MAX_HOST = 253

/** Hosts whose `owner/repo` paths are source repositories. */
const CODE_HOSTS = new Set([
  'github.com',
  'www.github.com',
  'gitlab.com',
  'www.gitlab.com',
  'bitbucket.org',
  'www.bitbucket.org',
  'codeberg.org',
  'gitee.com',
  'www.gitee.com'
])

/** Hosts accepted without `http(s)://`: code hosts, and `*.github.io` (checked separately). */
const BARE_HOSTS = CODE_HOSTS

/** First path segments on code hosts that are site pages, not owners. */
const RESERVED_OWNERS = new Set([
  '-',
  'about',
  'apps',
  'collections',
  'enterprise',
  'events',
  'explore',
  'features',
  'login',
  'marketplace',
  'orgs',
  'pricing',
  'search',
  'settings',
  'site',
  'sponsors',
  'topics',
  'trending',
  'users'
])

/**
 * Hosts (and their subdomains) that are neither a project page nor code: the paper itself or other papers
 * (arXiv, DOI, publishers, OpenReview), licences, videos, social media, model/data hubs and file shares.
 */
const NOT_PROJECT_HOSTS = [
  'arxiv.org',
  'doi.org',
  'creativecommons.org',
  'opensource.org',
  'gnu.org',
  'youtube.com',
  'youtu.be',
  'vimeo.com',
  'bilibili.com',
  'twitter.com',
  'x.com',
  'linkedin.com',
  'facebook.com',
  'huggingface.co',
  'hf.co',
  'kaggle.com',
  'zenodo.org',
  'figshare.com',
  'drive.google.com',
  'docs.google.com',
  'colab.research.google.com',
  'dropbox.com',
  'openreview.net',
  'ieeexplore.ieee.org',
  'dl.acm.org',
  'link.springer.com',
  'sciencedirect.com',
  'aclanthology.org',
  'proceedings.mlr.press',
  'papers.nips.cc',
  'proceedings.neurips.cc',
  'openaccess.thecvf.com',
  'researchgate.net',
  'scholar.google.com',
  'semanticscholar.org',
  'orcid.org',
  'paperswithcode.com',
  'wikipedia.org',
  'pypi.org',
  'gist.github.com'
]

/** Phrases before a link that mark it as the paper's own. */
const OWN_CUES = [
  'our code',
  'code',
  'codes',
  'source code',
  'project page',
  'project website',
  'project webpage',
  'project',
  'homepage',
  'website',
  'webpage',
  'available',
  'released',
  'release',
  'open source',
  'open sourced',
  'github',
  'repository',
  'repo',
  'implementation',
  'demo',
  'videos'
].map(cue => ` ${cue} `)

/** Phrases before a link that mark it as someone else's work the paper merely uses or compares with. */
const CITED_CUES = [
  'compare with',
  'compared with',
  'compare to',
  'compared to',
  'comparison with',
  'comparison to',
  'compare against',
  'compared against',
  'baseline',
  'baselines',
  'based on',
  'built on',
  'built upon',
  'builds on',
  'builds upon',
  'build on',
  'build upon',
  'prior work',
  'previous work',
  'adapted from',
  'borrowed from',
  'taken from'
].map(cue => ` ${cue} `)

// The comment is the authors' own note, so a bare link there outweighs a link the abstract merely
// introduces with a cue ("the ManiSkill code is available at ...").
const WEIGHT = {
  comment: 4,
  ownCue: 3,
  nameMatch: 4,
  cited: -6,
  awesomeList: -10
} as const

interface Candidate {
  url: string
  kind: 'code' | 'project'
  score: number
}

export interface RawLink {
  url: string
  /** Where the link starts and ends (exclusive) in the source text, trailing punctuation included. */
  start: number
  end: number
}

const isSpace = (c: number): boolean =>
  c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200b)
const isAlnum = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
const isHostChar = (c: number): boolean => isAlnum(c) || c === 0x2d /* - */ || c === 0x2e /* . */

/** Characters that end a URL wherever they appear (besides white space). */
const STOP = new Set([...'<>"`|^“”‘’«»，。；：）】'].map(c => c.charCodeAt(0)))
/** TeX-escaped characters that stand for themselves inside a URL (`\_` → `_`). */
const TEX_ESCAPES = new Set([...'_%#&~$'].map(c => c.charCodeAt(0)))
/** Characters dropped from the end of a URL: sentence punctuation, quotes, and a TeX tie `~`. */
const TRAILING = new Set([...".,;:!?'*~"].map(c => c.charCodeAt(0)))

const TEXTASCIITILDE = '\\textasciitilde'
const SIM = '$\\sim$'

function startsWithAt(text: string, i: number, prefix: string): boolean {
  if (i + prefix.length > text.length) return false
  for (let k = 0; k < prefix.length; k++) {
    let c = text.charCodeAt(i + k)
    if (c >= 0x41 && c <= 0x5a) c += 0x20
    if (c !== prefix.charCodeAt(k)) return false
  }
  return true
}

/**
 * The end (exclusive) of a URL starting at `start`: stops at white space, at a character that cannot be
 * part of a URL in running text, at a closing bracket with no matching opening one inside the URL (so
 * `\href{URL}{..}` and `(see URL)` end before the brace or parenthesis, while `wiki/Foo_(bar)` keeps its
 * own), and at a backslash that is not a TeX escape of a URL character.
 */
function scanEnd(text: string, start: number): number {
  // Open-bracket counts for ( [ {; plain counters suffice, since a URL only has to close what it opened.
  let round = 0
  let square = 0
  let curly = 0
  let i = start
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (isSpace(c) || c < 0x20 || STOP.has(c)) break
    switch (c) {
      case 0x5c /* \ */:
        if (i + 1 < text.length && TEX_ESCAPES.has(text.charCodeAt(i + 1))) {
          i += 2
          continue
        }
        if (text.startsWith(TEXTASCIITILDE, i)) {
          i += TEXTASCIITILDE.length
          if (text.startsWith('{}', i)) i += 2
          continue
        }
        return i
      case 0x24 /* $ */:
        // `$\sim$` is how older TeX writes the `~` of `~user` home pages.
        if (text.startsWith(SIM, i)) {
          i += SIM.length
          continue
        }
        return i
      case 0x28 /* ( */:
        round++
        break
      case 0x5b /* [ */:
        square++
        break
      case 0x7b /* { */:
        curly++
        break
      case 0x29 /* ) */:
        if (round-- === 0) return i
        break
      case 0x5d /* ] */:
        if (square-- === 0) return i
        break
      case 0x7d /* } */:
        if (curly-- === 0) return i
        break
    }
    i++
  }
  return i
}

/** Drops trailing punctuation, then replaces TeX escapes by the characters they stand for. */
function cleanUrl(raw: string): string {
  let end = raw.length
  while (end > 0) {
    const c = raw.charCodeAt(end - 1)
    // `\~` at the end is an escaped tilde the author meant; a bare `~` is a TeX tie.
    if (!TRAILING.has(c) || (end >= 2 && raw[end - 2] === '\\')) break
    end--
  }
  let out = ''
  for (let i = 0; i < end; i++) {
    const ch = raw[i]
    if (ch === '\\') {
      if (raw.startsWith(TEXTASCIITILDE, i)) {
        out += '~'
        i += TEXTASCIITILDE.length - 1
        if (raw.startsWith('{}', i + 1)) i += 2
        continue
      }
      if (i + 1 < end) {
        out += raw[i + 1]
        i++
      }
      continue
    }
    if (ch === '$' && raw.startsWith(SIM, i)) {
      out += '~'
      i += SIM.length - 1
      continue
    }
    out += ch
  }
  return out
}

/**
 * The length of a bare code-host (followed by `/`) or `*.github.io` host name starting at `i`; when there
 * is none, minus the length of the host-like run to jump over (at least 1), so that no character is
 * examined twice. One number rather than an object: this is asked at every word of every abstract.
 */
function bareHostAt(text: string, i: number): number {
  let j = i
  let dot = false
  while (j < text.length && j - i <= MAX_HOST && isHostChar(text.charCodeAt(j))) {
    if (text.charCodeAt(j) === 0x2e) dot = true
    j++
  }
  // Every host looked for has a dot: a run without one (a plain word) is not copied to be compared.
  if (!dot) return -Math.max(1, j - i)
  let hostEnd = j
  while (hostEnd > i && text[hostEnd - 1] === '.') hostEnd--
  const host = text.slice(i, hostEnd).toLowerCase()
  const next = text[hostEnd]
  if (BARE_HOSTS.has(host) && next === '/') return hostEnd - i
  if (host.endsWith('.github.io') && host.length > '.github.io'.length) return hostEnd - i
  return -Math.max(1, j - i)
}

/**
 * Words every link contains, in any letter case: its scheme (`http`), or the name of its code host or of
 * github.io. A text without one has no link.
 */
const LINK_WORD = /http|git(?:hub|lab|ee)|bitbucket|codeberg/i

/**
 * Where {@link scanLinks} can start and find the same links as from the start of `text`; -1 when `text`
 * has no link. That is just after the last space before the first {@link LINK_WORD}: no link starts
 * before it (a link has its word in its first run of non-space characters, and the first such word is
 * no earlier), and the scan from the start reaches it in the same state (no link or host name it jumps
 * over spans a space, and no link before it leaves a `\href` text to skip). Most abstracts have no link,
 * or one near their end: the scan then looks at a few characters instead of every one.
 */
function scanStart(text: string): number {
  const word = LINK_WORD.exec(text)
  return word === null ? -1 : text.lastIndexOf(' ', word.index - 1) + 1
}

/**
 * Every link in `text`, in order: `http(s)://` URLs anywhere (also inside `\href{..}` and `\url{..}`), and
 * bare `github.com/...`-style code-host links and `name.github.io` pages (given an `https://` scheme).
 * The visible text of `\href{URL}{text}` is skipped: the target is the link. Each link is handed to
 * `visit`, until it returns false (a callback rather than a generator: this runs over every
 * abstract, and a generator's resumptions are work the scan does not need).
 */
export function scanLinks(
  text: string,
  visit: (link: RawLink) => boolean,
  // Exported with this for a test: scanning from 0 finds the same links.
  from = scanStart(text)
): void {
  if (from < 0) return
  let hrefTextStart = -1
  let i = from
  while (i < text.length) {
    const c = text.charCodeAt(i)
    const prev = i > 0 ? text.charCodeAt(i - 1) : 0x20
    if (!isAlnum(c) || isAlnum(prev)) {
      i++
      continue
    }
    let scheme = ''
    if (startsWithAt(text, i, 'https://') || startsWithAt(text, i, 'http://')) {
      // Scheme as written.
    } else if (prev === 0x2e || prev === 0x2d || prev === 0x2f || prev === 0x40 || prev === 0x5f) {
      // Inside a host name, path or e-mail address (`git@github.com:`): not the start of a bare link.
      i++
      continue
    } else {
      const host = bareHostAt(text, i)
      if (host <= 0) {
        i -= host
        continue
      }
      scheme = 'https://'
    }
    const end = scanEnd(text, i)
    const isHrefText = i === hrefTextStart
    if (i >= 6 && text.startsWith('\\href{', i - 6) && text.startsWith('}{', end)) hrefTextStart = end + 2
    if (!isHrefText && end - i <= MAX_URL_LENGTH) {
      const url = scheme + cleanUrl(text.slice(i, end))
      if (!visit({ url, start: i, end })) return
    }
    i = Math.max(end, i + 1)
  }
}

function hostIn(host: string, list: readonly string[]): boolean {
  return list.some(h => host === h || host.endsWith('.' + h))
}

/** Normalised letters and digits only: `ABot-Manipulation` → `abotmanipulation`. */
const squash = (s: string): string => words(s).join('')

/** A title part before the colon longer than this is a sentence, not a name. */
const MAX_NAME_WORDS = 4
const STOPWORDS = new Set([
  'a',
  'an',
  'and',
  'the',
  'of',
  'for',
  'in',
  'on',
  'with',
  'via',
  'to',
  'from',
  'by'
])

/**
 * Names a paper's own repository or page is likely to carry, from its title: the part before the colon
 * squashed (`ResWorld`, `Causal-JEPA` → `causaljepa`), initials of its first words plus the rest squashed
 * (`cjepa`), its initials, and the acronym of the title after the colon without stop words. Names shorter
 * than 3 letters are dropped: they would match too much.
 */
function titleNames(title: string): { names: Set<string>; titleWords: Set<string> } {
  const colon = title.indexOf(':')
  const head = words(colon > 0 ? title.slice(0, colon) : title)
  const all = words(title)
  const names = new Set<string>()
  if (head.length > 0 && head.length <= MAX_NAME_WORDS) {
    names.add(head.join(''))
    for (let k = 1; k < head.length; k++) {
      names.add(
        head
          .slice(0, k)
          .map(w => w[0])
          .join('') + head.slice(k).join('')
      )
    }
    if (head.length > 1) names.add(head.map(w => w[0]).join(''))
  }
  const rest = words(colon > 0 ? title.slice(colon + 1) : title).filter(w => !STOPWORDS.has(w))
  if (rest.length >= 3) names.add(rest.map(w => w[0]).join(''))
  for (const n of [...names]) if (n.length < 3) names.delete(n)
  return { names, titleWords: new Set(all) }
}

/**
 * True if a repository or page name looks like the paper's: equal to one of the title's names, or made only
 * of title words (`ABot-Manipulation` for "ABot-M0: ... Robotic Manipulation").
 */
function nameMatches(name: string, title: { names: Set<string>; titleWords: Set<string> }): boolean {
  const squashed = squash(name)
  if (squashed.length < 3) return false
  if (title.names.has(squashed)) return true
  const parts = words(name.replace(/\.git$/i, ''))
  return parts.length > 0 && parts.every(p => p.length >= 2 && title.titleWords.has(p))
}

/** The text just before a link, back to the previous link or sentence end: where its cues are. */
function contextBefore(text: string, start: number, previousEnd: number): string {
  const from = Math.max(previousEnd, start - CONTEXT_CHARS)
  let context = text.slice(from, start)
  const sentence = Math.max(context.lastIndexOf('. '), context.lastIndexOf('; '))
  if (sentence >= 0) context = context.slice(sentence + 2)
  return ` ${words(context).join(' ')} `
}

/**
 * A public DNS name: at least two labels of letters, digits and hyphens, a letter-only (or punycode)
 * top-level domain. Rejects what a mangled URL parses to (`http://http:`, `https://1.2.3.4`).
 */
function isDomainName(host: string): boolean {
  if (host.length < 4 || host.length > MAX_HOST) return false
  let labelLength = 0
  let labels = 0
  let tldLetters = true
  for (let i = 0; i <= host.length; i++) {
    const c = i < host.length ? host.charCodeAt(i) : 0x2e
    if (c === 0x2e) {
      if (labelLength === 0 || labelLength > 63) return false
      labels++
      if (i < host.length) {
        labelLength = 0
        tldLetters = true
      }
    } else if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d) {
      labelLength++
      if (!(c >= 0x61 && c <= 0x7a)) tldLetters = false
    } else {
      return false
    }
  }
  const tld = host.slice(host.length - labelLength)
  return labels >= 2 && ((tldLetters && labelLength >= 2) || tld.startsWith('xn--'))
}

/**
 * Host and path segments of an `http(s)://` URL, or undefined if it is not one with a public host name.
 * Parsed by hand rather than with `new URL()`: junk URLs are common in hostile input, and a thrown
 * exception per junk URL costs far more than these few string operations. URLs with user info
 * (`https://user@host`) are rejected: no project page or repository needs one.
 */
function parseHttpUrl(url: string): { host: string; segments: string[] } | undefined {
  const schemeLength = startsWithAt(url, 0, 'https://') ? 8 : startsWithAt(url, 0, 'http://') ? 7 : 0
  if (schemeLength === 0) return undefined
  let authorityEnd = schemeLength
  while (authorityEnd < url.length && !'/?#'.includes(url[authorityEnd])) authorityEnd++
  const authority = url.slice(schemeLength, authorityEnd)
  if (authority.includes('@')) return undefined
  const colon = authority.indexOf(':')
  const host = (colon >= 0 ? authority.slice(0, colon) : authority).toLowerCase()
  if (colon >= 0 && !/^\d{1,5}$/.test(authority.slice(colon + 1))) return undefined
  if (!isDomainName(host)) return undefined
  let pathEnd = authorityEnd
  while (pathEnd < url.length && url[pathEnd] !== '?' && url[pathEnd] !== '#') pathEnd++
  const segments = url
    .slice(authorityEnd, pathEnd)
    .split('/')
    .filter(s => s !== '')
  return { host, segments }
}

function classify(
  url: string
): { kind: 'code'; repo: string[] } | { kind: 'project'; parts: string[] } | undefined {
  const parsed = parseHttpUrl(url)
  if (!parsed) return undefined
  const { host, segments } = parsed
  if (CODE_HOSTS.has(host)) {
    if (segments.length < 2 || RESERVED_OWNERS.has(segments[0].toLowerCase())) return undefined
    // Only a repository, or a folder in it, is code. Its issues, pull requests, discussions and
    // commits are not, and linking them from a PR makes GitHub post a cross-reference there.
    // GitLab nests projects in subgroups and spells sub-pages `/-/tree/…`; elsewhere a repository
    // is `owner/name` and its folders are `/tree/…`.
    const dash = segments.indexOf('-')
    const rest = host.includes('gitlab') ? (dash < 0 ? [] : segments.slice(dash + 1)) : segments.slice(2)
    if (rest.length > 0 && rest[0] !== 'tree') return undefined
    return { kind: 'code', repo: segments.slice(0, 2) }
  }
  // Anonymised repositories for double-blind review: code, not a project page.
  if (host === 'anonymous.4open.science') {
    return segments[0] === 'r' && segments.length >= 2
      ? { kind: 'code', repo: ['r', segments[1]] }
      : undefined
  }
  if (hostIn(host, NOT_PROJECT_HOSTS)) return undefined
  // The site's own name: `resworld` in resworld.github.io or www.resworld.org.
  const labels = host.split('.')
  const label = host.endsWith('.github.io')
    ? labels.slice(0, -2)
    : labels.filter(l => l !== 'www').slice(0, -1)
  return { kind: 'project', parts: [...label, ...segments] }
}

function candidates(text: string, sourceIndex: number, title: ReturnType<typeof titleNames>): Candidate[] {
  const found: Candidate[] = []
  let previousEnd = 0
  scanLinks(text, ({ url, start, end }) => {
    const kind = classify(url)
    const from = previousEnd
    previousEnd = end
    if (!kind) return true
    const context = contextBefore(text, start, from)
    let score = sourceIndex === 0 ? WEIGHT.comment : 0
    if (OWN_CUES.some(cue => context.includes(cue))) score += WEIGHT.ownCue
    if (CITED_CUES.some(cue => context.includes(cue))) score += WEIGHT.cited
    const names = kind.kind === 'code' ? [kind.repo[1]] : kind.parts
    if (names.some(n => nameMatches(safeDecode(n), title))) score += WEIGHT.nameMatch
    if (kind.kind === 'code' && /^awesome([-_.]|$)/i.test(kind.repo[1])) score += WEIGHT.awesomeList
    found.push({ url, kind: kind.kind, score })
    return found.length < MAX_CANDIDATES
  })
  return found
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

function best(list: Candidate[]): string | undefined {
  let winner: Candidate | undefined
  for (const c of list) if (!winner || c.score > winner.score) winner = c
  return winner?.url
}

/**
 * The paper's project page and code repository, from its comment and abstract.
 *
 * Recognised: `http(s)://` URLs in running text, `\href{URL}{text}` (the URL; its text is ignored) and
 * `\url{URL}`; bare `github.com/owner/repo` (also gitlab.com, bitbucket.org, codeberg.org, gitee.com) and
 * `name.github.io` links, given `https://`. Other scheme-less text (`www.x.org`) is not a link.
 * Trailing `. , ; : ! ? ' * ~` and closing brackets without an opening one inside the URL are dropped;
 * `\_ \% \# \& \~ \$`, `$\sim$` and `\textasciitilde` become the characters they stand for. URLs are
 * otherwise kept as written (no `.git` or path stripped).
 *
 * Code: a code-host URL with an `owner/repo` path. Project page: any other URL except arXiv, DOI, code
 * hosts (including org pages and gists), licences, videos (YouTube, Vimeo, Bilibili), social media,
 * Hugging Face, data/file shares (Zenodo, Kaggle, Google Drive/Docs/Colab, Dropbox), publishers and
 * paper indexes; `*.github.io` and `sites.google.com` pages are project pages.
 *
 * With several candidates the highest score wins, ties going to the first written (comment before
 * abstract): +4 in the comment, +3 after a cue such as "code", "project page", "available", +4 when the
 * repository (or a page's host label/path segment) is named after the paper (`ResWorld`, `cjepa`), −6 after
 * a cue such as "baseline", "compared with", "based on", "built upon", −10 for an `awesome-*` list.
 * A lone candidate is taken whatever its score. Only the first 100 project-page or
 * code links of each text are considered, and URLs longer than 2048 characters are ignored.
 */
export function extractLinks(paper: Pick<Paper, 'title' | 'abstract' | 'comment'>): PaperLinks {
  const title = titleNames(paper.title ?? '')
  const all = [...candidates(paper.comment ?? '', 0, title), ...candidates(paper.abstract ?? '', 1, title)]
  const projectPage = best(all.filter(c => c.kind === 'project'))
  const code = best(all.filter(c => c.kind === 'code'))
  // Both fields, found or not: one object shape for every paper's links (see `paperRecord`).
  return { projectPage, code }
}
