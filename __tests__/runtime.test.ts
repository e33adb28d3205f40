import { describe, expect, it } from '@jest/globals'
import { nowFromEnvironment, userAgent } from '../src/environment/runtime.js'
import { VERSION } from '../src/environment/version.js'

describe('nowFromEnvironment', () => {
  it('uses SOURCE_DATE_EPOCH when set', () => {
    expect(nowFromEnvironment({ SOURCE_DATE_EPOCH: '1771021380' }).toISOString()).toBe(
      '2026-02-13T22:23:00.000Z'
    )
  })
  it('uses the clock otherwise', () => {
    const before = Date.now()
    const now = nowFromEnvironment({}).getTime()
    expect(now).toBeGreaterThanOrEqual(before)
    expect(now).toBeLessThanOrEqual(Date.now())
  })
  it('refuses a malformed value', () => {
    expect(() => nowFromEnvironment({ SOURCE_DATE_EPOCH: '2026-02-13' })).toThrow(
      /SOURCE_DATE_EPOCH: must be whole seconds/
    )
  })
})

describe('userAgent', () => {
  it('names the tool and the repository it runs for', () => {
    expect(userAgent({ GITHUB_REPOSITORY: 'lab/papers' })).toBe(
      `preprint-digest/${VERSION} (+https://github.com/lab/papers)`
    )
    expect(userAgent({})).toBe(`preprint-digest/${VERSION} (command line)`)
  })
})
