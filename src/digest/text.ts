/**
 * Text as the digest shows it: the invisible characters it removes and the whitespace it collapses,
 * one rule for the parsed feed, the topic file and every rendered page.
 */

/**
 * Invisible format characters: bidi embeddings, overrides and isolates (a U+202E in an author name
 * would reverse the rest of the line, links included), zero-width spaces and joiners, the BOM.
 */
export const FORMAT_CHARACTERS = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g

/** Whitespace other than a lone space: what {@link clean} replaces (a lone space is left alone). */
const WHITESPACE_RUN = /[^\S ]\s*| \s+/g

/** `text` with runs of whitespace as one space, trimmed: what pages, feeds and the dashboard show. */
export function clean(text: string): string {
  // Paper text was collapsed when parsed: usually only the trim is left, and a lone space is never
  // replaced by itself.
  return text.replace(WHITESPACE_RUN, ' ').trim()
}

/**
 * The items of `list` cleaned, the empty ones left out: author names and categories as shown. A loop
 * rather than `map` then `filter`: this runs for every paper shown, and code that reads arrays made by
 * `map` is compiled again whenever the engine hands it one of another internal kind.
 */
export function cleanList(list: readonly string[]): string[] {
  const out: string[] = []
  for (const item of list) {
    const cleaned = clean(item)
    if (cleaned !== '') out.push(cleaned)
  }
  return out
}
