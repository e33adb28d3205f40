/**
 * Local topic matching: decides whether a fetched paper belongs on a topic's page, and how relevant it is.
 *
 * Words and plural forms come from `terms.ts`, the same definitions the arXiv query planner uses, so a
 * paper can only match locally if the (broader) arXiv query could have returned it.
 */
import { canonicalCategory } from './categories.js'
import { isAsciiWordCode, wordForms, words } from './terms.js'
import { matchingAuthors, nameKey, type NameKey } from './names.js'
import type { Paper, Topic } from './types.js'

/** The outcome of matching one paper against one topic. */
export interface TopicMatch {
  matched: boolean
  /** Relevance for the optional "relevance" sort; 0 when not matched. Deterministic. */
  score: number
  /**
   * Short human explanation, e.g. `keyword "world model" in title, required "robot" in abstract`:
   * the keywords found and where, the first required term found, the matching authors (then the
   * keywords). Also says why a paper was rejected. The pages show it as "why it surfaced".
   */
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
 *
 * Words are numbers from a vocabulary rather than strings, and the index is two typed arrays rather
 * than a map of arrays: a matcher keeps one of these per paper for the whole run, so their size is
 * most of its memory (about 8 bytes per word instead of a string and a map entry).
 */
export interface IndexedText {
  /** The words of the text, in order, as vocabulary ids. */
  readonly tokens: Int32Array
  /** Every position of `tokens`, ordered by word id, then position: a word's positions are one run. */
  readonly byWord: Int32Array
  /** Word → id, shared with the phrases looked for (and, in a matcher, with every other paper). */
  readonly vocabulary: Pick<Vocabulary, 'get'>
}

/** Word → id for the words of many texts: ids are 0, 1, 2, … in the order words are first added. */
interface Vocabulary {
  /** The id of `word`; undefined if it was never added. */
  get(word: string): number | undefined
  /** The id of `word`, adding it if new. */
  intern(word: string): number
  /** The ids of `words(text)`, in order, adding the words not seen yet. */
  tokens(text: string): Int32Array
  /** How many words it holds. */
  readonly size: number
}

/** FNV-1a over UTF-16 code units: the same hash whether a word is a string or a range of a text. */
const FNV_OFFSET = 0x811c9dc5 | 0
const FNV_PRIME = 0x01000193

function hashOf(word: string): number {
  let hash = FNV_OFFSET
  for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), FNV_PRIME)
  return hash
}

/** True if `text` from `start` is `word` (lowercase ASCII) in any letter case. */
function sameLowercase(text: string, start: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    const code = text.charCodeAt(start + k)
    if ((code >= 0x41 && code <= 0x5a ? code + 0x20 : code) !== word.charCodeAt(k)) return false
  }
  return true
}

/**
 * A hash table of its own (open addressing, linear probing) rather than a Map of strings: it can look up a
 * range of a text, so an ASCII text is tokenised, lowercased and interned in one pass by character codes
 * (see `isAsciiWordCode` in terms.ts), and a word already known (most of a paper's words) costs no string. Other
 * text is split by `words()`, word by word.
 */
function createVocabulary(): Vocabulary {
  // Per slot, its word ('' if free: no word is empty), the word's hash and its id. A power-of-two number
  // of slots, at most half of them used.
  let slots: string[] = new Array<string>(1024).fill('')
  let hashes = new Int32Array(slots.length)
  let ids = new Int32Array(slots.length)
  let size = 0
  // The ids of the text being tokenised (one word per character at most), copied out at its end.
  let buffer = new Int32Array(1024)

  /**
   * The slot of `text.slice(start, end)` (lowercased when `upper`: ASCII with a capital letter, compared
   * letter by letter, so that a known `We` costs no string either): where it is, or the free slot
   * where it goes.
   */
  const slotOf = (text: string, start: number, end: number, hash: number, upper: boolean): number => {
    const mask = slots.length - 1
    for (let j = hash & mask; ; j = (j + 1) & mask) {
      const word = slots[j]
      if (word === '') return j
      if (hashes[j] !== hash || word.length !== end - start) continue
      if (upper ? sameLowercase(text, start, word) : text.startsWith(word, start)) return j
    }
  }
  const add = (slot: number, word: string, hash: number): number => {
    slots[slot] = word
    hashes[slot] = hash
    ids[slot] = size++
    if (size * 2 > slots.length) {
      const old = { slots, hashes, ids }
      slots = new Array<string>(old.slots.length * 2).fill('')
      hashes = new Int32Array(slots.length)
      ids = new Int32Array(slots.length)
      const mask = slots.length - 1
      for (let k = 0; k < old.slots.length; k++) {
        if (old.slots[k] === '') continue
        let j = old.hashes[k] & mask
        while (slots[j] !== '') j = (j + 1) & mask
        slots[j] = old.slots[k]
        hashes[j] = old.hashes[k]
        ids[j] = old.ids[k]
      }
    }
    return size - 1
  }
  const idOf = (text: string, start: number, end: number, hash: number, upper = false): number => {
    const slot = slotOf(text, start, end, hash, upper)
    if (slots[slot] !== '') return ids[slot]
    const word = text.slice(start, end)
    return add(slot, upper ? word.toLowerCase() : word, hash)
  }
  const intern = (word: string): number => idOf(word, 0, word.length, hashOf(word))
  const wordTokens = (text: string): Int32Array => {
    const ws = words(text)
    const tokens = new Int32Array(ws.length)
    for (let i = 0; i < ws.length; i++) tokens[i] = intern(ws[i])
    return tokens
  }

  return {
    get(word) {
      const slot = slotOf(word, 0, word.length, hashOf(word), false)
      return slots[slot] !== '' ? ids[slot] : undefined
    },
    intern,
    tokens(text) {
      if (buffer.length < text.length) buffer = new Int32Array(text.length)
      // ASCII text is split by character codes, each letter lowercased as it is read; the first code
      // above ASCII sends the whole text to `words()` (whose words are then the same, see `isAsciiWordCode`).
      let n = 0
      let start = -1
      let hash = FNV_OFFSET
      let upper = false // the word being read has a capital letter
      for (let i = 0; i <= text.length; i++) {
        let code = i < text.length ? text.charCodeAt(i) : 0x20
        if (code >= 0x80) return wordTokens(text)
        if (code >= 0x41 && code <= 0x5a) {
          code += 0x20
          upper = true
        }
        if (isAsciiWordCode(code)) {
          if (start < 0) {
            start = i
            hash = FNV_OFFSET
          }
          hash = Math.imul(hash ^ code, FNV_PRIME)
        } else if (start >= 0) {
          buffer[n++] = idOf(text, start, i, hash, upper)
          start = -1
          upper = false
        }
      }
      return buffer.slice(0, n)
    },
    get size() {
      return size
    }
  }
}

/** Tokenises `text` with `words()` and indexes where each word occurs. */
export function indexText(text: string): IndexedText {
  return indexer(createVocabulary()).index(text)
}

interface Indexer {
  /** Tokenises `text` with `words()` and indexes where each word occurs. */
  index(text: string): IndexedText
  /** The distinct word ids of both texts, ascending. */
  distinct(x: IndexedText, y: IndexedText): Int32Array
}

/** Indexes texts over `vocabulary`. */
function indexer(vocabulary: Vocabulary): Indexer {
  // Per word id, how many times the texts being looked at have it (then, in `index`, where its run of
  // `byWord` starts); all zero between calls. And a buffer for their distinct ids.
  let counts = new Int32Array(0)
  let ids = new Int32Array(0)
  /** Counts the words of `texts` and gives their distinct ids, ascending (far fewer than the words). */
  const count = (...texts: Int32Array[]): Int32Array => {
    const n = texts.reduce((sum, tokens) => sum + tokens.length, 0)
    if (counts.length < vocabulary.size) counts = new Int32Array(Math.max(vocabulary.size, 2 * counts.length))
    if (ids.length < n) ids = new Int32Array(Math.max(n, 2 * ids.length))
    let d = 0
    for (const tokens of texts) for (const id of tokens) if (counts[id]++ === 0) ids[d++] = id
    return ids.subarray(0, d).sort()
  }
  return {
    index(text) {
      const tokens = vocabulary.tokens(text)
      // A counting sort: by id, then position.
      const distinct = count(tokens)
      let at = 0
      for (const id of distinct) {
        const n = counts[id]
        counts[id] = at
        at += n
      }
      const byWord = new Int32Array(tokens.length)
      for (let i = 0; i < tokens.length; i++) byWord[counts[tokens[i]]++] = i
      for (const id of distinct) counts[id] = 0
      return { tokens, byWord, vocabulary }
    },
    distinct(x, y) {
      const distinct = count(x.tokens, y.tokens).slice()
      for (const id of distinct) counts[id] = 0
      return distinct
    }
  }
}

/** The first index of `text.byWord` whose word is `id` or later; `byWord.length` if none. */
function firstOf(text: IndexedText, id: number): number {
  const { tokens, byWord } = text
  let low = 0
  let high = byWord.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (tokens[byWord[mid]] < id) low = mid + 1
    else high = mid
  }
  return low
}

/**
 * A phrase compiled for matching: all words but the last must match exactly, the last may take any of its
 * `wordForms()` (exactly what the query planner asks arXiv for). Words are vocabulary ids; -1 stands for a
 * word the text cannot contain.
 */
interface CompiledPhrase {
  head: number[]
  lastForms: number[]
}

function compilePhrase(phrase: string, id: (word: string) => number): CompiledPhrase | undefined {
  const ws = words(phrase)
  if (ws.length === 0) return undefined
  const last = ws[ws.length - 1]
  return { head: ws.slice(0, -1).map(id), lastForms: wordForms(last).map(id) }
}

/** How many times the phrase occurs in the indexed text (whole words, last word plural-tolerant). */
function countPhrase(text: IndexedText, phrase: CompiledPhrase): number {
  const { tokens, byWord } = text
  const n = phrase.head.length
  let count = 0
  if (n === 0) {
    // The forms are distinct words (or -1, found nowhere), so no occurrence is counted twice.
    for (const form of phrase.lastForms) {
      for (let k = firstOf(text, form); k < byWord.length && tokens[byWord[k]] === form; k++) count++
    }
    return count
  }
  const first = phrase.head[0]
  for (let k = firstOf(text, first); k < byWord.length && tokens[byWord[k]] === first; k++) {
    const start = byWord[k]
    if (start + n >= tokens.length) break
    let ok = true
    for (let j = 1; j < n && ok; j++) ok = tokens[start + j] === phrase.head[j]
    if (ok && phrase.lastForms.includes(tokens[start + n])) count++
  }
  return count
}

/**
 * True if `phrase` occurs in `text` as whole words: case-, hyphen- and punctuation-insensitive, and
 * tolerant of the singular/plural form of the phrase's last word (`world model` ~ `World-Models`).
 * A phrase without letters or digits never matches.
 */
export function matchesPhrase(text: string | IndexedText, phrase: string): boolean {
  const indexed = typeof text === 'string' ? indexText(text) : text
  // A word the text's vocabulary lacks cannot occur in it.
  const compiled = compilePhrase(phrase, word => indexed.vocabulary.get(word) ?? -1)
  if (!compiled) return false
  return countPhrase(indexed, compiled) > 0
}

// ---------------------------------------------------------------------------------------------------
// The matcher: what is derived from a paper, built once per distinct paper; from a topic, once per topic.

/** Matches papers against topics, reusing what it derived from each paper and each topic. */
export interface Matcher {
  /** Exactly {@link matchTopic}`(paper, topic)`. */
  match(paper: Paper, topic: Topic): TopicMatch
  /**
   * For `topics` as they are now, a function giving the ones a paper may match: every topic with
   * authors, and those with a keyword whose first word occurs in the paper's title or abstract. A
   * topic left out cannot match the paper, so its `match` need not be asked: one lookup per
   * distinct word of the paper instead of one check per topic.
   */
  candidates(topics: readonly Topic[]): (paper: Paper) => ReadonlySet<Topic>
  /**
   * The topics of `topics` that the paper matches, in order: exactly
   * `topics.filter(t => match(paper, t).matched)`, with only the `candidates` matched in full ("also
   * in" asks this of every paper shown against every topic). For a list as it was when first given.
   */
  matching(paper: Paper, topics: readonly Topic[]): Topic[]
}

/**
 * What matching needs of a paper. Each part keeps the fields it was derived from, to check a later copy
 * (or a changed paper) against; the author part is made when a topic with authors first needs it.
 */
interface PaperTerms {
  /** The title and abstract the indexes were built from. */
  title: string
  abstract: string
  t: IndexedText
  a: IndexedText
  /** The distinct word ids of title and abstract, ascending: a phrase whose first word is absent cannot occur. */
  present: Int32Array
  authors?: { source: string[]; names: NameKey[] }
}

/** A keyword, `require` or `exclude` term with its compiled form. */
interface Term {
  phrase: string
  compiled: CompiledPhrase
}

/** What matching needs of a topic, with the topic's fields it was derived from (copied). */
interface TopicTerms {
  source: Pick<Topic, 'keywords' | 'require' | 'exclude' | 'authors' | 'categories'>
  keywords: Term[]
  require: Term[]
  exclude: Term[]
  authors: NameKey[]
  /** The words a keyword occurrence starts with (a phrase's first word, or a one-word phrase's forms). */
  starts: Int32Array
  /** Canonical codes; undefined when the topic takes any category. */
  categories?: Set<string>
}

/**
 * A matcher for one run: create it when matching starts, drop it afterwards. It holds an index of every
 * distinct paper it has seen (about 8 bytes per word of title and abstract, plus the title and abstract
 * it was built from) and a vocabulary shared by all of them.
 *
 * The same paper arrives once per query that covers it, as a separate object, and is matched against
 * each of its topics; so papers are cached by `versionedId`, not by object, and what was derived from a
 * field (title and abstract, authors) is used only while that field is still equal. A changed or
 * mutated paper is indexed again, so a hit can never give a different result than a fresh index.
 * Comparing the strings costs far less than tokenising them (the same string is equal at once; a copy
 * takes a memory comparison). Topics are cached by object, with the same check.
 */
export function createMatcher(): Matcher {
  const vocabulary = createVocabulary()
  const { index, distinct } = indexer(vocabulary)
  const papers = new Map<string, PaperTerms>()
  // Per paper object, the terms its text was found equal to and the strings compared then: the same
  // object is then recognised by reference (an equal string is the same string), and a copy's text is
  // compared with the cached one once, not once per topic.
  const seen = new WeakMap<Paper, { terms: PaperTerms; title: string; abstract: string }>()
  const topics = new WeakMap<Topic, TopicTerms>()

  const paperTerms = (paper: Paper): PaperTerms => {
    const known = seen.get(paper)
    if (known && known.title === paper.title && known.abstract === paper.abstract) return known.terms
    let terms = papers.get(paper.versionedId)
    if (!terms || terms.title !== paper.title || terms.abstract !== paper.abstract) {
      const t = index(paper.title)
      const a = index(paper.abstract)
      terms = { title: paper.title, abstract: paper.abstract, t, a, present: distinct(t, a) }
      papers.set(paper.versionedId, terms)
    }
    seen.set(paper, { terms, title: paper.title, abstract: paper.abstract })
    return terms
  }

  const topicTerms = (topic: Topic): TopicTerms => {
    const cached = topics.get(topic)
    if (cached && sameTopicFields(cached.source, topic)) return cached
    // Phrases that match the same text (`world model`, `World-Models`) are one term, named by the
    // first: it is counted once in the score and named once in the reason.
    const terms = (phrases: string[]): Term[] => {
      const byKey = new Map<string, Term>()
      for (const phrase of phrases) {
        const compiled = compilePhrase(phrase, vocabulary.intern)
        if (!compiled) continue
        const key = phraseKey(phrase)
        if (!byKey.has(key)) byKey.set(key, { phrase, compiled })
      }
      return [...byKey.values()]
    }
    const keywords = terms(topic.keywords)
    const entry: TopicTerms = {
      source: {
        keywords: [...topic.keywords],
        require: [...topic.require],
        exclude: [...topic.exclude],
        authors: [...topic.authors],
        categories: [...topic.categories]
      },
      keywords,
      require: terms(topic.require),
      exclude: terms(topic.exclude),
      authors: topic.authors.map(nameKey),
      starts: Int32Array.from(
        new Set(keywords.flatMap(({ compiled: c }) => (c.head.length > 0 ? [c.head[0]] : c.lastForms)))
      ),
      categories: topic.categories.length > 0 ? new Set(topic.categories.map(canonicalCategory)) : undefined
    }
    topics.set(topic, entry)
    return entry
  }

  const candidates = (list: readonly Topic[]) => {
    const byWord = new Map<number, Topic[]>()
    const always: Topic[] = []
    for (const topic of list) {
      const terms = topicTerms(topic)
      if (terms.authors.length > 0) always.push(topic)
      else
        for (const id of terms.starts) {
          const topics = byWord.get(id)
          if (!topics) byWord.set(id, [topic])
          else if (topics.at(-1) !== topic) topics.push(topic)
        }
    }
    const found = new WeakMap<PaperTerms, Set<Topic>>()
    return (paper: Paper): ReadonlySet<Topic> => {
      const terms = paperTerms(paper)
      let set = found.get(terms)
      if (!set) {
        set = new Set(always)
        const { present } = terms
        for (let k = 0; k < present.length; k++) {
          const topics = byWord.get(present[k])
          if (topics) for (let j = 0; j < topics.length; j++) set.add(topics[j])
        }
        found.set(terms, set)
      }
      return set
    }
  }

  const match = (paper: Paper, topic: Topic): TopicMatch =>
    matchTerms(paper, paperTerms(paper), topicTerms(topic), topic)

  // Per list, its candidates and the fields they were derived from (copied), to check they are current.
  interface ListCandidates {
    topics: Topic[]
    keywords: string[][]
    authors: string[][]
    may: (paper: Paper) => ReadonlySet<Topic>
  }
  const lists = new WeakMap<readonly Topic[], ListCandidates>()
  const current = (known: ListCandidates, list: readonly Topic[]) =>
    known.topics.length === list.length &&
    known.topics.every(
      (t, i) =>
        t === list[i] && sameList(known.keywords[i], t.keywords) && sameList(known.authors[i], t.authors)
    )
  const matching = (paper: Paper, list: readonly Topic[]): Topic[] => {
    let known = lists.get(list)
    if (!known || !current(known, list)) {
      known = {
        topics: [...list],
        keywords: list.map(t => [...t.keywords]),
        authors: list.map(t => [...t.authors]),
        may: candidates(list)
      }
      lists.set(list, known)
    }
    const found = known.may(paper)
    return list.filter(topic => found.has(topic) && match(paper, topic).matched)
  }

  return { match, candidates, matching }
}

/** True if one of `wanted` is in `present` (ascending): a binary search per wanted word. */
function containsAny(present: Int32Array, wanted: Int32Array): boolean {
  for (const id of wanted) {
    let low = 0
    let high = present.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (present[mid] < id) low = mid + 1
      else high = mid
    }
    if (low < present.length && present[low] === id) return true
  }
  return false
}

/** The paper's author names as compared, from `terms` while the author list is unchanged. */
function authorNames(terms: PaperTerms, paper: Paper): NameKey[] {
  if (!terms.authors || !sameList(terms.authors.source, paper.authors)) {
    terms.authors = { source: [...paper.authors], names: paper.authors.map(nameKey) }
  }
  return terms.authors.names
}

/** True if the paper's primary or any other category is one of `wanted` (canonical codes). */
function inCategories(paper: Paper, wanted: Set<string>): boolean {
  // A property lookup per code: cheaper than caching the result and checking the cache is current.
  if (wanted.has(canonicalCategory(paper.primaryCategory))) return true
  for (const category of paper.categories) if (wanted.has(canonicalCategory(category))) return true
  return false
}

function sameTopicFields(source: TopicTerms['source'], topic: Topic): boolean {
  return (
    sameList(source.keywords, topic.keywords) &&
    sameList(source.require, topic.require) &&
    sameList(source.exclude, topic.exclude) &&
    sameList(source.authors, topic.authors) &&
    sameList(source.categories, topic.categories)
  )
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

interface PhraseHit {
  phrase: string
  title: number
  abstract: number
}

function findPhrases(terms: Term[], paper: PaperTerms): PhraseHit[] {
  const hits: PhraseHit[] = []
  for (const { phrase, compiled } of terms) {
    const title = countPhrase(paper.t, compiled)
    const abstract = countPhrase(paper.a, compiled)
    if (title > 0 || abstract > 0) hits.push({ phrase, title, abstract })
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
 *
 * Each call indexes the paper afresh: to match many papers against many topics, use one
 * {@link createMatcher} for the run, which indexes each distinct paper and compiles each topic once.
 */
export function matchTopic(paper: Paper, topic: Topic): TopicMatch {
  return createMatcher().match(paper, topic)
}

function matchTerms(paper: Paper, derived: PaperTerms, terms: TopicTerms, topic: Topic): TopicMatch {
  // Most papers a query returns hold none of a topic's keywords: one lookup per start word says so.
  const keywordHits = containsAny(derived.present, terms.starts) ? findPhrases(terms.keywords, derived) : []
  const authors =
    terms.authors.length === 0 ? [] : matchingAuthors(authorNames(derived, paper), terms.authors)

  if (authors.length > 0) {
    const score = authors.length * SCORE.author + keywordScore(keywordHits)
    const reasons = authors.map(
      ([wanted, actual]) => `author "${actual}"` + (wanted === actual ? '' : ` (~ "${wanted}")`)
    )
    // The keywords add to the score, so they are part of why the paper ranks where it does.
    return { matched: true, score, reason: [...reasons, ...keywordReasons(keywordHits)].join(', ') }
  }

  if (terms.categories && !inCategories(paper, terms.categories)) {
    return { matched: false, score: 0, reason: `not in categories ${topic.categories.join(', ')}` }
  }
  if (keywordHits.length === 0) return { matched: false, score: 0, reason: 'no keyword' }
  const required = terms.require.length > 0 ? findPhrases(terms.require, derived) : []
  if (terms.require.length > 0 && required.length === 0) {
    return { matched: false, score: 0, reason: 'no required term' }
  }
  const excluded = findPhrases(terms.exclude, derived)
  if (excluded.length > 0) {
    return {
      matched: false,
      score: 0,
      reason: `excluded term "${excluded[0].phrase}" in ${where(excluded[0])}`
    }
  }
  const reason = [
    ...keywordReasons(keywordHits),
    // The first required term found is enough to say why the requirement is met.
    ...required.slice(0, 1).map(h => `required "${h.phrase}" in ${where(h)}`)
  ].join(', ')
  return { matched: true, score: keywordScore(keywordHits), reason }
}

/**
 * What a phrase matches: its words, the last in all its forms. Equal for phrases that match the same
 * text (`world model`, `World-Models`; `vision-language-action`, `Vision Language Actions`).
 */
function phraseKey(phrase: string): string {
  const ws = words(phrase)
  return [
    ...ws.slice(0, -1),
    wordForms(ws[ws.length - 1])
      .sort()
      .join('|')
  ].join(' ')
}

/** One per keyword found. */
function keywordReasons(hits: PhraseHit[]): string[] {
  return hits.map(hit => `keyword "${hit.phrase}" in ${where(hit)}`)
}
