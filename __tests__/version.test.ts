import { describe, expect, it } from '@jest/globals'
import { NAME, VERSION } from '../src/environment/version.js'

describe('version', () => {
  it('matches package.json', async () => {
    const pkg = JSON.parse(await (await import('node:fs/promises')).readFile('package.json', 'utf8'))
    expect(NAME).toBe(pkg.name)
    expect(VERSION).toBe(pkg.version)
  })
})
