/**
 * Runs the built CLI (`node dist/cli.js`) as a user does, and reads back what it wrote.
 * `npm test` builds dist/ first (pretest).
 */
import { execFile } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Runs the CLI at `epoch` (SOURCE_DATE_EPOCH); resolves with its exit code and output instead of throwing. */
export async function cli(
  args: string[],
  epoch: number | string
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['dist/cli.js', ...args], {
      env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) }
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

/** The arXiv ids a page lists, one per paper heading, in page order. */
export function listedIds(page: string): string[] {
  return [...page.matchAll(/^### \[.*\]\(https:\/\/arxiv\.org\/abs\/(.+?)v\d+\)$/gm)].map(m => m[1])
}

/** Per topic, every id its page and archive pages under `digests` list (repeats kept), sorted. */
export async function listedPerTopic(digests: string): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {}
  // latest.md repeats the latest batch of every topic: it is no topic's page.
  const pages = (await readdir(digests, { recursive: true })).filter(
    p => p.endsWith('.md') && p !== 'latest.md'
  )
  for (const file of pages) {
    const topic = file.startsWith('archive/') ? file.split('/')[1] : file.replace(/\.md$/, '')
    ;(result[topic] ??= []).push(...listedIds(await readFile(join(digests, file), 'utf8')))
  }
  for (const list of Object.values(result)) list.sort()
  return result
}
