/**
 * The index file (README.md by default) belongs to the user; the digest owns only the region between
 * two marker lines. Everything outside that region, line endings included, is kept byte for byte.
 */
import { UserError } from '../digest/user-error.js'

/** The line that opens the digest's region in the index file. */
export const REGION_START = '<!-- preprint-digest:start -->'

/** The line that closes the digest's region in the index file. */
export const REGION_END = '<!-- preprint-digest:end -->'

/** Heading of an index file the digest creates because there was none. */
const NEW_INDEX_HEADING = '# Paper digests'

/** Raised when the markers in an existing index file are not one start line followed by one end line. */
export class IndexRegionError extends UserError {
  constructor(file: string, problem: string) {
    super(
      `Index file ${file}: ${problem}. The digest writes between one "${REGION_START}" line and one ` +
        `"${REGION_END}" line after it; fix the markers by hand, or remove both to have the region appended ` +
        'at the end of the file.'
    )
    this.name = 'IndexRegionError'
  }
}

/**
 * Puts `content` between the markers of `existing`.
 *
 * - No file (`undefined`): a new file, a short heading and the region.
 * - No marker: the region is appended after the existing text, separated by a blank line.
 * - One start line followed by one end line: only the lines between them are replaced.
 * - Anything else (one marker without the other, duplicates, end before start): an
 *   {@link IndexRegionError}, because guessing which part the user meant to keep could delete their text.
 *
 * A marker counts only when it stands alone on its line (surrounding spaces allowed), so a README can
 * mention the markers in running text or inline code. A file that uses CRLF anywhere gets CRLF in the
 * region too, so its line endings stay uniform.
 *
 * @param existing The index file's text, or undefined if it does not exist.
 * @param content The region's content: LF line endings, ending with a newline.
 * @param file The index file's path, for error messages.
 * @returns The new text of the index file.
 */
export function replaceRegion(existing: string | undefined, content: string, file: string): string {
  const eol = existing?.includes('\r\n') ? '\r\n' : '\n'
  const body = content.replace(/\n/g, eol)
  const region = `${REGION_START}${eol}${body}${REGION_END}${eol}`
  if (existing === undefined) return `${NEW_INDEX_HEADING}${eol}${eol}${region}`
  const markers = findRegion(existing, file)
  if (markers === undefined) {
    if (existing === '') return region
    return existing + (existing.endsWith('\n') ? eol : eol + eol) + region
  }
  return existing.slice(0, markers.start.nextLine) + body + existing.slice(markers.end.offset)
}

/**
 * Checks an index file's markers without changing it, so a broken region fails a run before
 * anything is fetched.
 *
 * @throws IndexRegionError as {@link replaceRegion} would.
 */
export function checkRegion(existing: string | undefined, file: string): void {
  if (existing !== undefined) findRegion(existing, file)
}

/** The start and end marker lines of `existing`, or undefined when it has neither. */
function findRegion(existing: string, file: string): { start: MarkerLine; end: MarkerLine } | undefined {
  const starts = markerLines(existing, REGION_START)
  const ends = markerLines(existing, REGION_END)
  if (starts.length === 0 && ends.length === 0) return undefined
  if (starts.length > 1) throw new IndexRegionError(file, `${starts.length} start markers (${lines(starts)})`)
  if (ends.length > 1) throw new IndexRegionError(file, `${ends.length} end markers (${lines(ends)})`)
  const [start] = starts
  const [end] = ends
  if (start === undefined)
    throw new IndexRegionError(file, `an end marker (${lines(ends)}) but no start marker`)
  if (end === undefined)
    throw new IndexRegionError(file, `a start marker (${lines(starts)}) but no end marker`)
  if (end.offset < start.offset) {
    throw new IndexRegionError(
      file,
      `the end marker (${lines(ends)}) comes before the start marker (${lines(starts)})`
    )
  }
  return { start, end }
}

interface MarkerLine {
  /** Offset of the line's first character. */
  offset: number
  /** Offset just after the line's terminator. */
  nextLine: number
  /** 1-based, for messages. */
  line: number
}

function markerLines(text: string, marker: string): MarkerLine[] {
  const found: MarkerLine[] = []
  let offset = 0
  let line = 1
  while (offset <= text.length) {
    const newline = text.indexOf('\n', offset)
    const lineEnd = newline === -1 ? text.length : newline
    if (text.slice(offset, lineEnd).trim() === marker) {
      found.push({ offset, nextLine: newline === -1 ? text.length : newline + 1, line })
    }
    if (newline === -1) break
    offset = newline + 1
    line++
  }
  return found
}

function lines(markers: MarkerLine[]): string {
  return (markers.length === 1 ? 'line ' : 'lines ') + markers.map(m => m.line).join(', ')
}
