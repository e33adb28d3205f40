/**
 * Which of two plans fetches the run's windows in fewer requests: keyword queries (the default;
 * they grow with keywords once they no longer fit in one URL) or category queries (they grow with
 * the papers in the topics' categories). The category plan's cost is measured, not guessed: one
 * `max_results=0` request per category query gives its `totalResults`.
 */
import { ARXIV_PAGE_SIZE, MAX_REACHABLE_RESULTS } from './client.js'
import { planByCategory, planQueries, type PlannedQuery, type TopicWindow } from './plan.js'

/** What choosing needs from an arXiv client (the pipeline's `ArxivSearch` has it). */
export interface Probe {
  count?(searchQuery: string): Promise<number>
  readonly pageSize?: number
}

/**
 * Below this many keyword queries, probing cannot pay: each probe is a request, and the keyword
 * plan costs at least one request per query.
 */
const PROBE_FROM_QUERIES = 3

/** The queries to send. Probes go through `arxiv` and count as its requests. */
export async function choosePlan(
  windows: TopicWindow[],
  to: Date,
  arxiv: Probe,
  log?: { info(message: string): void }
): Promise<PlannedQuery[]> {
  const keyword = planQueries(windows, to)
  if (keyword.length < PROBE_FROM_QUERIES || !arxiv.count) return keyword
  const { byCategory, byKeyword } = planByCategory(windows, to)
  if (byCategory.length === 0) return keyword
  const pageSize = arxiv.pageSize ?? ARXIV_PAGE_SIZE
  let pages = 0
  for (const query of byCategory) {
    let total: number
    try {
      total = await arxiv.count(query.searchQuery)
    } catch (error) {
      // The keyword queries go to the same arXiv: they report the failure if it lasts.
      log?.info(
        `arXiv plan: counting a category query failed (${(error as Error).message}); fetching by keyword`
      )
      return keyword
    }
    if (total > MAX_REACHABLE_RESULTS) return keyword
    pages += Math.max(1, Math.ceil(total / pageSize))
  }
  // The keyword plan costs at least one request per query; the category plan exactly its pages.
  const cost = pages + byKeyword.length
  const chosen = cost < keyword.length
  log?.info(
    `arXiv plan: ${keyword.length} keyword queries, or ${byCategory.length} category ` +
      `quer${byCategory.length === 1 ? 'y' : 'ies'} of ${pages} page(s)` +
      (byKeyword.length > 0 ? ` and ${byKeyword.length} keyword queries` : '') +
      ` (found with ${byCategory.length} probe request(s)): fetching by ${chosen ? 'category' : 'keyword'}`
  )
  return chosen ? [...byCategory, ...byKeyword] : keyword
}
