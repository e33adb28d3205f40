// The dashboard's script, embedded in index.html by preprint-digest (docs/site.md). It loads
// topics.json and each topic's data file, then lists, filters and sorts the papers. Every value from
// the data goes into the page through textContent or attributes set one by one (never as HTML), and
// a link is kept only when it is http(s).
;(function () {
  'use strict'

  const PAGE_SIZE = 50
  const SVG = 'http://www.w3.org/2000/svg'
  const DATA_PATH = /^data\/[a-z0-9][a-z0-9_-]*\.json$/

  const root = document.getElementById('dashboard')
  const $ = id => document.getElementById(id)
  const form = $('filters')
  const controls = {
    q: $('q'),
    topic: $('topic'),
    from: $('from'),
    to: $('to'),
    sort: $('sort'),
    code: $('has-code'),
    project: $('has-project')
  }
  const status = $('status')
  const list = $('papers')
  const more = $('more')

  /** Every distinct paper: { paper, topics: Map(topic id → { title, reason, score }), text, date, code, project } */
  let items = []
  let matches = []
  let shown = 0
  let maxAuthors = 5

  /** Lower case, accents folded, whitespace collapsed: what search compares. */
  function fold(text) {
    return String(text).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ')
  }

  /** The URL if it is http(s), else null. */
  function safeHref(value) {
    try {
      const url = new URL(String(value))
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null
    } catch {
      return null
    }
  }

  function el(tag, className, text) {
    const node = document.createElement(tag)
    if (className) node.className = className
    if (text !== undefined) node.textContent = String(text)
    return node
  }

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG, tag)
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value))
    return node
  }

  function plural(n, word) {
    return n === 1 ? '1 ' + word : n + ' ' + word + 's'
  }

  function day(iso) {
    return typeof iso === 'string' ? iso.slice(0, 10) : ''
  }

  async function getJson(path) {
    const response = await fetch(new URL(path, document.baseURI), { cache: 'no-cache' })
    if (!response.ok) throw new Error(path + ': HTTP ' + response.status)
    return response.json()
  }

  function chart(topic, data) {
    const weeks = Array.isArray(data.weeks) ? data.weeks : []
    const total = weeks.reduce((n, w) => n + (Number(w.count) || 0), 0)
    const peak = Math.max(1, ...weeks.map(w => Number(w.count) || 0))
    const figure = el('figure', 'chart')
    const caption = el('figcaption', '', topic.title)
    figure.append(caption)
    const last = weeks.length > 0 ? weeks[weeks.length - 1].start : ''
    const label =
      weeks.length === 0
        ? topic.title + ': no papers yet'
        : topic.title +
          ': ' +
          plural(total, 'new paper') +
          ' in the ' +
          weeks.length +
          ' weeks to the week of ' +
          last
    const width = 240
    const height = 72
    const chartHeight = 52
    const step = width / Math.max(1, weeks.length)
    const image = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': label })
    const title = svg('title')
    title.textContent = label
    image.append(title)
    weeks.forEach((week, i) => {
      const count = Number(week.count) || 0
      const h = Math.round((count / peak) * (chartHeight - 4))
      const bar = svg('rect', {
        class: 'bar',
        x: (i * step + 2).toFixed(1),
        y: chartHeight - h,
        width: Math.max(1, step - 4).toFixed(1),
        height: h
      })
      const tip = svg('title')
      tip.textContent = 'Week of ' + week.start + ': ' + plural(count, 'paper')
      bar.append(tip)
      image.append(bar)
    })
    image.append(
      svg('line', { class: 'base', x1: 0, x2: width, y1: chartHeight + 0.5, y2: chartHeight + 0.5 })
    )
    if (weeks.length > 0) {
      const first = svg('text', { class: 'axis', x: 0, y: height - 4 })
      first.textContent = weeks[0].start
      const end = svg('text', { class: 'axis', x: width, y: height - 4, 'text-anchor': 'end' })
      end.textContent = last
      const top = svg('text', { class: 'axis', x: 0, y: 10 })
      top.textContent = 'max ' + peak
      image.append(first, end, top)
    }
    figure.append(image)
    const details = el('details')
    details.append(el('summary', '', 'Weekly counts'))
    const table = el('table')
    const head = el('tr')
    for (const label of ['Week of', 'New papers']) {
      const th = el('th', '', label)
      th.scope = 'col'
      head.append(th)
    }
    table.append(head)
    for (const week of weeks) {
      const row = el('tr')
      const th = el('th', '', week.start)
      th.scope = 'row'
      row.append(th, el('td', '', Number(week.count) || 0))
      table.append(row)
    }
    details.append(table)
    if (weeks.length > 0) figure.append(details)
    return figure
  }

  function addPapers(topic, data) {
    const byId = new Map(items.map(item => [item.paper.id, item]))
    for (const paper of Array.isArray(data.papers) ? data.papers : []) {
      if (!paper || typeof paper.id !== 'string') continue
      let item = byId.get(paper.id)
      if (!item) {
        const authors = Array.isArray(paper.authors) ? paper.authors.map(String) : []
        const links = paper.links || {}
        item = {
          paper,
          authors,
          topics: new Map(),
          text: fold([paper.title, paper.abstract, authors.join(' ')].join(' ')),
          date: day(paper.published),
          code: safeHref(links.code),
          project: safeHref(links.projectPage)
        }
        byId.set(paper.id, item)
        items.push(item)
      }
      item.topics.set(topic.id, {
        title: topic.title,
        reason: String(paper.reason || ''),
        score: Number(paper.score) || 0
      })
    }
  }

  function score(item, topicId) {
    if (topicId) return item.topics.get(topicId)?.score ?? 0
    let best = 0
    for (const t of item.topics.values()) best = Math.max(best, t.score)
    return best
  }

  function byDate(a, b) {
    const pa = String(a.paper.published)
    const pb = String(b.paper.published)
    if (pa !== pb) return pa < pb ? 1 : -1
    return a.paper.id < b.paper.id ? 1 : a.paper.id > b.paper.id ? -1 : 0
  }

  function filter() {
    const terms = fold(controls.q.value).split(' ').filter(Boolean)
    const topic = controls.topic.value
    const from = controls.from.value
    const to = controls.to.value
    const found = items.filter(
      item =>
        (!topic || item.topics.has(topic)) &&
        (!from || item.date >= from) &&
        (!to || item.date <= to) &&
        (!controls.code.checked || item.code) &&
        (!controls.project.checked || item.project) &&
        terms.every(term => item.text.includes(term))
    )
    const relevance = controls.sort.value === 'relevance'
    return found.sort(relevance ? (a, b) => score(b, topic) - score(a, topic) || byDate(a, b) : byDate)
  }

  function card(item, index) {
    const { paper } = item
    const li = el('li', 'paper')
    const article = el('article')
    const heading = el('h3')
    heading.id = 'paper-' + index
    article.setAttribute('aria-labelledby', heading.id)
    const abs = safeHref(paper.links && paper.links.abs)
    const title = abs ? el('a', '', paper.title) : el('span', '', paper.title)
    if (abs) title.href = abs
    heading.append(title)
    article.append(heading)

    const names = item.authors.slice(0, maxAuthors).join(', ')
    const authors =
      item.authors.length > maxAuthors ? names + ' et al. (' + item.authors.length + ' authors)' : names
    const meta = el('p', 'meta')
    const published = el('time', 'nowrap', item.date)
    published.dateTime = item.date
    const categories = Array.isArray(paper.categories) ? paper.categories.slice(0, 3).join(', ') : ''
    meta.append(
      authors + (authors ? ' · ' : '') + 'published ',
      published,
      categories ? ' · ' + categories : ''
    )
    article.append(meta)

    const tags = el('p', 'tags')
    for (const t of item.topics.values()) tags.append(el('span', 'tag', t.title))
    article.append(tags)
    for (const t of item.topics.values()) {
      if (!t.reason) continue
      const reason = el('p', 'reason')
      reason.append(el('strong', '', item.topics.size > 1 ? 'Why (' + t.title + '): ' : 'Why: '), t.reason)
      article.append(reason)
    }
    if (paper.abstract) article.append(el('p', 'abstract', paper.abstract))

    const links = el('p', 'links')
    const add = (label, href) => {
      if (!href) return
      const a = el('a', '', label)
      a.href = href
      links.append(a)
    }
    add('arXiv', abs)
    add('PDF', safeHref(paper.links && paper.links.pdf))
    add('Project page', item.project)
    add('Code', item.code)
    if (links.childNodes.length > 0) article.append(links)
    li.append(article)
    return li
  }

  function showMore(focusFirst) {
    const start = shown
    const next = matches.slice(start, start + PAGE_SIZE)
    list.append(...next.map((item, i) => card(item, start + i)))
    shown = start + next.length
    more.hidden = shown >= matches.length
    more.textContent = 'Show more papers (' + (matches.length - shown) + ' left)'
    const target = focusFirst && next.length > 0 ? list.children[start].querySelector('h3 a') : null
    if (target) target.focus()
    status.textContent =
      matches.length === 0
        ? 'No paper matches these filters.'
        : 'Showing ' +
          shown +
          ' of ' +
          plural(matches.length, 'matching paper') +
          ' (' +
          items.length +
          ' in all).'
  }

  function update() {
    matches = filter()
    shown = 0
    list.replaceChildren()
    showMore(false)
  }

  async function load() {
    if (location.protocol === 'file:') {
      status.textContent =
        'This page reads its papers from topics.json and data/, which browsers do not allow for a page ' +
        'opened as a file. Open it through a web server: GitHub Pages, or "python3 -m http.server" in this folder.'
      return
    }
    let manifest
    try {
      manifest = await getJson(root.dataset.manifest || 'topics.json')
    } catch (error) {
      status.textContent = 'Could not load the list of topics (' + error.message + ').'
      return
    }
    const topics = (Array.isArray(manifest.topics) ? manifest.topics : []).filter(
      t => t && typeof t.id === 'string' && DATA_PATH.test(String(t.data))
    )
    maxAuthors = Number.isInteger(manifest.maxAuthors) && manifest.maxAuthors > 0 ? manifest.maxAuthors : 5
    for (const option of controls.sort.options) option.defaultSelected = option.value === manifest.sort
    controls.sort.value = manifest.sort === 'relevance' ? 'relevance' : 'date'
    for (const t of topics) {
      const option = el('option', '', t.title + ' (' + (Number(t.papers) || 0) + ')')
      option.value = t.id
      controls.topic.append(option)
    }
    const loaded = await Promise.allSettled(topics.map(t => getJson(t.data)))
    const failed = []
    const charts = $('charts')
    loaded.forEach((result, i) => {
      const topic = { id: topics[i].id, title: String(topics[i].title || topics[i].id) }
      if (result.status === 'rejected') {
        failed.push(topic.title)
        return
      }
      addPapers(topic, result.value)
      charts.append(chart(topic, result.value))
    })
    const last = topics
      .map(t => day(t.lastChanged))
      .filter(Boolean)
      .sort()
      .pop()
    const summary = $('summary')
    summary.replaceChildren(plural(items.length, 'paper') + ' on ' + plural(topics.length, 'topic'))
    if (last) {
      const time = el('time', 'nowrap', last)
      time.dateTime = last
      summary.append(', last updated ', time)
    }
    summary.append('.' + (failed.length > 0 ? ' Could not load: ' + failed.join(', ') + '.' : ''))
    update()
  }

  form.addEventListener('submit', event => event.preventDefault())
  form.addEventListener('input', update)
  // The form's values go back to their defaults after the reset event.
  form.addEventListener('reset', () => setTimeout(update, 0))
  more.addEventListener('click', () => showMore(true))
  load()
})()
