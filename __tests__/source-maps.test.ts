/**
 * dist/ ships source maps and its entry points turn them on (action.yml's `runs.main` cannot pass
 * --enable-source-maps): a stack trace taken inside the built action or CLI names src/ lines.
 * A probe loaded with `--import` records the stack of the first write to stdout, which the code
 * under src/ makes (a log line, an error annotation); it does not turn source maps on itself.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { NODE24 } from '../test-support/action-runner.js'

const exec = promisify(execFile)

const PROBE = `
import { writeFileSync } from 'node:fs'
const write = process.stdout.write.bind(process.stdout)
let recorded = false
process.stdout.write = (...args) => {
  if (!recorded) {
    recorded = true
    writeFileSync(process.env.PROBE_OUT, new Error('probe').stack)
  }
  return write(...args)
}
`

let temp: string
let probe: string

beforeAll(() => {
  temp = mkdtempSync(join(tmpdir(), 'source-maps-'))
  probe = join(temp, 'probe.mjs')
  writeFileSync(probe, PROBE)
})
afterAll(() => rmSync(temp, { recursive: true, force: true }))

/** Runs node with the probe and returns the stack it recorded. */
async function stackOf(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  node = process.execPath
): Promise<string> {
  const out = join(temp, `stack-${Math.random().toString(36).slice(2)}.txt`)
  const base = { PATH: process.env.PATH, PROBE_OUT: out, ...env }
  await exec(node, ['--import', pathToFileURL(probe).href, ...args], { env: base }).catch(() => undefined)
  return readFileSync(out, 'utf8')
}

/** The frames of `stack` in a src/ file, with the source text at their position. */
function srcFrames(stack: string): Array<{ file: string; line: number; text: string }> {
  return [...stack.matchAll(/(?:^|[\s(/\\])src[/\\]((?:[\w-]+[/\\])*[\w-]+\.ts):(\d+):(\d+)\)?$/gm)].map(
    m => {
      const lines = readFileSync(join('src', m[1]), 'utf8').split('\n')
      return {
        file: m[1].replace(/\\/g, '/'),
        line: Number(m[2]),
        text: lines[Number(m[2]) - 1].slice(Number(m[3]) - 1)
      }
    }
  )
}

describe('stack traces from dist/ name src/ lines', () => {
  it('the action (dist/index.js, on Node 24 when there is one): its failure report is made in src/action/main.ts', async () => {
    const frames = srcFrames(await stackOf(['dist/index.js'], { GITHUB_ACTIONS: 'true' }, NODE24))
    expect(frames.map(f => f.file)).toContain('action/main.ts')
    // Each position is a call in the TypeScript source (V8 points at the callee's name).
    for (const f of frames) expect(f.text).toMatch(/^[\w$.]+\s*[(<]/)
  })

  it('the CLI (dist/cli.js): its output is written from src/cli/command-line.ts', async () => {
    const frames = srcFrames(await stackOf(['dist/cli.js', '--version']))
    expect(frames.map(f => f.file)).toContain('cli/command-line.ts')
    for (const f of frames) expect(f.text).toMatch(/^[\w$.]+\s*[(<]/)
  })

  it('without the entry point turning them on, the same stack names only the bundle', async () => {
    const script = "const { run } = await import('./dist/main.js'); await run()"
    const stack = await stackOf(['--input-type=module', '-e', script], { GITHUB_ACTIONS: 'true' })
    expect(srcFrames(stack)).toEqual([])
    expect(stack).toMatch(/dist[/\\]main\.js:\d+:\d+/)
  })
})
