/**
 * The servers most end-to-end suites start once per file: the fake arXiv serving the seed corpus
 * (`__fixtures__/seed/papers.json`), with `github` a fake GitHub, and a temporary folder; all
 * started before the file's tests and closed after them.
 */
import { afterAll, beforeAll } from '@jest/globals'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Paper } from '../src/digest/types.js'
import { startFakeArxiv, type FakeArxiv } from './fake-arxiv.js'
import { startFakeGitHub, type FakeGitHub } from './fake-github.js'

export interface SeedServers {
  arxiv: FakeArxiv
  /** Started only with `{ github: true }`. */
  github: FakeGitHub
  /** A folder of its own, removed after the file's tests. */
  temp: string
}

/** Registers the hooks; the returned object's fields are set once the file's tests start. */
export function useSeedServers(name: string, options: { github?: boolean } = {}): SeedServers {
  const servers = {} as SeedServers
  beforeAll(async () => {
    const corpus = JSON.parse(await readFile('__fixtures__/seed/papers.json', 'utf8')) as Paper[]
    servers.arxiv = await startFakeArxiv({ corpus })
    if (options.github) servers.github = await startFakeGitHub()
    servers.temp = await mkdtemp(join(tmpdir(), `preprint-digest-${name}-`))
  })
  afterAll(async () => {
    await servers.arxiv?.close()
    await servers.github?.close()
    if (servers.temp) await rm(servers.temp, { recursive: true, force: true })
  })
  return servers
}
