// dist/ ships source maps, so that stack traces name src/ lines; action.yml's `runs.main` cannot
// pass --enable-source-maps. Node reads a file's source map when it loads the file, so they are
// enabled here, before the bundle of the action (dist/main.js) is loaded.
process.setSourceMapsEnabled(true)
const { run } = await import('./main.js')

process.exitCode = await run()
