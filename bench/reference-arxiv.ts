/**
 * The fake arXiv serving the reference pages' papers, and the "now" that renders the reference
 * pages from them: shared by `npm run fake-arxiv` and `npm run demo`.
 */
import { readFile } from 'node:fs/promises'
import { startFakeArxiv, type FakeArxiv } from '../test-support/fake-arxiv.js'
import type { Paper } from '../src/digest/types.js'

/** SOURCE_DATE_EPOCH of the reference pages (2026-02-13 22:23 UTC): their papers are in its window. */
export const REFERENCE_EPOCH = 1771021380

/** The reference pages' papers (submitted 2026-02-11 and 12), served on 127.0.0.1. */
export async function startReferenceArxiv(): Promise<{ arxiv: FakeArxiv; papers: number }> {
  const corpus = JSON.parse(await readFile('__fixtures__/seed/papers.json', 'utf8')) as Paper[]
  return { arxiv: await startFakeArxiv({ corpus }), papers: corpus.length }
}
