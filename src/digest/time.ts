/** Milliseconds in a day: windows, retention, staleness and the dashboard's weeks count in UTC days. */
export const DAY_MS = 86_400_000

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/**
 * Whether `value` is a time in the one form the digest writes and arXiv sends (what the feed parser's
 * `toUtcSeconds` returns for it):
 * `YYYY-MM-DDTHH:MM:SSZ` naming a real second from year 100 on (`Date.UTC` reads years 0 to 99 as
 * 1900 to 1999, and an hour 24 or a 31 February rolls over).
 */
export function isUtcSeconds(value: string): boolean {
  if (value.length !== 20) return false
  let y = 0
  let mo = 0
  let d = 0
  let h = 0
  let mi = 0
  let s = 0
  for (let i = 0; i < 19; i++) {
    const c = value.charCodeAt(i)
    if (i === 4 || i === 7) {
      if (c !== 45) return false // -
    } else if (i === 10) {
      if (c !== 84) return false // T
    } else if (i === 13 || i === 16) {
      if (c !== 58) return false // :
    } else {
      const digit = c - 48
      if (digit < 0 || digit > 9) return false
      if (i < 4) y = y * 10 + digit
      else if (i < 7) mo = mo * 10 + digit
      else if (i < 10) d = d * 10 + digit
      else if (i < 13) h = h * 10 + digit
      else if (i < 16) mi = mi * 10 + digit
      else s = s * 10 + digit
    }
  }
  if (value.charCodeAt(19) !== 90) return false // Z
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
  return d <= (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1])
}
