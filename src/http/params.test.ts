/** @module Pure table tests of Grape-style parameter handling: Rack query keys, coercion of booleans, integers, strings and tag lists, and the validators' messages. */
import { describe, expect, expectTypeOf, it } from 'vitest'
import { ParamError } from '../domain/errors.js'
import { p, parseParams, parseRackQuery } from './params.js'

const query = (qs: string) => parseRackQuery(new URLSearchParams(qs).entries())

describe('parseRackQuery', () => {
  it.each([
    ['tag_list=a,b', { tag_list: 'a,b' }],
    ['tag_list%5B%5D=a&tag_list%5B%5D=b', { tag_list: ['a', 'b'] }],
    ['tag_list[]=a&tag_list[]=b', { tag_list: ['a', 'b'] }],
    // Rack keeps the LAST value of a repeated plain key, so GitLab filters by the last tag only.
    ['tag_list=a&tag_list=b', { tag_list: 'b' }],
    ['tag_list=a', { tag_list: 'a' }],
    ['custom[x]=1&custom[y]=2', { custom: { x: '1', y: '2' } }],
    ['all=False&id=0', { all: 'False', id: '0' }],
    ['paused=', { paused: '' }],
  ])('%s → %j', (qs, expected) => {
    expect(query(qs)).toEqual(expected)
  })
})

function parse<T>(spec: Parameters<typeof parseParams>[1], raw: Record<string, unknown>): T {
  return parseParams(raw, spec) as T
}

describe('Grape Boolean coercion', () => {
  const truthy = ['true', 'True', 'TRUE', 't', 'T', '1', 'yes', 'Yes', 'y', 'on', true, 1]
  const falsy = ['false', 'False', 'FALSE', 'f', 'F', '0', 'no', 'No', 'n', 'off', false, 0]
  it.each(truthy.map((v) => [v]))('%j is true', (v) => {
    expect(parse({ paused: p.bool() }, { paused: v })).toEqual({ paused: true })
  })
  it.each(falsy.map((v) => [v]))('%j is false', (v) => {
    expect(parse({ paused: p.bool() }, { paused: v })).toEqual({ paused: false })
  })
  it.each([['maybe'], ['tRuE'], ['2'], [2], [['true']], [{ a: 1 }]])('%j is `paused is invalid`', (v) => {
    expect(() => parse({ paused: p.bool() }, { paused: v })).toThrow(new ParamError(['paused is invalid']))
  })
  it('treats a blank value as absent', () => {
    expect(parse({ paused: p.bool() }, { paused: '' })).toEqual({})
  })
})

describe('Integer coercion', () => {
  it.each([
    ['6', 6],
    [6, 6],
    [' 7 ', 7],
    ['-1', -1],
    ['99999999999999999999', 99999999999999999999],
  ])('%j → %j', (v, n) => {
    expect(parse({ runner_id: p.int() }, { runner_id: v })).toEqual({ runner_id: n })
  })
  it.each([['abc'], ['6abc'], ['6.5'], [6.5], [true], [['6']]])('%j is `runner_id is invalid`', (v) => {
    expect(() => parse({ runner_id: p.int() }, { runner_id: v })).toThrow(new ParamError(['runner_id is invalid']))
  })
  it('reports a missing required integer as `is missing`', () => {
    expect(() => parse({ runner_id: p.int({ required: true }) }, {})).toThrow(new ParamError(['runner_id is missing']))
    expect(() => parse({ runner_id: p.int({ required: true }) }, { runner_id: null })).toThrow(new ParamError(['runner_id is missing']))
  })
})

describe('tag_list coercion (CommaSeparatedToArray)', () => {
  it.each([
    ['a,b', ['a', 'b']],
    [' a , b ,, ', ['a', 'b']],
    ['single', ['single']],
    [['a', 'b'], ['a', 'b']],
    [['a,b', 'c'], ['a', 'b', 'c']],
    [[], []],
    ['', []],
  ])('%j → %j', (v, tags) => {
    expect(parse({ tag_list: p.tagList() }, { tag_list: v })).toEqual({ tag_list: tags })
  })
  it.each([[{ a: 'b' }], [[{ a: 'b' }]], [true]])('%j is `tag_list is invalid`', (v) => {
    expect(() => parse({ tag_list: p.tagList() }, { tag_list: v })).toThrow(new ParamError(['tag_list is invalid']))
  })
})

describe('values and combined messages', () => {
  const spec = { type: p.string({ values: ['instance_type', 'group_type', 'project_type'] }), paused: p.bool(), page: p.int() }
  it('says `does not have a valid value` for a value outside the list', () => {
    expect(() => parse(spec, { type: 'bogus' })).toThrow(new ParamError(['type does not have a valid value']))
  })
  it('joins every problem in declaration order', () => {
    expect(() => parse(spec, { page: 'x', paused: 'maybe', type: 'bogus' })).toThrow(
      new ParamError(['type does not have a valid value', 'paused is invalid', 'page is invalid']),
    )
  })
  it('ignores undeclared parameters', () => {
    expect(parse(spec, { all: 'False', custom: { x: '1' }, type: 'group_type' })).toEqual({ type: 'group_type' })
  })
})

describe('group rules (mutually_exclusive, at_least_one_of)', () => {
  const specs = { active: p.bool(), paused: p.bool(), description: p.string() }
  const exclusive = { mutuallyExclusive: [['active', 'paused']] }
  it('refuses active with paused, naming both', () => {
    expect(() => parseParams({ active: 'true', paused: 'false' }, specs, exclusive)).toThrow(
      new ParamError(['active, paused are mutually exclusive']),
    )
    expect(() => parseParams({ paused: 'false' }, specs, exclusive)).not.toThrow()
  })
  it('needs at least one of the names', () => {
    const rules = { atLeastOneOf: [['description', 'paused']] }
    expect(() => parseParams({ maintenance_note: 'x' }, specs, rules)).toThrow(
      new ParamError(['description, paused are missing, at least one parameter must be provided']),
    )
    expect(() => parseParams({ paused: false }, specs, rules)).not.toThrow()
  })
  it('lists a type error before the group rule it also breaks, as Grape does', () => {
    expect(() => parseParams({ active: 'x', paused: true }, specs, exclusive)).toThrow(
      new ParamError(['active is invalid', 'active, paused are mutually exclusive']),
    )
  })
  it('takes a blank integer as given but nil (no "is empty")', () => {
    expect(parseParams({ runner_id: '' }, { runner_id: p.int({ required: true }) })).toEqual({})
  })
})

describe('parseParams types', () => {
  it('infers literal unions from `values` and non-optional keys for what is always present', () => {
    const parsed = parseParams(
      { id: '3', kind: 'a', name: 'n', count: '2' },
      {
        id: p.int({ in: 'path' }),
        kind: p.string({ values: ['a', 'b'] }),
        name: p.string({ required: true }),
        count: p.int({ required: true }),
        flag: p.bool(),
      },
      {},
      (name) => (name === 'id' ? '3' : undefined),
    )
    expectTypeOf(parsed.id).toEqualTypeOf<number>()
    expectTypeOf(parsed.name).toEqualTypeOf<string>()
    expectTypeOf(parsed.kind).toEqualTypeOf<'a' | 'b' | undefined>()
    // A required Integer sent blank is nil for Grape: present as a key, maybe without a value.
    expectTypeOf(parsed.count).toEqualTypeOf<number | undefined>()
    expectTypeOf(parsed.flag).toEqualTypeOf<boolean | undefined>()
    expect(parsed).toEqual({ id: 3, kind: 'a', name: 'n', count: 2 })
  })

  it('reads `in: path` parameters from the path, refusing a blank one', () => {
    expect(() => parseParams({ id: '1' }, { id: p.int({ in: 'path' }) }, {}, () => ' ')).toThrow(ParamError)
    expect(parseParams({ id: '1' }, { id: p.int({ in: 'path' }) }, {}, () => '5')).toEqual({ id: 5 })
  })

  it('reads a hash member under its Grape name', () => {
    const specs = { 'info[version]': p.string({ member: ['info', 'version'] }) }
    expect(parseParams({ info: { version: 16 } }, specs)).toEqual({ 'info[version]': '16' })
    expect(parseParams({ info: 'x', 'info[version]': 'ignored' }, specs)).toEqual({})
    expect(() => parseParams({ info: { version: [] } }, specs)).toThrow(/info\[version\] is invalid/)
  })
})

describe('parameters declared for some GitLab versions only', () => {
  const specs = { description: p.string(), maintenance_note: p.string({ since: '16.10' }) }
  const rules = { atLeastOneOf: [['description', 'maintenance_note']] }

  it('before `since` the parameter is undeclared: dropped, and left out of group messages', () => {
    expect(parseParams({ description: 'd', maintenance_note: 'n' }, specs, rules, undefined, '16.9')).toEqual({ description: 'd' })
    expect(() => parseParams({ maintenance_note: 'n' }, specs, rules, undefined, '15.11')).toThrow('description are missing, at least one parameter must be provided')
  })

  it('from `since` on (and without a version) it counts', () => {
    expect(parseParams({ maintenance_note: 'n' }, specs, rules, undefined, '16.10')).toEqual({ maintenance_note: 'n' })
    expect(parseParams({ maintenance_note: 'n' }, specs, rules)).toEqual({ maintenance_note: 'n' })
  })

  it('from `until` on the parameter is undeclared; before, it counts', () => {
    // A parameter a later GitLab removed is, from then on, one Grape does not declare: dropped as undeclared.
    const old = { description: p.string(), token: p.string({ until: '13.0' }) }
    expect(parseParams({ description: 'd', token: 't' }, old, undefined, undefined, '15.11')).toEqual({ description: 'd' })
    expect(parseParams({ description: 'd', token: 't' }, old, undefined, undefined, '12.10')).toEqual({ description: 'd', token: 't' })
  })

  it('a group rule may name a parameter without a spec: it counts as declared in every version', () => {
    const exclusive = { mutuallyExclusive: [['description', 'other']] }
    expect(() => parseParams({ description: 'd', other: 'o' }, specs, exclusive, undefined, '16.9')).toThrow('description, other are mutually exclusive')
  })

  it('an undeclared parameter is no part of a mutually exclusive pair', () => {
    const exclusive = { mutuallyExclusive: [['description', 'maintenance_note']] }
    expect(parseParams({ description: 'd', maintenance_note: 'n' }, specs, exclusive, undefined, '16.9')).toEqual({ description: 'd' })
    expect(() => parseParams({ description: 'd', maintenance_note: 'n' }, specs, exclusive, undefined, '16.10')).toThrow('description, maintenance_note are mutually exclusive')
  })
})
