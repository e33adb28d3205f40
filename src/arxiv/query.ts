/**
 * Building blocks of arXiv's `search_query` syntax (docs/arxiv.md, "Query syntax"). Every function returns a raw
 * query string; URL encoding is left to `URLSearchParams` in the client.
 */
import { categoryCodes } from '../digest/categories.js'
import { nameTokens } from '../digest/names.js'
import { words } from '../digest/terms.js'

/** Field prefixes of arXiv's query language that this project sends. */
export type SearchField = 'ti' | 'abs' | 'au' | 'co' | 'jr' | 'cat' | 'all'

// Lower-cased because terms are lower-cased by words(); arXiv documents the operators in upper case only,
// but a lone bare `or` next to real operators is not worth the risk, so such terms are always quoted.
const OPERATOR_WORDS = new Set(['and', 'or', 'andnot', 'not', 'to'])

/**
 * A term or phrase on one field: `ti:"vision language action"`, `abs:vla`. The text is reduced to its
 * `words()`, so hyphens become spaces (arXiv tokenises on them), case is folded, and quotes, backslashes
 * and other punctuation disappear instead of breaking the query.
 * @returns undefined when the text has no words at all (nothing could match it locally either).
 */
export function fieldTerm(field: SearchField, text: string): string | undefined {
  const tokens = words(text)
  if (tokens.length === 0) return undefined
  const joined = tokens.join(' ')
  const bare = tokens.length === 1 && !OPERATOR_WORDS.has(joined)
  return bare ? `${field}:${joined}` : `${field}:"${joined}"`
}

/** True if the clause needs no parentheses to be used as one operand. */
function isAtomic(clause: string): boolean {
  // A clause is atomic when it has no operator outside quotes, brackets and parentheses.
  let depth = 0
  let quoted = false
  for (let i = 0; i < clause.length; i++) {
    const c = clause[i]
    if (c === '"') quoted = !quoted
    else if (quoted) continue
    else if (c === '(' || c === '[') depth++
    else if (c === ')' || c === ']') depth--
    else if (c === ' ' && depth === 0) return false
  }
  return true
}

function wrap(clause: string): string {
  return isAtomic(clause) ? clause : `(${clause})`
}

function join(operator: 'OR' | 'AND', clauses: string[]): string {
  const parts = [...new Set(clauses.filter(c => c.length > 0))]
  if (parts.length <= 1) return parts[0] ?? ''
  return parts.map(wrap).join(` ${operator} `)
}

/**
 * Clauses joined with OR, each parenthesised unless atomic, empty and duplicate clauses dropped (first
 * kept); `''` for none. The result is itself unparenthesised; `allOf`/`anyOf` add parentheses when nesting it.
 */
export function anyOf(clauses: string[]): string {
  return join('OR', clauses)
}

/** Clauses joined with AND, each parenthesised unless atomic, duplicates removed (first kept). */
export function allOf(clauses: string[]): string {
  return join('AND', clauses)
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/**
 * A time as arXiv's `YYYYMMDDHHMM` in GMT. The query language has minute precision, so `floor`
 * drops the seconds and `ceil` rounds up to the next whole minute; a window built with a floored start
 * and a ceiled end never loses a paper to rounding.
 */
export function arxivMinute(date: Date, round: 'floor' | 'ceil' = 'floor'): string {
  let ms = date.getTime()
  if (Number.isNaN(ms)) throw new RangeError('arxivMinute: invalid date')
  const minute = 60_000
  ms = round === 'floor' ? Math.floor(ms / minute) * minute : Math.ceil(ms / minute) * minute
  const d = new Date(ms)
  return (
    pad(d.getUTCFullYear(), 4) +
    pad(d.getUTCMonth() + 1) +
    pad(d.getUTCDate()) +
    pad(d.getUTCHours()) +
    pad(d.getUTCMinutes())
  )
}

/**
 * `submittedDate:[FROM TO TO]` (inclusive, GMT, minute precision; filters on the v1 submission time).
 * `from` is rounded down and `to` up so the window covers both instants completely.
 */
export function submittedDateClause(from: Date, to: Date): string {
  if (from.getTime() > to.getTime()) throw new RangeError('submittedDateClause: from is after to')
  return `submittedDate:[${arxivMinute(from, 'floor')} TO ${arxivMinute(to, 'ceil')}]`
}

/**
 * The `au:` terms that find every paper local matching (`sameAuthor` in matching.ts) accepts for
 * `name`: its surname as local matching reads it (accents folded, `Last, First` reordered, `Jr.`
 * dropped, apostrophes joined), the last two name parts joined (a wanted "Yann Le Cun" is also written
 * "LeCun"), and the surname as arXiv may tokenise it ("O'Brien" → "o brien", "Internò").
 */
export function authorTerms(name: string): string[] {
  const tokens = nameTokens(name)
  if (tokens.length === 0) return []
  const surname = tokens[tokens.length - 1]
  const terms = [surname]
  if (tokens.length >= 3) terms.push(tokens.slice(-2).join(''))
  const comma = name.indexOf(',')
  const raw = words(comma > 0 ? name.slice(0, comma) : name)
  for (let k = 1; k <= Math.min(3, raw.length); k++) {
    const tail = raw.slice(-k)
    // Compare through nameTokens, so the tail is folded exactly as local matching folds the surname.
    if (nameTokens(tail.join(' ')).join('') === surname) terms.push(tail.join(' '))
  }
  return [...new Set(terms)]
}

/**
 * An author clause on the surname only, e.g. `au:lecun` for "Yann LeCun". Deliberately broad: arXiv
 * lists authors as "Yann LeCun", "Y. LeCun" or "Yann A. LeCun", and a full-name phrase would miss the
 * variants that local matching accepts, whereas every accepted variant contains the surname. Known gap:
 * a paper that splits a surname the topic writes joined ("Le Cun" or "O'Brien" for a wanted "LeCun" or
 * "OBrien") is not asked for, as the split cannot be guessed.
 * @returns undefined for a name without words.
 */
export function authorClause(name: string): string | undefined {
  const clause = anyOf(authorTerms(name).map(t => fieldTerm('au', t) ?? ''))
  return clause === '' ? undefined : clause
}

const CATEGORY_SYNTAX = /^[A-Za-z][A-Za-z-]*(\.[A-Za-z-]+)?$/

/**
 * `cat:` terms for one or more categories, including every alias arXiv may list them under
 * (`eess.SY` → `cat:eess.SY OR cat:cs.SY`), OR-ed, sorted for deterministic output.
 */
export function categoryClause(codes: string[]): string {
  const all = new Set<string>()
  for (const code of codes) {
    // Config validation only lets real codes through; this guard keeps a stray value from altering the query.
    if (!CATEGORY_SYNTAX.test(code))
      throw new RangeError(`Not an arXiv category code: ${JSON.stringify(code)}`)
    for (const c of categoryCodes(code)) all.add(c)
  }
  return anyOf([...all].sort().map(code => `cat:${code}`))
}
