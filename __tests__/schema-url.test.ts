/**
 * The topic file schema is published where editors can fetch it: its `$id` is the raw file of the
 * `v1` tag (a /blob/ page serves HTML), and the editor hints in examples/ and the README name
 * exactly that address. `OWNER` is explained once, in the README section the others link to.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'

const SCHEMA_FILE = 'src/config/config.schema.json'
const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as { $id: string }
const readme = readFileSync('README.md', 'utf8')

describe('the schema address', () => {
  it('is the raw URL of the schema file itself at the v1 tag', () => {
    expect(schema.$id).toBe(`https://raw.githubusercontent.com/OWNER/preprint-digest/v1/${SCHEMA_FILE}`)
  })

  it('is the one the editor hints name', () => {
    const hint = `# yaml-language-server: $schema=${schema.$id}`
    expect(readFileSync('examples/topics.yml', 'utf8').split('\n')[0]).toBe(hint)
    expect(readme).toContain(hint)
    for (const text of [readme, readFileSync('examples/topics.yml', 'utf8')]) {
      for (const m of text.matchAll(/yaml-language-server: \$schema=([^\s`]+)/g))
        expect(m[1]).toBe(schema.$id)
    }
  })

  it('has its OWNER placeholder explained in one README section', () => {
    expect(readme.match(/^#+ The `OWNER` placeholder$/gm)).toHaveLength(1)
    expect(readme).toContain('(#the-owner-placeholder)')
  })
})
