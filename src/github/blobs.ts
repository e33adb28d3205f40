/**
 * Many files of a repository read at once through GitHub's GraphQL API: one request fetches a
 * whole batch of blobs by their git object ids, where the REST API needs one request per blob.
 * This module owns the query, the batch sizes and the fallbacks; `repo.ts` decides which
 * blobs to read and caches them.
 *
 * Batch limits, from GitHub's documentation ("Rate limits and query limits for the GraphQL API")
 * and what it leaves open:
 * - The documented node limit (`first`/`last` between 1 and 100 on every connection, at most
 *   500,000 nodes per call) concerns connections. `repository.object(oid:)` is not a connection,
 *   so nothing documented caps how many aliased objects one query holds; 250 per request lets a
 *   quiet run of 100 topics read the newest shard of every topic (and the index) in one request,
 *   while the byte bound below keeps each answer small.
 * - GitHub stops a request that takes it more than 10 seconds ("We couldn't respond to your request
 *   in time"), and such timeouts count against the primary rate limit. Response size is what makes
 *   a blob query slow, so a request carries at most about 5 MB of text, estimated from the sizes the
 *   tree listing gives; without sizes only the count bounds a batch. A blob larger than that
 *   is read alone through the REST blob API (which serves blobs up to 100 MB).
 * - `Blob.text` can come back cut short, flagged by `isTruncated`. Where GitHub cuts is not
 *   documented (users report about 500 KB), so any truncated text, or a text missing for a blob
 *   that is not binary, is read again through REST. A binary blob is an error: the digest only
 *   reads text files.
 * - GraphQL points are charged per query from its connections' `first`/`last`; this query has
 *   none. `GITHUB_TOKEN` has 1,000 GraphQL points per hour per repository.
 *
 * Retries are the Octokit's: its retry plugin repeats 5xx answers (and GitHub's "Something went
 * wrong while executing your query", a timeout) and its throttling plugin waits out rate limits.
 * The throttling plugin paces GraphQL requests like writes, so batches go one after the other.
 */
import type { Octokit } from './client.js'
import { ActionableError, readError } from './errors.js'

/** At most this many blobs per GraphQL request (the default of `maxBlobs`). */
export const GRAPHQL_MAX_BLOBS = 250

/** At most this many estimated bytes of text per GraphQL request (the default of `maxBytes`). */
export const GRAPHQL_MAX_BYTES = 5 * 1024 * 1024

/** Options of `readBlobs`. */
export interface ReadBlobsOptions {
  /** Each blob's size in bytes where known (the tree listing has it), to size the batches. */
  sizes?: ReadonlyMap<string, number>
  /** A path for each blob where known, so that errors name files rather than SHAs. */
  paths?: ReadonlyMap<string, string>
  /** Blobs per request, default `GRAPHQL_MAX_BLOBS`. */
  maxBlobs?: number
  /** Estimated bytes per request, default `GRAPHQL_MAX_BYTES`. */
  maxBytes?: number
}

interface BlobAnswer {
  __typename: string
  oid?: string
  byteSize?: number
  isBinary?: boolean | null
  isTruncated?: boolean
  text?: string | null
}

type BlobsData = { repository: Record<string, BlobAnswer | null> | null }

/**
 * The text (UTF-8) of every blob in `shas`, keyed by SHA: batches of up to `maxBlobs` blobs and
 * about `maxBytes` bytes per GraphQL request, sent one after the other, and the REST blob API for
 * blobs GraphQL returns truncated or that are too large for a batch. Fails on the first request
 * that fails, with a message naming the files being read.
 */
export async function readBlobs(
  octokit: Octokit,
  where: { owner: string; repo: string },
  shas: readonly string[],
  options: ReadBlobsOptions = {}
): Promise<Map<string, string>> {
  const unique = [...new Set(shas)]
  for (const sha of unique) {
    if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(sha))
      throw new Error(`readBlobs: "${sha}" is not a git object id`)
  }
  const { batches, alone } = planBatches(
    unique,
    options.sizes ?? new Map(),
    options.maxBlobs ?? GRAPHQL_MAX_BLOBS,
    options.maxBytes ?? GRAPHQL_MAX_BYTES
  )
  const texts = new Map<string, string>()
  const viaRest = [...alone]
  for (const batch of batches) {
    for (const [sha, text] of await queryBatch(octokit, where, batch, options.paths)) {
      if (text === undefined) viaRest.push(sha)
      else texts.set(sha, text)
    }
  }
  for (const sha of viaRest) {
    const doing = `reading ${describe([sha], options.paths)} through the REST blob API`
    try {
      texts.set(sha, await restBlobText(octokit, where, sha))
    } catch (error) {
      throw readError(error, doing, where)
    }
  }
  return texts
}

/**
 * A blob's text through `GET /repos/{owner}/{repo}/git/blobs/{sha}` (one request), decoded as
 * UTF-8. Errors are Octokit's, unchanged, and an answer without content is an error.
 */
export async function restBlobText(
  octokit: Octokit,
  { owner, repo }: { owner: string; repo: string },
  sha: string
): Promise<string> {
  const { data } = await octokit.rest.git.getBlob({ owner, repo, file_sha: sha })
  // Octokit hands over the raw text when it cannot read or parse a body as JSON.
  if (typeof data?.content !== 'string') {
    const raw = data as unknown
    const got = typeof raw === 'string' ? `${raw.length} characters that are not JSON` : typeof raw
    throw new Error(`GitHub's answer for the blob ${sha} of ${owner}/${repo} has no content (got ${got}).`)
  }
  return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8')
}

/**
 * Splits `shas` (in order) into batches of at most `maxBlobs` blobs whose known sizes add up to at
 * most `maxBytes`; a blob larger than `maxBytes` on its own goes to `alone`.
 */
export function planBatches(
  shas: readonly string[],
  sizes: ReadonlyMap<string, number>,
  maxBlobs: number,
  maxBytes: number
): { batches: string[][]; alone: string[] } {
  const batches: string[][] = []
  const alone: string[] = []
  let current: string[] = []
  let bytes = 0
  for (const sha of shas) {
    const size = sizes.get(sha) ?? 0
    if (size > maxBytes) {
      alone.push(sha)
      continue
    }
    if (current.length > 0 && (current.length >= maxBlobs || bytes + size > maxBytes)) {
      batches.push(current)
      current = []
      bytes = 0
    }
    current.push(sha)
    bytes += size
  }
  if (current.length > 0) batches.push(current)
  return { batches, alone }
}

/** The query for `n` blobs: variables `$owner`, `$name` and `$o0`…; aliases `b0`…. */
export function blobsQuery(n: number): string {
  const variables = Array.from({ length: n }, (_, i) => `$o${i}: GitObjectID!`).join(', ')
  const objects = Array.from({ length: n }, (_, i) => `b${i}: object(oid: $o${i}) { __typename ...blob }`)
  return (
    `query readBlobs($owner: String!, $name: String!, ${variables}) {\n` +
    `  repository(owner: $owner, name: $name) {\n    ${objects.join('\n    ')}\n  }\n}\n` +
    'fragment blob on Blob { oid byteSize isBinary isTruncated text }\n'
  )
}

/** One GraphQL request; undefined text for a blob that must be read through REST. */
async function queryBatch(
  octokit: Octokit,
  where: { owner: string; repo: string },
  shas: string[],
  paths: ReadonlyMap<string, string> | undefined
): Promise<Map<string, string | undefined>> {
  const { owner, repo } = where
  const variables: Record<string, string> = { owner, name: repo }
  shas.forEach((sha, i) => (variables[`o${i}`] = sha))
  const doing = `reading ${describe(shas, paths)} through the GraphQL API`
  let data: BlobsData
  try {
    data = await octokit.graphql<BlobsData>(blobsQuery(shas.length), variables)
  } catch (error) {
    throw readError(error, doing, where)
  }
  if (!data?.repository) {
    throw new ActionableError(
      'github-request',
      `GitHub's GraphQL API returned no repository ${owner}/${repo} while ${doing}.`
    )
  }
  const texts = new Map<string, string | undefined>()
  shas.forEach((sha, i) => {
    const blob = data.repository![`b${i}`]
    const name = describe([sha], paths)
    if (!blob) {
      throw new ActionableError('github-request', `GitHub has no ${name} in ${owner}/${repo}.`)
    }
    if (blob.__typename !== 'Blob') {
      throw new ActionableError(
        'github-request',
        `The git object ${sha} in ${owner}/${repo} is a ${blob.__typename}, not a file's blob.`
      )
    }
    if (blob.isBinary === true) {
      throw new ActionableError(
        'binary-file',
        `The ${name} in ${owner}/${repo} is binary${paths?.has(sha) ? ` (git blob ${sha})` : ''}, but the digest reads only text ` +
          'files: its state, templates and configuration. Replace it with the text file it should be.'
      )
    }
    texts.set(sha, blob.isTruncated || typeof blob.text !== 'string' ? undefined : blob.text)
  })
  return texts
}

/** `3 files (a.json, b.json, c.json)`, `the file "a.json"`, or blob SHAs where no path is known. */
function describe(shas: string[], paths: ReadonlyMap<string, string> | undefined): string {
  const name = (sha: string) => (paths?.get(sha) !== undefined ? `"${paths.get(sha)}"` : `blob ${sha}`)
  if (shas.length === 1) return paths?.has(shas[0]) ? `file ${name(shas[0])}` : name(shas[0])
  const shown = shas.slice(0, 3).map(name).join(', ')
  return `${shas.length} files (${shown}${shas.length > 3 ? `, and ${shas.length - 3} more` : ''})`
}
