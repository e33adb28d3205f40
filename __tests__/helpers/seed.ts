/**
 * The reference pages (copied from ../shared/seed) as our renderer must reproduce them: the
 * reference text with exactly the intended differences applied.
 */
import { readFile } from 'node:fs/promises'

/**
 * The intended differences from the reference, as exact substitutions on its text:
 * repaired defects first, then each place where escaping changes arXiv text.
 */
export const INTENDED: [from: string, to: string][] = [
  // Defect: the LaTeX link in VISTA's comment was printed raw; the link extractor unwraps it.
  [
    '[Project Page](\\href{https://vista-wm.github.io/}{https://vista-wm.github.io})',
    '[Project Page](https://vista-wm.github.io/)'
  ],
  // Defect: a stray space before an author name.
  ['**Authors:**  GigaBrain Team', '**Authors:** GigaBrain Team'],
  // Escaping: `*` would start emphasis (title and abstract).
  ['GigaBrain-0.5M*', 'GigaBrain-0.5M\\*'],
  // Escaping: TeX quotes ``…'' would open code spans.
  ["``Grand Unification''", "\\`\\`Grand Unification''"],
  ["``Brain-Action''", "\\`\\`Brain-Action''"],
  ['``pre-train then post', '\\`\\`pre-train then post'],
  // Escaping: `~` can start strikethrough.
  ['intents~\\citep', 'intents\\~\\citep']
]

/** The reference text with every intended difference applied. */
export function expectedPage(reference: string): string {
  let text = reference
  for (const [from, to] of INTENDED) text = text.split(from).join(to)
  return text
}

/** The expected page for a reference topic (`vla` or `world_models`). */
export async function expectedSeedPage(id: 'vla' | 'world_models'): Promise<string> {
  return expectedPage(await readFile(`__fixtures__/seed/reference/${id}-2026-02-13.md`, 'utf8'))
}
