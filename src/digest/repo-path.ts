/**
 * The one path policy: which repository paths the digest may write. Applied to the configuration
 * before any request (naming the field) and again to every file before it is published.
 *
 * A path is taken apart into segments after dropping empty and "." segments ("a//b", "./a/./b"
 * are "a/b"), so that no spelling gets around a rule. Refused: absolute paths, backslashes, ".."
 * segments, anything inside ".git" or under ".github/workflows" (in any letter case: Windows and
 * macOS file systems fold case), and names Windows reserves for devices (CON, PRN, AUX, NUL,
 * COM1–COM9, LPT1–LPT9, with or without an extension, in any case), which would make the
 * repository impossible to check out on Windows.
 */

const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i

/** The path with empty and "." segments dropped ("." for the root). */
export function normalizeRepoPath(path: string): string {
  const parts = path
    .trim()
    .split('/')
    .filter(p => p !== '' && p !== '.')
  return parts.length === 0 ? '.' : parts.join('/')
}

/** Why the digest may not write `path`, or undefined when it may. */
export function repoPathProblem(path: string): string | undefined {
  const raw = path.trim()
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
  return undefined
}
