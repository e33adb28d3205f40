/**
 * The repository as a folder on disk, for the CLI: reading state and writing pages.
 *
 * Files are read and written with the synchronous calls: the CLI has nothing else to do meanwhile,
 * and fs/promises' readFile and writeFile cost several times the CPU (they go through the thread
 * pool in chunks): for the benchmark's 400 files and 78 MB, about 300 ms against 80 ms.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { readdir, rename, rm } from 'node:fs/promises'
import { dirname, join, posix, relative, sep } from 'node:path'
import type { RepoReader } from '../digest/repo.js'

/** A RepoReader over the folder `root`. */
export function folderReader(root: string): RepoReader {
  return {
    async list(dir) {
      try {
        const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true })
        return entries
          .filter(e => e.isFile())
          .map(e => relative(root, join(e.parentPath, e.name)).split(sep).join(posix.sep))
          .sort()
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
        throw error
      }
    },
    async read(path) {
      try {
        return readFileSync(join(root, path), 'utf8')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw error
      }
    },
    // Files on disk are read when asked for: nothing to gain from reading ahead.
    async prefetch() {}
  }
}

/** Files of a run, staged under a folder as the run renders them: see {@link stageFiles}. */
export interface StagedFiles {
  /** Takes one file: staged if it differs from what the folder holds, else left alone. */
  write(path: string, text: string): Promise<void>
  /** The paths staged so far, sorted. */
  changed(): string[]
  /** Moves every staged file into place. */
  commit(): Promise<void>
  /** Removes whatever was staged (after `commit`, nothing). */
  discard(): Promise<void>
}

/**
 * Stages a run's files under `root` as they are rendered, so that none has to be held in memory
 * to the end of the run: each one whose content differs from what `reader` holds is written to a
 * temporary name beside its target, and `commit` renames them all into place, so an interrupted
 * or failed run never leaves a half-written page or state file. `dryRun`: only the paths are kept.
 */
export function stageFiles(root: string, reader: RepoReader, dryRun = false): StagedFiles {
  const staged = new Set<string>()
  // Folders this run created for its temporary files, removed again by `discard`.
  const created: string[] = []
  const temp = (path: string) => `${join(root, path)}.${process.pid}.tmp`
  const changed = () => [...staged].sort()
  return {
    async write(path, text) {
      if ((await reader.read(path)) === text) {
        // A file handed over again, now as it was: no longer a change.
        if (staged.delete(path) && !dryRun) await rm(temp(path), { force: true })
        return
      }
      if (!dryRun) {
        const made = mkdirSync(dirname(join(root, path)), { recursive: true })
        if (made !== undefined) created.push(made)
        writeFileSync(temp(path), text, 'utf8')
      }
      staged.add(path)
    },
    changed,
    async commit() {
      if (!dryRun) for (const path of changed()) await rename(temp(path), join(root, path))
      staged.clear()
      created.length = 0
    },
    async discard() {
      if (!dryRun) for (const path of staged) await rm(temp(path), { force: true })
      for (const dir of created.reverse()) await rm(dir, { recursive: true, force: true })
      staged.clear()
      created.length = 0
    }
  }
}
