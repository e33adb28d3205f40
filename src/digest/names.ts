/**
 * Author names as the digest compares them: folded to comparable tokens (`nameTokens`), and the
 * rules for when two spellings denote the same person (`sameAuthor`). Query planning asks arXiv
 * for the same tokens local matching compares, so both use this module.
 */
import { words } from './terms.js'

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
  return sameName(nameKey(wanted), nameKey(actual))
}

/** A name as `sameAuthor` compares it: its `nameTokens`, and those joined (rule 1), computed once. */
export interface NameKey {
  name: string
  tokens: string[]
  joined: string
}

export function nameKey(name: string): NameKey {
  const tokens = nameTokens(name)
  return { name, tokens, joined: tokens.join('') }
}

function sameName(wanted: NameKey, actual: NameKey): boolean {
  const w = wanted.tokens
  const p = actual.tokens
  if (w.length === 0 || p.length === 0) return false
  if (wanted.joined === actual.joined) return true
  if (w.length === 1 || p.length === 1) return false
  if (w[w.length - 1] !== p[p.length - 1]) return false
  // Given names: all tokens but the surname, compared pairwise while both names have one.
  const given = Math.min(w.length, p.length) - 1
  for (let i = 0; i < given; i++) if (!compatible(w[i], p[i])) return false
  return true
}

/** The `[wanted, actual]` pairs of topic authors found among the paper's authors, in topic order. */
export function matchingAuthors(actual: NameKey[], wanted: NameKey[]): [string, string][] {
  const found: [string, string][] = []
  for (const w of wanted) {
    const hit = actual.find(a => sameName(w, a))
    if (hit) found.push([w.name, hit.name])
  }
  return found
}
