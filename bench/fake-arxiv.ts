/**
 * Serves the test suite's fake arXiv on 127.0.0.1, to try the CLI without internet access:
 * `npm run fake-arxiv`, then run the digest with the printed --arxiv-url. `npm run demo` does both in
 * one process.
 *
 * By default it serves the reference pages' papers. `npm run fake-arxiv -- --synthetic 10000` serves
 * the benchmark's synthetic corpus of that many papers instead and writes its 100 topics to a topic
 * file, to profile one benchmark case by hand (`node --cpu-prof dist/cli.js …`).
 */
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { dump as stringify } from 'js-yaml'
import { startFakeArxiv } from '../test-support/fake-arxiv.js'
import { REFERENCE_EPOCH, startReferenceArxiv } from './reference-arxiv.js'
import { NOW, syntheticPapers, syntheticTopics, topicEntries } from './synthetic.js'

const { values } = parseArgs({ options: { synthetic: { type: 'string' } } })
const count = values.synthetic === undefined ? undefined : Number(values.synthetic)
if (count !== undefined && !(Number.isInteger(count) && count > 0))
  throw new Error(`--synthetic: expected a positive whole number of papers, got "${values.synthetic}"`)

if (count === undefined) {
  const { arxiv, papers } = await startReferenceArxiv()
  console.log(`Fake arXiv with ${papers} papers (submitted 2026-02-11 and 12) at ${arxiv.url}`)
  console.log(
    `Try: SOURCE_DATE_EPOCH=${REFERENCE_EPOCH} npm run digest -- --config examples/topics.yml --out my-digest ` +
      `--arxiv-url ${arxiv.url} --request-delay 0`
  )
  stopOnInterrupt(arxiv)
} else {
  const topics = syntheticTopics(100)
  const arxiv = await startFakeArxiv({ corpus: syntheticPapers(count, topics), cacheAnswers: true })
  const file = join(tmpdir(), `preprint-digest-synthetic-${count}.yml`)
  await writeFile(file, stringify({ 'lookback-days': 7, topics: topicEntries(topics) }))
  console.log(
    `Fake arXiv with ${count} synthetic papers (the 7 days before ${NOW.toISOString()}) at ${arxiv.url}`
  )
  console.log(
    `Try: SOURCE_DATE_EPOCH=${NOW.getTime() / 1000} node dist/cli.js --config ${file} --out "$(mktemp -d)" ` +
      `--arxiv-url ${arxiv.url} --request-delay 0`
  )
  stopOnInterrupt(arxiv)
}

function stopOnInterrupt(arxiv: { close(): Promise<void> }): void {
  console.log('Ctrl-C stops it.')
  process.on('SIGINT', () => void arxiv.close().then(() => process.exit(0)))
}
