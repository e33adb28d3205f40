/**
 * The repository as a branch read through the GitHub REST API, for the action: one recursive tree
 * listing per branch, file contents fetched on demand (one REST request per file) or ahead of time
 * in batches through GraphQL (`prefetch`). No checkout, no git.
 */
import { createHash } from 'node:crypto'
import { readBlobs, restBlobText } from './blobs.js'
import type { Octokit } from './client.js'
import {
  ActionableError,
  baseMissingError,
  emptyRepositoryError,
  refused,
  repositoryMissingError,
  throwIfNotAccessible
} from './errors.js'
import type { BranchHead, StartingRefs } from './refs.js'
import type { RepoReader } from '../digest/repo.js'

/** Which repository. */
export interface RepoRef {
  owner: string
  repo: string
}

/** One entry of a recursive tree listing. */
export interface TreeItem {
  path: string
  /** `100644`, `100755`, `040000`, `160000` or `120000`, as the API spells it. */
  mode: string
  type: 'blob' | 'tree' | 'commit'
  sha: string
  /** Bytes, for blobs (the REST listing gives it). */
  size?: number
}

/**
 * One branch, read at its head when it was opened. It is also a `RepoReader`, so the pipeline can
 * read the digest's state from it like from a folder.
 */
export interface GitHubBranch extends RepoReader, BranchHead {
  owner: string
  repo: string
  /** File paths (blobs, symlinks, submodules), sorted; with `prefix`, only those inside that folder. */
  paths(prefix?: string): string[]
  /** The git blob SHA of a file, or undefined if there is no such file. */
  blobSha(path: string): string | undefined
  /** A file's text (UTF-8), or undefined if there is no such file. Fetched once, then cached. */
  readFile(path: string): Promise<string | undefined>
  /**
   * Fetches the files among `paths` not fetched yet in as few GraphQL requests as possible (see
   * `blobs.ts`), so that `readFile`/`read` of them need no request. Paths that are not
   * files of the branch are ignored. Rejects when a request fails; none of these files is cached
   * then, so a later read fetches it again.
   */
  prefetch(paths: readonly string[]): Promise<void>
  /** Every entry of the tree listing, folders included (for computing trees locally). */
  entries(): readonly TreeItem[]
}

/** The git object id of a file with this content: SHA-1 of `blob <length>\0<bytes>`. */
export function gitBlobSha(content: string | Uint8Array): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content)
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

/**
 * The SHA of the tree GitHub would build from `entries` (a full recursive listing) with `files`
 * written as regular files, computed locally the way git does. Lets a run see that it would
 * produce exactly the tree a branch already has, without creating any object on GitHub.
 */
export function treeShaWith(entries: readonly TreeItem[], files: ReadonlyMap<string, string>): string {
  interface Dir {
    leaves: Map<string, { mode: string; sha: string }>
    dirs: Map<string, Dir>
  }
  const root: Dir = { leaves: new Map(), dirs: new Map() }
  const dirOf = (parts: string[]): Dir => {
    let dir = root
    for (const part of parts) {
      let next = dir.dirs.get(part)
      if (!next) dir.dirs.set(part, (next = { leaves: new Map(), dirs: new Map() }))
      dir = next
    }
    return dir
  }
  const put = (path: string, mode: string, sha: string): void => {
    const parts = path.split('/')
    const dir = dirOf(parts.slice(0, -1))
    dir.dirs.delete(parts[parts.length - 1])
    dir.leaves.set(parts[parts.length - 1], { mode, sha })
  }
  for (const e of entries) if (e.type !== 'tree') put(e.path, e.mode, e.sha)
  for (const [path, content] of files) put(path, '100644', gitBlobSha(content))
  const hash = (dir: Dir): string => {
    const items: Array<{ key: Buffer; head: Buffer; sha: string }> = []
    for (const [name, leaf] of dir.leaves) {
      items.push({ key: Buffer.from(name), head: Buffer.from(`${leaf.mode} ${name}\0`), sha: leaf.sha })
    }
    for (const [name, sub] of dir.dirs) {
      // Git sorts a folder as if its name ended in "/", and writes its mode without the leading zero.
      items.push({ key: Buffer.from(`${name}/`), head: Buffer.from(`40000 ${name}\0`), sha: hash(sub) })
    }
    items.sort((a, b) => Buffer.compare(a.key, b.key))
    const body = Buffer.concat(items.flatMap(i => [i.head, Buffer.from(i.sha, 'hex')]))
    return createHash('sha1').update(`tree ${body.length}\0`).update(body).digest('hex')
  }
  return hash(root)
}

/** Branch names may contain "/"; Octokit encodes it as %2F, which GitHub accepts. */
async function getBranch(
  octokit: Octokit,
  { owner, repo, branch }: RepoRef & { branch: string }
): Promise<BranchHead | undefined> {
  try {
    const { data } = await octokit.rest.repos.getBranch({ owner, repo, branch })
    return {
      name: data.name,
      commitSha: data.commit.sha,
      // A commit's base_tree is a tree SHA, not the commit's own SHA (docs/github.md).
      treeSha: data.commit.commit.tree.sha,
      parents: data.commit.parents.map(p => p.sha),
      message: data.commit.commit.message
    }
  } catch (error) {
    if (refused(error, 'not-found')) return undefined
    throwIfNotAccessible(error, `reading the branch "${branch}"`, { owner, repo })
    throw error
  }
}

type TreeListing = Awaited<ReturnType<Octokit['rest']['git']['getTree']>>

/**
 * Trees and blobs already fetched through a client. Git objects are addressed by their content, so
 * one cache per repository serves every branch: the base and the digest branch share most files.
 */
interface ObjectCache {
  trees: Map<string, Promise<TreeListing>>
  blobs: Map<string, Promise<string>>
  /** Blobs asked for by prefetches of this turn of the event loop, read together in one batch. */
  queued?: { items: Map<string, TreeItem>; texts: Promise<Map<string, string>> }
}

/**
 * Queues `items` for the next batched read of this repository's blobs: prefetches started
 * together (the base's and the digest branch's) share their GraphQL requests.
 */
function enqueueBlobs(
  cache: ObjectCache,
  octokit: Octokit,
  where: RepoRef,
  items: TreeItem[]
): Promise<Map<string, string>> {
  if (!cache.queued) {
    const items = new Map<string, TreeItem>()
    const texts = new Promise(resolve => setImmediate(resolve)).then(() => {
      cache.queued = undefined
      const sizes = new Map<string, number>()
      for (const [sha, item] of items) if (item.size !== undefined) sizes.set(sha, item.size)
      return readBlobs(octokit, where, [...items.keys()], {
        sizes,
        paths: new Map([...items].map(([sha, item]) => [sha, item.path]))
      })
    })
    cache.queued = { items, texts }
  }
  for (const item of items) cache.queued.items.set(item.sha, item)
  return cache.queued.texts
}

const objectCaches = new WeakMap<Octokit, Map<string, ObjectCache>>()

function cacheOf(octokit: Octokit, owner: string, repo: string): ObjectCache {
  let byRepo = objectCaches.get(octokit)
  if (!byRepo) objectCaches.set(octokit, (byRepo = new Map()))
  let cache = byRepo.get(`${owner}/${repo}`)
  if (!cache) byRepo.set(`${owner}/${repo}`, (cache = { trees: new Map(), blobs: new Map() }))
  return cache
}

/**
 * Opens a branch for reading: its head (one request, unless `known` is its head as already read)
 * and its whole file list (one recursive tree request). Undefined when the branch does not exist.
 */
export async function openBranch(
  octokit: Octokit,
  where: RepoRef & { branch: string },
  known?: { head?: BranchHead }
): Promise<GitHubBranch | undefined> {
  const { owner, repo, branch } = where
  const head = known ? known.head : await getBranch(octokit, where)
  if (!head) return undefined
  const cache = cacheOf(octokit, owner, repo)
  let listing
  try {
    let pending = cache.trees.get(head.treeSha)
    if (!pending) {
      pending = octokit.rest.git.getTree({ owner, repo, tree_sha: head.treeSha, recursive: 'true' })
      pending.catch(() => cache.trees.delete(head.treeSha))
      cache.trees.set(head.treeSha, pending)
    }
    listing = await pending
  } catch (error) {
    if (refused(error, 'empty-repository')) throw emptyRepositoryError(owner, repo, error)
    throwIfNotAccessible(error, `reading the branch "${branch}"`, { owner, repo })
    throw error
  }
  if (listing.data.truncated) {
    throw new ActionableError(
      'tree-too-large',
      `The branch "${branch}" of ${owner}/${repo} has more files than GitHub lists in one recursive tree ` +
        '(100,000 entries or 7 MB), so the digest cannot see all of its files. Publish the digest from a ' +
        'smaller repository or branch.'
    )
  }
  const items: TreeItem[] = listing.data.tree.map(e => ({
    path: e.path!,
    mode: e.mode!,
    type: e.type as TreeItem['type'],
    sha: e.sha!,
    ...(e.type === 'blob' && typeof e.size === 'number' ? { size: e.size } : {})
  }))
  const files = new Map(items.filter(e => e.type !== 'tree').map(e => [e.path, e]))
  const sortedPaths = [...files.keys()].sort()

  const readFile = async (path: string): Promise<string | undefined> => {
    const item = files.get(path)
    if (!item || item.type !== 'blob') return undefined
    let text = cache.blobs.get(item.sha)
    if (!text) {
      text = restBlobText(octokit, { owner, repo }, item.sha)
      // A failed fetch is not cached, so a later call can try again.
      text.catch(() => cache.blobs.delete(item.sha))
      cache.blobs.set(item.sha, text)
    }
    return text
  }
  const prefetch = async (wanted: readonly string[]): Promise<void> => {
    const todo = new Map<string, TreeItem>()
    for (const path of wanted) {
      const item = files.get(path)
      if (item?.type === 'blob' && !cache.blobs.has(item.sha)) todo.set(item.sha, item)
    }
    if (todo.size === 0) return
    const batch = enqueueBlobs(cache, octokit, { owner, repo }, [...todo.values()])
    // Each blob is cached at once, so that a read while the batch is in flight waits for it.
    for (const sha of todo.keys()) {
      const text = batch.then(texts => texts.get(sha)!)
      text.catch(() => cache.blobs.get(sha) === text && cache.blobs.delete(sha))
      cache.blobs.set(sha, text)
    }
    await batch
  }
  const paths = (prefix?: string): string[] => {
    const dir = (prefix ?? '').replace(/\/+$/, '')
    if (dir === '' || dir === '.') return [...sortedPaths]
    return sortedPaths.filter(p => p.startsWith(`${dir}/`))
  }
  return {
    ...head,
    owner,
    repo,
    paths,
    blobSha: path => files.get(path)?.sha,
    readFile,
    prefetch,
    entries: () => items,
    list: async dir => paths(dir),
    read: readFile
  }
}

/**
 * The repository's default branch (`GET /repos/{owner}/{repo}`). The action can usually take it
 * from the event payload instead and save this request.
 */
export async function defaultBranch(octokit: Octokit, { owner, repo }: RepoRef): Promise<string> {
  try {
    return (await octokit.rest.repos.get({ owner, repo })).data.default_branch
  } catch (error) {
    if (refused(error, 'not-found')) throw repositoryMissingError(owner, repo, error)
    throwIfNotAccessible(error, 'reading the repository', { owner, repo })
    throw error
  }
}

/**
 * Opens the branch the digest builds on: `base`, or the default branch when `base` is empty. With
 * `known` (the refs as read at the start), the head and the default branch come from there.
 * A branch that does not exist is an error saying which; an empty repository (no commit at all)
 * is told apart by the 409 GitHub answers for its history.
 */
export async function openBase(
  octokit: Octokit,
  { owner, repo, base }: RepoRef & { base?: string },
  known?: StartingRefs
): Promise<GitHubBranch> {
  const name = known ? known.baseName : base?.trim() || (await defaultBranch(octokit, { owner, repo }))
  const branch = await openBranch(octokit, { owner, repo, branch: name }, known && { head: known.base })
  if (branch) return branch
  if (known ? known.isEmpty || name === '' : await isEmptyRepository(octokit, { owner, repo }))
    throw emptyRepositoryError(owner, repo)
  throw baseMissingError(owner, repo, name, Boolean(base?.trim()))
}

async function isEmptyRepository(octokit: Octokit, { owner, repo }: RepoRef): Promise<boolean> {
  try {
    await octokit.rest.repos.listCommits({ owner, repo, per_page: 1 })
    return false
  } catch (error) {
    if (refused(error, 'empty-repository')) return true
    throw error
  }
}
