/**
 * The one definition of "word" and "plural form" shared by query planning (what we ask arXiv for)
 * and local matching (what we accept), so that the query always asks for a superset of what matches.
 */

const WORD = /[\p{L}\p{N}]+/gu

/**
 * Splits text into lowercase words. Hyphens, spaces and punctuation all separate words, so
 * "Vision-Language-Action" and "vision language action" give the same words. Linear time.
 */
export function words(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(WORD) ?? []
}

/**
 * True if `code`, a character code of lowercase ASCII text, is part of a word (`a`–`z`, `0`–`9`). For
 * a text that is all ASCII, `words(text)` are exactly the longest runs of such codes in
 * `text.toLowerCase()`: NFKC maps every ASCII character to itself, lowercasing ASCII gives ASCII, and
 * the only ASCII letters and digits are A–Z, a–z and 0–9. So such a text can be split by character
 * codes, without a string per word (the matcher does).
 */
export function isAsciiWordCode(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39)
}

/**
 * The singular and plural forms of one lowercase word, the word itself first:
 * model → [model, models]; models → [models, model]; policy → [policy, policies];
 * policies → [policies, policy]; box → [box, boxes]; vla → [vla, vlas].
 * Over-generating is harmless (the forms are only compared with real words).
 */
export function wordForms(word: string): string[] {
  const forms = new Set<string>([word])
  if (word.length < 2 || /\d$/.test(word)) return [...forms]
  if (word.endsWith('ies') && word.length > 4) forms.add(word.slice(0, -3) + 'y')
  if (word.endsWith('es') && word.length > 3) forms.add(word.slice(0, -2))
  if (word.endsWith('s') && !word.endsWith('ss') && word.length > 3) forms.add(word.slice(0, -1))
  if (!word.endsWith('s') || word.endsWith('ss')) {
    if (/[^aeiou]y$/.test(word)) forms.add(word.slice(0, -1) + 'ies')
    if (/(s|x|z|ch|sh)$/.test(word)) forms.add(word + 'es')
    else forms.add(word + 's')
  }
  return [...forms]
}
