/**
 * The runner's proxy settings, for every request the action and the CLI send: `HTTPS_PROXY` (for
 * https URLs), `HTTP_PROXY` (for http URLs), lower-case spellings first, and `NO_PROXY` (a
 * comma-separated list of hosts, `host:port`s, domain suffixes or `*`). The rules are those of
 * `@actions/http-client`, which `@actions/github` uses for GitHub; loopback hosts (`localhost`,
 * `127.*`, `[::1]`) never go through a proxy. The settings are read when the fetch is made.
 */
import { getProxyUrl, HttpClient } from '@actions/http-client'
import { fetch as undiciFetch } from 'undici'

/** The `fetch` signature the arXiv client and Octokit take. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>

/**
 * A `fetch` for requests to `destination`'s host: through the proxy the environment names for
 * it, or the global `fetch` when there is none (or the host is in `NO_PROXY`).
 */
export function proxyFetch(destination: string): Fetch {
  const dispatcher = new HttpClient().getAgentDispatcher(destination)
  if (dispatcher === undefined) return (url, init) => fetch(url, init)
  // undici's own fetch: the dispatcher comes from the same undici (Node's built-in fetch may be
  // another major version of it).
  return (url, init) => undiciFetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>
}

/** The proxy requests to `destination` go through (`http://host:port`, credentials left out), or undefined. */
export function proxyFor(destination: string): string | undefined {
  const proxy = getProxyUrl(destination)
  if (proxy === '') return undefined
  const url = new URL(proxy)
  return `${url.protocol}//${url.host}`
}
