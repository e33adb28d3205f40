/**
 * Serves the test suite's fake arXiv (the reference pages' papers) on 127.0.0.1, to try the CLI
 * without internet access: `npm run fake-arxiv`, then run the digest with the printed --arxiv-url.
 */
import { readFile } from 'node:fs/promises'
import { startFakeArxiv } from '../__tests__/helpers/fake-arxiv.js'

const corpus = JSON.parse(await readFile('__fixtures__/seed/papers.json', 'utf8'))
const arxiv = await startFakeArxiv({ corpus })
console.log(`Fake arXiv with ${corpus.length} papers (submitted 2026-02-11 and 12) at ${arxiv.url}`)
console.log(
  `Try: SOURCE_DATE_EPOCH=1771021380 npm run digest -- --config examples/topics.yml --out my-digest ` +
    `--arxiv-url ${arxiv.url} --request-delay 0`
)
console.log('Ctrl-C stops it.')
process.on('SIGINT', () => void arxiv.close().then(() => process.exit(0)))
