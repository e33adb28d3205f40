/**
 * The dashboard as a user gets it: the example topics with `site-dir: docs`, run through the built
 * CLI against the fake arXiv serving the seed corpus (plus any papers a test adds), and a static
 * file server for the folder, as GitHub Pages serves it.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { extname, join, resolve, sep } from 'node:path'
import { cli } from './cli-runner.js'
import { startFakeArxiv } from './fake-arxiv.js'
import type { Paper } from '../src/digest/types.js'

/** The reference run's time: 2026-02-13 22:23 UTC. */
export const SEED_EPOCH = Date.parse('2026-02-13T22:23:00Z') / 1000

/** The example topic file with the dashboard on. */
export async function siteConfig(extra = 'site-dir: docs\n'): Promise<string> {
  return (await readFile('examples/topics.yml', 'utf8')).replace(/^output-dir:/m, `${extra}output-dir:`)
}

/**
 * Runs the CLI once into a fresh folder (the config file is written beside it, not inside it).
 *
 * @returns The folder (playing the repository root) and the CLI's result.
 */
export async function generateSite(
  options: { papers?: Paper[]; config?: string; epoch?: number } = {}
): Promise<{ out: string; result: Awaited<ReturnType<typeof cli>> }> {
  const seed = JSON.parse(await readFile('__fixtures__/seed/papers.json', 'utf8')) as Paper[]
  const arxiv = await startFakeArxiv({ corpus: [...seed, ...(options.papers ?? [])] })
  try {
    const dir = await mkdtemp(join(tmpdir(), 'preprint-digest-site-'))
    const configFile = join(dir, 'topics.yml')
    await writeFile(configFile, options.config ?? (await siteConfig()))
    const out = join(dir, 'repo')
    const args = ['--config', configFile, '--out', out, '--arxiv-url', arxiv.url, '--request-delay', '0']
    const result = await cli(args, options.epoch ?? SEED_EPOCH)
    return { out, result }
  } finally {
    await arxiv.close()
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8'
}

/** Serves the files under `root` on 127.0.0.1 (GET only; `/` is `index.html`). */
export async function serveFolder(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const base = resolve(root)
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
    const file = resolve(base, '.' + (path.endsWith('/') ? path + 'index.html' : path))
    if (request.method !== 'GET' || !file.startsWith(base + sep)) {
      response.writeHead(404).end()
      return
    }
    try {
      const body = await readFile(file)
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
      response.end(body)
    } catch {
      response.writeHead(404).end()
    }
  })
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>(done => {
        server.close(() => done())
        server.closeAllConnections()
      })
  }
}
