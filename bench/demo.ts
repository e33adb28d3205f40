/**
 * `npm run demo`: the digest of the example topics, offline, in one command. Starts the fake
 * arXiv with the reference papers in this process, runs the CLI into a new temporary folder
 * (outside the source tree, so nothing in the clone changes) at the reference pages' time, then
 * prints where the pages are and the pull request body the action would open.
 */
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { runCli, type CliRuntime } from '../src/cli/command-line.js'
import { loadConfig } from '../src/config/config.js'
import { latestPagePath, topicPagePath } from '../src/digest/layout.js'
import { SYSTEM_CLOCK } from '../src/environment/runtime.js'
import { REFERENCE_EPOCH, startReferenceArxiv } from './reference-arxiv.js'

const TOPICS = 'examples/topics.yml'

/** Where the demo prints; tests pass their own. */
export type DemoStreams = Pick<CliRuntime, 'out' | 'err'>

/**
 * Runs the demo into `out` (default: a new folder under the system's temporary folder) and
 * returns the exit status and the folder.
 */
export async function runDemo(streams: DemoStreams, out?: string): Promise<{ code: number; out: string }> {
  const dir = out ?? (await mkdtemp(join(tmpdir(), 'preprint-digest-demo-')))
  const { arxiv, papers } = await startReferenceArxiv()
  try {
    streams.out(
      `Demo: a local fake arXiv with ${papers} reference papers at ${arxiv.url}; no network is used.`
    )
    const args = [
      '--config',
      'examples/topics.yml',
      '--out',
      dir,
      '--arxiv-url',
      arxiv.url,
      '--request-delay',
      '0'
    ]
    streams.out(
      `In this process, the same as: SOURCE_DATE_EPOCH=${REFERENCE_EPOCH} npm run digest -- ${args.join(' ')}\n`
    )
    const env = { ...process.env, SOURCE_DATE_EPOCH: String(REFERENCE_EPOCH) }
    const result = await runCli(args, env, { clock: SYSTEM_CLOCK, ...streams })
    if (result.code !== 0) return { code: result.code, out: dir }
    const config = loadConfig(await readFile(TOPICS, 'utf8'), TOPICS)
    const pages = [
      `  ${join(dir, config.indexFile)}  (the index)`,
      `  ${join(dir, latestPagePath(config))}  (the latest batch)`,
      ...config.topics.map(t => `  ${join(dir, topicPagePath(config, t.id))}  (${t.title})`)
    ]
    streams.out(`\nThe pages are in ${dir}:\n${pages.join('\n')}`)
    if (result.prBody !== undefined) {
      streams.out(`\nThe pull request the action would open has this body:\n\n${result.prBody}`)
    }
    return { code: 0, out: dir }
  } finally {
    await arxiv.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = (
    await runDemo({ out: text => console.log(text), err: text => console.error(text) })
  ).code
}
