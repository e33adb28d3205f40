/**
 * Local topic matching: decides whether a fetched paper belongs on a topic's page, and how relevant it is.
 *
 * Words and plural forms come from `terms.ts`, the same definitions the arXiv query planner uses, so a
 * paper can only match locally if the (broader) arXiv query could have returned it.
 */
import { canonicalCategory } from './categories.js'
import { wordForms, words } from './terms.js'
import type { Paper, Topic } from './types.js'

/** The outcome of matching one paper against one topic. */
export interface TopicMatch {
  matched: boolean
  /** Relevance for the optional "relevance" sort; 0 when not matched. Deterministic. */
  score: number
  /** Short human explanation, e.g. `keyword "world model" in title`; also says why a paper was rejected. */
  reason?: string
}

/** Score weights. Title hits outweigh abstract hits; an author match outweighs a handful of keyword hits. */
export const SCORE = {
  titleHit: 3,
  abstractHit: 1,
  /** Repetitions of one keyword in one field beyond this count add nothing (stops keyword stuffing). */
  maxHitsPerField: 3,
  author: 10
} as const

/**
 * Tokenised text with a word → positions index, so each phrase is checked only where its first word
 * occurs: matching is linear in text length (plus phrase length per occurrence of its first word).
 */
export interface IndexedText {
  tokens: string[]
  positions: Map<string, number[]>
}

/** Tokenises `text` with `words()` and indexes where each word occurs. */
export function indexText(text: string): IndexedText {
  const tokens = words(text)
  const positions = new Map<string, number[]>()
  tokens.forEach((token, i) => {
    const list = positions.get(token)
    if (list) list.push(i)
    else positions.set(token, [i])
  })
  return { tokens, positions }
}

/**
 * A phrase compiled for matching: all words but the last must match exactly, the last may take any of its
 * `wordForms()` (exactly what the query planner asks arXiv for).
 */
interface CompiledPhrase {
  head: string[]
  lastForms: Set<string>
}

function compilePhrase(phrase: string): CompiledPhrase | undefined {
  const ws = words(phrase)
  if (ws.length === 0) return undefined
  const last = ws[ws.length - 1]
  return { head: ws.slice(0, -1), lastForms: new Set(wordForms(last)) }
}

/** How many times the phrase occurs in the indexed text (whole words, last word plural-tolerant). */
function countPhrase(text: IndexedText, phrase: CompiledPhrase): number {
  const { tokens, positions } = text
  const n = phrase.head.length
  if (n === 0) {
    let count = 0
    for (const form of phrase.lastForms) count += positions.get(form)?.length ?? 0
    return count
  }
  let count = 0
  for (const start of positions.get(phrase.head[0]) ?? []) {
    if (start + n >= tokens.length) break
    let ok = true
    for (let k = 1; k < n && ok; k++) ok = tokens[start + k] === phrase.head[k]
    if (ok && phrase.lastForms.has(tokens[start + n])) count++
  }
  return count
}

/**
 * True if `phrase` occurs in `text` as whole words: case-, hyphen- and punctuation-insensitive, and
 * tolerant of the singular/plural form of the phrase's last word (`world model` ~ `World-Models`).
 * A phrase without letters or digits never matches.
 */
export function matchesPhrase(text: string | IndexedText, phrase: string): boolean {
  const compiled = compilePhrase(phrase)
  if (!compiled) return false
  return countPhrase(typeof text === 'string' ? indexText(text) : text, compiled) > 0
}

// Papers are matched against every topic; tokenising title and abstract once per paper, not per topic.
const paperIndex = new WeakMap<Paper, { title: string; abstract: string; t: IndexedText; a: IndexedText }>()

function indexed(paper: Paper): { t: IndexedText; a: IndexedText } {
  const cached = paperIndex.get(paper)
  // The guard keeps a mutated paper object from being matched against stale words.
  if (cached && cached.title === paper.title && cached.abstract === paper.abstract) return cached
  const entry = {
    title: paper.title,
    abstract: paper.abstract,
    t: indexText(paper.title),
    a: indexText(paper.abstract)
  }
  paperIndex.set(paper, entry)
  return entry
}

interface PhraseHit {
  phrase: string
  title: number
  abstract: number
}

function findPhrases(phrases: string[], t: IndexedText, a: IndexedText): PhraseHit[] {
  const hits: PhraseHit[] = []
  for (const phrase of phrases) {
    const compiled = compilePhrase(phrase)
    if (!compiled) continue
    const hit = { phrase, title: countPhrase(t, compiled), abstract: countPhrase(a, compiled) }
    if (hit.title > 0 || hit.abstract > 0) hits.push(hit)
  }
  return hits
}

function where(hit: PhraseHit): string {
  return hit.title > 0 && hit.abstract > 0 ? 'title and abstract' : hit.title > 0 ? 'title' : 'abstract'
}

function keywordScore(hits: PhraseHit[]): number {
  return hits.reduce(
    (sum, h) =>
      sum +
      Math.min(h.title, SCORE.maxHitsPerField) * SCORE.titleHit +
      Math.min(h.abstract, SCORE.maxHitsPerField) * SCORE.abstractHit,
    0
  )
}

/**
 * Matches a paper against a topic.
 *
 * - Author rule first: a paper by one of `topic.authors` (see `sameAuthor`) always matches, whatever its
 *   keywords, categories, `require` and `exclude` (the documented promise is "papers by them always match").
 * - Otherwise all of: the paper is in one of `topic.categories` (canonical codes, any of the paper's
 *   categories, not only the primary; an empty list means any category), at least one keyword occurs,
 *   at least one `require` phrase occurs (if any are given), and no `exclude` phrase occurs.
 * - All phrases are looked for in title and abstract only (not the comment, which is mostly venue, page
 *   counts and URLs), so a term means the same thing in keywords, require and exclude.
 *
 * Score: per matched keyword, 3 per title occurrence and 1 per abstract occurrence (each capped at 3 per
 * field), plus 10 per matching author. Not matched: score 0.
 */
export function matchTopic(paper: Paper, topic: Topic): TopicMatch {
  const { t, a } = indexed(paper)
  const keywordHits = findPhrases(topic.keywords, t, a)
  const authors = matchingAuthors(paper.authors, topic.authors)

  if (authors.length > 0) {
    const score = authors.length * SCORE.author + keywordScore(keywordHits)
    const reasons = authors.map(
      ([wanted, actual]) => `author "${actual}"` + (wanted === actual ? '' : ` (~ "${wanted}")`)
    )
    return { matched: true, score, reason: reasons.join(', ') }
  }

  if (topic.categories.length > 0) {
    const wanted = new Set(topic.categories.map(canonicalCategory))
    const paperCategories = [paper.primaryCategory, ...paper.categories].map(canonicalCategory)
    if (!paperCategories.some(c => wanted.has(c))) {
      return { matched: false, score: 0, reason: `not in categories ${topic.categories.join(', ')}` }
    }
  }
  if (keywordHits.length === 0) return { matched: false, score: 0, reason: 'no keyword' }
  if (topic.require.length > 0 && findPhrases(topic.require, t, a).length === 0) {
    return { matched: false, score: 0, reason: 'no required term' }
  }
  const excluded = findPhrases(topic.exclude, t, a)
  if (excluded.length > 0) {
    return {
      matched: false,
      score: 0,
      reason: `excluded term "${excluded[0].phrase}" in ${where(excluded[0])}`
    }
  }
  const reason = keywordHits.map(h => `keyword "${h.phrase}" in ${where(h)}`).join(', ')
  return { matched: true, score: keywordScore(keywordHits), reason }
}

// ---------------------------------------------------------------------------------------------------
// Author names

// Letters that Unicode does not decompose into base letter + accent, so NFKD alone leaves them as they are.
const FOLD: Readonly<Record<string, string>> = {
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  ħ: 'h',
  ı: 'i',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  þ: 'th'
}

// TeX letter macros (`{\o}`, `\ss`) that occasionally survive in author names.
const TEX_LETTERS: Readonly<Record<string, string>> = {
  o: 'o',
  O: 'o',
  l: 'l',
  L: 'l',
  i: 'i',
  j: 'j',
  ss: 'ss',
  ae: 'ae',
  AE: 'ae',
  oe: 'oe',
  OE: 'oe',
  aa: 'a',
  AA: 'a'
}

const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv'])

/**
 * The comparable tokens of a person's name: lowercase ASCII-folded letters and digits, split at spaces,
 * hyphens, periods and other punctuation; apostrophes joined (`O'Brien` → `obrien`); diacritics and TeX
 * accents removed (`Internò`, `Intern\`o` → `interno`); `Last, First` reordered to `First Last`;
 * a trailing `Jr.`/`Sr.`/`II`/`III`/`IV` dropped.
 */
export function nameTokens(name: string): string[] {
  let text = name
    // TeX accents: \`o \'{e} \v{c} ... keep the letter, drop the accent command.
    .replace(/\\[`'^"~=.]\{?/g, '')
    .replace(/\\[uvHckrbdt]\{/g, '')
    .replace(/\\(ss|ae|AE|oe|OE|aa|AA|[oOlLij])(?![A-Za-z])/g, (_m, letter: string) => TEX_LETTERS[letter])
    // Braces group TeX (`Kova\v{c}evi\'c`) and must not split a name.
    .replace(/[{}]/g, '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[øđðłħıßæœþ]/g, c => FOLD[c])
    .replace(/['’ʼ`]/g, '')
  const comma = text.indexOf(',')
  if (comma >= 0) {
    const before = words(text.slice(0, comma))
    const after = words(text.slice(comma + 1))
    const afterIsSuffix = after.length > 0 && after.every(w => SUFFIXES.has(w))
    text = afterIsSuffix || after.length === 0 ? before.join(' ') : [...after, ...before].join(' ')
  }
  const tokens = words(text)
  while (tokens.length > 2 && SUFFIXES.has(tokens[tokens.length - 1])) tokens.pop()
  return tokens
}

function compatible(a: string, b: string): boolean {
  if (a === b) return true
  // One-letter tokens are initials: `Y.` stands for any given name starting with y.
  return (a.length === 1 && b.startsWith(a)) || (b.length === 1 && a.startsWith(b))
}

/**
 * True if two author names denote the same person, by these rules (on `nameTokens`):
 * 1. Same tokens concatenated (`Yann Le Cun` = `Yann LeCun`, `Jean-Pierre` = `Jean Pierre`) → same.
 * 2. A one-token name (a mononym or collaboration, e.g. `GigaBrain Team` is two tokens) only equals the same
 *    one token: a bare surname never matches everyone with that surname.
 * 3. Otherwise the last tokens (surname) must be equal in full, the first given-name tokens must be
 *    compatible (equal, or one is a one-letter initial of the other), and further given-name tokens are
 *    compared pairwise while both names have them; extra middle names on either side are ignored
 *    (`Lucy Shi` = `Lucy Xiaoyang Shi`, `L. X. Shi` = `Lucy Xiaoyang Shi`, `Y. LeCun` = `Yann LeCun`,
 *    but `X. Shi` ≠ `Lucy Xiaoyang Shi`, `Yang LeCun` ≠ `Yann LeCun`, `Kai Liu` ≠ `Kai Liuzzi`).
 * Initials are therefore broader: `B. Chen` matches every `Bo Chen` and `Bin Chen`.
 */
export function sameAuthor(wanted: string, actual: string): boolean {
  return sameTokens(nameTokens(wanted), nameTokens(actual))
}

function sameTokens(w: string[], p: string[]): boolean {
  if (w.length === 0 || p.length === 0) return false
  if (w.join('') === p.join('')) return true
  if (w.length === 1 || p.length === 1) return false
  if (w[w.length - 1] !== p[p.length - 1]) return false
  const wg = w.slice(0, -1)
  const pg = p.slice(0, -1)
  for (let i = 0; i < Math.min(wg.length, pg.length); i++) if (!compatible(wg[i], pg[i])) return false
  return true
}

/** The `[wanted, actual]` pairs of topic authors found among the paper's authors, in topic order. */
function matchingAuthors(paperAuthors: string[], wantedAuthors: string[]): [string, string][] {
  if (wantedAuthors.length === 0) return []
  const actual = paperAuthors.map(name => ({ name, tokens: nameTokens(name) }))
  const found: [string, string][] = []
  for (const wanted of wantedAuthors) {
    const tokens = nameTokens(wanted)
    const hit = actual.find(a => sameTokens(tokens, a.tokens))
    if (hit) found.push([wanted, hit.name])
  }
  return found
}
