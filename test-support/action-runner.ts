/**
 * Runs the built action the way the Actions runner does: INPUT_* variables with action.yml's
 * defaults, GITHUB_* variables, output and summary files, on Node 24, against a fake arXiv and a
 * fake GitHub. `npm test` builds dist/ first (pretest). The subprocess runs `run-action.mjs`, which
 * calls `run()` of the bundle `dist/index.js` loads (dist/main.js) with {@link TEST_PACING}; with
 * `asRunner`, `node dist/index.js` itself, at GitHub's pace. With a `clock`, the same run happens
 * in-process instead (`run()` of src/action/main.ts), so that arXiv's retry waits are recorded, not slept.
 */
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { load as parse } from 'js-yaml'
import type { Clock } from '../src/environment/runtime.js'
import { TEST_PACING } from './setup.js'

const exec = promisify(execFile)

/**
 * The Node 24 binary (the runtime action.yml names) that Jest's global setup found or installed
 * (script/node24.mjs); undefined when this platform has none, and then `NODE24_MISSING` says why.
 */
export const NODE24: string | undefined = process.env.PREPRINT_DIGEST_NODE24 || undefined
export const NODE24_MISSING = process.env.PREPRINT_DIGEST_NODE24_MISSING ?? 'Jest global setup did not run'
export const TOKEN = 'ghs_e2eTestToken000000000000000000000'

/** One finished run. */
export interface ActionRun {
  code: number
  stdout: string
  outputs: Record<string, string>
  summary: string
}

/** action.yml's declared inputs with their defaults, as the runner passes them, and its outputs. */
export async function declared(): Promise<{ inputs: Record<string, string>; outputs: string[] }> {
  const action = parse(await readFile('action.yml', 'utf8')) as {
    inputs: Record<string, { default?: string }>
    outputs: Record<string, unknown>
  }
  const inputs: Record<string, string> = {}
  for (const [name, spec] of Object.entries(action.inputs)) {
    inputs[name] = String(spec.default ?? '').replace('${{ github.token }}', TOKEN)
  }
  return { inputs, outputs: Object.keys(action.outputs) }
}

/** Parses the `name<<DELIMITER` blocks @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const pattern = /^(.+?)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (const m of text.matchAll(pattern)) outputs[m[1]] = m[3]
  return outputs
}

/** Where a run goes. */
export interface RunnerOptions {
  owner: string
  arxivUrl: string
  githubUrl: string
  /** A scratch folder for the output, summary and event files. */
  temp: string
  /** Inputs every run gets (after action.yml's defaults), e.g. `topics`. */
  inputs?: Record<string, string>
  /** Called just before each run, e.g. to clear the fake GitHub's request log. */
  beforeRun?: () => void
  /** Run in-process on this clock instead of as a Node 24 subprocess. */
  clock?: Clock
  /**
   * Start `node dist/index.js` itself, as the runner does: GitHub's pacing (1 s between write
   * requests) and retry waits in seconds. Otherwise the subprocess runs with {@link TEST_PACING}.
   */
  asRunner?: boolean
  /** More environment variables of every run, e.g. HTTPS_PROXY. */
  env?: Record<string, string>
}

/** The event a run is triggered by. */
export interface RunEvent {
  name: string
  payload: object
}

const SCHEDULE: RunEvent = {
  name: 'schedule',
  payload: { schedule: '0 7 * * 1-5', repository: { default_branch: 'main' } }
}

/** A function that runs the action once for `repo` at `epoch` (seconds, SOURCE_DATE_EPOCH). */
export async function actionRunner(options: RunnerOptions) {
  const defaults = await declared()
  let count = 0
  return async function action(
    repo: string,
    epoch: number,
    inputs: Record<string, string> = {},
    event: RunEvent = SCHEDULE
  ): Promise<ActionRun> {
    const tag = `${repo}-${epoch}-${++count}`
    const outputFile = join(options.temp, `output-${tag}`)
    // @actions/core keeps the first summary path it sees, so in-process runs share one file.
    const summaryFile = options.clock
      ? join(tmpdir(), `preprint-digest-summary-${process.pid}`)
      : join(options.temp, `summary-${tag}`)
    const eventFile = join(options.temp, `event-${tag}.json`)
    await writeFile(outputFile, '')
    await writeFile(summaryFile, '')
    await writeFile(eventFile, JSON.stringify(event.payload))
    const all = {
      ...defaults.inputs,
      'arxiv-api-url': options.arxivUrl,
      'request-delay': '0',
      ...options.inputs,
      ...inputs
    }
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: `${options.owner}/${repo}`,
      GITHUB_API_URL: options.githubUrl,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_EVENT_NAME: event.name,
      GITHUB_EVENT_PATH: eventFile,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: options.temp,
      SOURCE_DATE_EPOCH: String(epoch),
      ...options.env
    }
    for (const [name, value] of Object.entries(all))
      env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
    options.beforeRun?.()
    const { code, stdout } = options.clock
      ? await inProcess(env, options.clock)
      : await subprocess(env, options.asRunner ?? false)
    return {
      code,
      stdout,
      outputs: parseOutputs(await readFile(outputFile, 'utf8')),
      summary: await readFile(summaryFile, 'utf8')
    }
  }
}

async function subprocess(
  env: NodeJS.ProcessEnv,
  asRunner: boolean
): Promise<{ code: number; stdout: string }> {
  try {
    if (!NODE24) throw new Error(`No Node 24 to run dist/index.js: ${NODE24_MISSING}`)
    const args = asRunner ? ['dist/index.js'] : ['test-support/run-action.mjs', JSON.stringify(TEST_PACING)]
    const { stdout } = await exec(NODE24, args, { env })
    return { code: 0, stdout }
  } catch (error) {
    const e = error as { code: number; stdout: string }
    return { code: e.code, stdout: e.stdout }
  }
}

/**
 * `run(env, clock, TEST_PACING)` in this process. `@actions/core` reads inputs and output files from
 * `process.env` and prints to `process.stdout`, so both are swapped for the run and restored after;
 * the exit status is what `run` returns (`core.setFailed` also sets `process.exitCode`, restored after).
 */
async function inProcess(env: NodeJS.ProcessEnv, clock: Clock): Promise<{ code: number; stdout: string }> {
  const { run } = await import('../src/action/main.js')
  const saved = { env: process.env, write: process.stdout.write, exitCode: process.exitCode }
  const chunks: string[] = []
  process.env = { ...env }
  process.exitCode = undefined
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk))
    return true
  }) as typeof process.stdout.write
  try {
    const code = await run(env, clock, TEST_PACING)
    return { code, stdout: chunks.join('') }
  } finally {
    process.stdout.write = saved.write
    process.env = saved.env
    process.exitCode = saved.exitCode
  }
}
