/** A clock for in-process runs: `sleep` records the wait and moves time on at once. */
import type { Clock } from '../src/environment/runtime.js'

export class SimulatedClock implements Clock {
  /** Every wait asked for, in milliseconds, in order. */
  readonly waits: number[] = []
  private time: number

  constructor(start = Date.parse('2026-02-13T22:23:00Z')) {
    this.time = start
  }

  now(): number {
    return this.time
  }

  async sleep(ms: number): Promise<void> {
    this.waits.push(ms)
    this.time += ms
  }

  /** Sum of the waits, in milliseconds. */
  get waited(): number {
    return this.waits.reduce((a, b) => a + b, 0)
  }
}
