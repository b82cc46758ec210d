import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIXED_NOW, expectError, harness } from '../../test/harness.js'
import { TokenFormat } from '../domain/random.js'
import type { MockApp } from '../app.js'

/** A write the way registration does one: next runner id, token from the seeded request-time generator. */
function addRunner(app: MockApp) {
  const store = app.world.store
  const runner = { ...store.runner(3)!, id: store.nextId('runner'), token: TokenFormat.runnerAuthentication(store.random) }
  store.insertRunner(runner)
  return runner
}

const CONTROL = { 'X-Mock-Control-Token': 's3cret' }

describe('control API: reset', () => {
  it('restores the initial state after writes, and the next new runner gets the same id and token again', async () => {
    const h = harness()
    const initial = (await h.get('/-/mock/state')).body
    const first = addRunner(h.app)
    h.app.world.store.updateRunner(h.app.world.store.runner(6)!, { description: 'edited' })
    expect((await h.get('/-/mock/state')).body).not.toEqual(initial)

    const res = await h.post('/-/mock/reset')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 'reset', seed: 1, clock: { now: FIXED_NOW, frozen: true } })
    expect((await h.get('/-/mock/state')).body).toEqual(initial)
    const again = addRunner(h.app)
    expect([again.id, again.token]).toEqual([first.id, first.token])
  })
})

describe('control API: reseed', () => {
  it('rebuilds with another seed', async () => {
    const h = harness()
    const res = await h.post('/-/mock/reseed', { body: { seed: 42 } })
    expect(res.body).toEqual({ status: 'reseeded', seed: 42, runners: 31 })
    expect((await h.get('/-/mock/state')).body).toEqual((await harness({ seed: 42 }).get('/-/mock/state')).body)
  })

  it('rebuilds from a fixture object, and from a fixture file path', async () => {
    const h = harness()
    const fixture = { users: [{ username: 'solo', admin: true, tokens: [{ token: 'glpat-solo' }] }], generate: { runners: 2 } }
    expect((await h.post('/-/mock/reseed', { body: { fixture } })).body).toEqual({ status: 'reseeded', seed: 1, runners: 2 })
    expect((await h.get('/-/mock/tokens')).body.users).toEqual({ solo: 'glpat-solo' })

    const dir = mkdtempSync(join(tmpdir(), 'gitlab-mock-control-'))
    const path = join(dir, 'f.json')
    writeFileSync(path, JSON.stringify({ runners: [{ runner_type: 'instance_type' }] }))
    expect((await h.post('/-/mock/reseed', { body: { fixture_path: path, seed: 'x' } })).body).toEqual({ status: 'reseeded', seed: 'x', runners: 1 })
  })

  it('refuses a bad fixture whole with every problem listed and leaves the world as it was', async () => {
    const h = harness()
    addRunner(h.app)
    const before = (await h.get('/-/mock/state')).body
    const fixture = {
      users: [{ username: 'ann', state: 'sleeping' }],
      runners: [{ runner_type: 'group_type', group: 'missing', paused: 'no' }],
    }
    const res = await h.post('/-/mock/reseed', { body: { fixture, seed: 9 } })
    expectError(res, 400, {
      message: 'invalid fixture',
      problems: [
        { path: '/users/0/state', message: 'must be equal to one of the allowed values ("active", "blocked")' },
        { path: '/runners/0/paused', message: 'must be boolean' },
        { path: '/runners/0/group', message: 'unknown group missing' },
      ],
    })
    expect((await h.get('/-/mock/state')).body).toEqual(before)
  })

  it('refuses a fixture that only breaks references, listing each one', async () => {
    const h = harness()
    const res = await h.post('/-/mock/reseed', { body: { fixture: { jobs: [{ runner: 5, project: 'a/b', status: 'failed' }] } } })
    expectError(res, 400, {
      message: 'invalid fixture',
      problems: [
        { path: '/jobs/0/runner', message: 'unknown runner 5' },
        { path: '/jobs/0/project', message: 'unknown project a/b' },
      ],
    })
    expect((await h.get('/-/mock/state')).body.runners).toHaveLength(31)
  })

  it('answers 400 for a body that is not JSON and for a seed that is neither number nor text', async () => {
    const h = harness()
    expectError(await h.post('/-/mock/reseed', { body: '{nope', headers: { 'Content-Type': 'application/json' } }), 400, { message: 'body is not valid JSON' })
    expectError(await h.post('/-/mock/reseed', { body: { seed: [1] } }), 400, { message: '"seed" must be a number or a string' })
  })
})

describe('control API: snapshots', () => {
  it('creates, lists, restores and deletes named snapshots', async () => {
    const h = harness()
    expect((await h.get('/-/mock/snapshots')).body).toEqual({ snapshots: [] })
    const created = await h.post('/-/mock/snapshots', { body: { name: 'clean' } })
    expect([created.status, created.body]).toEqual([201, { name: 'clean' }])
    expect((await h.post('/-/mock/snapshots')).body).toEqual({ name: 'default' })
    expect((await h.get('/-/mock/snapshots')).body).toEqual({ snapshots: ['clean', 'default'] })

    const saved = (await h.get('/-/mock/state')).body
    addRunner(h.app)
    expect((await h.post('/-/mock/snapshots/clean/restore')).body).toEqual({ restored: 'clean' })
    expect((await h.get('/-/mock/state')).body).toEqual(saved)

    expect((await h.del('/-/mock/snapshots/clean')).status).toBe(204)
    expect((await h.get('/-/mock/snapshots')).body).toEqual({ snapshots: ['default'] })
  })

  it('answers 404 for restoring or deleting an unknown snapshot', async () => {
    const h = harness()
    expectError(await h.post('/-/mock/snapshots/nope/restore'), 404, { message: 'no snapshot named nope' })
    expectError(await h.del('/-/mock/snapshots/nope'), 404, { message: 'no snapshot named nope' })
  })
})

describe('control API: state and tokens', () => {
  it('dumps the whole state as JSON', async () => {
    const res = await harness().get('/-/mock/state')
    expect(res.status).toBe(200)
    expect(Object.keys(res.body)).toEqual(['meta', 'settings', 'users', 'personal_access_tokens', 'groups', 'projects', 'memberships', 'runners', 'runner_managers', 'jobs'])
    expect(res.body.meta).toEqual({ seed: 1, now: FIXED_NOW, clock_frozen: true, counters: { user: 16, group: 17, project: 116, runner: 32, job: 108, runnerManager: res.body.runner_managers.length + 1 } })
  })

  it('lists the well-known tokens', async () => {
    const res = await harness().get('/-/mock/tokens')
    expect(res.body.users.root).toBe('glpat-AdminToken0000000001')
    expect(res.body.registration.instance).toBe('InstanceRegToken0001')
    expect(res.body.runners['6']).toBe('ProjectRunnerToken01')
  })
})

describe('control API: clock', () => {
  it('reads, sets, advances and returns to real time', async () => {
    const h = harness()
    expect((await h.get('/-/mock/clock')).body).toEqual({ now: FIXED_NOW, frozen: true })
    expect((await h.put('/-/mock/clock', { body: { now: '2027-02-03T04:05:06.000Z' } })).body).toEqual({ now: '2027-02-03T04:05:06.000Z', frozen: true })
    expect((await h.put('/-/mock/clock', { body: { now: Date.parse('2027-01-01T00:00:00Z') } })).body.now).toBe('2027-01-01T00:00:00.000Z')
    expect((await h.post('/-/mock/clock/advance', { body: { duration: '1d' } })).body.now).toBe('2027-01-02T00:00:00.000Z')
    const real = await h.post('/-/mock/clock/real')
    expect(real.body.frozen).toBe(false)
    expect(Math.abs(Date.parse(real.body.now) - Date.now())).toBeLessThan(5_000)
  })

  it('keeps ticking from a set instant with frozen: false', async () => {
    const res = await harness().put('/-/mock/clock', { body: { now: '2030-01-01T00:00:00.000Z', frozen: false } })
    expect(res.body.frozen).toBe(false)
    expect(Date.parse(res.body.now)).toBeGreaterThanOrEqual(Date.parse('2030-01-01T00:00:00.000Z'))
  })

  it('answers 400 for a bad instant or duration', async () => {
    const h = harness()
    expectError(await h.put('/-/mock/clock', { body: { now: 'tomorrow' } }), 400, { message: '"now" must be an ISO instant or epoch milliseconds' })
    const durationError = { message: 'give "seconds" (a number) or "duration" (such as "2h", "3d", "4mo")' }
    expectError(await h.post('/-/mock/clock/advance', { body: { duration: 'soon' } }), 400, durationError)
    expectError(await h.post('/-/mock/clock/advance', { body: {} }), 400, durationError)
    expect((await h.get('/-/mock/clock')).body.now).toBe(FIXED_NOW)
  })
})

describe('control API: health, guard and switch', () => {
  it('answers health and readiness', async () => {
    const h = harness()
    expect((await h.get('/-/mock/health')).body).toEqual({ status: 'ok' })
    expect((await h.get('/-/mock/ready')).body).toEqual({ status: 'ok', runners: 31 })
  })

  it('refuses every control route without the control token, and accepts them with it', async () => {
    const h = harness({ controlToken: 's3cret' })
    const unauthorized = { message: '401 Unauthorized', hint: 'send the control token in X-Mock-Control-Token' }
    expectError(await h.post('/-/mock/reset'), 401, unauthorized)
    expectError(await h.get('/-/mock/state'), 401, unauthorized)
    expectError(await h.get('/-/mock/tokens'), 401, unauthorized)
    expectError(await h.put('/-/mock/clock', { body: { now: '2030-01-01T00:00:00Z' } }), 401, unauthorized)
    expectError(await h.post('/-/mock/reset', { headers: { 'X-Mock-Control-Token': 'wrong' } }), 401, unauthorized)
    expect((await h.get('/-/mock/clock')).status).toBe(401)
    expect((await h.get('/-/mock/clock', { headers: CONTROL })).body.now).toBe(FIXED_NOW)

    expect((await h.post('/-/mock/reset', { headers: CONTROL })).status).toBe(200)
    expect((await h.get('/-/mock/state', { headers: CONTROL })).status).toBe(200)
  })

  it('guards snapshots named like the open probes too', async () => {
    const h = harness({ controlToken: 's3cret' })
    await h.post('/-/mock/snapshots', { body: { name: 'health' }, headers: CONTROL })
    const unauthorized = { message: '401 Unauthorized', hint: 'send the control token in X-Mock-Control-Token' }
    expectError(await h.del('/-/mock/snapshots/health'), 401, unauthorized)
    expectError(await h.post('/-/mock/snapshots/health/restore'), 401, unauthorized)
    expect((await h.get('/-/mock/snapshots', { headers: CONTROL })).body).toEqual({ snapshots: ['health'] })
  })

  it('keeps health and readiness open when a control token is set', async () => {
    const h = harness({ controlToken: 's3cret' })
    expect((await h.get('/-/mock/health')).status).toBe(200)
    expect((await h.get('/-/mock/ready')).status).toBe(200)
  })

  it('switches the control API off with control: false (JSON 404), GitLab\'s own probes stay', async () => {
    const h = harness({ control: false })
    expectError(await h.post('/-/mock/reset'), 404, { error: '404 Not Found' })
    expectError(await h.get('/-/mock/state'), 404, { error: '404 Not Found' })
    expect((await h.get('/-/health')).text).toBe('GitLab OK')
  })
})

describe("GitLab's own probes", () => {
  it('answers /-/health with plain text GitLab OK', async () => {
    const res = await harness({ controlToken: 's3cret' }).get('/-/health')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(res.text).toBe('GitLab OK')
  })

  it('answers /-/readiness and /-/liveness with GitLab JSON', async () => {
    const h = harness()
    expect((await h.get('/-/readiness')).body).toEqual({ status: 'ok', master_check: [{ status: 'ok' }] })
    expect((await h.get('/-/readiness?all=1')).body).toEqual({
      status: 'ok',
      master_check: [{ status: 'ok' }],
      db_check: [{ status: 'ok' }],
      redis_check: [{ status: 'ok' }],
    })
    expect((await h.get('/-/liveness')).body).toEqual({ status: 'ok' })
  })
})
