import { describe, expect, it } from '@jest/globals'
import {
  allOf,
  anyOf,
  arxivMinute,
  authorClause,
  authorTerms,
  categoryClause,
  fieldTerm,
  submittedDateClause
} from '../src/arxiv/query.js'
import { sameAuthor } from '../src/digest/names.js'
import { matchesQuery, paperFixture, parseSearchQuery } from '../test-support/fake-arxiv.js'

describe('fieldTerm', () => {
  it('quotes phrases and turns hyphens into spaces', () => {
    expect(fieldTerm('ti', 'Vision-Language-Action')).toBe('ti:"vision language action"')
    expect(fieldTerm('abs', 'world   model')).toBe('abs:"world model"')
  })

  it('leaves single words bare but quotes words that read as operators', () => {
    expect(fieldTerm('ti', 'VLA')).toBe('ti:vla')
    expect(fieldTerm('ti', 'OR')).toBe('ti:"or"')
    expect(fieldTerm('abs', 'andnot')).toBe('abs:"andnot"')
  })

  it('drops quotes, backslashes and brackets instead of breaking the query', () => {
    const term = fieldTerm('ti', 'say "hi" \\ (now) [x] ti:evil')
    expect(term).toBe('ti:"say hi now x ti evil"')
    expect(() => parseSearchQuery(term!)).not.toThrow()
  })

  it('gives undefined when no word is left', () => {
    expect(fieldTerm('ti', '"-" \\')).toBeUndefined()
  })
})

describe('anyOf / allOf', () => {
  it('parenthesises only compound operands', () => {
    expect(anyOf(['ti:a', 'ti:"b c"'])).toBe('ti:a OR ti:"b c"')
    expect(allOf([anyOf(['ti:a', 'abs:a']), 'cat:cs.RO'])).toBe('(ti:a OR abs:a) AND cat:cs.RO')
    expect(allOf(['submittedDate:[202601010000 TO 202601020000]', 'ti:a'])).toBe(
      'submittedDate:[202601010000 TO 202601020000] AND ti:a'
    )
  })

  it('drops empty and duplicate clauses and unwraps a single one', () => {
    expect(anyOf(['ti:a', '', 'ti:a'])).toBe('ti:a')
    expect(anyOf([])).toBe('')
  })

  it('produces queries the fake parses without ambiguity', () => {
    const q = allOf([
      anyOf([allOf(['ti:a', 'cat:cs.RO']), 'au:lecun']),
      'submittedDate:[202601010000 TO 202601020000]'
    ])
    expect(q).toBe('((ti:a AND cat:cs.RO) OR au:lecun) AND submittedDate:[202601010000 TO 202601020000]')
    expect(() => parseSearchQuery(q)).not.toThrow()
  })
})

describe('dates', () => {
  it('formats GMT minutes, whatever the local offset of the input', () => {
    expect(arxivMinute(new Date('2026-02-13T02:05:00-05:00'))).toBe('202602130705')
  })

  it('rounds the start down and the end up so no second is lost', () => {
    expect(submittedDateClause(new Date('2026-02-06T07:00:59Z'), new Date('2026-02-13T07:00:01Z'))).toBe(
      'submittedDate:[202602060700 TO 202602130701]'
    )
    expect(arxivMinute(new Date('2026-02-13T07:00:00Z'), 'ceil')).toBe('202602130700')
  })

  it('rejects an inverted window and invalid dates', () => {
    expect(() => submittedDateClause(new Date('2026-02-13'), new Date('2026-02-12'))).toThrow(RangeError)
    expect(() => arxivMinute(new Date('nope'))).toThrow(RangeError)
  })
})

describe('authors', () => {
  it('asks for the surname only, so initials and middle names still match', () => {
    expect(authorClause('Yann LeCun')).toBe('au:lecun')
    expect(authorClause('Y. LeCun')).toBe('au:lecun')
    expect(authorClause('LeCun, Yann')).toBe('au:lecun')
    expect(authorClause('Martin Luther King Jr.')).toBe('au:king OR au:lutherking')
  })

  it('also asks for joined surname parts and for the accented spelling', () => {
    expect(authorTerms('Adrian Del Maestro')).toEqual(['maestro', 'delmaestro'])
    expect(authorTerms('Del Maestro, Adrian')).toEqual(['maestro', 'delmaestro'])
    expect(authorTerms('Christian Internò')).toEqual(['interno', 'internò'])
    expect(authorTerms("Conan O'Brien")).toEqual(['obrien', 'o brien'])
    expect(authorClause('Jürgen Schmidhuber')).toBe('au:schmidhuber')
  })

  it('covers every name variant local matching accepts', () => {
    const wanted = [
      'Yann Le Cun',
      'Christian Interno',
      'Christian Internò',
      'Lucy Xiaoyang Shi',
      "Conan O'Brien"
    ]
    const variants = ['Yann LeCun', 'Christian Internò', 'Christian Interno', 'L. X. Shi', 'Conan OBrien']
    wanted.forEach((name, i) => {
      expect(sameAuthor(name, variants[i])).toBe(true)
      const tree = parseSearchQuery(authorClause(name)!)
      expect(matchesQuery(tree, paperFixture({ authors: [variants[i]] }))).toBe(true)
    })
  })

  it('documents the known gap: a surname split on the paper but joined in the topic', () => {
    const tree = parseSearchQuery(authorClause('Conan OBrien')!)
    expect(sameAuthor('Conan OBrien', "Conan O'Brien")).toBe(true)
    expect(matchesQuery(tree, paperFixture({ authors: ["Conan O'Brien"] }))).toBe(false)
  })

  it('gives undefined for a name without words', () => {
    expect(authorClause(' . ')).toBeUndefined()
  })
})

describe('categoryClause', () => {
  it('covers aliases and sorts codes', () => {
    expect(categoryClause(['eess.SY', 'cs.RO'])).toBe('cat:cs.RO OR cat:cs.SY OR cat:eess.SY')
    expect(categoryClause(['cs.SY'])).toBe('cat:cs.SY OR cat:eess.SY')
    expect(categoryClause(['math-ph'])).toBe('cat:math-ph OR cat:math.MP')
  })

  it('refuses anything that is not shaped like a code', () => {
    expect(() => categoryClause(['cs.RO OR all:x'])).toThrow(RangeError)
  })
})
