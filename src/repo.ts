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
   * Reads these files ahead, in as few requests as the reader can, so that `read` finds them
   * ready. Optional: a folder has nothing to gain. Paths that do not exist are ignored.
   */
  prefetch?(paths: string[]): Promise<void>
  /** The git blob SHA of a file, when the reader knows it without reading (a branch's tree does). */
  blobSha?(path: string): string | undefined
}

/** A reader of an empty repository: no files at all. */
export const EMPTY_REPO: RepoReader = {
  list: async () => [],
  read: async () => undefined
}
