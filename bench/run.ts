/**
 * Benchmark: prints numbers beside their targets, asserts nothing. `npm run bench`
 * (`BENCH_QUICK=1` for the small cases only, as the test suite runs it).
 *
 * 1. arXiv requests per case, with the shipped defaults, against the local fake arXiv: ours, the
 *    floor target 2 × ⌈needed / 2000⌉, and what the reference system's strategies would send
 *    (REF-1: one query per keyword, capped at 100 results; REF-2: one query per keyword per topic,
 *    paged by 100).
 * 2. The CLI (`node dist/cli.js`, as a user runs it) on 100 topics: CPU time and peak RSS of its
 *    process, first run (three times, each into an empty folder: the median and the range) and a
 *    quiet rerun. A `--dry-run` first fills the fake arXiv's answer cache, so that the fake does not
 *    search and write 6 MB answers on the same cores while the measured runs wait for them.
 * 3. GitHub requests of the action (in-process, against the fake GitHub) for 2 topics over a first
 *    run, an update with the PR open and quiet runs, and quiet runs with 30 and 100 topics holding
 *    12 months of state.
 * 4. Link extraction on hostile input (must stay linear).
 *
 * `BENCH_CPU_PROF=<dir>` writes a `--cpu-prof` profile of each CLI run there (open in Chrome's
 * DevTools); `BENCH_VERBOSE=1` prints the GitHub requests of each case; `BENCH_ONLY=cli,github` runs only
 * those sections (arxiv, cli, github, links).
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { dump as stringify } from 'js-yaml'
import { ArxivClient } from '../src/arxiv/client.js'
import { loadConfig } from '../src/config/config.js'
import { extractLinks } from '../src/digest/links.js'
import { createMatcher } from '../src/digest/matching.js'
import { runDigest } from '../src/pipeline.js'
import { keywordPhrases } from '../src/arxiv/plan.js'
import { loadTemplates } from '../src/render/templates.js'
import { EMPTY_REPO } from '../src/digest/repo.js'
import { writeTopicState } from '../src/digest/state.js'
import type { Config, HeldPaper, Paper, Topic } from '../src/digest/types.js'
import { actionRunner } from '../test-support/action-runner.js'
import { SimulatedClock } from '../test-support/clock.js'
import { paperFixture, startFakeArxiv } from '../test-support/fake-arxiv.js'
import { DAY, NOW, syntheticPapers, syntheticTopics, topicEntries } from './synthetic.js'
import { startFakeGitHub } from '../test-support/fake-github.js'

const exec = promisify(execFile)
const QUICK = process.env.BENCH_QUICK === '1'

function configFor(topics: Topic[]): Config {
  return loadConfig(
    stringify({
      topics: topicEntries(topics)
    }),
    'bench'
  )
}

// ---------------------------------------------------------------------------------------------
// 1. arXiv requests

interface RequestCase {
  name: string
  topics: Topic[]
  corpus: Paper[]
}

/** The two reference topics of examples/topics.yml on the seed corpus, and synthetic cases. */
async function requestCases(): Promise<RequestCase[]> {
  const examples = loadConfig(await readFile('examples/topics.yml', 'utf8'), 'examples/topics.yml')
  const seed: Paper[] = JSON.parse(await readFile('__fixtures__/seed/papers.json', 'utf8'))
  const three = syntheticTopics(3)
  const hundred = syntheticTopics(100)
  const cases: RequestCase[] = [
    { name: '2 topics / seed corpus', topics: examples.topics, corpus: seed },
    { name: '3 topics / 500 papers', topics: three, corpus: syntheticPapers(500, three) }
  ]
  if (!QUICK) {
    cases.push({ name: '100 topics / 10k papers', topics: hundred, corpus: syntheticPapers(10_000, hundred) })
    cases.push({ name: '100 topics / 30k papers', topics: hundred, corpus: syntheticPapers(30_000, hundred) })
  }
  return cases
}

async function arxivRequests(): Promise<void> {
  const templates = await loadTemplates({}, async () => undefined)
  console.log('\n## arXiv requests (7-day window, page size 2000)\n')
  console.log('| case | needed | ours | target ≤ 2×⌈needed/2000⌉ | REF-1 | REF-2 |')
  console.log('|---|---:|---:|---:|---:|---:|')
  for (const c of await requestCases()) {
    const config = { ...configFor(c.topics), lookbackDays: 7 }
    const from = new Date(NOW.getTime() - 7 * DAY).toISOString()
    const inWindow = c.corpus.filter(p => p.published >= from)
    const started = performance.now()
    const matcher = createMatcher()
    const needed = new Set(
      inWindow.filter(p => config.topics.some(t => matcher.match(p, t).matched)).map(p => p.id)
    ).size
    const arxiv = await startFakeArxiv({ corpus: c.corpus })
    try {
      if (process.env.BENCH_VERBOSE) console.log(`needed in ${(performance.now() - started).toFixed(0)} ms`)
      const client = new ArxivClient({ baseUrl: arxiv.url, userAgent: 'bench', delaySeconds: 0 })
      await runDigest({ config, now: NOW, base: EMPTY_REPO, arxiv: client, templates })
      // REF-1: one query per keyword (capped at 100 results); REF-2: one per keyword per topic, pages of 100.
      const keywords = new Set(config.topics.flatMap(t => t.keywords.map(k => k.toLowerCase())))
      const texts = inWindow.map(p => ` ${p.title} ${p.abstract} `.toLowerCase().replace(/[^a-z0-9]+/g, ' '))
      let ref2 = 0
      for (const t of config.topics)
        for (const k of t.keywords) {
          const phrases = keywordPhrases(k).map(ph => ` ${ph} `)
          const hits = texts.filter(text => phrases.some(ph => text.includes(ph))).length
          ref2 += Math.max(1, Math.ceil(hits / 100))
        }
      const target = 2 * Math.max(1, Math.ceil(needed / 2000))
      console.log(
        `| ${c.name} | ${needed} | ${client.requestCount} | ${target} | ${keywords.size} | ${ref2} |`
      )
    } finally {
      await arxiv.close()
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 2. CLI CPU and memory

/** Runs the CLI in its own process; its CPU time and peak RSS come from `process.resourceUsage()`. */
async function cliRun(args: string[], epoch: number): Promise<{ cpu: number; rss: number; stdout: string }> {
  const usage = join(tmpdir(), `preprint-digest-bench-usage-${process.pid}.json`)
  const { stdout } = await exec(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []),
      '--import',
      './build/bench/resource-usage.js',
      'dist/cli.js',
      ...args
    ],
    {
      env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch), RESOURCE_USAGE_FILE: usage },
      maxBuffer: 64 * 2 ** 20
    }
  )
  const { cpu, rss } = JSON.parse(await readFile(usage, 'utf8'))
  return { cpu, rss, stdout }
}

async function cliCosts(): Promise<void> {
  console.log('\n## CLI CPU and memory (node dist/cli.js, 100 topics; arXiv answers cached by the fake)\n')
  console.log('| case | CPU, median (range) | peak RSS, median (range) | target |')
  console.log('|---|---:|---:|---|')
  const topics = syntheticTopics(100)
  for (const [n, targets] of [
    [10_000, '≤ 3 s, ≤ 300 MiB'],
    [30_000, '≤ 600 MiB']
  ] as const) {
    if (QUICK) break
    const arxiv = await startFakeArxiv({ corpus: syntheticPapers(n, topics), cacheAnswers: true })
    const dir = await mkdtemp(join(tmpdir(), 'preprint-digest-bench-'))
    try {
      await writeFile(
        join(dir, 'topics.yml'),
        stringify({
          'lookback-days': 7,
          topics: topicEntries(topics)
        })
      )
      const args = (out: string) => [
        '--config',
        join(dir, 'topics.yml'),
        '--out',
        join(dir, out),
        '--arxiv-url',
        arxiv.url,
        '--request-delay',
        '0'
      ]
      const epoch = NOW.getTime() / 1000
      // A run that writes nothing asks the fake every question first: the measured runs get cached
      // answers, so only the CLI's own work counts (the fake shares the machine's two cores).
      await cliRun([...args('out'), '--dry-run', '--quiet'], epoch)
      // One run can be a quarter off on a shared machine: three, each into an empty folder.
      const firsts: { cpu: number; rss: number }[] = []
      for (const out of ['out', 'out-2', 'out-3']) firsts.push(await cliRun(args(out), epoch))
      const cpu = spread(
        firsts.map(r => r.cpu),
        x => x.toFixed(1)
      )
      const rss = spread(
        firsts.map(r => r.rss),
        x => x.toFixed(0)
      )
      console.log(
        `| first run, ${n / 1000}k papers (3 runs) | ${cpu.text} s | ${rss.text} MiB | ${targets} |`
      )
      if (n === 10_000) {
        const quiet = await cliRun(args('out'), epoch + 600)
        console.log(
          `| quiet rerun, ${n / 1000}k papers | ${quiet.cpu.toFixed(1)} s (${(quiet.cpu / cpu.median).toFixed(2)}× the first run) | ${quiet.rss.toFixed(0)} MiB | ≤ 0.3× |`
        )
      }
    } finally {
      await arxiv.close()
      await rm(dir, { recursive: true, force: true })
    }
  }
  if (!QUICK)
    console.log(
      `\nThis machine now: ${machineSpeed()} ms for a fixed loop (see docs/design.md, "Scale, measured").`
    )
}

/** The median of `values` (an odd number of them) and, as text, the median with the range. */
function spread(values: number[], format: (x: number) => string): { median: number; text: string } {
  const sorted = [...values].sort((a, b) => a - b)
  const median = sorted[(sorted.length - 1) / 2]
  return { median, text: `${format(median)} (${format(sorted[0])}–${format(sorted.at(-1)!)})` }
}

/**
 * CPU time of a fixed loop over a string's characters, in milliseconds: this machine's CPU times
 * drift by a quarter from hour to hour, so a reader can tell a slow hour from a slower build.
 */
function machineSpeed(): number {
  const s = 'abcdefghij'.repeat(1000)
  const start = process.cpuUsage()
  let t = 0
  for (let i = 0; i < 1e8; i++) t += s.charCodeAt(i % 10000)
  const used = process.cpuUsage(start)
  if (t === 0) throw new Error('unreachable: the loop sums character codes')
  return Math.round((used.user + used.system) / 1000)
}

// ---------------------------------------------------------------------------------------------
// 3. GitHub requests

/** `months` months of state for `topics`, 20 papers a month each, and a page per topic. */
function history(topics: Topic[], months: number, config: Config): Record<string, string> {
  const files: Record<string, string> = { 'README.md': '# Lab\n' }
  for (const topic of topics) {
    const state = new Map<string, HeldPaper>()
    for (let m = 0; m < months; m++)
      for (let k = 0; k < 20; k++) {
        const seen = new Date(NOW.getTime() - (months - m) * 30 * DAY + k * DAY)
        const paper = paperFixture({
          id: `25${String(m).padStart(2, '0')}.${String(k).padStart(5, '0')}`,
          title: `${topic.keywords[0]} study ${m}-${k}`,
          categories: topic.categories,
          published: seen.toISOString().replace(/\.\d{3}Z$/, 'Z')
        })
        state.set(paper.id, { paper, firstSeen: paper.published })
      }
    for (const [path, text] of writeTopicState(config, topic.id, state)) files[path] = text
    files[`digests/${topic.id}.md`] = `# ${topic.title}\n`
  }
  return files
}

async function githubRequests(): Promise<void> {
  console.log('\n## GitHub requests of the action (fake GitHub, in-process)\n')
  console.log('| case | requests | writes | operation | target |')
  console.log('|---|---:|---:|---|---|')
  const seed: Paper[] = JSON.parse(await readFile('__fixtures__/seed/papers.json', 'utf8'))
  const arxiv = await startFakeArxiv({ corpus: seed })
  const github = await startFakeGitHub()
  const temp = await mkdtemp(join(tmpdir(), 'preprint-digest-bench-gh-'))
  const examples = await readFile('examples/topics.yml', 'utf8')
  const inline = stringify(topicEntries(loadConfig(examples, 'examples/topics.yml').topics))
  try {
    const action = await actionRunner({
      owner: 'lab',
      arxivUrl: arxiv.url,
      githubUrl: github.url,
      temp,
      clock: new SimulatedClock(),
      inputs: { topics: inline },
      beforeRun: () => github.clearRequests()
    })
    const row = async (
      name: string,
      repo: string,
      epoch: number,
      target: string,
      inputs?: Record<string, string>
    ) => {
      const run = await action(repo, epoch, inputs)
      if (run.code !== 0) throw new Error(`${name}: the action failed\n${run.stdout}`)
      if (process.env.BENCH_VERBOSE) console.log(github.requestLines().join('\n'))
      console.log(
        `| ${name} | ${github.requests.length} | ${github.writeRequests().length} | ${run.outputs['pull-request-operation']} | ${target} |`
      )
    }
    const day1 = NOW.getTime() / 1000
    github.createRepo('lab', 'two', { files: { 'README.md': '# Lab\n' } })
    await row('2 topics: first run', 'two', day1, '≤ 7')
    arxiv.setCorpus([
      ...seed,
      paperFixture({
        id: '2602.15001',
        title: 'A VLA for Kitchens',
        categories: ['cs.RO'],
        published: '2026-02-14T10:00:00Z'
      })
    ])
    // Day 1 is a Friday; the next runs are on Monday and Tuesday, after arXiv announcements.
    await row('2 topics: update with the PR open', 'two', day1 + 3 * 86_400, '≤ 9')
    await row('2 topics: quiet, PR open', 'two', day1 + 3 * 86_400 + 600, '')
    github.mergePullRequest('lab', 'two', 1)
    await row('2 topics: quiet after the merge, branch kept', 'two', day1 + 4 * 86_400, '')
    github.deleteBranch('lab', 'two', 'preprint-digest/update')
    await row('2 topics: quiet after the merge, branch deleted', 'two', day1 + 4 * 86_400 + 600, '≤ 4')

    arxiv.setCorpus([])
    for (const n of QUICK ? [30] : [30, 100]) {
      const topics = syntheticTopics(n)
      const config = configFor(topics)
      const repo = `t${n}`
      github.createRepo('lab', repo, { files: history(topics, 12, config) })
      const inputs = {
        topics: stringify(topicEntries(topics))
      }
      await row(`${n} topics × 12 months: quiet`, repo, day1, '≤ 5', inputs)
    }
  } finally {
    await arxiv.close()
    await github.close()
    await rm(temp, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Links on hostile input

function links(): void {
  console.log('\n## Link extraction on 1 MiB hostile inputs (linear time)\n')
  for (const [name, text] of [
    ['"\\href{"', '\\href{'.repeat(174_763)],
    ['"http://"', 'http://'.repeat(149_797)],
    ['"github.com/"', 'github.com/'.repeat(95_326)],
    ['"(((("', '('.repeat(1_048_576)]
  ] as const) {
    const start = performance.now()
    extractLinks({ title: 'T', abstract: text, comment: text })
    console.log(`- 1 MiB of ${name}: ${(performance.now() - start).toFixed(0)} ms`)
  }
}

const only = process.env.BENCH_ONLY?.split(',')
const sections = { arxiv: arxivRequests, cli: cliCosts, github: githubRequests, links }
for (const [name, section] of Object.entries(sections)) if (!only || only.includes(name)) await section()
