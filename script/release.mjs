#!/usr/bin/env node
/**
 * Publishes a release for a pushed `vX.Y.Z` tag, as the release workflow runs it
 * (.github/workflows/release.yml), following the official actions/typescript-action template's
 * script/release:
 *
 * - the tag must be `vX.Y.Z` (or `vX.Y.Z-pre` for a prerelease) and match package.json's version;
 * - dist/ must be clean (the workflow rebuilds it first; a stale dist/ fails here);
 * - the release notes are the tag's section of CHANGELOG.md (`## [X.Y.Z] - date`), which must exist;
 * - the major tag (`v1`) is created, or moved to the release's commit ("Sync v1 tag with v1.2.0"),
 *   and force-pushed; a prerelease, or a release older than the newest of its major, leaves it;
 * - on a new major, `releases/v<previous major>` is branched from the previous major tag, so that
 *   the old line can still get fixes (as the template does);
 * - the GitHub release is created with `gh release create` (GH_TOKEN from the workflow).
 *
 *   node script/release.mjs [--tag vX.Y.Z] [--dry-run] [--remote origin]
 *
 * `--tag` defaults to GITHUB_REF_NAME. `--dry-run` runs every check and prints the tag moves, the
 * commands and the release notes, without running anything that writes.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const RELEASE = /^v(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/

/** `{ major, minor, patch, pre }` of a release tag, or undefined. */
export function parseTag(tag) {
  const m = RELEASE.exec(tag)
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] } : undefined
}

/** Orders final releases by version (prereleases are not compared: they never move a tag). */
function newer(a, b) {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch
}

/** The body of `version`'s section in a Keep a Changelog file, or undefined. */
export function changelogSection(text, version) {
  const lines = text.split('\n')
  const heading = new RegExp(`^## \\[?${version.replace(/\./g, '\\.')}\\]?(\\s|$)`)
  const start = lines.findIndex(line => heading.test(line))
  if (start < 0) return undefined
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line))
  const body = lines
    .slice(start + 1, end < 0 ? undefined : end)
    .filter(line => !/^\[[^\]]+\]: /.test(line))
    .join('\n')
    .trim()
  return body === '' ? undefined : body
}

/**
 * What releasing `tag` does, given every tag's commit (`tags`: name → commit SHA). Pure.
 * Returns the major tag move, the branch to create, or throws a message for a bad tag.
 */
export function planTags(tag, tags) {
  const version = parseTag(tag)
  if (!version) throw new Error(`tag "${tag}" is not a release tag: use vMAJOR.MINOR.PATCH, e.g. v1.2.0`)
  const commit = tags.get(tag)
  if (!commit) throw new Error(`tag ${tag} does not exist`)
  const major = `v${version.major}`
  const plan = { tag, commit, major, majorMove: undefined, branch: undefined }
  if (version.pre) {
    plan.majorMove = { kind: 'keep', reason: `${tag} is a prerelease` }
    return plan
  }
  const sameMajor = [...tags.keys()]
    .map(name => ({ name, v: parseTag(name) }))
    .filter(t => t.v && !t.v.pre && t.v.major === version.major && t.name !== tag)
  const newest = sameMajor.sort((a, b) => newer(b.v, a.v))[0]
  const current = tags.get(major)
  if (newest && newer(newest.v, version) > 0) {
    plan.majorMove = { kind: 'keep', reason: `${newest.name} is newer than ${tag}` }
  } else if (current === commit) {
    plan.majorMove = { kind: 'keep', reason: `${major} already points at ${short(commit)}` }
  } else if (current) {
    plan.majorMove = { kind: 'move', from: current, to: commit }
  } else {
    plan.majorMove = { kind: 'create', to: commit }
    const previous = `v${version.major - 1}`
    if (version.major > 0 && tags.has(previous)) {
      plan.branch = { name: `releases/${previous}`, at: tags.get(previous) }
    }
  }
  return plan
}

function short(sha) {
  return sha.slice(0, 7)
}

/** The commands that carry out `plan` (git, then gh), as argument lists. */
export function commands(plan, { remote, notesFile, prerelease }) {
  const out = []
  const move = plan.majorMove
  if (move.kind !== 'keep') {
    const message = move.kind === 'move' ? `Sync ${plan.major} tag with ${plan.tag}` : `${plan.major} Release`
    out.push([
      'git',
      'tag',
      '--force',
      '--annotate',
      '--message',
      message,
      plan.major,
      `${plan.commit}^{commit}`
    ])
    out.push(['git', 'push', '--force', remote, `refs/tags/${plan.major}`])
  }
  if (plan.branch) {
    out.push(['git', 'branch', plan.branch.name, `${plan.branch.at}^{commit}`])
    out.push(['git', 'push', remote, `refs/heads/${plan.branch.name}`])
  }
  const release = ['gh', 'release', 'create', plan.tag, '--title', plan.tag, '--notes-file', notesFile]
  out.push([...release, '--verify-tag', ...(prerelease ? ['--prerelease'] : [])])
  return out
}

function git(args) {
  return execFileSync('git', args, { encoding: 'utf8' }).trim()
}

/** Every tag's commit. */
function readTags() {
  const text = git(['for-each-ref', '--format=%(refname:short) %(objectname) %(*objectname)', 'refs/tags'])
  const tags = new Map()
  for (const line of text.split('\n').filter(Boolean)) {
    const [name, object, peeled] = line.split(' ')
    tags.set(name, peeled || object)
  }
  return tags
}

function describeMove(plan) {
  const m = plan.majorMove
  if (m.kind === 'keep') return `tag ${plan.major}: unchanged (${m.reason})`
  if (m.kind === 'create') return `tag ${plan.major}: create at ${short(m.to)}`
  return `tag ${plan.major}: move from ${short(m.from)} to ${short(m.to)}`
}

function main() {
  const { values } = parseArgs({
    options: { tag: { type: 'string' }, 'dry-run': { type: 'boolean' }, remote: { type: 'string' } }
  })
  const tag = values.tag ?? process.env.GITHUB_REF_NAME
  if (!tag) throw new Error('--tag is required (or GITHUB_REF_NAME, as in the release workflow)')
  const dryRun = values['dry-run'] ?? false
  const remote = values.remote ?? 'origin'
  const plan = planTags(tag, readTags())
  const version = tag.slice(1)
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')).version
  if (pkg !== version) throw new Error(`package.json has version ${pkg}; set it to ${version} for ${tag}`)
  const dirty = execFileSync('git', ['status', '--porcelain', '--', 'dist/'], { encoding: 'utf8' }).trimEnd()
  if (dirty) throw new Error(`dist/ is not current: run 'npm run build' and commit dist/\n${dirty}`)
  const notes = changelogSection(readFileSync('CHANGELOG.md', 'utf8'), version)
  if (!notes)
    throw new Error(`CHANGELOG.md has no section "## [${version}]" with text: add it before tagging`)
  const notesFile = join(mkdtempSync(join(tmpdir(), 'release-notes-')), `${tag}.md`)
  writeFileSync(notesFile, `${notes}\n`)
  const prerelease = parseTag(tag).pre !== undefined
  const run = commands(plan, { remote, notesFile, prerelease })
  console.log(`${dryRun ? 'Dry run: ' : ''}release ${tag} at ${short(plan.commit)}`)
  console.log(describeMove(plan))
  if (plan.branch) console.log(`branch ${plan.branch.name}: create at ${short(plan.branch.at)}`)
  for (const args of run) {
    console.log(
      `${dryRun ? 'would run' : 'run'}: ${args.map(a => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`
    )
    if (!dryRun) execFileSync(args[0], args.slice(1), { stdio: 'inherit' })
  }
  console.log(`release notes (${notesFile}):\n${notes}`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    main()
  } catch (error) {
    console.error(`release: ${error.message}`)
    process.exitCode = 1
  }
}
