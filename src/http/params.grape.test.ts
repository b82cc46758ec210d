/**
 * @module Request parameters as GitLab's Grape reads them, through the HTTP API where a client would see
 * the difference: every dry-types Boolean spelling, JSON numbers and booleans for String parameters,
 * array-form tag_list, form and multipart bodies, the body limit's exact boundary and odd Rack keys.
 */
import { describe, expect, it } from 'vitest'
import { TOKENS, expectError, harness } from '../../test/harness.js'
import { ParamError } from '../domain/errors.js'
import { p, parseParams, parseRackQuery, setRackParam } from './params.js'

const ADMIN = TOKENS.admin
/** The default world's instance runner 1, which an admin may update. */
const RUNNER = '/runners/1'

describe('Grape Boolean spellings (dry-types Params::Bool)', () => {
  // gitlab-behaviour.md §3 "paused boolean": accepts Grape booleans (true/false/1/0/yes/no/t/f/on/off…), matched
  // case-exactly by dry-types: each of its lower-case, Capitalised and UPPER-CASE spellings, and y/Y, n/N.
  const TRUE = ['1', 'on', 'On', 'ON', 't', 'T', 'true', 'True', 'TRUE', 'y', 'Y', 'yes', 'Yes', 'YES']
  const FALSE = ['0', 'off', 'Off', 'OFF', 'f', 'F', 'false', 'False', 'FALSE', 'n', 'N', 'no', 'No', 'NO']

  it.each(TRUE)('paused=%s pauses the runner (PUT /runners/:id, form body)', async (value) => {
    const res = await harness().put(RUNNER, { token: ADMIN, form: { paused: value } })
    expect({ status: res.status, paused: res.body.paused, active: res.body.active }).toEqual({ status: 200, paused: true, active: false })
  })

  it.each(FALSE)('paused=%s leaves the runner running (PUT /runners/:id, query string)', async (value) => {
    const h = harness()
    await h.put(RUNNER, { token: ADMIN, body: { paused: true } })
    const res = await h.put(RUNNER, { token: ADMIN, query: { paused: value } })
    expect({ status: res.status, paused: res.body.paused }).toEqual({ status: 200, paused: false })
  })

  it.each(['oN', 'yES', 'nO', 'Of', 'TrUe', 'tRUE'])('paused=%s (mixed case) is `paused is invalid`', async (value) => {
    expectError(await harness().put(RUNNER, { token: ADMIN, form: { paused: value } }), 400, { error: 'paused is invalid' })
  })
})

describe('JSON numbers and booleans sent for String parameters', () => {
  // runners-api.md "Update runner's details": description is a String; Grape coerces a JSON scalar to its text.
  it.each([
    [12345, '12345'],
    [1.5, '1.5'],
    [true, 'true'],
    [false, 'false'],
  ])('description %j is stored as %j', async (value, text) => {
    const res = await harness().put(RUNNER, { token: ADMIN, body: { description: value } })
    expect({ status: res.status, description: res.body.description }).toEqual({ status: 200, description: text })
  })

  it.each([[['a']], [{ a: 'b' }]])('description %j is `description is invalid`', async (value) => {
    expectError(await harness().put(RUNNER, { token: ADMIN, body: { description: value } }), 400, { error: 'description is invalid' })
  })
})

describe('tag_list sent as an array', () => {
  // gitlab-behaviour.md §3 "tag_list": split on commas, each item trimmed; also accepts repeated array params.
  it('splits and trims every item, drops blanks, and takes numbers as tags', async () => {
    const res = await harness().put(RUNNER, { token: ADMIN, body: { tag_list: [' linux , docker ', 42, '', ' ,gpu'] } })
    expect({ status: res.status, tags: res.body.tag_list }).toEqual({ status: 200, tags: ['linux', 'docker', '42', 'gpu'] })
  })

  it('takes a single JSON number as one tag', async () => {
    const res = await harness().put(RUNNER, { token: ADMIN, body: { tag_list: 7 } })
    expect({ status: res.status, tags: res.body.tag_list }).toEqual({ status: 200, tags: ['7'] })
  })

  it('refuses an item that is neither a string nor a number', async () => {
    expectError(await harness().put(RUNNER, { token: ADMIN, body: { tag_list: ['a', true] } }), 400, { error: 'tag_list is invalid' })
    expectError(await harness().put(RUNNER, { token: ADMIN, body: { tag_list: ['a', null] } }), 400, { error: 'tag_list is invalid' })
  })
})

describe('form and multipart bodies', () => {
  // clients.md: python-gitlab and the old `gitlab` npm package send form bodies, some with `; charset=`;
  // Rack parses urlencoded and multipart bodies alike, whatever the parameters of the media type.
  it('reads a urlencoded body whose Content-Type names a charset', async () => {
    const res = await harness().put(RUNNER, {
      token: ADMIN,
      body: 'description=from+a+form&tag_list=a%2Cb',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
    })
    expect({ status: res.status, description: res.body.description, tags: res.body.tag_list }).toEqual({ status: 200, description: 'from a form', tags: ['a', 'b'] })
  })

  it('reads a multipart body, including array keys', async () => {
    const form = new FormData()
    form.append('description', 'from multipart')
    form.append('tag_list[]', 'x')
    form.append('tag_list[]', 'y')
    const encoded = new Response(form)
    const res = await harness().put(RUNNER, {
      token: ADMIN,
      body: await encoded.text(),
      headers: { 'Content-Type': encoded.headers.get('content-type') ?? '' },
    })
    expect({ status: res.status, description: res.body.description, tags: res.body.tag_list }).toEqual({ status: 200, description: 'from multipart', tags: ['x', 'y'] })
  })

  it('answers 400 for a malformed multipart body, never 500', async () => {
    const res = await harness().put(RUNNER, {
      token: ADMIN,
      body: '--XYZ\r\nContent-Disposition: form-data; name="description"\r\n\r\nno closing boundary',
      headers: { 'Content-Type': 'multipart/form-data; boundary=ABC' },
    })
    expectError(res, 400, { error: 'The provided multipart body is malformed' })
  })
})

describe('the body limit boundary', () => {
  // README "Robustness": bodies above the limit are refused with 413 `{"message":"413 Request Entity Too Large"}`;
  // a body of exactly the limit is still read.
  const LIMIT = 256
  const bodyOf = (size: number) => {
    const head = '{"description":"'
    const tail = '"}'
    return head + 'x'.repeat(size - head.length - tail.length) + tail
  }

  it.each([
    ['with a Content-Length', true],
    ['streamed without a length', false],
  ])('%s: exactly the limit is accepted, one byte more is 413', async (_, declare) => {
    const h = harness({ bodyLimit: LIMIT })
    const send = (size: number) =>
      h.put(RUNNER, {
        token: ADMIN,
        body: bodyOf(size),
        headers: { 'Content-Type': 'application/json', ...(declare ? { 'Content-Length': String(size) } : {}) },
      })
    const ok = await send(LIMIT)
    expect({ status: ok.status, length: ok.body.description?.length }).toEqual({ status: 200, length: LIMIT - 18 })
    expectError(await send(LIMIT + 1), 413, { message: '413 Request Entity Too Large' })
  })
})

describe('Rack parameter keys', () => {
  // Rack's nested query parsing (gitlab-behaviour.md §6.1 builds Link from the same parameters): `a[b]` nests,
  // `a[]` appends; a key that is not well formed is kept as a plain key; `__proto__` never reaches a prototype.
  const query = (qs: string) => parseRackQuery(new URLSearchParams(qs).entries())

  it.each([
    ['a]=1', { 'a]': '1' }],
    ['[a]=1', { '[a]': '1' }],
    ['a[b=1', { 'a[b': '1' }],
    ['a[b]]=1', { 'a[b]]': '1' }],
    ['a[b][c]=1&a[b][d]=2', { a: { b: { c: '1', d: '2' } } }],
    ['a[b][]=1&a[b][]=2', { a: { b: ['1', '2'] } }],
    ['a=1&a[b]=2', { a: { b: '2' } }],
    ['a[]=1&a[]=2&a[]=3', { a: ['1', '2', '3'] }],
    ['[x]a[b]=1', { '[x]a[b]': '1' }],
  ])('%s → %j', (qs, expected) => {
    expect(query(qs)).toEqual(expected)
  })

  it.each(['a[][b]=1', 'a[][]=1'])('%s (a form no client sends) sets no value anywhere', (qs) => {
    expect(JSON.stringify(query(qs))).not.toContain('1')
  })

  it('ignores __proto__ as a plain or nested key', () => {
    const target: Record<string, unknown> = {}
    setRackParam(target, '__proto__', 'x')
    setRackParam(target, 'a[__proto__][polluted]', 'x')
    setRackParam(target, '__proto__[polluted]', 'x')
    expect(target).toEqual({})
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('ignores keys nested deeper than Rack’s depth limit of 100', () => {
    expect(query(`a${'[b]'.repeat(99)}=1`)).not.toEqual({})
    expect(query(`a${'[b]'.repeat(100)}=1`)).toEqual({})
  })

  it('drops a JSON body’s own __proto__ key without following it', async () => {
    const res = await harness().put(RUNNER, { token: ADMIN, body: '{"__proto__":{"paused":true},"description":"kept"}', headers: { 'Content-Type': 'application/json' } })
    expect({ status: res.status, description: res.body.description, paused: res.body.paused }).toEqual({ status: 200, description: 'kept', paused: false })
  })
})

describe('required and blank values', () => {
  // gitlab-behaviour.md §6.2 "Grape parameter validation": `<param> is missing`; Grape takes a blank
  // non-String value as given but nil.
  it('a blank Boolean counts as given but sets nothing', () => {
    expect(parseParams({ paused: '' }, { paused: p.bool({ required: true }) })).toEqual({})
  })
  it('a required String given as JSON null is missing', () => {
    expect(() => parseParams({ token: null }, { token: p.string({ required: true }) })).toThrow(new ParamError(['token is missing']))
  })
})

describe('bodies that carry no parameters', () => {
  // Grape reads parameters from a JSON object body; a blank body, JSON that is not an object, or a body of a
  // type it does not parse adds none (the query's parameters still count).
  it.each([
    ['a blank JSON body', '  ', 'application/json'],
    ['JSON null', 'null', 'application/json'],
    ['a JSON array', '[{"description":"x"}]', 'application/json'],
    ['a JSON string', '"description"', 'application/json'],
    ['a text body', 'description=x', 'text/plain'],
  ])('%s: the query parameters apply', async (_, body, type) => {
    const res = await harness().put(RUNNER, { token: ADMIN, query: { description: 'from the query' }, body, headers: { 'Content-Type': type } })
    expect({ status: res.status, description: res.body.description }).toEqual({ status: 200, description: 'from the query' })
  })

  it('takes a JSON object body over the query: both count, and the body wins a name given in both', async () => {
    const res = await harness().put(RUNNER, {
      token: ADMIN,
      query: { description: 'from the query', paused: 'true' },
      body: '{"description":"from the body","locked":true}',
      headers: { 'Content-Type': 'application/json' },
    })
    expect({ status: res.status, description: res.body.description, paused: res.body.paused, locked: res.body.locked }).toEqual({
      status: 200,
      description: 'from the body',
      paused: true,
      locked: true,
    })
  })

  // With a declared length the body is decoded as one text; without, read as a stream: both drop the mark.
  it.each([
    ['with a declared length', { 'Content-Length': String(Buffer.byteLength('\uFEFF{"description":"after a BOM"}')) }],
    ['as a stream', {}],
  ])('reads a body that starts with a UTF-8 byte order mark without the mark, %s (README: Differences from GitLab)', async (_, length) => {
    const res = await harness().put(RUNNER, { token: ADMIN, body: '\uFEFF{"description":"after a BOM"}', headers: { 'Content-Type': 'application/json', ...length } })
    expect({ status: res.status, description: res.body.description }).toEqual({ status: 200, description: 'after a BOM' })
  })

  it('answers 400 for a JSON body that does not parse', async () => {
    expectError(await harness().put(RUNNER, { token: ADMIN, body: '{"description":', headers: { 'Content-Type': 'application/json' } }), 400, {
      error: 'The request body is not valid JSON',
    })
  })

  it('reads a body without a Content-Type as JSON: one that does not parse answers 400, one that does is applied', async () => {
    const { app } = harness()
    // Bytes, so that the request carries no Content-Type of its own.
    const put = (text: string) =>
      app.request(`http://gitlab.test/api/v4${RUNNER}`, { method: 'PUT', headers: { 'PRIVATE-TOKEN': ADMIN }, body: new TextEncoder().encode(text) })
    const bad = await put('{"description":')
    expect({ status: bad.status, type: bad.headers.get('content-type'), body: await bad.json() }).toEqual({
      status: 400,
      type: 'application/json',
      body: { error: 'The request body is not valid JSON' },
    })
    const good = await put('{"description":"without a type"}')
    expect({ status: good.status, description: ((await good.json()) as { description: string }).description }).toEqual({ status: 200, description: 'without a type' })
  })
})

describe('Integer values', () => {
  // gitlab-behaviour.md §3: non-integers are `<param> is invalid`; a blank value is nil for Grape (Rails' blank?
  // includes whitespace-only strings); a sign is part of an integer's text.
  it.each([
    ['+700', 700],
    [' 700 ', 700],
  ])('maximum_timeout=%j is %i', async (value, seconds) => {
    const res = await harness().put(RUNNER, { token: ADMIN, form: { maximum_timeout: value } })
    expect({ status: res.status, maximum_timeout: res.body.maximum_timeout }).toEqual({ status: 200, maximum_timeout: seconds })
  })
  it.each(['x700', '700x', '7 00'])('maximum_timeout=%j is `maximum_timeout is invalid`', async (value) => {
    expectError(await harness().put(RUNNER, { token: ADMIN, form: { maximum_timeout: value } }), 400, { error: 'maximum_timeout is invalid' })
  })
  it('a whitespace-only integer is blank: given, but sets nothing', () => {
    expect(parseParams({ runner_id: '   ' }, { runner_id: p.int({ required: true }) })).toStrictEqual({})
  })
})

describe('a Hash parameter of optional strings (p.hash)', () => {
  // runners-api.md "Register a new runner": `info` is a hash whose members are optional strings.
  const spec = { info: p.hash(['name', 'version']) }
  it('keeps the named members as strings and drops absent, null and unnamed ones', () => {
    expect(parseParams({ info: { name: 'r1', version: 16, extra: 'x' } }, spec)).toStrictEqual({ info: { name: 'r1', version: '16' } })
    expect(parseParams({ info: { name: null } }, spec)).toStrictEqual({ info: {} })
  })
  it.each([[[]], ['text'], [{ name: ['a'] }]])('%j is `info is invalid`', (info) => {
    expect(() => parseParams({ info }, spec)).toThrow(new ParamError(['info is invalid']))
  })
})
