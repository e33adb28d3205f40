/**
 * The common base of every error that a user's input caused (configuration, inputs, templates,
 * state files, the index file's markers): the message says what to fix. The CLI exits 2 for these
 * and 1 for everything else; the action reports both through one failed step.
 */
export class UserError extends Error {
  override name = 'UserError'
}
