/**
 * `describe` for suites that run the built action on Node 24 (a separate module from action-runner.ts,
 * which the benchmark also imports, outside Jest). Without Node 24 they are skipped, visibly: the
 * global setup (script/node24.mjs) has printed why, and under CI it has failed the run instead.
 */
import { describe } from '@jest/globals'
import { NODE24, NODE24_MISSING } from './action-runner.js'

export const describeOnNode24 = NODE24
  ? describe
  : (name: string, fn: () => void) => describe.skip(`${name} (skipped: ${NODE24_MISSING})`, fn)
