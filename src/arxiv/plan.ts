/**
 * Turns all topics of a run into as few arXiv queries as the URL length allows, so the number of
 * requests grows with the size of the result set, not with topics × keywords (product.md step 3).
 * Topics are matched locally afterwards; each query asks for a superset of what local matching accepts.
 */
import { allOf, anyOf, authorClause, categoryClause, fieldTerm, submittedDateClause } from './query.js'
import { canonicalCategory } from '../digest/categories.js'
import { wordForms, words } from '../digest/terms.js'
import type { Topic } from '../digest/types.js'

/** One topic and the start of its fetch window. */
export interface TopicWindow {
  topic: Topic
  from: Date
}

/**
 * One request's worth of query. A topic may appear in several queries (when its keywords had to be
 * split); its fetch is complete only when every query listing it succeeded.
 */
export interface PlannedQuery {
  /** The raw `search_query` (not URL-encoded). */
  searchQuery: string
  /** Topics whose papers this query asks for, sorted. */
  topicIds: string[]
  /** Earliest window start of those topics (the query's submittedDate lower bound). */
  from: Date
  to: Date
  /** A category query (no keywords): many results by design, matched locally. */
  byCategory?: true
}

/** Options of {@link planQueries}. */
export interface PlanOptions {
  /** Upper bound on `searchQuery.length` (raw characters); default {@link DEFAULT_MAX_QUERY_LENGTH}. */
  maxQueryLength?: number
}

/**
 * Default bound on the raw search_query. URL encoding turns `"`, `:`, `(`, `)`, `[`, `]` into three
 * characters each, so 1500 raw characters become roughly 2,000–2,300 in the URL: inside the ~2 KB
 * that conservative proxies and CDNs accept, and far below the 8 KB request-line limit of common
 * servers. arXiv documents no limit for GET, and POST is untested on the current backend (docs/arxiv.md, "Requests").
 */
export const DEFAULT_MAX_QUERY_LENGTH = 1500

/** The fields a keyword is looked up in; local matching reads title and abstract. */
const KEYWORD_FIELDS = ['ti', 'abs'] as const

/** A piece of a query: OR-ed with the other items of the same query. */
interface Item {
  clause: string
  topicIds: Set<string>
  from: Date
}

/**
 * The phrases that cover one keyword: every singular/plural form of its last word, as local
 * matching accepts any of them ("world model" → "world model", "world models").
 */
export function keywordPhrases(keyword: string): string[] {
  const tokens = words(keyword)
  if (tokens.length === 0) return []
  const head = tokens.slice(0, -1)
  return wordForms(tokens[tokens.length - 1]).map(last => [...head, last].join(' '))
}

function earliest(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b
}

function render(items: Item[], to: Date): string {
  const from = items.map(i => i.from).reduce(earliest)
  return allOf([anyOf(items.map(i => i.clause)), submittedDateClause(from, to)])
}

/** The keyword terms of one category group, each with the topics that asked for it. */
interface Group {
  categories: string[]
  terms: Map<string, { topicIds: Set<string>; from: Date }>
}

function groupClause(group: Group, terms: string[]): string {
  // A keyword-less topic wants everything in its categories, which subsumes the other topics' keywords.
  if (terms.includes('')) return categoryClause(group.categories)
  const keywords = anyOf(terms)
  return group.categories.length === 0 ? keywords : allOf([keywords, categoryClause(group.categories)])
}

/**
 * Splits a group whose clause is too long into several items, each as large as fits: from each term
 * on, the longest run of terms whose query fits. A query only grows with its run (its terms are
 * distinct; a run holding the empty term is the category clause alone, which did not fit, or this
 * would not be called), so the longest run is found by doubling, then halving, its length: a few
 * queries built per item instead of one per term, each as long as the run.
 */
function splitGroup(group: Group, to: Date, max: number): Item[] {
  const terms = [...group.terms.keys()]
  const owner = (term: string) => group.terms.get(term)!
  // Whether the terms [start, end) fit in one query (windowed, as the item will be, by the last term's).
  const fits = (start: number, end: number): boolean => {
    const last = owner(terms[end - 1])
    const clause = groupClause(group, terms.slice(start, end))
    return render([{ clause, topicIds: last.topicIds, from: last.from }], to).length <= max
  }
  const items: Item[] = []
  for (let start = 0; start < terms.length;) {
    if (!fits(start, start + 1))
      throw new RangeError(`maxQueryLength ${max} is too small for the query term ${terms[start]}`)
    // `good` terms fit; `bad` terms do not (or run past the end).
    let good = 1
    let bad = good + 1
    while (start + bad <= terms.length && fits(start, start + bad)) {
      good = bad
      bad = Math.min(2 * bad, terms.length - start + 1)
    }
    while (bad - good > 1) {
      const mid = (good + bad) >>> 1
      if (fits(start, start + mid)) good = mid
      else bad = mid
    }
    const run = terms.slice(start, start + good)
    const owners = run.map(owner)
    items.push({
      clause: groupClause(group, run),
      topicIds: new Set(owners.flatMap(o => [...o.topicIds])),
      from: owners.map(o => o.from).reduce(earliest)
    })
    start += good
  }
  return items
}

function collectGroups(windows: TopicWindow[]): { groups: Group[]; authors: Item[] } {
  const groups = new Map<string, Group>()
  const authors = new Map<string, Item>()
  const add = (owner: { topicIds: Set<string>; from: Date }, id: string, from: Date): void => {
    owner.topicIds.add(id)
    owner.from = earliest(owner.from, from)
  }
  for (const { topic, from } of windows) {
    const categories = [...new Set(topic.categories.map(canonicalCategory))].sort()
    const terms = topic.keywords.flatMap(keyword =>
      keywordPhrases(keyword).flatMap(phrase => KEYWORD_FIELDS.map(field => fieldTerm(field, phrase)!))
    )
    const hasAuthors = topic.authors.some(a => authorClause(a) !== undefined)
    // A topic without keywords is either author-only, or (no authors either) "everything in its categories".
    if (terms.length > 0 || (!hasAuthors && categories.length > 0)) {
      const key = categories.join(' ')
      let group = groups.get(key)
      if (!group) groups.set(key, (group = { categories, terms: new Map() }))
      // The bare category clause stands for "no keyword filter"; it is represented as an empty term.
      for (const term of terms.length > 0 ? terms : ['']) {
        const owner = group.terms.get(term)
        if (owner) add(owner, topic.id, from)
        else group.terms.set(term, { topicIds: new Set([topic.id]), from })
      }
    }
    for (const name of topic.authors) {
      const clause = authorClause(name)
      if (!clause) continue
      const item = authors.get(clause)
      if (item) add(item, topic.id, from)
      else authors.set(clause, { clause, topicIds: new Set([topic.id]), from })
    }
  }
  return { groups: [...groups.values()], authors: [...authors.values()] }
}

/**
 * Plans the queries for one run. Topics with the same category set share one
 * `(keyword phrases) AND (categories)` clause; groups and author clauses are OR-ed; the whole is AND-ed
 * with one submittedDate window from the earliest `from` of its topics to `to`. A query is split only
 * when it would exceed `maxQueryLength`; a group too long on its own is split by keyword terms.
 * Output depends only on the input (order included): same input, same strings.
 * @throws RangeError if a window starts after `to`, or the limit cannot hold even one term.
 */
export function planQueries(windows: TopicWindow[], to: Date, options: PlanOptions = {}): PlannedQuery[] {
  const max = options.maxQueryLength ?? DEFAULT_MAX_QUERY_LENGTH
  for (const { topic, from } of windows) {
    if (!(from.getTime() <= to.getTime())) {
      throw new RangeError(
        `Topic ${topic.id}: window start ${from.toISOString()} is after ${to.toISOString()}`
      )
    }
  }
  const { groups, authors } = collectGroups(windows)
  const items: Item[] = []
  for (const group of groups) {
    const whole: Item = {
      clause: groupClause(group, [...group.terms.keys()]),
      topicIds: new Set([...group.terms.values()].flatMap(o => [...o.topicIds])),
      from: [...group.terms.values()].map(o => o.from).reduce(earliest)
    }
    if (render([whole], to).length <= max) items.push(whole)
    else items.push(...splitGroup(group, to, max))
  }
  for (const item of authors) {
    if (render([item], to).length > max)
      throw new RangeError(`maxQueryLength ${max} is too small for ${item.clause}`)
    items.push(item)
  }

  // First fit: each item goes into the first query that still has room, so small groups fill gaps.
  const bins: Item[][] = []
  for (const item of items) {
    const bin = bins.find(b => render([...b, item], to).length <= max)
    if (bin) bin.push(item)
    else bins.push([item])
  }
  return bins.map(bin => ({
    searchQuery: render(bin, to),
    topicIds: [...new Set(bin.flatMap(i => [...i.topicIds]))].sort(),
    from: bin.map(i => i.from).reduce(earliest),
    to
  }))
}

/** The two halves of a category plan. */
export interface CategoryPlan {
  /** `(categories) AND submittedDate` queries, matched locally: they do not grow with keywords. */
  byCategory: PlannedQuery[]
  /** Keyword queries for the topics a category query cannot serve (no categories, or authors). */
  byKeyword: PlannedQuery[]
}

/**
 * The other way to fetch: every paper in the topics' categories inside the window, matched locally.
 * It costs one request per 2000 papers in those categories, whatever the number of keywords, so it
 * wins when keyword queries would fragment into many short queries; the caller compares costs.
 * Topics without categories (all of arXiv) and topics with authors (whose papers match in any
 * category) keep keyword queries. Categories are split over several queries only when one would
 * exceed `maxQueryLength`; a topic is listed in every query that holds one of its categories.
 */
export function planByCategory(windows: TopicWindow[], to: Date, options: PlanOptions = {}): CategoryPlan {
  const max = options.maxQueryLength ?? DEFAULT_MAX_QUERY_LENGTH
  const eligible = windows.filter(w => w.topic.categories.length > 0 && w.topic.authors.length === 0)
  const rest = windows.filter(w => !eligible.includes(w))
  const categories = [...new Set(eligible.flatMap(w => w.topic.categories.map(canonicalCategory)))].sort()
  const query = (cats: string[], from: Date) => allOf([categoryClause(cats), submittedDateClause(from, to)])
  const from = eligible.map(w => w.from).reduce(earliest, to)
  const bins: string[][] = []
  for (const category of categories) {
    const bin = bins.at(-1)
    if (bin && query([...bin, category], from).length <= max) bin.push(category)
    else bins.push([category])
  }
  const byCategory = bins.map(bin => {
    const topics = eligible.filter(w => w.topic.categories.some(c => bin.includes(canonicalCategory(c))))
    const start = topics.map(w => w.from).reduce(earliest)
    return {
      searchQuery: query(bin, start),
      topicIds: topics.map(w => w.topic.id).sort(),
      from: start,
      to,
      byCategory: true as const
    }
  })
  return { byCategory, byKeyword: planQueries(rest, to, options) }
}
