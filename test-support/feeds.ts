/**
 * Reading the digest's feeds as a subscriber's software does: Atom through a real feed parser
 * (feedsmith) after an XML well-formedness check, JSON Feed through the same parser after
 * validation against the JSON Feed 1.1 schema (vendored in test-support/schemas/).
 */
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { XMLValidator } from 'fast-xml-parser'
import { parseAtomFeed, parseJsonFeed } from 'feedsmith'
import { readFileSync } from 'node:fs'

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv

const schema = JSON.parse(readFileSync('test-support/schemas/jsonfeed-1.1.schema.json', 'utf8')) as object
const ajv = new Ajv({ allErrors: true, strict: false })
addFormats(ajv)
const validate = ajv.compile(schema)

/** The Atom feed parsed; throws when it is not well-formed XML or not an Atom feed. */
export function readAtom(text: string): ReturnType<typeof parseAtomFeed> {
  const wellFormed = XMLValidator.validate(text)
  if (wellFormed !== true) throw new Error(`not well-formed XML: ${JSON.stringify(wellFormed.err)}`)
  return parseAtomFeed(text)
}

/** The JSON feed parsed; throws when it is not JSON or breaks the JSON Feed 1.1 schema. */
export function readJsonFeed(text: string): ReturnType<typeof parseJsonFeed> {
  const value: unknown = JSON.parse(text)
  if (!validate(value)) throw new Error(`not a JSON Feed 1.1: ${ajv.errorsText(validate.errors)}`)
  return parseJsonFeed(value)
}
