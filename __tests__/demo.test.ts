/**
 * `npm run demo` (bench/demo.ts) in-process: the reference pages, offline, with their paths and
 * the pull request body printed. And the README's commands leave `npm run check` green.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ESLint } from 'eslint'
import * as prettier from 'prettier'
import { runDemo } from '../bench/demo.js'
import { expectedSeedPage } from '../test-support/seed.js'

describe('npm run demo', () => {
  let out: string
  const stdout: string[] = []
  const stderr: string[] = []
  let code: number

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'preprint-digest-demo-test-'))
    ;({ code } = await runDemo({ out: t => stdout.push(t), err: t => stderr.push(t) }, out))
  })
  afterAll(() => rm(out, { recursive: true, force: true }))

  it('writes the reference pages into the folder', async () => {
    expect(code).toBe(0)
    expect(await readFile(join(out, 'digests/vla.md'), 'utf8')).toBe(await expectedSeedPage('vla'))
    expect(await readFile(join(out, 'digests/world_models.md'), 'utf8')).toBe(
      await expectedSeedPage('world_models')
    )
    expect((await readdir(out, { recursive: true })).sort()).toEqual([
      'README.md',
      'digests',
      'digests/feeds',
      'digests/feeds/vla.json',
      'digests/feeds/vla.xml',
      'digests/feeds/world_models.json',
      'digests/feeds/world_models.xml',
      'digests/latest.md',
      'digests/state',
      'digests/state/vla',
      'digests/state/vla/2026-02.json',
      'digests/state/world_models',
      'digests/state/world_models/2026-02.json',
      'digests/vla.md',
      'digests/world_models.md'
    ])
  })

  it('prints where the pages are and the pull request body, and its progress on stderr', () => {
    const text = stdout.join('\n')
    expect(text).toContain(`The pages are in ${out}:`)
    for (const page of ['README.md', 'digests/latest.md', 'digests/vla.md', 'digests/world_models.md']) {
      expect(text).toContain(`  ${join(out, page)}  (`)
    }
    const body = text.slice(text.indexOf('The pull request the action would open has this body:'))
    expect(body).toMatch(/\*\*28 new papers\*\* in the latest update \(2026-02-13 22:23 UTC\)/)
    expect(body).toContain('### Vision-Language-Action Models (`digests/vla.md`) · 17 new')
    expect(body).toContain('### World Models (`digests/world_models.md`) · 16 new')
    expect(stderr).toEqual([expect.stringMatching(/^arXiv request 1 \(query "\(\(ti:vla /)])
  })

  it('uses a new folder outside the source tree when none is given', async () => {
    const lines: string[] = []
    const demo = await runDemo({ out: t => lines.push(t), err: () => {} })
    try {
      expect(demo.code).toBe(0)
      expect(demo.out.startsWith(join(tmpdir(), 'preprint-digest-demo-'))).toBe(true)
      expect(lines.join('\n')).toContain(`The pages are in ${demo.out}:`)
    } finally {
      await rm(demo.out, { recursive: true, force: true })
    }
  })
})

describe("the README's commands keep `npm run check` green", () => {
  it('names the offline demo and the real first command', async () => {
    const readme = await readFile('README.md', 'utf8')
    const scripts = JSON.parse(await readFile('package.json', 'utf8')).scripts as Record<string, string>
    expect(readme).toContain('npm ci && npm run digest -- --config examples/topics.yml --out my-digest')
    expect(readme).toContain('npm run demo')
    expect(scripts.demo).toContain('build/bench/demo.js')
  })

  it('every folder a README command writes into is ignored by prettier and eslint', async () => {
    const readme = await readFile('README.md', 'utf8')
    const folders = [...readme.matchAll(/npm run digest -- [^\n`]*--out ([a-z][\w.-]*)/g)].map(m => m[1])
    expect(folders).toContain('my-digest')
    const eslint = new ESLint()
    for (const folder of folders) {
      for (const file of ['README.md', 'digests/vla.md', 'digests/state/vla/2026-02.json']) {
        // The ignore files prettier's command line reads by default.
        const info = await prettier.getFileInfo(join(folder, file), {
          ignorePath: ['.gitignore', '.prettierignore']
        })
        expect({ file: join(folder, file), ignored: info.ignored }).toEqual({
          file: join(folder, file),
          ignored: true
        })
      }
      expect(await eslint.isPathIgnored(join(folder, 'x.js'))).toBe(true)
    }
  })
})
