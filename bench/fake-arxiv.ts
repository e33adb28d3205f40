/**
 * Serves the test suite's fake arXiv (the reference pages' papers) on 127.0.0.1, to try the CLI
 * without internet access: `npm run fake-arxiv`, then run the digest with the printed --arxiv-url.
 * `npm run demo` does both in one process.
 */
import { REFERENCE_EPOCH, startReferenceArxiv } from './reference-arxiv.js'

const { arxiv, papers } = await startReferenceArxiv()
console.log(`Fake arXiv with ${papers} papers (submitted 2026-02-11 and 12) at ${arxiv.url}`)
console.log(
  `Try: SOURCE_DATE_EPOCH=${REFERENCE_EPOCH} npm run digest -- --config examples/topics.yml --out my-digest ` +
    `--arxiv-url ${arxiv.url} --request-delay 0`
)
console.log('Ctrl-C stops it.')
process.on('SIGINT', () => void arxiv.close().then(() => process.exit(0)))
