/**
 * Where every generated file lives, relative to the repository root (POSIX separators).
 * The one place that knows the layout, so pages, links between them and state agree.
 */
import { posix } from 'node:path'

/** The options that decide the layout. */
export interface LayoutOptions {
  outputDir: string
  indexFile: string
}

/** `<output-dir>/<topic>.md` */
export function topicPagePath(o: LayoutOptions, topicId: string): string {
  return posix.join(o.outputDir, `${topicId}.md`)
}

/** `<output-dir>/archive/<topic>/<YYYY-MM>.md` */
export function archivePagePath(o: LayoutOptions, topicId: string, month: string): string {
  return posix.join(o.outputDir, 'archive', topicId, `${month}.md`)
}

/** `<output-dir>/latest.md`: the papers of the most recent batch, all topics. */
export function latestPagePath(o: LayoutOptions): string {
  return posix.join(o.outputDir, 'latest.md')
}

/** `<output-dir>/feeds/<topic>.xml` (Atom) or `.json` (JSON Feed). */
export function feedPath(o: LayoutOptions, topicId: string, format: 'atom' | 'json'): string {
  return posix.join(o.outputDir, 'feeds', `${topicId}.${format === 'atom' ? 'xml' : 'json'}`)
}

/** `<output-dir>/state/<topic>/` : the folder of a topic's state shards. */
export function stateDir(o: LayoutOptions, topicId: string): string {
  return posix.join(o.outputDir, 'state', topicId)
}

/** `<output-dir>/state/<topic>/<YYYY-MM>.json` : papers first seen in that month. */
export function stateShardPath(o: LayoutOptions, topicId: string, month: string): string {
  return posix.join(stateDir(o, topicId), `${month}.json`)
}

/** The dashboard's files under `<site-dir>`: the page, the topic list it loads, one data file per topic. */
export function siteLayout(siteDir: string): { page: string; manifest: string; data: string } {
  return {
    page: posix.join(siteDir, 'index.html'),
    manifest: posix.join(siteDir, 'topics.json'),
    data: posix.join(siteDir, 'data')
  }
}

/** `<site-dir>/data/<topic>.json` : every paper a topic lists, for the dashboard. */
export function siteDataPath(siteDir: string, topicId: string): string {
  return posix.join(siteLayout(siteDir).data, `${topicId}.json`)
}

/** A relative link from the file at `fromFile` to the file at `toFile` (both repository-relative). */
export function relativeLink(fromFile: string, toFile: string): string {
  return posix.relative(posix.dirname(fromFile), toFile)
}

/** `YYYY-MM` of an ISO 8601 UTC time. */
export function monthOf(isoTime: string): string {
  return isoTime.slice(0, 7)
}

/** Where the repository's files can be viewed, when known (the action knows; the CLI does not). */
export interface RepositoryLocation {
  /** The repository's web address, e.g. `https://github.com/lab/papers`. */
  url: string
  /** The branch the digest is merged into. */
  branch: string
}

/** `https://github.com/lab/papers/blob/main/digests/vla.md` (`raw` for the file itself). */
export function fileUrl(repository: RepositoryLocation, kind: 'blob' | 'raw', path: string): string {
  const segments = [...repository.branch.split('/'), ...path.split('/')].map(encodeURIComponent)
  return `${repository.url.replace(/\/+$/, '')}/${kind}/${segments.join('/')}`
}

/** A paper's abstract page on arXiv, for an id with or without its version (`2602.12099v1`). */
export function arxivAbsUrl(id: string): string {
  return `https://arxiv.org/abs/${id}`
}

/** A paper's PDF on arXiv, for a versioned id. */
export function arxivPdfUrl(versionedId: string): string {
  return `https://arxiv.org/pdf/${versionedId}.pdf`
}
