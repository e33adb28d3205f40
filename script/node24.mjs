#!/usr/bin/env node
/**
 * Finds a Node 24 binary for the end-to-end tests, which run the built action on the runtime
 * action.yml names (`using: node24`) whatever Node runs the tests. In this order:
 *
 * 1. `PREPRINT_DIGEST_NODE24`, when set: the path of a Node 24 binary (an error if it is not one);
 * 2. the Node running this script, when it is 24;
 * 3. `.tmp/node24/` (git-ignored), where an earlier run installed it;
 * 4. otherwise it installs `node-<os>-<arch>@24` from the npm registry into `.tmp/node24/`.
 *    The registry has such a package for Linux x64 and arm64, macOS x64 and Windows x64, not for
 *    macOS on Apple silicon or Windows on ARM: there, run the tests on Node 24 or set the variable.
 *
 * Jest runs this as its global setup: the path it finds is passed to the tests in
 * `PREPRINT_DIGEST_NODE24`. When there is none, the setup fails the whole run if `CI` is set, and
 * otherwise prints why and the end-to-end suites are skipped (reported as skipped, never passed).
 * `node script/node24.mjs` prints the path (installing it if needed) or why there is none.
 */
import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const CACHE = join(ROOT, '.tmp', 'node24')
export const VARIABLE = 'PREPRINT_DIGEST_NODE24'
const MISSING = 'PREPRINT_DIGEST_NODE24_MISSING'

/** The npm package with Node 24 for a platform, or undefined when the registry has none. */
export function packageFor(platform = process.platform, arch = process.arch) {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'win' }[platform]
  const supported = ['linux-x64', 'linux-arm64', 'darwin-x64', 'win-x64']
  return os && supported.includes(`${os}-${arch}`) ? `node-${os}-${arch}` : undefined
}

function binary(pkg) {
  return join(CACHE, 'node_modules', pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node')
}

function isNode24(path) {
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8' }).trim().startsWith('v24.')
  } catch {
    return false
  }
}

/** `{ path }` of a Node 24 binary, or `{ reason }` why there is none. Installs only if `install`. */
export function findNode24({ install = true, log = console.log } = {}) {
  const given = process.env[VARIABLE]
  if (given) {
    return isNode24(given) ? { path: given } : { reason: `${VARIABLE}=${given} is not a Node 24 binary` }
  }
  if (process.versions.node.startsWith('24.')) return { path: process.execPath }
  const pkg = packageFor()
  if (!pkg) {
    return {
      reason:
        `npm has no Node 24 package for ${process.platform}-${process.arch}; ` +
        `run the tests on Node 24, or set ${VARIABLE} to a Node 24 binary`
    }
  }
  const path = binary(pkg)
  if (isNode24(path)) return { path }
  if (!install) return { reason: `${path} is not installed` }
  log(`Installing ${pkg}@24 into ${CACHE} for the end-to-end tests (once)...`)
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    const args = ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts']
    execFileSync(npm, [...args, '--prefix', CACHE, `${pkg}@24`], {
      stdio: ['ignore', 'ignore', 'inherit'],
      shell: process.platform === 'win32'
    })
  } catch (error) {
    return { reason: `npm install ${pkg}@24 failed (${error.message.split('\n')[0]})` }
  }
  return isNode24(path) ? { path } : { reason: `${pkg}@24 installed, but ${path} is not a Node 24 binary` }
}

/** Jest's global setup: passes the binary on, or explains why the end-to-end tests cannot run. */
export default function setup() {
  const found = findNode24({ log: text => console.log(`\n${text}`) })
  if (found.path) {
    process.env[VARIABLE] = found.path
    delete process.env[MISSING]
    return
  }
  const message = `No Node 24 for the end-to-end tests: ${found.reason}.`
  if (!['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase()))
    throw new Error(`${message} CI must run them.`)
  delete process.env[VARIABLE]
  process.env[MISSING] = found.reason
  console.warn(`\n*** ${message} The end-to-end suites are SKIPPED. ***\n`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const found = findNode24()
  if (found.path) console.log(found.path)
  else {
    console.error(found.reason)
    process.exitCode = 1
  }
}
