/**
 * The reference pages (copied into __fixtures__/seed/reference) as our renderer must reproduce
 * them: the reference text with exactly the intended differences applied.
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

/** The files a first run on the seed corpus writes (output-dir `digests`, index `README.md`), sorted. */
export const SEED_FILES = [
  'README.md',
  'digests/feeds/vla.json',
  'digests/feeds/vla.xml',
  'digests/feeds/world_models.json',
  'digests/feeds/world_models.xml',
  'digests/latest.md',
  'digests/state/vla/2026-02.json',
  'digests/state/world_models/2026-02.json',
  'digests/vla.md',
  'digests/world_models.md'
]

export type SeedTopic = 'vla' | 'world_models'

/**
 * New lines the reference did not have, per page and paper (by the versioned id of its arXiv
 * link): why the paper surfaced (the match of `examples/topics.yml`, keywords spelled alike named
 * once) and the other topic that selects it, inserted under the meta line, before **Links:**.
 */
export const WHY: Record<SeedTopic, Record<string, string>> = {
  vla: {
    '2602.12099v1':
      'keyword "VLA" in title and abstract, keyword "vision-language-action" in abstract | **Also in:** [World Models](world_models.md)',
    '2602.12063v1':
      'keyword "VLA" in abstract, keyword "vision-language-action" in title and abstract | **Also in:** [World Models](world_models.md)',
    '2602.11598v1': 'keyword "VLA" in title and abstract, keyword "vision-language-action" in abstract',
    '2602.11075v1':
      'keyword "VLA" in abstract, keyword "vision-language-action" in abstract | **Also in:** [World Models](world_models.md)',
    '2602.11236v1': 'keyword "VLA" in title',
    '2602.10983v2':
      'keyword "VLA" in abstract, keyword "vision-language-action" in abstract | **Also in:** [World Models](world_models.md)',
    '2602.10556v1': 'keyword "VLA" in abstract, keyword "vision-language-action" in abstract',
    '2602.12281v1': 'keyword "VLA" in abstract, keyword "vision-language-action" in title and abstract',
    '2602.12062v1': 'keyword "VLA" in abstract, keyword "vision-language-action" in abstract',
    '2602.11934v1': 'keyword "VLA" in abstract',
    '2602.11832v1': 'keyword "VLA" in title and abstract, keyword "vision-language-action" in abstract',
    '2602.12032v1': 'keyword "VLA" in abstract, keyword "vision-language-action" in abstract',
    '2602.11291v1':
      'keyword "vision-language-action" in abstract | **Also in:** [World Models](world_models.md)',
    '2602.10980v1': 'keyword "VLA" in abstract, keyword "vision-language-action" in title',
    '2602.10719v1': 'keyword "VLA" in abstract, keyword "vision-language-action" in abstract',
    '2602.10698v1': 'keyword "VLA" in abstract, keyword "vision-language-action" in title and abstract',
    '2602.10503v1': 'keyword "VLA" in title and abstract'
  },
  world_models: {
    '2602.12215v1': 'keyword "world model" in abstract',
    '2602.12099v1':
      'keyword "world model" in title and abstract | **Also in:** [Vision-Language-Action Models](vla.md)',
    '2602.12063v1':
      'keyword "world model" in title and abstract | **Also in:** [Vision-Language-Action Models](vla.md)',
    '2602.11978v1': 'keyword "world model" in abstract',
    '2602.11882v1': 'keyword "world model" in title and abstract',
    '2602.11758v1': 'keyword "world model" in title and abstract',
    '2602.11389v1': 'keyword "world model" in title and abstract',
    '2602.11075v1':
      'keyword "world model" in title and abstract | **Also in:** [Vision-Language-Action Models](vla.md)',
    '2602.10983v2':
      'keyword "world model" in title and abstract | **Also in:** [Vision-Language-Action Models](vla.md)',
    '2602.10884v1': 'keyword "world model" in title and abstract',
    '2602.12218v1': 'keyword "world model" in title and abstract',
    '2602.11541v1': 'keyword "world model" in abstract',
    '2602.11291v1':
      'keyword "world model" in title and abstract | **Also in:** [Vision-Language-Action Models](vla.md)',
    '2602.11021v1': 'keyword "world model" in title and abstract',
    '2602.10717v1': 'keyword "world model" in title and abstract',
    '2602.10390v1': 'keyword "world model" in abstract'
  }
}

/** New on each topic page: its feeds, after the link home. */
export function feedLinks(id: SeedTopic): [from: string, to: string] {
  return [
    '[Back to Home](../README.md)\n',
    `[Back to Home](../README.md) | Follow: [Atom feed](feeds/${id}.xml) | [JSON Feed](feeds/${id}.json)\n`
  ]
}

/** The place a paper's Why line goes: before its **Links:** line. */
export function linksLine(versionedId: string): string {
  return `\n\n**Links:** [arXiv](https://arxiv.org/abs/${versionedId})`
}

/** The reference text of page `id` with every intended difference applied. */
export function expectedPage(reference: string, id: SeedTopic): string {
  let text = reference
  for (const [from, to] of [...INTENDED, feedLinks(id)]) text = text.split(from).join(to)
  for (const [versionedId, why] of Object.entries(WHY[id])) {
    const at = linksLine(versionedId)
    text = text.split(at).join(`\n\n**Why:** ${why}${at}`)
  }
  return text
}

/** The expected page for a reference topic (`vla` or `world_models`). */
export async function expectedSeedPage(id: SeedTopic): Promise<string> {
  return expectedPage(await readFile(`__fixtures__/seed/reference/${id}-2026-02-13.md`, 'utf8'), id)
}
