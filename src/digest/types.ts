/**
 * src/digest/: the digest's own rules, pure. What a paper and a topic are (this file), where the
 * output files go (`layout.ts`), the state shards and which of them a run reads (`state.ts`,
 * `held.ts`), when a topic need not ask arXiv (`settled.ts`, `announcements.ts`), which papers a
 * topic selects and why (`matching.ts`, `names.ts`, `terms.ts`), the links found in a paper
 * (`links.ts`), which papers a page keeps (`retention.ts`), text cleaning (`text.ts`), the
 * repository port the adapters implement (`repo.ts`, `repo-path.ts`) and the root of the errors a
 * user can fix (`user-error.ts`). Nothing here does I/O or imports from outside the folder (lint
 * keeps it so).
 *
 * This file: the records that pass between the steps of a run.
 */

/** One arXiv paper as parsed from the API's Atom feed. */
export interface Paper {
  /** Identifier without version: `2602.12099`, `hep-th/9901001`. The dedupe key. */
  id: string
  /** Identifier with version as the API returned it: `2602.12099v1`. */
  versionedId: string
  /** Whitespace collapsed to single spaces, trimmed. Raw TeX kept. */
  title: string
  /** Whitespace collapsed to single spaces, trimmed. Raw TeX kept. */
  abstract: string
  /** In order, each trimmed and inner whitespace collapsed. */
  authors: string[]
  comment?: string
  journalRef?: string
  /** Bare DOI, e.g. `10.1109/xyz`. */
  doi?: string
  /** All category terms in feed order (may include ACM/MSC codes). */
  categories: string[]
  primaryCategory: string
  /** When v1 was submitted, ISO 8601 UTC (`2026-02-12T18:59:59Z`). */
  published: string
  /** When the returned version was submitted, ISO 8601 UTC. */
  updated: string
}

/**
 * A paper with every field present, the optional ones as undefined, in one order (the order state
 * files list them in). Papers parsed from arXiv and read from state files are made by this one
 * function, so they all share one object shape: code that reads their fields stays specialised for
 * that shape instead of being recompiled for each mix of optional fields it meets.
 */
export function paperRecord(p: Paper): Paper {
  return {
    id: p.id,
    versionedId: p.versionedId,
    title: p.title,
    authors: p.authors,
    published: p.published,
    updated: p.updated,
    primaryCategory: p.primaryCategory,
    categories: p.categories,
    abstract: p.abstract,
    comment: p.comment,
    journalRef: p.journalRef,
    doi: p.doi
  }
}

/** Links found in a paper's comment and abstract (both fields present, undefined when not found). */
export interface PaperLinks {
  projectPage?: string
  code?: string
}

/** A topic as validated from the configuration. Optional lists are normalised to []. */
export interface Topic {
  /** Safe file name slug: names `<output-dir>/<id>.md`. */
  id: string
  title: string
  description: string
  keywords: string[]
  /** arXiv category codes, canonical form (aliases resolved). */
  categories: string[]
  /** At least one of these terms must also appear (empty: no requirement). */
  require: string[]
  /** None of these terms may appear. */
  exclude: string[]
  /** Papers by any of these authors always match the topic. */
  authors: string[]
}

export type SortOrder = 'date' | 'relevance'

/** Template file overrides, paths relative to the repository root. */
export interface TemplatePaths {
  topic?: string
  index?: string
  archive?: string
  /** The dashboard page (`<site-dir>/index.html`). */
  site?: string
  /** `<output-dir>/latest.md`: the most recent batch. */
  latest?: string
  /** `<output-dir>/feeds/<id>.xml` (Atom 1.0). */
  atom?: string
  /** `<output-dir>/feeds/<id>.json` (JSON Feed 1.1). */
  json?: string
}

/** The validated configuration: topics plus global options, defaults filled in. */
export interface Config {
  topics: Topic[]
  /** Repository-relative folder for pages and state, POSIX separators, no trailing slash. */
  outputDir: string
  /** Repository-relative path of the index file. */
  indexFile: string
  /** First run of a topic: how many days back to look. */
  lookbackDays: number
  /** Later runs: how far before the topic's last change the window starts. */
  overlapDays: number
  /** Papers found more than this many days before the topic's last change move to archive pages. */
  keepDays: number
  /** Warn when a topic has had no new paper for longer than this. */
  staleAfterDays: number
  /** Characters of abstract shown before "...". */
  abstractLength: number
  /** Authors shown before "et al.". */
  maxAuthors: number
  sort: SortOrder
  templates: TemplatePaths
  /**
   * Repository-relative folder of the static dashboard (`index.html`, `topics.json`, `data/`);
   * undefined when the dashboard is off (the default).
   */
  siteDir?: string
}

/** A paper held by a topic, with the time the digest first saw it. */
export interface HeldPaper {
  paper: Paper
  /** ISO 8601 UTC, minute precision: `2026-02-13T22:23:00Z`. */
  firstSeen: string
  /**
   * The pull request that proposed it was closed without merging: the paper stays held (it is
   * never new again) but no page lists it.
   */
  dismissed?: true
}

/** A paper a topic holds, with what this run knows about it: what pages, feeds and reports show. */
export interface TopicEntry {
  paper: Paper
  /** ISO 8601 UTC: when the digest first saw the paper. Decides retention and the archive month. */
  firstSeen: string
  links: PaperLinks
  /** Match score, used by `sort: relevance`. */
  score: number
  /**
   * Why the paper surfaced on this topic, from the same match as `score` (e.g. `keyword "VLA" in
   * title, required "robot" in abstract`); plain text, '' when the topic's rules no longer select it.
   */
  reason: string
  /** Ids of the other topics whose rules select the paper, in configuration order. */
  alsoIn: string[]
}
