import { describe, expect, it } from '@jest/globals'
import {
  checkRegion,
  IndexRegionError,
  REGION_END,
  REGION_START,
  replaceRegion
} from '../src/render/index-region.js'

const BODY = '| a | b |\n| --- | --- |\n'

describe('replaceRegion', () => {
  it('creates a missing file: a heading and the region', () => {
    expect(replaceRegion(undefined, BODY, 'README.md')).toBe(
      `# Paper digests\n\n${REGION_START}\n${BODY}${REGION_END}\n`
    )
  })

  it('fills an empty file with the region alone', () => {
    expect(replaceRegion('', BODY, 'README.md')).toBe(`${REGION_START}\n${BODY}${REGION_END}\n`)
  })

  it('appends the region after a blank line to a file without markers, keeping its bytes', () => {
    const region = `${REGION_START}\n${BODY}${REGION_END}\n`
    expect(replaceRegion('# My lab\n\nHello.\n', BODY, 'README.md')).toBe(`# My lab\n\nHello.\n\n${region}`)
    expect(replaceRegion('# My lab\n\nHello.', BODY, 'README.md')).toBe(`# My lab\n\nHello.\n\n${region}`)
  })

  it('replaces only what lies between the markers, and is stable once there', () => {
    const before = '# My lab\n\n  Intro with trailing spaces   \n\n'
    const after = '\n## Footer\n\nno final newline'
    const existing = `${before}${REGION_START}\nold table\nmore old\n${REGION_END}${after}`
    const result = replaceRegion(existing, BODY, 'README.md')
    expect(result).toBe(`${before}${REGION_START}\n${BODY}${REGION_END}${after}`)
    expect(replaceRegion(result, BODY, 'README.md')).toBe(result)
  })

  it('fills an empty region (markers on adjacent lines)', () => {
    expect(replaceRegion(`x\n${REGION_START}\n${REGION_END}\ny\n`, BODY, 'README.md')).toBe(
      `x\n${REGION_START}\n${BODY}${REGION_END}\ny\n`
    )
  })

  it('keeps a CRLF file byte for byte outside the region and writes the region with CRLF', () => {
    const before = '# My lab\r\n\r\nText\r\n'
    const after = 'Footer\r\n'
    const existing = `${before}${REGION_START}\r\nold\r\n${REGION_END}\r\n${after}`
    const result = replaceRegion(existing, BODY, 'README.md')
    expect(result).toBe(`${before}${REGION_START}\r\n${BODY.replace(/\n/g, '\r\n')}${REGION_END}\r\n${after}`)
    expect(result.replace(/\r\n/g, '')).not.toContain('\n')
    expect(replaceRegion(result, BODY, 'README.md')).toBe(result)
  })

  it('appends with CRLF to a CRLF file without markers', () => {
    expect(replaceRegion('Hello\r\n', 'x\n', 'README.md')).toBe(
      `Hello\r\n\r\n${REGION_START}\r\nx\r\n${REGION_END}\r\n`
    )
  })

  it('accepts markers indented or followed by spaces, and ignores markers inside other text', () => {
    const existing =
      `Put \`${REGION_START}\` and \`${REGION_END}\` in your README.\n` +
      `  ${REGION_START}  \nold\n\t${REGION_END}\n`
    expect(replaceRegion(existing, BODY, 'README.md')).toBe(
      `Put \`${REGION_START}\` and \`${REGION_END}\` in your README.\n` +
        `  ${REGION_START}  \n${BODY}\t${REGION_END}\n`
    )
  })

  it.each([
    ['a start marker without an end', `a\n${REGION_START}\nb\n`, /start marker \(line 2\) but no end marker/],
    ['an end marker without a start', `a\n${REGION_END}\n`, /end marker \(line 2\) but no start marker/],
    [
      'two start markers',
      `${REGION_START}\nx\n${REGION_START}\n${REGION_END}\n`,
      /2 start markers \(lines 1, 3\)/
    ],
    ['two end markers', `${REGION_START}\n${REGION_END}\n${REGION_END}\n`, /2 end markers \(lines 2, 3\)/],
    [
      'the end before the start',
      `${REGION_END}\nx\n${REGION_START}\n`,
      /end marker \(line 1\) comes before the start marker \(line 3\)/
    ]
  ])('refuses %s, naming the file and the lines', (_name, existing, problem) => {
    let error: unknown
    try {
      replaceRegion(existing, BODY, 'docs/README.md')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(IndexRegionError)
    expect((error as Error).message).toMatch(/^Index file docs\/README\.md: /)
    expect((error as Error).message).toMatch(problem)
    expect((error as Error).message).toContain('remove both to have the region appended')
    // checkRegion, which the pipeline calls before fetching, refuses the same file the same way.
    expect(() => checkRegion(existing, 'docs/README.md')).toThrow((error as Error).message)
  })

  it('checkRegion accepts what replaceRegion accepts: no file, no markers, one region', () => {
    for (const existing of [undefined, '', '# Notes\n', `${REGION_START}\nold\n${REGION_END}\n`]) {
      expect(() => checkRegion(existing, 'README.md')).not.toThrow()
    }
  })
})
