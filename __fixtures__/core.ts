/**
 * A stand-in for `@actions/core`, for in-process tests of src/action/main.ts, as GitHub's
 * actions/typescript-action template mocks it: the test calls
 * `jest.unstable_mockModule('@actions/core', () => core)` and only then imports the action. A test
 * gives the inputs through `getInput`'s and `getBooleanInput`'s implementations and reads the
 * outputs and the failure from `setOutput` and `setFailed`. `group` runs its function; the summary
 * keeps what is added.
 */
import type * as core from '@actions/core'
import { jest } from '@jest/globals'

export const debug = jest.fn<typeof core.debug>()
export const info = jest.fn<typeof core.info>()
export const notice = jest.fn<typeof core.notice>()
export const warning = jest.fn<typeof core.warning>()
export const error = jest.fn<typeof core.error>()
export const getInput = jest.fn<typeof core.getInput>()
export const getBooleanInput = jest.fn<typeof core.getBooleanInput>()
export const setSecret = jest.fn<typeof core.setSecret>()
export const setOutput = jest.fn<typeof core.setOutput>()
export const setFailed = jest.fn<typeof core.setFailed>()
export const group = jest.fn(<T>(_name: string, fn: () => Promise<T>): Promise<T> => fn())

/** `core.summary`: `addRaw` appends to `text`, `write` keeps it. */
export const summary = {
  text: '',
  addRaw: jest.fn((text: string) => {
    summary.text += text
    return summary
  }),
  write: jest.fn(async () => summary)
}
