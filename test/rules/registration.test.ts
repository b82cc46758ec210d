/** @module Registering and contacting a runner through the HTTP API: a new runner's links, the contact that records what the runner reports, and token expiry of a personal project's runner. */
import { describe, expect, it } from 'vitest'
import { expectError, harness, type Harness } from '../harness.js'
import { ADMIN, NOW, REG, SECOND, iso, rulesFixture } from './world.js'

async function registered(h: Harness, token: string): Promise<{ id: number; token: string; token_expires_at: string | null }> {
  const res = await h.post('/runners', { body: { token } })
  expect(res.status).toBe(201)
  return res.body
}

describe("a freshly registered runner's links", () => {
  // runners-api.md "Register a new runner" and gitlab-behaviour.md §1.2: the registration token decides the
  // runner's type and owner; §2.2 RunnerDetails lists `projects` and `groups`.
  it.each([
    ['the instance token', 'instance_type', [], [], REG.instance],
    ['a group token', 'group_type', [], [2], REG.acme],
    ['a project token', 'project_type', [100], [], REG.api],
  ])('registered with %s: type %s, projects %j, groups %j', async (_, type, projects, groups, token) => {
    // A project with the group's id and a group with the project's id, so a wrong link would show.
    const h = harness({ fixture: rulesFixture({ groups: [{ id: 100, full_path: 'hundred' }], projects: [{ id: 2, path_with_namespace: 'hundred/two' }] }) })
    const { id } = await registered(h, token)
    const res = await h.get(`/runners/${id}`, { token: ADMIN })
    expect({
      type: res.body.runner_type,
      projects: res.body.projects.map((p: { id: number }) => p.id),
      groups: res.body.groups.map((g: { id: number }) => g.id),
    }).toEqual({ type, projects, groups })
  })
})

describe('contact by the runner', () => {
  // gitlab-behaviour.md §4: contact is recorded by runner-authenticated calls (verify, …); Ci::Runner#heartbeat
  // keeps the version, revision, platform and architecture the runner reports in `info` (§2.2 fields).
  it('POST /runners/verify records every reported detail', async () => {
    const h = harness({ fixture: rulesFixture() })
    const { id, token } = await registered(h, REG.instance)
    const info = { version: '16.0.1', revision: 'abcdef12', platform: 'linux', architecture: 'arm64' }
    expect((await h.post('/runners/verify', { body: { token, info } })).status).toBe(200)
    const res = await h.get(`/runners/${id}`, { token: ADMIN })
    expect({ version: res.body.version, revision: res.body.revision, platform: res.body.platform, architecture: res.body.architecture }).toEqual(info)
    expect(res.body.status).toBe('online')
  })

  it('keeps what an earlier contact recorded when a later one does not report it', async () => {
    const h = harness({ fixture: rulesFixture() })
    const { id, token } = await registered(h, REG.instance)
    await h.post('/runners/verify', { body: { token, info: { version: '16.0.1', revision: 'abcdef12', platform: 'linux', architecture: 'arm64' } } })
    await h.post('/runners/verify', { body: { token, info: { version: '16.1.0' } } })
    const res = await h.get(`/runners/${id}`, { token: ADMIN })
    expect([res.body.version, res.body.revision, res.body.platform, res.body.architecture]).toEqual(['16.1.0', 'abcdef12', 'linux', 'arm64'])
    await h.post('/runners/verify', { body: { token } })
    const after = await h.get(`/runners/${id}`, { token: ADMIN })
    expect([after.body.version, after.body.revision, after.body.platform, after.body.architecture]).toEqual(['16.1.0', 'abcdef12', 'linux', 'arm64'])
  })

  // gitlab-versions.md §2.2 (managers: a system_id is at most 64 characters, longer fails the model's validation).
  it('accepts a system_id of exactly 64 characters', async () => {
    const h = harness({ gitlabVersion: '17.1', fixture: rulesFixture({ settings: { allow_runner_registration_token: true } }) })
    const { id, token } = await registered(h, REG.instance)
    const systemId = `s_${'a'.repeat(62)}`
    expect((await h.post('/runners/verify', { body: { token, system_id: systemId } })).status).toBe(200)
    expect((await h.get(`/runners/${id}/managers`, { token: ADMIN })).body.map((m: { system_id: string }) => m.system_id)).toEqual([systemId])
  })

  // gitlab-versions.md §2.2: token reset by runner token creates the manager like verify, and authenticate_runner!
  // heartbeats the runner and its manager (contacted now, online).
  it('POST /runners/reset_authentication_token contacts the runner and its manager', async () => {
    const h = harness({ gitlabVersion: '17.1', fixture: rulesFixture({ settings: { allow_runner_registration_token: true } }) })
    const { id, token } = await registered(h, REG.instance)
    expect((await h.post('/runners/reset_authentication_token', { body: { token, system_id: 's_000000000001' } })).status).toBe(201)
    const [manager] = (await h.get(`/runners/${id}/managers`, { token: ADMIN })).body
    expect({ contacted_at: manager.contacted_at, status: manager.status }).toEqual({ contacted_at: iso(NOW), status: 'online' })
    expect((await h.get(`/runners/${id}`, { token: ADMIN })).body.status).toBe('online')
  })
})

describe('what registration keeps of info', () => {
  // gitlab-versions.md §2.5: 16.x stores name, version, revision, platform, architecture; 17.x/18.x keep only
  // info.name (version data comes from managers, so a fresh runner shows version null).
  const info = { name: 'build-01', version: '17.1.0', revision: 'abcdef12', platform: 'linux', architecture: 'amd64' }
  it.each([
    ['17.0', info],
    ['17.1', { name: 'build-01', version: null, revision: null, platform: null, architecture: null }],
  ])('GitLab %s: POST /runners stores %j of the reported info', async (version, stored) => {
    const h = harness({ gitlabVersion: version, fixture: rulesFixture({ settings: { allow_runner_registration_token: true } }) })
    const res = await h.post('/runners', { body: { token: REG.instance, info } })
    expect(res.status).toBe(201)
    expect((await h.get(`/runners/${res.body.id}`, { token: ADMIN })).body.name).toBe('build-01')
    const runner = (await h.get('/-/mock/state')).body.runners.find((r: { id: number }) => r.id === res.body.id)
    expect({ name: runner.name, version: runner.version, revision: runner.revision, platform: runner.platform, architecture: runner.architecture }).toEqual(stored)
  })
})

describe('resetting a runner token', () => {
  // Ci::Runner#reset_token! saves the runner, so updated_at moves; DELETE's If-Unmodified-Since (gitlab-behaviour.md,
  // check_unmodified_since!) then refuses an instant before the reset.
  it('moves updated_at: a later DELETE with If-Unmodified-Since before the reset is refused with 412', async () => {
    const h = harness({ fixture: rulesFixture({ runners: [{ id: 1, runner_type: 'instance_type', created_at: iso(NOW - 86_400 * SECOND) }] }) })
    expect((await h.post('/runners/1/reset_authentication_token', { token: ADMIN })).status).toBe(201)
    const beforeReset = new Date(NOW - 3600 * SECOND).toUTCString()
    expectError(await h.del('/runners/1', { token: ADMIN, headers: { 'If-Unmodified-Since': beforeReset } }), 412, { message: '412 Precondition Failed' })
  })
})

describe("a personal project's runner token", () => {
  // gitlab-behaviour.md §1.2 / Ci::Runner#compute_token_expiration: a project runner's token expiry comes from
  // the instance, the project, and the project's group chain. A personal project has no group, even when a
  // group has the same id as its owner (acme and alice are both 2 here).
  it('takes no expiry from a group whose id equals the owner’s user id', async () => {
    const fixture = rulesFixture()
    fixture.groups![0]!.runner_token_expiration_interval = 3600
    const h = harness({ fixture })
    expect((await registered(h, REG.personal)).token_expires_at).toBeNull()
    expect((await registered(h, REG.api)).token_expires_at).not.toBeNull()
  })
})

describe('a runner token at its expiry instant', () => {
  // gitlab-behaviour.md §1.2 R2–R4 and §5.2 "Runner-facing": an expired token gets 403; expired means
  // token_expires_at is in the past, so a token whose expiry is exactly now still works.
  const fixture = (expiresAt: string) => rulesFixture({ runners: [{ id: 1, runner_type: 'instance_type', token: 'RulesRunnerToken0001', token_expires_at: expiresAt }] })

  it('still verifies at exactly its expiry, and is refused a second later', async () => {
    expect((await harness({ fixture: fixture(iso(NOW)) }).post('/runners/verify', { body: { token: 'RulesRunnerToken0001' } })).status).toBe(200)
    expectError(await harness({ fixture: fixture(iso(NOW - SECOND)) }).post('/runners/verify', { body: { token: 'RulesRunnerToken0001' } }), 403, { message: '403 Forbidden' })
  })
})
