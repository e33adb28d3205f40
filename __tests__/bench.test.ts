/**
 * The benchmark runs (on its small cases: BENCH_QUICK=1) and prints its tables. It measures; it
 * is not a timed test, so only its shape and the request counts of the small cases are checked.
 */
import { describe, expect, it, jest } from '@jest/globals'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const exec = promisify(execFile)
jest.setTimeout(180_000)

describe('npm run bench', () => {
  it('prints the arXiv, CLI and GitHub tables for the small cases', async () => {
    const { stdout } = await exec('npm', ['run', '--silent', 'bench'], {
      env: { ...process.env, BENCH_QUICK: '1' },
      maxBuffer: 16 * 2 ** 20
    })
    expect(stdout).toMatch(/## arXiv requests/)
    expect(stdout).toMatch(/\| 2 topics \/ seed corpus \| 28 \| 1 \| 2 \| 5 \| 5 \|/)
    expect(stdout).toMatch(/## CLI CPU and memory/)
    expect(stdout).toMatch(/\| 2 topics: first run \| 7 \| 4 \| created \|/)
    expect(stdout).toMatch(/\| 2 topics: update with the PR open \| 8 \| 4 \| updated \|/)
    expect(stdout).toMatch(/\| 2 topics: quiet after the merge, branch deleted \| 3 \| 0 \| none \|/)
    expect(stdout).toMatch(/\| 30 topics × 12 months: quiet \| 4 \| 0 \| none \|/)
  })
})
