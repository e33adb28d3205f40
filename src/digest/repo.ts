/**
 * Where the digest reads the user's repository from. The CLI reads a folder; the action reads a
 * branch through the GitHub API. Everything else in the pipeline is the same for both.
 */

/** Read access to one version of the repository (paths are repository-relative, POSIX). */
export interface RepoReader {
  /** Every file path below `dir` (recursively), repository-relative. */
  list(dir: string): Promise<string[]>
  /** A file's text, or undefined if there is no such file. */
  read(path: string): Promise<string | undefined>
  /**
   * A hint that `paths` are about to be read: a reader that fetches files over the network reads
   * them ahead in as few requests as it can; paths that do not exist are ignored. Optional; a
   * folder has nothing to gain from it.
   */
  prefetch?(paths: readonly string[]): Promise<void>
  /** The git blob SHA of a file, when the reader knows it without reading (a branch's tree does). */
  blobSha?(path: string): string | undefined
}

/** A reader of an empty repository: no files at all. */
export const EMPTY_REPO: RepoReader = {
  list: async () => [],
  read: async () => undefined
}
