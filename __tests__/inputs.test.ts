import { describe, expect, it } from '@jest/globals'
import { InputError, list, readInputs } from '../src/action/inputs.js'

/** Inputs as the runner passes them: declared defaults unless overridden. */
function inputs(given: Record<string, string> = {}) {
  const defaults: Record<string, string> = {
    'github-token': 'ghs_token',
    branch: 'preprint-digest/update',
    'pr-title': '',
    'pr-draft': 'false',
    'commit-message': 'Update paper digest',
    'dry-run': 'false',
    'arxiv-api-url': 'https://export.arxiv.org/api/query',
    'request-delay': '3'
  }
  const all = { ...defaults, ...given }
  return readInputs(name => all[name] ?? '')
}

describe('readInputs', () => {
  it('parses the defaults', () => {
    expect(inputs()).toEqual({
      topics: '',
      config: '',
      options: {
        'output-dir': undefined,
        'index-file': undefined,
        'lookback-days': undefined,
        'overlap-days': undefined,
        'keep-days': undefined,
        'stale-after-days': undefined,
        'abstract-length': undefined,
        'max-authors': undefined,
        sort: undefined
      },
      templates: {},
      githubToken: 'ghs_token',
      base: '',
      branch: 'preprint-digest/update',
      prTitle: '',
      prLabels: [],
      prReviewers: [],
      prAssignees: [],
      prDraft: false,
      commitMessage: 'Update paper digest',
      dryRun: false,
      arxivApiUrl: 'https://export.arxiv.org/api/query',
      arxivBudget: 180,
      arxivTimeout: 30,
      arxivPageSize: 2000,
      requestDelay: 3
    })
  })

  it('parses lists, booleans and numbers', () => {
    const parsed = inputs({
      'pr-labels': 'papers, digest\nweekly',
      'pr-reviewers': '@alice,bob',
      'pr-draft': 'TRUE',
      'dry-run': 'True',
      'lookback-days': '14',
      sort: 'relevance',
      'request-delay': '0.5'
    })
    expect(parsed.prLabels).toEqual(['papers', 'digest', 'weekly'])
    expect(parsed.prReviewers).toEqual(['alice', 'bob'])
    expect(parsed.prDraft).toBe(true)
    expect(parsed.dryRun).toBe(true)
    expect(parsed.options['lookback-days']).toBe(14)
    expect(parsed.options.sort).toBe('relevance')
    expect(parsed.requestDelay).toBe(0.5)
  })

  it('collects the template paths that were given', () => {
    expect(
      inputs({ 'topic-template': ' .github/t.mustache ', 'index-template': 'i.mustache' }).templates
    ).toEqual({
      topic: '.github/t.mustache',
      index: 'i.mustache'
    })
  })

  it.each([
    [{ 'dry-run': 'yes' }, 'Input "dry-run": must be true or false (got "yes")'],
    [{ 'pr-draft': '1' }, 'Input "pr-draft": must be true or false (got "1")'],
    // The whole-number check and the topic file's range are one check (config/options.ts).
    [{ 'keep-days': '3.5' }, 'Input "keep-days": must be a whole number from 1 to 3650 (got "3.5")'],
    [{ 'lookback-days': '0' }, 'Input "lookback-days": must be a whole number from 1 to 365 (got "0")'],
    [{ sort: 'newest' }, 'Input "sort": must be one of date, relevance (got "newest")'],
    [{ 'request-delay': '-1' }, 'Input "request-delay": must be a number of seconds, 0 or more (got "-1")'],
    [
      { 'arxiv-page-size': '5000' },
      'Input "arxiv-page-size": must be a whole number from 1 to 2000 (got "5000")'
    ],
    [{ 'arxiv-page-size': '0' }, 'Input "arxiv-page-size": must be a whole number from 1 to 2000 (got "0")'],
    [{ 'arxiv-api-url': 'ftp://x' }, 'Input "arxiv-api-url": must be an http(s) URL (got "ftp://x")'],
    [{ 'arxiv-api-url': 'http://[x' }, 'Input "arxiv-api-url": must be an http(s) URL (got "http://[x")'],
    [{ 'arxiv-timeout': '0.5' }, 'Input "arxiv-timeout": must be a number of seconds, 1 or more (got "0.5")'],
    [{ 'github-token': ' ' }, /Input "github-token" is empty/],
    [{ branch: 'my branch' }, /Input "branch": "my branch" is not a valid branch name/],
    [{ branch: 'x..y' }, /Input "branch": "x\.\.y" is not a valid branch name/],
    [{ base: 'main', branch: 'main' }, /Inputs "base" and "branch" are both "main"/]
  ])('rejects %j', (given, message) => {
    expect(() => inputs(given)).toThrow(InputError)
    expect(() => inputs(given)).toThrow(message)
  })
})

describe('list', () => {
  it('splits on commas and newlines and drops blanks', () => {
    expect(list(' a ,\n\nb,,c \n')).toEqual(['a', 'b', 'c'])
    expect(list('')).toEqual([])
  })
})
