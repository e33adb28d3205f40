/** A folder's files as tests compare them before and after a run. */
import { readdir, readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'

/** Every file under `dir`, POSIX path → content. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    files.set(relative(dir, path).split(sep).join('/'), await readFile(path, 'utf8'))
  }
  return files
}

/** The paths added, removed or changed between two snapshots, sorted. */
export function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()])
  return [...paths].filter(p => before.get(p) !== after.get(p)).sort()
}
