// What dist/index.js does, with the GitHub client's pacing for tests as the first argument (JSON):
// test-support/action-runner.ts starts this on Node 24 in the runner's environment, so that the
// end-to-end suites run the bundle the runner loads (dist/main.js) without GitHub's 1 s between
// write requests.
process.setSourceMapsEnabled(true)
const { run } = await import('../dist/main.js')

process.exitCode = await run(process.env, undefined, JSON.parse(process.argv[2]))
