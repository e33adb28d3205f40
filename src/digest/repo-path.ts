/**
 * The one path policy: which repository paths the digest may write. Applied to the configuration
 * before any request (config.ts, naming the field) and again to every file before it is published
 * (publish.ts, which throws `RepoPathError`).
 *
 * A path is taken apart into segments after dropping empty and "." segments ("a//b", "./a/./b"
 * are "a/b"), so that no spelling gets around a rule. Refused: absolute paths, backslashes, ".."
 * segments, anything inside ".git" or under ".github/workflows" (in any letter case: Windows and
 * macOS file systems fold case), and names Windows reserves for devices (CON, PRN, AUX, NUL,
 * COM1–COM9, LPT1–LPT9, with or without an extension, in any case), which would make the
 * repository impossible to check out on Windows.
 */
import { UserError } from './user-error.js'

const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i

/** The path with empty and "." segments dropped ("." for the root). */
export function normalizeRepoPath(path: string): string {
  const parts = path
    .trim()
    .split('/')
    .filter(p => p !== '' && p !== '.')
  return parts.length === 0 ? '.' : parts.join('/')
}

/** A path the policy refuses. */
export class RepoPathError extends UserError {
  override name = 'RepoPathError'
}

/**
 * What a path names: a `file` (it must name something), a `folder` (the repository root, "" or ".",
 * allowed), or a file `exact`ly as it goes into a git tree (which must name files exactly, so a
 * path not already in normal form is refused too).
 */
export type PathUse = 'file' | 'folder' | 'exact'

/** Why the digest may not write `path` (used as `use`), or undefined when it may. */
export function repoPathProblem(path: string, use: PathUse = 'file'): string | undefined {
  const raw = path.trim()
  // The root: a folder the configuration may name ("", "." or "/"), never a file.
  if (use !== 'exact' && normalizeRepoPath(raw) === '.') return use === 'folder' ? undefined : 'is empty'
  if (raw === '') return 'is empty'
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw))
    return 'is absolute; give a path relative to the repository root'
  if (raw.includes('\\')) return 'contains a backslash; separate folders with "/"'
  const parts = normalizeRepoPath(raw).split('/')
  if (parts.includes('..')) return 'contains ".."; give a path inside the repository'
  const lower = parts.map(p => p.toLowerCase())
  if (lower.includes('.git')) return 'lies inside .git'
  if (lower[0] === '.github' && lower[1] === 'workflows')
    return 'lies under .github/workflows, which the action never writes'
  const reserved = parts.find(p => RESERVED.test(p))
  if (reserved)
    return `uses "${reserved}", a name Windows reserves for a device (the repository could not be checked out there)`
  if (use === 'exact' && normalizeRepoPath(path) !== path) return 'contains an empty, "." or ".." segment'
  return undefined
}
