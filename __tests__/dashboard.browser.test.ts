/// <reference lib="dom" />
/**
 * The dashboard in a real browser: headless Chromium (Debian's `chromium`, or CHROMIUM_PATH) driven by
 * playwright-core, on the site the CLI generates from the seed corpus plus hostile papers, served over
 * local HTTP as GitHub Pages would. Types a search, applies filters, checks counts and titles, walks
 * the controls with the keyboard, checks that hostile text stays text, and saves screenshots to
 * `.tmp/screenshots/` (git-ignored).
 *
 * Without Chromium the tests are skipped with a notice outside CI, and fail under CI=true.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import type { SiteTopicData } from '../src/render/site.js'
import { paperFixture } from '../test-support/fake-arxiv.js'
import { generateSite, serveFolder } from '../test-support/site.js'

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const SCREENSHOTS = '.tmp/screenshots'
const INSTALL =
  `Chromium was not found at ${CHROMIUM}; the dashboard's browser test needs it. ` +
  'Install it with "sudo apt-get install -y chromium" (Debian; .ci/run does this), ' +
  'or set CHROMIUM_PATH to a Chrome or Chromium binary.'
const found = existsSync(CHROMIUM)
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false'

if (!found && !inCi) {
  process.stderr.write(`\n*** SKIPPED: the dashboard browser test. ${INSTALL} ***\n\n`)
}

/** A paper whose every text field tries to become markup, and that matches the vla topic. */
const HOSTILE = paperFixture({
  id: '2602.09999',
  title: '<img src=x onerror="window.__pwned=1;alert(1)"> VLA <script>alert(2)</script>',
  abstract: 'A VLA abstract with <b>bold</b> and "><svg onload=alert(3)> and </li></ol><h1>big</h1>.',
  authors: ['<i>Mallory</i>', 'Eve" onmouseover="alert(4)'],
  categories: ['cs.RO'],
  published: '2026-02-10T08:00:00Z'
})

/** Every word of `query` is somewhere in `text` (lower case), as the page's search means it. */
function hasTerms(text: string, query: string): boolean {
  return query.split(' ').every(term => text.includes(term))
}

/** Enough plain papers that the list needs its "Show more" button (50 at a time). */
const FILLER = Array.from({ length: 25 }, (_, i) =>
  paperFixture({
    id: `2602.${String(8001 + i).padStart(5, '0')}`,
    title: `Tactile VLA Study ${i + 1}`,
    categories: ['cs.RO'],
    published: `2026-02-09T10:${String(i).padStart(2, '0')}:00Z`
  })
)

interface Shown {
  status: string
  titles: string[]
}

const describeBrowser = found ? describe : inCi ? describe : describe.skip

describeBrowser('the dashboard in headless Chromium', () => {
  let out: string
  let site: { url: string; close(): Promise<void> }
  let context: BrowserContext
  let userData: string
  let all: Map<string, { title: string; text: string; topics: string[]; code: boolean; published: string }>
  const dialogs: string[] = []
  const errors: string[] = []
  /** Titles with an http(s) project page, and the paper whose data file links were tampered with. */
  const projectPages = new Set<string>()
  let tampered = ''

  beforeAll(async () => {
    if (!found) throw new Error(INSTALL)
    const run = await generateSite({ papers: [HOSTILE, ...FILLER] })
    expect(run.result.code).toBe(0)
    out = run.out
    // A hand-edited data file: links the generator would never write must not reach the page.
    const path = join(out, 'docs/data/world_models.json')
    const world = JSON.parse(await readFile(path, 'utf8')) as SiteTopicData
    world.papers[0]!.links = {
      abs: 'javascript:alert(5)',
      pdf: world.papers[0]!.links.pdf,
      code: 'javascript:alert(6)',
      projectPage: 'data:text/html,<script>alert(7)</script>'
    }
    await writeFile(path, JSON.stringify(world))
    all = await expectedPapers(join(out, 'docs'))
    site = await serveFolder(join(out, 'docs'))
    userData = await mkdtemp(join(tmpdir(), 'preprint-digest-chromium-'))
    context = await chromium.launchPersistentContext(userData, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    })
    await mkdir(SCREENSHOTS, { recursive: true })
  }, 60_000)

  afterAll(async () => {
    await context?.close()
    await site?.close()
    if (userData) await rm(userData, { recursive: true, force: true })
    if (out) await rm(dirname(out), { recursive: true, force: true })
  })

  async function open(viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = await context.newPage()
    await page.setViewportSize(viewport)
    page.on('dialog', dialog => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    page.on('console', message => {
      if (message.type() === 'error') errors.push(message.text())
    })
    page.on('pageerror', error => errors.push(error.message))
    await page.goto(site.url)
    await page.waitForFunction(() =>
      /^Showing|^No paper/.test(document.getElementById('status')!.textContent!)
    )
    return page
  }

  async function shown(page: Page): Promise<Shown> {
    return {
      status: (await page.locator('#status').textContent()) ?? '',
      titles: await page.locator('#papers h3').allTextContents()
    }
  }

  /** The titles the filter should show, newest first, as the page sorts by date. */
  function expected(keep: (p: typeof all extends Map<string, infer V> ? V : never) => boolean): string[] {
    return [...all.values()]
      .filter(keep)
      .sort((a, b) => (a.published === b.published ? 0 : a.published < b.published ? 1 : -1))
      .map(p => p.title)
  }

  it('lists every paper once, with the charts, and no script error', async () => {
    const page = await open()
    const { status, titles } = await shown(page)
    expect(all.size).toBe(54)
    expect(status).toBe('Showing 50 of 54 matching papers (54 in all).')
    expect(titles).toEqual(expected(() => true).slice(0, 50))
    expect(await page.locator('#summary').textContent()).toBe(
      '54 papers on 2 topics, last updated 2026-02-13.'
    )
    // The rest with the keyboard: focus moves to the first paper added.
    expect(await page.locator('#more').textContent()).toBe('Show more papers (4 left)')
    await page.locator('#more').focus()
    await page.keyboard.press('Enter')
    expect(await shown(page)).toEqual({
      status: 'Showing 54 of 54 matching papers (54 in all).',
      titles: expected(() => true)
    })
    expect(await page.locator('#more').isHidden()).toBe(true)
    expect(await page.evaluate(() => document.activeElement!.closest('h3')?.id)).toBe('paper-50')
    const charts = page.locator('#charts figure svg[role="img"]')
    expect(await charts.count()).toBe(2)
    expect(await charts.nth(1).getAttribute('aria-label')).toBe(
      'World Models: 16 new papers in the 12 weeks to the week of 2026-02-09'
    )
    expect(await page.locator('#charts figure').nth(0).locator('rect.bar').count()).toBe(12)
    const rows = page.locator('#charts figure').nth(1).locator('tr')
    expect(await rows.count()).toBe(13)
    expect(await rows.last().locator('th, td').allTextContents()).toEqual(['2026-02-09', '16'])
    // A paper in both topics shows both, with the reason of each.
    const both = page.locator('li.paper', { hasText: 'GigaBrain-0.5M*' })
    expect(await both.locator('.tag').allTextContents()).toEqual([
      'Vision-Language-Action Models',
      'World Models'
    ])
    expect(await both.locator('.reason').first().textContent()).toMatch(
      /^Why \(Vision-Language-Action Models\): keyword "VLA" in title/
    )
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard.png` })
    await page.close()
    expect(errors).toEqual([])
  })

  it('filters by a typed search, a topic, code links, dates, and sorts by relevance', async () => {
    const page = await open()
    await page.locator('#q').pressSequentially('jepa')
    const jepa = expected(p => hasTerms(p.text, 'jepa'))
    expect(jepa).toEqual(
      expect.arrayContaining([
        'JEPA-VLA: Video Predictive Embedding is Needed for VLA Models',
        expect.stringMatching(/^Causal-JEPA: Learning World Models/)
      ])
    )
    expect(await shown(page)).toEqual({
      status: `Showing ${jepa.length} of ${jepa.length} matching papers (54 in all).`,
      titles: jepa
    })

    // Abstracts and authors are searched too, not only titles.
    for (const query of ['intention-action gap', 'lecun']) {
      await page.locator('#q').fill(query)
      const hits = expected(p => hasTerms(p.text, query))
      expect(hits.some(title => !hasTerms(title.toLowerCase(), query))).toBe(true)
      expect((await shown(page)).titles).toEqual(hits)
    }
    await page.locator('#q').fill('jepa')
    await page.locator('#topic').selectOption('world_models')
    const jepaWorld = expected(p => hasTerms(p.text, 'jepa') && p.topics.includes('world_models'))
    expect(jepaWorld.length).toBeLessThan(jepa.length)
    expect((await shown(page)).titles).toEqual(jepaWorld)

    await page.locator('#q').fill('')
    await page.locator('#has-code').check()
    const withCode = expected(p => p.code && p.topics.includes('world_models'))
    expect(withCode.length).toBeGreaterThan(0)
    expect(await shown(page)).toEqual({
      status: `Showing ${withCode.length} of ${withCode.length} matching papers (54 in all).`,
      titles: withCode
    })

    await page.locator('button[type="reset"]').click()
    await page.waitForFunction(() => document.querySelectorAll('#papers li').length === 50)
    await page.locator('#from').fill('2026-02-12')
    const fromTwelfth = expected(p => p.published >= '2026-02-12')
    expect((await shown(page)).titles).toEqual(fromTwelfth)
    await page.locator('#to').fill('2026-02-11')
    expect(await shown(page)).toEqual({ status: 'No paper matches these filters.', titles: [] })

    await page.locator('button[type="reset"]').click()
    await page.locator('#topic').selectOption('vla')
    await page.locator('#sort').selectOption('relevance')
    const scores = await page.evaluate(async () => {
      const data = (await (await fetch('data/vla.json')).json()) as { papers: unknown }
      return data.papers as Array<{ title: string; score: number }>
    })
    const best = Math.max(...scores.map(s => s.score))
    const first = (await shown(page)).titles[0]
    expect(scores.find(s => s.title === first)!.score).toBe(best)
    await page.close()
  })

  it('can be used with the keyboard alone, with a visible focus', async () => {
    const page = await open()
    const order: string[] = []
    for (let i = 0; i < 24; i++) {
      await page.keyboard.press('Tab')
      const id = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement
        return el.id || el.getAttribute('type') || el.tagName.toLowerCase()
      })
      if (order.at(-1) !== id) order.push(id)
    }
    // The skip link first, then the charts' tables, then the controls in reading order.
    expect(order[0]).toBe('a')
    const controls = ['q', 'topic', 'from', 'to', 'sort', 'has-code', 'has-project', 'reset']
    const at = controls.map(id => order.indexOf(id))
    expect(at.every(i => i > 0)).toBe(true)
    expect(at).toEqual([...at].sort((a, b) => a - b))
    await page.locator('#has-project').focus()
    await page.keyboard.press('Space')
    const withPage = expected(p => p.text !== '' && projectPages.has(p.title))
    expect((await shown(page)).titles).toEqual(withPage)
    await page.locator('#q').focus()
    await page.keyboard.type('world model')
    expect((await shown(page)).titles).toEqual(
      withPage.filter(t => hasTerms(all.get(t)!.text, 'world model'))
    )
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)
    expect(outline).toBe('solid')
    await page.close()
  })

  it('shows hostile text as text and drops links that are not http(s)', async () => {
    const page = await open()
    const card = page.locator('li.paper', { hasText: 'onerror' })
    expect(await card.locator('h3').textContent()).toBe(HOSTILE.title)
    expect(await card.locator('.abstract').textContent()).toBe(HOSTILE.abstract)
    expect(await card.locator('.meta').textContent()).toContain('<i>Mallory</i>, Eve" onmouseover="alert(4)')
    expect(
      await page.locator('#papers img, #papers script, #papers svg, #papers b, #papers h1').count()
    ).toBe(0)
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
    // The tampered paper: its title is plain text, and it has neither code nor project link.
    expect(await page.locator('a[href^="javascript:"], a[href^="data:"]').count()).toBe(0)
    await page.locator('#has-code').check()
    const codeTitles = (await shown(page)).titles
    expect(codeTitles).not.toContain(tampered)
    await page.close()
    expect(dialogs).toEqual([])
  })

  it('has no accessibility violation that axe-core finds, in light and dark colours', async () => {
    const axe = await readFile('node_modules/axe-core/axe.min.js', 'utf8')
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await open()
      await page.emulateMedia({ colorScheme })
      // Open the charts' tables too, so that they are checked.
      for (const summary of await page.locator('#charts summary').all()) await summary.click()
      // Evaluated by the test harness (DevTools), not by the page: the page's policy does not apply.
      await page.evaluate(axe)
      const violations = await page.evaluate(async () => {
        const run = (window as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe.run
        const result = await run()
        return (result.violations as Array<{ id: string; nodes: Array<{ target: string[] }> }>).map(
          v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`
        )
      })
      expect({ colorScheme, violations }).toEqual({ colorScheme, violations: [] })
      if (colorScheme === 'dark') await page.screenshot({ path: `${SCREENSHOTS}/dashboard-dark.png` })
      await page.close()
    }
  })

  it('fits a phone screen without sideways scrolling', async () => {
    const page = await open({ width: 390, height: 844 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-phone.png` })
    await page.locator('#q').fill('jepa')
    await page.locator('#results').scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-phone-papers.png` })
    await page.close()
  })

  /** What the data files hold, read independently of the page: title → paper. */
  async function expectedPapers(docs: string) {
    const papers = new Map<
      string,
      { title: string; text: string; topics: string[]; code: boolean; published: string }
    >()
    for (const id of ['vla', 'world_models']) {
      const data = JSON.parse(await readFile(join(docs, 'data', `${id}.json`), 'utf8')) as SiteTopicData
      for (const p of data.papers) {
        const known = papers.get(p.title)
        if (known) known.topics.push(id)
        else
          papers.set(p.title, {
            title: p.title,
            text: [p.title, p.abstract, p.authors.join(' ')].join(' ').toLowerCase(),
            topics: [id],
            code: /^https?:/.test(p.links.code ?? ''),
            published: p.published
          })
        if (/^https?:/.test(p.links.projectPage ?? '')) projectPages.add(p.title)
      }
      if (id === 'world_models') tampered = data.papers[0]!.title
    }
    return papers
  }
})
