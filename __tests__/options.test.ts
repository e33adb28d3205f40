/**
 * The option table (src/config/options.ts) is the one description of every setting; action.yml,
 * the README's table of inputs, the topic file's JSON schema and the CLI's usage text repeat
 * parts of it for their readers and must say the same: names, defaults, where an option can be
 * given, allowed values and descriptions. (A table cell holds no `|`.)
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { load as parse } from 'js-yaml'
import { runCli } from '../src/cli/command-line.js'
import { OPTION_LIST, type Option } from '../src/config/options.js'

interface ActionYml {
  inputs: Record<string, { description: string; required: boolean; default: string }>
}
const action = parse(readFileSync('action.yml', 'utf8')) as ActionYml
const readme = readFileSync('README.md', 'utf8')
const schema = JSON.parse(readFileSync('src/config/config.schema.json', 'utf8')) as {
  definitions: {
    options: Record<string, Record<string, unknown>>
    file: { properties: Record<string, unknown> }
  }
}

const inputs = OPTION_LIST.filter(([, o]) => o.input)
const fileOptions = OPTION_LIST.filter(([, o]) => o.file)

/** What an empty value stands for, in words: the default, or what `unset` says. */
function shown(option: Option): string {
  return option.default === undefined ? (option.unset ?? '') : String(option.default)
}

/** action.yml's description of an input: the table's, and for a topic-file option where its default comes from. */
function inputDescription(option: Option): string {
  return option.file && option.type !== 'topics'
    ? `${option.description.replace(/\.$/, '')} (topic-file value, else ${shown(option)}).`
    : option.description
}

/** The rows of the README table under `heading`, as cells (backticks kept). */
function readmeTable(heading: string): string[][] {
  const section = readme.split(new RegExp(`^## ${heading}\\n`, 'm'))[1]?.split(/^## /m)[0] ?? ''
  return section
    .split('\n')
    .filter(line => line.startsWith('|'))
    .slice(2)
    .map(line =>
      line
        .split('|')
        .slice(1, -1)
        .map(cell => cell.trim())
    )
}

describe('action.yml', () => {
  it('declares the inputs of the table, in its order', () => {
    expect(Object.keys(action.inputs)).toEqual(inputs.map(([name]) => name))
  })

  it.each(inputs)('%s: default and description as in the table', (name, option) => {
    const declared = action.inputs[name]
    // Topic-file options are empty by default, so that the file's value applies.
    const defaultValue = option.file ? '' : String(option.default ?? '')
    expect({
      default: declared.default,
      required: declared.required,
      description: declared.description.replace(/\s+/g, ' ')
    }).toEqual({ default: defaultValue, required: false, description: inputDescription(option) })
  })

  it('names the allowed values of each enum and the range of each input-only number', () => {
    for (const [name, option] of inputs) {
      const description = action.inputs[name].description
      if (option.type === 'enum')
        for (const value of option.values) expect(description).toContain(`\`${value}\``)
      if (option.type === 'integer' && !option.file)
        expect(description).toContain(`${option.min} to ${option.max}`)
    }
  })
})

describe('the README table of inputs', () => {
  const rows = readmeTable('Inputs').flatMap(([names, ...cells]) =>
    [...names.matchAll(/`([^`]+)`/g)].map(m => [m[1], ...cells])
  )
  const byName = new Map(rows.map(([name, ...cells]) => [name, cells]))

  it('lists the inputs of the table, in its order', () => {
    expect(rows.map(([name]) => name)).toEqual(inputs.map(([name]) => name))
  })

  it.each(inputs)('%s: default, topic file and flag as in the table', (name, option) => {
    const [defaultCell, fileCell, flagCell] = byName.get(name) ?? []
    const expected = {
      default: option.default === undefined ? (option.unset ?? '') : `\`${option.default}\``,
      file: option.type === 'template' ? 'as `templates:`' : option.file ? 'yes' : '',
      flag: option.flag === undefined ? '' : `\`${option.flag}\``
    }
    // On a mismatch, the row as the table has it.
    expect({ name, default: defaultCell, file: fileCell, flag: flagCell }).toEqual({ name, ...expected })
  })

  it.each(inputs)('%s: the meaning names the allowed values', (name, option) => {
    const meaning = byName.get(name)?.[3] ?? ''
    if (option.type === 'enum') for (const value of option.values) expect(meaning).toContain(`\`${value}\``)
    if (option.type === 'integer') expect(meaning).toContain(`${option.min} to ${option.max}`)
    if (option.type === 'seconds') expect(meaning).toContain(`${option.min} or more`)
    if (option.type === 'url') expect(meaning).toContain('http(s) URL')
  })
})

describe('the JSON schema of the topic file', () => {
  it('has the topic-file options of the table, in its order', () => {
    expect(Object.keys(schema.definitions.file.properties)).toEqual(fileOptions.map(([name]) => name))
    expect(Object.keys(schema.definitions.options)).toEqual(
      fileOptions.filter(([, o]) => o.type !== 'topics').map(([name]) => name)
    )
  })

  it.each(fileOptions.filter(([, o]) => o.type !== 'topics'))(
    '%s: type, range, default and description',
    (name, option) => {
      const defined = schema.definitions.options[name]
      const expected: Record<string, unknown> = {
        description:
          option.unset === undefined ? option.description : `${option.description} Default: ${option.unset}.`
      }
      if (option.default !== undefined) expected.default = option.default
      if (option.type === 'integer')
        Object.assign(expected, { type: 'integer', minimum: option.min, maximum: option.max })
      if (option.type === 'enum') expected.enum = option.values
      if (option.type === 'path') expected.$ref = '#/definitions/repoPath'
      if (option.type === 'templates') expected.type = 'object'
      expect(defined).toMatchObject(expected)
      // Nothing in the schema that the table does not know of.
      expect(Object.keys(defined).sort()).toEqual(
        [
          ...Object.keys(expected),
          ...(option.type === 'templates' ? ['additionalProperties', 'properties'] : [])
        ].sort()
      )
    }
  )

  it('has a template path for each template input, and the description lists them all', () => {
    const kinds = Object.keys((schema.definitions.options.templates as { properties: object }).properties)
    for (const [, option] of OPTION_LIST)
      if (option.type === 'template') expect(kinds).toContain(option.template)
    const templates = OPTION_LIST.find(([name]) => name === 'templates')![1]
    expect(templates.description).toContain(`: ${kinds.join(', ')} (`)
  })
})

describe('the command line', () => {
  const flags = OPTION_LIST.filter(([, o]) => o.flag !== undefined)

  it('--help lists each flag of the table with its default', async () => {
    const out: string[] = []
    await runCli(
      ['--help'],
      {},
      { clock: { now: () => 0, sleep: async () => {} }, out: t => out.push(t), err: () => {} }
    )
    const usage = out.join('\n')
    for (const [, option] of flags) {
      const line = usage.split('\n').find(l => l.trimStart().startsWith(`${option.flag} `)) ?? ''
      expect(line).not.toBe('')
      if (option.type !== 'boolean') expect(line).toContain(`(default ${option.default}`)
      if (option.type === 'integer') expect(line).toContain(`${option.min} to ${option.max}`)
    }
  })

  it('the README synopsis names each flag', () => {
    const synopsis = readme.split(/^## Command line\n/m)[1].split('```')[1]
    for (const [, option] of flags) expect(synopsis).toContain(`[${option.flag}`)
  })
})
