#!/usr/bin/env node
// Stack traces name src/ lines: source maps are enabled before the bundle (dist/command-line.js)
// is loaded, since Node reads a file's source map when it loads the file. See src/action/index.ts.
process.setSourceMapsEnabled(true);
const { main } = await import('./command-line.js');
process.exitCode = await main(process.argv.slice(2));
//# sourceMappingURL=cli.js.map
