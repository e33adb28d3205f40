/**
 * The folders of src/ are the steps of the data flow (docs/design.md), and lint keeps them so
 * (eslint.config.js): these cases run ESLint on one import line placed in a folder's file.
 */
import { describe, expect, it } from '@jest/globals'
import { ESLint } from 'eslint'

const eslint = new ESLint()

async function problems(file: string, line: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${line}\nexport const used = x\n`, { filePath: file })
  return result!.messages.filter(m => m.ruleId === 'no-restricted-imports').map(m => m.message)
}

describe('import boundaries between the folders of src/', () => {
  it.each([
    [
      'src/digest/x.ts',
      "import { x } from '../render/markdown.js'",
      'src/digest/ may import only its own files'
    ],
    [
      'src/digest/x.ts',
      "import { x } from '../environment/runtime.js'",
      'src/digest/ may import only its own files'
    ],
    ['src/digest/x.ts', "import { readFile as x } from 'node:fs/promises'", 'src/digest/ does no I/O'],
    ['src/digest/x.ts', "import { fetch as x } from 'undici'", 'src/digest/ does no I/O'],
    ['src/render/x.ts', "import { x } from '../arxiv/feed.js'", 'src/render/ may import only its own files'],
    ['src/render/x.ts', "import { x } from '../pipeline.js'", 'src/render/ may import only its own files'],
    ['src/arxiv/x.ts', "import { x } from '../github/client.js'", 'src/arxiv/ may import only'],
    ['src/config/x.ts', "import { x } from '../action/inputs.js'", 'src/config/ may import only'],
    ['src/arxiv/x.ts', "import { x } from '../config/config.js'", 'src/arxiv/ may import only'],
    [
      'src/pipeline.ts',
      "import { retry as x } from '@octokit/plugin-retry'",
      'Only src/github/ talks to GitHub'
    ],
    [
      'src/action/x.ts',
      "import { getOctokit as x } from '@actions/github'",
      'Only src/github/ talks to GitHub'
    ],
    ['src/render/x.ts', "import { Octokit as x } from '@octokit/rest'", 'Only src/github/ talks to GitHub']
  ])('%s: refuses %s', async (file, line, message) => {
    expect((await problems(file, line)).join('\n')).toContain(message)
  })

  it.each([
    ['src/digest/x.ts', "import { x } from './terms.js'"],
    ['src/digest/x.ts', "import { createHash as x } from 'node:crypto'"],
    ['src/render/x.ts', "import { x } from '../digest/types.js'"],
    ['src/render/x.ts', "import { x } from '../assets.js'"],
    ['src/arxiv/x.ts', "import { x } from '../environment/runtime.js'"],
    ['src/arxiv/x.ts', "import { x } from '../config/options.js'"],
    ['src/github/x.ts', "import { retry as x } from '@octokit/plugin-retry'"],
    ['src/action/x.ts', "import { context as x } from '@actions/github'"],
    ['src/pipeline.ts', "import { x } from './github/publish.js'"]
  ])('%s: allows %s', async (file, line) => {
    expect(await problems(file, line)).toEqual([])
  })
})
