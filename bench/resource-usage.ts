/**
 * Loaded with `node --import` into a process the benchmark measures: on exit, writes the process's
 * CPU time (seconds) and peak RSS (MiB) to RESOURCE_USAGE_FILE.
 */
import { writeFileSync } from 'node:fs'

process.on('exit', () => {
  const usage = process.resourceUsage()
  const file = process.env.RESOURCE_USAGE_FILE
  if (file)
    writeFileSync(
      file,
      JSON.stringify({ cpu: (usage.userCPUTime + usage.systemCPUTime) / 1e6, rss: usage.maxRSS / 1024 })
    )
})
