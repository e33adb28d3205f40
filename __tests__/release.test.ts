/**
 * script/release.mjs, as the release workflow runs it, in --dry-run on temporary git repositories
 * with tags: the major tag moves it prints, the branch a new major gets, the release notes it takes
 * from CHANGELOG.md, and the refusals (bad tag, version mismatch, stale dist/, missing section).
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const SCRIPT = resolve('script/release.mjs')
const ENV = {
  PATH: process.env.PATH,
  HOME: tmpdir(),
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1'
}

const CHANGELOG = `# Changelog

## [Unreleased]

- Something not released yet.

## [1.1.0] - 2026-12-01

### Added

- Feature B.

## [1.0.1] - 2026-11-20

### Fixed

- Bug A.

## [1.0.0] - 2026-11-01

- First release.

## [0.1.0] - 2026-10-01

- Preview.

[1.1.0]: https://example.com/compare/v1.0.0...v1.1.0
`

const repos: string[] = []
afterEach(() => {
  for (const dir of repos.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A repository with one commit per version: `tags[i]` tags commit i ("v0" style tags allowed). */
function repo(
  versions: string[],
  tags: Record<string, string> = {}
): { dir: string; sha: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'release-test-'))
  repos.push(dir)
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, env: ENV, encoding: 'utf8' }).trim()
  git('init', '--quiet', '--initial-branch=main')
  mkdirSync(join(dir, 'dist'))
  const sha: Record<string, string> = {}
  for (const version of versions) {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: version.replace(/^v/, '') }))
    writeFileSync(join(dir, 'CHANGELOG.md'), CHANGELOG)
    writeFileSync(join(dir, 'dist', 'index.js'), `// ${version}\n`)
    git('add', '-A')
    git('commit', '--quiet', '-m', version)
    git('tag', '--annotate', '-m', `${version} Release`, version)
    sha[version] = git('rev-parse', 'HEAD')
  }
  for (const [name, target] of Object.entries(tags)) git('tag', '--annotate', '-m', name, name, sha[target])
  return { dir, sha }
}

function release(dir: string, tag: string, ...extra: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [SCRIPT, '--tag', tag, '--dry-run', ...extra], {
    cwd: dir,
    env: ENV,
    encoding: 'utf8'
  })
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr }
}

function tagsOf(dir: string): string {
  return execFileSync('git', ['show-ref', '--tags'], { cwd: dir, encoding: 'utf8' })
}

const s = (sha: string) => sha.slice(0, 7)

describe('release --dry-run', () => {
  it('moves the major tag to a new minor release, and prints the notes from its changelog section', () => {
    const { dir, sha } = repo(['v1.0.0', 'v1.0.1', 'v1.1.0'], { v1: 'v1.0.1' })
    const before = tagsOf(dir)
    const r = release(dir, 'v1.1.0')
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    const lines = r.out.split('\n')
    expect(lines.slice(0, 2)).toEqual([
      `Dry run: release v1.1.0 at ${s(sha['v1.1.0'])}`,
      `tag v1: move from ${s(sha['v1.0.1'])} to ${s(sha['v1.1.0'])}`
    ])
    expect(lines.filter(l => l.startsWith('would run: '))).toEqual([
      `would run: git tag --force --annotate --message "Sync v1 tag with v1.1.0" v1 ${sha['v1.1.0']}^{commit}`,
      'would run: git push --force origin refs/tags/v1',
      expect.stringMatching(
        /^would run: gh release create v1\.1\.0 --title v1\.1\.0 --notes-file \S+v1\.1\.0\.md --verify-tag$/
      )
    ])
    expect(r.out).toMatch(/release notes \(.*\):\n### Added\n\n- Feature B\.\n$/)
    expect(tagsOf(dir)).toBe(before)
  })

  it('creates the major tag on a first release, and branches the previous major as releases/v0', () => {
    const { dir, sha } = repo(['v0.1.0', 'v1.0.0'], { v0: 'v0.1.0' })
    const r = release(dir, 'v1.0.0', '--remote', 'upstream')
    expect(r.code).toBe(0)
    expect(r.out).toContain(
      `tag v1: create at ${s(sha['v1.0.0'])}\nbranch releases/v0: create at ${s(sha['v0.1.0'])}\n`
    )
    expect(r.out).toContain(
      `would run: git tag --force --annotate --message "v1 Release" v1 ${sha['v1.0.0']}^{commit}`
    )
    expect(r.out).toContain('would run: git push --force upstream refs/tags/v1\n')
    expect(r.out).toContain(`would run: git branch releases/v0 ${sha['v0.1.0']}^{commit}\n`)
    expect(r.out).toContain('would run: git push upstream refs/heads/releases/v0\n')
    expect(r.out).toMatch(/release notes \(.*\):\n- First release\.\n$/)
  })

  it('leaves the major tag where it is for a fix of an older release and for a prerelease', () => {
    const { dir } = repo(['v1.1.0', 'v1.0.1'], { v1: 'v1.1.0' })
    const fix = release(dir, 'v1.0.1')
    expect(fix.code).toBe(0)
    expect(fix.out).toContain('tag v1: unchanged (v1.1.0 is newer than v1.0.1)\n')
    expect(fix.out).not.toContain('git tag')
    expect(fix.out).not.toContain('git push')
    const pre = repo(['v2.0.0-rc.1'], {})
    writeFileSync(join(pre.dir, 'CHANGELOG.md'), '## [2.0.0-rc.1] - 2026-12-02\n\n- Try it.\n')
    execFileSync('git', ['commit', '-qam', 'notes'], { cwd: pre.dir, env: ENV })
    const r = release(pre.dir, 'v2.0.0-rc.1')
    expect(r.code).toBe(0)
    expect(r.out).toContain('tag v2: unchanged (v2.0.0-rc.1 is a prerelease)\n')
    expect(r.out).toMatch(/would run: gh release create v2\.0\.0-rc\.1 .* --verify-tag --prerelease\n/)
  })

  it('refuses a tag that is not vX.Y.Z, a version package.json does not have, a stale dist/ or no notes', () => {
    const { dir } = repo(['v1.0.0'])
    execFileSync('git', ['tag', 'v1.2'], { cwd: dir, env: ENV })
    expect(release(dir, 'v1.2')).toEqual({
      code: 1,
      out: '',
      err: 'release: tag "v1.2" is not a release tag: use vMAJOR.MINOR.PATCH, e.g. v1.2.0\n'
    })
    expect(release(dir, 'v9.0.0').err).toBe('release: tag v9.0.0 does not exist\n')
    execFileSync('git', ['tag', 'v1.0.1'], { cwd: dir, env: ENV })
    expect(release(dir, 'v1.0.1').err).toBe(
      'release: package.json has version 1.0.0; set it to 1.0.1 for v1.0.1\n'
    )
    writeFileSync(join(dir, 'dist', 'index.js'), '// edited\n')
    const stale = release(dir, 'v1.0.0')
    expect([stale.code, stale.err]).toEqual([
      1,
      "release: dist/ is not current: run 'npm run build' and commit dist/\n M dist/index.js\n"
    ])
    execFileSync('git', ['checkout', '--', 'dist'], { cwd: dir, env: ENV })
    writeFileSync(join(dir, 'CHANGELOG.md'), '# Changelog\n\n## [1.0.0] - 2026-11-01\n\n## [0.1.0]\n\n- x\n')
    expect(release(dir, 'v1.0.0').err).toBe(
      'release: CHANGELOG.md has no section "## [1.0.0]" with text: add it before tagging\n'
    )
  })
})
