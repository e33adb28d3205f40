/**
 * The one publishing decision, as a pure function of what the run produced and what GitHub holds.
 * The real run carries it out; a dry run prints it. Both take it from here, so they cannot disagree.
 */

/** What publishing does. */
export type PublishAction =
  /** Nothing to deliver: no request is sent, the branch and any pull request are left alone. */
  | 'none'
  /** The branch and the open pull request already say exactly this. */
  | 'unchanged'
  /** The branch already holds these files; the open pull request's title or body is brought up to date. */
  | 'refresh'
  /** The branch already holds these files but no pull request is open from it: open one. */
  | 'create-pull'
  /** A new commit on the branch, and the open pull request updated. */
  | 'commit-update'
  /** A new commit on the branch, and a pull request opened. */
  | 'commit-create'

/** What the decision is made from. */
export interface PublishFacts {
  /** Distinct papers awaiting review (new in this run, or carried on the open pull request). */
  proposed: number
  /** Files whose content differs from the base branch. */
  changedFiles: number
  /** `missing`: no digest branch; `same`: it holds exactly these files on the current base head. */
  branch: 'missing' | 'same' | 'different'
  /** The open pull request from the branch, if any, and whether its title and body are already right. */
  openPull?: { upToDate: boolean }
}

/** What `operation` reports for each action. */
export const OPERATION = {
  none: 'none',
  unchanged: 'unchanged',
  refresh: 'unchanged',
  'create-pull': 'created',
  'commit-update': 'updated',
  'commit-create': 'created'
} as const satisfies Record<PublishAction, string>

/**
 * Whether there is anything to deliver: a paper awaiting review, in files that differ from the
 * base. Without it a run writes nothing, whatever else differs (first run, new topic, a template
 * edit, a page edited by hand), and need not even read the digest branch.
 */
export function delivers(facts: Pick<PublishFacts, 'proposed' | 'changedFiles'>): boolean {
  return facts.proposed > 0 && facts.changedFiles > 0
}

/** The decision; see the cases above. */
export function decidePublish(facts: PublishFacts): PublishAction {
  if (!delivers(facts)) return 'none'
  if (facts.branch === 'same') {
    if (!facts.openPull) return 'create-pull'
    return facts.openPull.upToDate ? 'unchanged' : 'refresh'
  }
  return facts.openPull ? 'commit-update' : 'commit-create'
}

/** One line a person reads: what the run did, or would have done. */
export function describeAction(action: PublishAction): string {
  switch (action) {
    case 'none':
      return 'nothing to deliver: no commit, no pull request'
    case 'unchanged':
      return 'the pull request already holds these papers: nothing to write'
    case 'refresh':
      return "the branch already holds these files: update the pull request's title and body"
    case 'create-pull':
      return 'the branch already holds these files: open the pull request'
    case 'commit-update':
      return 'commit the digest to the branch and update the open pull request'
    case 'commit-create':
      return 'commit the digest to the branch and open a pull request'
  }
}
