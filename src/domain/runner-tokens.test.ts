import { describe, expect, it } from 'vitest'
import { FIXED_NOW, expectError, harness, type Harness } from '../../test/harness.js'
import { createApp } from '../app.js'
import type { Fixture } from '../seed/fixture-types.js'
import { TokenFormat, randomSource } from './random.js'
import { registerRunner, tokenExpirationInterval } from './runner-tokens.js'

const ADMIN = 'glpat-AdminToken0000000001'
const REG = {
  instance: 'InstanceRegToken0001',
  acme: 'GR1348941AcmeGroupRegToken001',
  backend: 'GR1348941BackendGroupRegTok01',
  other: 'GR1348941OtherGroupRegToken01',
  api: 'GR1348941ApiProjectRegToken01',
  worker: 'GR1348941WorkerProjRegToken01',
} as const
const HOUR = 3600
const NOW = Date.parse(FIXED_NOW)

/**
 * A small world for expiry: acme (1 h) > acme/backend (no interval) > api (30 min) and worker (none);
 * other (10 min) is unrelated. The instance interval is given per test.
 */
function expiryFixture(instance: number | null, overrides: { acme?: number | null; api?: number | null } = {}): Fixture {
  return {
    settings: { registration_token: REG.instance, runner_token_expiration_interval: instance },
    users: [{ id: 1, username: 'root', admin: true, tokens: [{ token: ADMIN, scopes: ['api'] }] }],
    groups: [
      { id: 10, full_path: 'acme', runners_token: REG.acme, runner_token_expiration_interval: overrides.acme === undefined ? HOUR : overrides.acme },
      { id: 11, full_path: 'acme/backend', runners_token: REG.backend },
      { id: 12, full_path: 'other', runners_token: REG.other, runner_token_expiration_interval: 600 },
    ],
    projects: [
      { id: 100, path_with_namespace: 'acme/backend/api', runners_token: REG.api, runner_token_expiration_interval: overrides.api === undefined ? 1800 : overrides.api },
      { id: 101, path_with_namespace: 'acme/backend/worker', runners_token: REG.worker },
    ],
  }
}

async function register(h: Harness, token: string): Promise<{ id: number; token: string; token_expires_at: string | null }> {
  const res = await h.post('/runners', { body: { token } })
  expect(res.status).toBe(201)
  return res.body
}

const inSeconds = (s: number) => new Date(NOW + s * 1000).toISOString()

describe('runner token expiry', () => {
  it('gives tokens no expiry when no interval applies', async () => {
    const h = harness({ fixture: expiryFixture(null, { acme: null, api: null }) })
    for (const token of [REG.instance, REG.acme, REG.backend, REG.api, REG.worker])
      expect((await register(h, token)).token_expires_at).toBeNull()
  })

  it('expires instance runner tokens after the instance interval, ignoring group and project intervals', async () => {
    const h = harness({ fixture: expiryFixture(7200) })
    expect((await register(h, REG.instance)).token_expires_at).toBe(inSeconds(7200))
  })

  it('expires group runner tokens after the shortest of the instance, group and ancestor intervals', async () => {
    const h = harness({ fixture: expiryFixture(7200) })
    expect((await register(h, REG.acme)).token_expires_at).toBe(inSeconds(HOUR))
    // acme/backend has no interval of its own: its parent's applies.
    expect((await register(h, REG.backend)).token_expires_at).toBe(inSeconds(HOUR))
    expect((await register(h, REG.other)).token_expires_at).toBe(inSeconds(600))
    // The instance interval wins when it is the shortest.
    const short = harness({ fixture: expiryFixture(300) })
    expect((await register(short, REG.acme)).token_expires_at).toBe(inSeconds(300))
  })

  it("expires project runner tokens after the shortest of the instance, project and its groups' intervals", async () => {
    const h = harness({ fixture: expiryFixture(7200) })
    expect((await register(h, REG.api)).token_expires_at).toBe(inSeconds(1800))
    expect((await register(h, REG.worker)).token_expires_at).toBe(inSeconds(HOUR))
    const onlyInstance = harness({ fixture: expiryFixture(7200, { acme: null, api: null }) })
    expect((await register(onlyInstance, REG.worker)).token_expires_at).toBe(inSeconds(7200))
  })

  it('takes the shortest interval over all projects of a multi-project runner when its token is reset', async () => {
    const h = harness({ fixture: expiryFixture(null) })
    const runner = await register(h, REG.worker)
    expect(runner.token_expires_at).toBe(inSeconds(HOUR))
    expect((await h.post('/projects/100/runners', { token: ADMIN, body: { runner_id: runner.id } })).status).toBe(201)
    const reset = await h.post('/runners/reset_authentication_token', { body: { token: runner.token } })
    expect(reset.body.token_expires_at).toBe(inSeconds(1800))
  })

  it('refuses an expired token with 403 everywhere; the token still works at its expiry instant', async () => {
    const h = harness({ fixture: expiryFixture(null) })
    const runner = await register(h, REG.api)
    h.app.world.clock.advance(1800 * 1000)
    expect((await h.post('/runners/verify', { body: { token: runner.token } })).status).toBe(200)
    h.app.world.clock.advance(1)
    const forbidden = { message: '403 Forbidden' }
    expectError(await h.post('/runners/verify', { body: { token: runner.token } }), 403, forbidden)
    expectError(await h.post('/runners/reset_authentication_token', { body: { token: runner.token } }), 403, forbidden)
    expectError(await h.del('/runners', { body: { token: runner.token } }), 403, forbidden)
    expect(h.app.world.store.runner(runner.id)).toBeDefined()
  })

  it('follows the clock moved through the control API', async () => {
    const h = harness({ fixture: expiryFixture(600) })
    const runner = await register(h, REG.instance)
    expect((await h.post('/-/mock/clock/advance', { body: { seconds: 601 } })).status).toBe(200)
    expectError(await h.post('/runners/verify', { body: { token: runner.token } }), 403, { message: '403 Forbidden' })
  })

  it('gives a reset token a fresh expiry counted from the reset', async () => {
    const h = harness({ fixture: expiryFixture(null) })
    const runner = await register(h, REG.acme)
    h.app.world.clock.advance(45 * 60 * 1000)
    const reset = await h.post('/runners/reset_authentication_token', { body: { token: runner.token } })
    expect(reset.status).toBe(201)
    expect(reset.body.token_expires_at).toBe(inSeconds(45 * 60 + HOUR))
    h.app.world.clock.advance(30 * 60 * 1000) // past the first token's expiry, within the new one's
    expect((await h.post('/runners/verify', { body: { token: reset.body.token } })).body.token_expires_at).toBe(reset.body.token_expires_at)
  })

  it('reads the interval of each level through tokenExpirationInterval', () => {
    const app = createApp({ clock: FIXED_NOW, fixture: expiryFixture(7200) })
    const store = app.world.store
    expect(tokenExpirationInterval(store, { runnerType: 'instance_type', groupId: null, projectIds: [] })).toBe(7200)
    expect(tokenExpirationInterval(store, { runnerType: 'group_type', groupId: 11, projectIds: [] })).toBe(HOUR)
    expect(tokenExpirationInterval(store, { runnerType: 'project_type', groupId: null, projectIds: [101, 100] })).toBe(1800)
    // Without an instance interval an instance runner's token does not expire; a group's still does.
    const without = createApp({ clock: FIXED_NOW, fixture: expiryFixture(null) }).world.store
    expect(tokenExpirationInterval(without, { runnerType: 'instance_type', groupId: null, projectIds: [] })).toBeNull()
    expect(tokenExpirationInterval(without, { runnerType: 'group_type', groupId: 11, projectIds: [] })).toBe(HOUR)
  })

  it('refuses a fixture runner whose token_expires_at lies in the past', async () => {
    const fixture = expiryFixture(null)
    fixture.runners = [
      { id: 1, runner_type: 'instance_type', token: 'ExpiredRunnerToken01', token_expires_at: '-1m' },
      { id: 2, runner_type: 'instance_type', token: 'LiveRunnerToken00001', token_expires_at: '+1d' },
    ]
    const h = harness({ fixture })
    expectError(await h.post('/runners/verify', { body: { token: 'ExpiredRunnerToken01' } }), 403, { message: '403 Forbidden' })
    expect((await h.post('/runners/verify', { body: { token: 'LiveRunnerToken00001' } })).body).toEqual({
      id: 2,
      token: 'LiveRunnerToken00001',
      token_expires_at: inSeconds(86400),
    })
  })
})

describe('token shapes', () => {
  const random = randomSource({ rngState: 42 })

  it('makes 20-character runner and instance registration tokens, GR1348941 + 20 for groups and projects, glpat- + 20 for PATs', () => {
    for (let i = 0; i < 200; i++) {
      expect(TokenFormat.runnerAuthentication(random)).toMatch(/^[A-Za-z0-9_-]{20}$/)
      expect(TokenFormat.instanceRegistration(random)).toMatch(/^[A-Za-z0-9_-]{20}$/)
      expect(TokenFormat.namespaceRegistration(random)).toMatch(/^GR1348941[A-Za-z0-9_-]{20}$/)
      expect(TokenFormat.personalAccess(random)).toMatch(/^glpat-[A-Za-z0-9_-]{20}$/)
    }
  })

  it("uses Devise.friendly_token's alphabet, without l, I, O and 0", () => {
    const text = Array.from({ length: 500 }, () => TokenFormat.runnerAuthentication(random)).join('')
    expect(text).not.toMatch(/[lIO0]/)
  })

  it('hands out registration tokens of the right shape on reset, and generated users get glpat- tokens', async () => {
    const h = harness()
    const instance = await h.post('/runners/reset_registration_token', { token: 'glpat-AdminToken0000000001' })
    const project = await h.post('/projects/100/runners/reset_registration_token', { token: 'glpat-AdminToken0000000001' })
    const group = await h.post('/groups/10/runners/reset_registration_token', { token: 'glpat-AdminToken0000000001' })
    expect(instance.body.token).toMatch(/^[A-Za-z0-9_-]{20}$/)
    expect(project.body.token).toMatch(/^GR1348941[A-Za-z0-9_-]{20}$/)
    expect(group.body.token).toMatch(/^GR1348941[A-Za-z0-9_-]{20}$/)
    const generated = [...h.app.world.store.state.tokens.values()].filter((t) => t.name === 'generated')
    expect(generated.length).toBeGreaterThan(0)
    for (const t of generated) expect(t.token).toMatch(/^glpat-[A-Za-z0-9_-]{20}$/)
  })

  it('never hands out a token some record already holds: it draws again', () => {
    const app = createApp({ clock: FIXED_NOW, gitlabVersion: '15.11' })
    const store = app.world.store
    const preview = randomSource({ rngState: store.state.rngState })
    const taken = TokenFormat.runnerAuthentication(preview)
    const next = TokenFormat.runnerAuthentication(preview)
    const [template] = store.state.runners.values()
    store.insertRunner({ ...template!, id: 9999, token: taken, tagList: [], projectIds: [] })
    const runner = registerRunner(store, { token: store.state.settings.registrationToken, ipAddress: null })
    expect(runner.token).toBe(next)
  })

  it('gives 300 registrations 300 distinct tokens', async () => {
    const h = harness()
    const tokens = new Set<string>()
    for (let i = 0; i < 300; i++) tokens.add((await register(h, 'InstanceRegToken0001')).token)
    expect(tokens.size).toBe(300)
  })
})

describe('deterministic tokens', () => {
  async function tokenSequence(seed: number | string): Promise<string[]> {
    const h = harness({ seed })
    const a = await register(h, 'InstanceRegToken0001')
    const b = await register(h, 'GR1348941ApiProjectRegToken01')
    const reset = await h.post('/runners/reset_authentication_token', { body: { token: a.token } })
    const reg = await h.post('/runners/reset_registration_token', { token: ADMIN })
    return [a.token, b.token, reset.body.token, reg.body.token]
  }

  it('gives two fresh apps with the same seed identical tokens, and another seed different ones', async () => {
    const first = await tokenSequence(7)
    expect(await tokenSequence(7)).toEqual(first)
    const other = await tokenSequence(8)
    for (let i = 0; i < first.length; i++) expect(other[i]).not.toBe(first[i])
  })

  it('replays the same tokens after a world reset', async () => {
    const h = harness()
    const before = (await register(h, 'InstanceRegToken0001')).token
    h.app.world.reset()
    expect((await register(h, 'InstanceRegToken0001')).token).toBe(before)
  })
})
