import { describe, expect, it } from '@jest/globals'
import {
  decidePublish,
  OPERATION,
  type PublishAction,
  type PublishFacts
} from '../src/github/publish-decision.js'

const cases: Array<[string, PublishFacts, PublishAction]> = [
  ['first run, nothing found', { proposed: 0, changedFiles: 5, branch: 'missing' }, 'none'],
  ['new topic with nothing found, PR open', { proposed: 0, changedFiles: 2, branch: 'same' }, 'none'],
  ['papers, but every file equals the base', { proposed: 3, changedFiles: 0, branch: 'missing' }, 'none'],
  ['first run with papers', { proposed: 3, changedFiles: 5, branch: 'missing' }, 'commit-create'],
  [
    'new papers while the PR is open',
    { proposed: 4, changedFiles: 5, branch: 'different', openPull: { upToDate: true } },
    'commit-update'
  ],
  [
    'branch left by a merged or closed PR',
    { proposed: 1, changedFiles: 3, branch: 'different' },
    'commit-create'
  ],
  [
    'quiet rerun, PR open',
    { proposed: 4, changedFiles: 5, branch: 'same', openPull: { upToDate: true } },
    'unchanged'
  ],
  [
    'quiet rerun, PR title changed in the inputs',
    { proposed: 4, changedFiles: 5, branch: 'same', openPull: { upToDate: false } },
    'refresh'
  ],
  ['branch pushed, PR refused last time', { proposed: 4, changedFiles: 5, branch: 'same' }, 'create-pull']
]

describe('decidePublish', () => {
  it.each(cases)('%s', (_name, facts, action) => {
    expect(decidePublish(facts)).toBe(action)
  })

  it('reports an operation for every action', () => {
    expect(cases.map(([, facts]) => OPERATION[decidePublish(facts)])).toEqual([
      'none',
      'none',
      'none',
      'created',
      'updated',
      'created',
      'unchanged',
      'unchanged',
      'created'
    ])
  })
})
