/**
 * arXiv's category taxonomy: the active codes (from arXiv's taxonomy definitions) and the aliases
 * under which the same category is also listed.
 */
import categoryList from './arxiv-categories.json' with { type: 'json' }

/** Alias → canonical code. Papers in one are listed in the other too (arXiv's CATEGORY_ALIASES). */
const ALIASES: Readonly<Record<string, string>> = {
  'math.MP': 'math-ph',
  'stat.TH': 'math.ST',
  'math.IT': 'cs.IT',
  'q-fin.EC': 'econ.GN',
  'cs.SY': 'eess.SY',
  'cs.NA': 'math.NA'
}

const NAMES = new Map<string, string>(categoryList.map(c => [c.code, c.name]))

/** Every active category code, sorted. */
const CATEGORY_CODES: readonly string[] = [...NAMES.keys()].sort()

/** True if `code` is an active arXiv category code or alias (case-sensitive, as arXiv writes them). */
export function isCategory(code: string): boolean {
  return NAMES.has(code) || code in ALIASES
}

/** The canonical code for a code or its alias (`cs.SY` → `eess.SY`); unknown codes are returned as they are. */
export function canonicalCategory(code: string): string {
  return ALIASES[code] ?? code
}

/** The codes arXiv may list a category under: the canonical code and its aliases, canonical first. */
export function categoryCodes(code: string): string[] {
  const canonical = canonicalCategory(code)
  return [canonical, ...Object.keys(ALIASES).filter(alias => ALIASES[alias] === canonical)]
}

/** Up to `max` known codes closest to `code` (same archive first), for "did you mean" hints. */
export function similarCategories(code: string, max = 3): string[] {
  const lower = code.toLowerCase()
  const exactCase = CATEGORY_CODES.filter(c => c.toLowerCase() === lower)
  if (exactCase.length > 0) return exactCase
  const archive = lower.split('.')[0]
  return CATEGORY_CODES.filter(c => c.toLowerCase().split('.')[0] === archive).slice(0, max)
}
