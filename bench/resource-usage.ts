/**
 * Loaded with `node --import` into a process the benchmark measures: on exit, writes the process's
 * CPU time (seconds) and peak RSS (MiB) to RESOURCE_USAGE_FILE.
 *
 * The peak comes from Linux's `VmHWM` (/proc/self/status), which starts anew with the program:
 * `process.resourceUsage().maxRSS` also counts what the parent held when it started the process
 * (Linux keeps the larger of the two across exec), and the benchmark's parent holds the fake arXiv's
 * corpus. Elsewhere, maxRSS is what there is.
 */
import { readFileSync, writeFileSync } from 'node:fs'

function peakKiB(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (hwm) return Number(hwm[1])
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS
}

process.on('exit', () => {
  const usage = process.resourceUsage()
  const file = process.env.RESOURCE_USAGE_FILE
  if (file)
    writeFileSync(
      file,
      JSON.stringify({ cpu: (usage.userCPUTime + usage.systemCPUTime) / 1e6, rss: peakKiB() / 1024 })
    )
})
