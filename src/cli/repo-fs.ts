/**
 * The repository as a folder on disk, for the CLI: reading state and writing pages.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
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
        return await readFile(join(root, path), 'utf8')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw error
      }
    },
    // Files on disk are read when asked for: nothing to gain from reading ahead.
    async prefetch() {}
  }
}

/**
 * The files whose content differs from what `reader` holds (new files included), sorted by path.
 */
export async function changedFiles(files: Map<string, string>, reader: RepoReader): Promise<string[]> {
  const changed: string[] = []
  for (const [path, content] of files) if ((await reader.read(path)) !== content) changed.push(path)
  return changed.sort()
}

/**
 * Writes `paths` (taken from `files`) under `root`. Each file is written to a temporary name and
 * renamed into place, so an interrupted run never leaves a half-written page or state file.
 */
export async function writeFiles(root: string, files: Map<string, string>, paths: string[]): Promise<void> {
  for (const path of paths) {
    const target = join(root, path)
    await mkdir(dirname(target), { recursive: true })
    const temp = `${target}.${process.pid}.tmp`
    await writeFile(temp, files.get(path)!, 'utf8')
    await rename(temp, target)
  }
}
