/**
 * The same operations across the GitLab versions the mock emulates, each version's answer asserted:
 * registration tokens (410 from 17.0 unless allowed), the bad-token message, the stale window (7 days from
 * 17.1), ip_address (null from 17.0), entity field lists in serialization order, maintenance_note (16.10+,
 * 18.x only for updaters), scopes (manage_runner 17.1+), GET /runners owned vs available (18.x) and /version.
 * Every response is also checked against the strict schemas of its version by the harness.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_FIXTURE } from '../src/world.js'
import type { Fixture } from '../src/seed/fixture-types.js'
import { expectError, harness, REGISTRATION, TOKENS } from './harness.js'

const VERSIONS = ['15.11', '16.11', '17.0', '17.1', '17.11', '18.11'] as const
type Version = (typeof VERSIONS)[number]
const at = (v: Version, since: string) => {
  const [a, b] = v.split('.').map(Number) as [number, number]
  const [c, d] = since.split('.').map(Number) as [number, number]
  return a * 100 + b >= c * 100 + d
}

/** The default fixture without its registration-token setting (so the version's default applies), plus changes. */
function fixture(change: (f: Fixture) => void = () => {}): Fixture {
  const f: Fixture = structuredClone(DEFAULT_FIXTURE)
  delete f.settings!.allow_runner_registration_token
  change(f)
  return f
}

const MANAGE_RUNNER_TOKEN = 'glpat-ManageRunnerToken001'
const withManageRunnerToken = (f: Fixture) => {
  f.users!.find((u) => u.username === 'bob')!.tokens!.push({ token: MANAGE_RUNNER_TOKEN, name: 'bob-manage', scopes: ['manage_runner'] })
}

const RUNNER_KEYS = ['id', 'description', 'ip_address', 'active', 'paused', 'is_shared', 'runner_type', 'name', 'online', 'status']
const RUNNER_KEYS_18 = ['id', 'description', 'ip_address', 'active', 'paused', 'is_shared', 'runner_type', 'name', 'online', 'created_at', 'status', 'job_execution_status']
const DETAIL_KEYS = ['tag_list', 'run_untagged', 'locked', 'maximum_timeout', 'access_level', 'version', 'revision', 'platform', 'architecture', 'contacted_at']

describe.each(VERSIONS)('GitLab %s', (version) => {
  it('answers GET /version with its release', async () => {
    const res = await harness({ gitlabVersion: version }).get('/version', { token: TOKENS.outsider })
    expect(res.body.version.startsWith(`${version}.`)).toBe(true)
  })

  it('registration tokens: allowed by default before 17.0, 410 from 17.0 unless the instance setting allows them', async () => {
    const byDefault = harness({ gitlabVersion: version, fixture: fixture() })
    const res = await byDefault.post('/runners', { body: { token: REGISTRATION.instance } })
    if (at(version, '17.0')) expectError(res, 410, { message: '410 Gone - runner registration disallowed' })
    else expect(res.status).toBe(201)
    // The reset endpoints follow the same setting from 17.0 (403), and work before.
    const reset = await byDefault.post('/runners/reset_registration_token', { token: TOKENS.admin })
    if (at(version, '17.0')) expectError(reset, 403, { message: '403 Forbidden' })
    else expect(reset.status).toBe(201)

    const allowed = harness({ gitlabVersion: version, fixture: fixture((f) => (f.settings!.allow_runner_registration_token = true)) })
    expect((await allowed.post('/runners', { body: { token: REGISTRATION.apiProject } })).status).toBe(201)
  })

  it('an unknown registration token: 403 with the message of the version', async () => {
    const h = harness({ gitlabVersion: version })
    const res = await h.post('/runners', { body: { token: 'not-a-registration-token' } })
    expectError(res, 403, { message: at(version, '16.2') ? '403 Forbidden - invalid token supplied' : '403 Forbidden' })
  })

  it('the control API flips allow_runner_registration_token at run time, and reset restores the fixture value', async () => {
    const h = harness({ gitlabVersion: version })
    expect((await h.get('/-/mock/settings')).body).toEqual({ gitlab_version: version, allow_runner_registration_token: true })
    const put = await h.put('/-/mock/settings', { body: { allow_runner_registration_token: false } })
    expect(put.body.allow_runner_registration_token).toBe(false)
    expectError(await h.post('/runners', { body: { token: REGISTRATION.instance } }), 410, { message: '410 Gone - runner registration disallowed' })
    await h.post('/-/mock/reset')
    expect((await h.post('/runners', { body: { token: REGISTRATION.instance } })).status).toBe(201)
    expect((await h.put('/-/mock/settings', { body: { allow_runner_registration_token: 'no' } })).status).toBe(400)
    expect((await h.put('/-/mock/settings', { body: { gitlab_version: '17.0' } })).status).toBe(400)
  })

  it('stale after 3 calendar months, or 7 days from 17.1: status field and filter', async () => {
    const h = harness({ gitlabVersion: version })
    // Runner 2 was last contacted 3 days ago; 5 more days make it 8.
    await h.post('/-/mock/clock/advance', { body: { duration: '5d' } })
    const status = (await h.get('/runners/2', { token: TOKENS.admin })).body.status
    const staleIds = (await h.get('/runners/all', { token: TOKENS.admin, query: { status: 'stale', per_page: 100 } })).body.map((r: { id: number }) => r.id)
    expect(status).toBe(at(version, '17.1') ? 'stale' : 'offline')
    expect(staleIds.includes(2)).toBe(at(version, '17.1'))
    expect(staleIds).toContain(9) // four months: stale everywhere
  })

  it('ip_address carries the address before 17.0 and is null from 17.0', async () => {
    const h = harness({ gitlabVersion: version })
    const details = (await h.get('/runners/1', { token: TOKENS.admin })).body
    const item = (await h.get('/runners/all', { token: TOKENS.admin, query: { type: 'instance_type' } })).body[0]
    expect(details.ip_address).toBe(at(version, '17.0') ? null : '10.0.0.11')
    expect(item.ip_address).toBe(at(version, '17.0') ? null : '10.0.0.11')
  })

  it('field lists in serialization order, per version', async () => {
    const h = harness({ gitlabVersion: version })
    const item = (await h.get('/runners/all', { token: TOKENS.admin, query: { per_page: 1 } })).body[0]
    expect(Object.keys(item)).toEqual(at(version, '18.0') ? RUNNER_KEYS_18 : RUNNER_KEYS)
    const details = (await h.get('/runners/10', { token: TOKENS.admin })).body
    const runnerKeys = at(version, '18.0')
      ? ['id', 'description', 'ip_address', 'active', 'paused', 'is_shared', 'runner_type', 'name', 'online', 'created_by', 'created_at', 'status', 'job_execution_status']
      : RUNNER_KEYS
    expect(Object.keys(details)).toEqual([...runnerKeys, ...DETAIL_KEYS, ...(at(version, '16.10') ? ['maintenance_note'] : []), 'projects', 'groups'])
    if (at(version, '18.0')) {
      expect(details.created_by).toMatchObject({ id: 4, username: 'carol' })
      expect((await h.get('/runners/6', { token: TOKENS.admin })).body.job_execution_status).toBe('active') // job 3 is running
      expect((await h.get('/runners/7', { token: TOKENS.admin })).body.job_execution_status).toBe('idle')
    }
  })

  it('maintenance_note: absent before 16.10; accepted by PUT from 16.10; from 18.0 null for callers who may not update', async () => {
    const h = harness({ gitlabVersion: version })
    const put = await h.put('/runners/6', { token: TOKENS.maintainer, body: { maintenance_note: 'rack 7' } })
    if (!at(version, '16.10')) {
      expectError(put, 400, { error: 'description, active, paused, tag_list, run_untagged, locked, access_level, maximum_timeout are missing, at least one parameter must be provided' })
      expect('maintenance_note' in (await h.get('/runners/8', { token: TOKENS.admin })).body).toBe(false)
      return
    }
    expect(put.status).toBe(200)
    expect(put.body.maintenance_note).toBe('rack 7')
    // An instance runner: readable by everyone, updatable by admins only.
    await h.put('/runners/1', { token: TOKENS.admin, body: { maintenance_note: 'shared' } })
    expect((await h.get('/runners/1', { token: TOKENS.admin })).body.maintenance_note).toBe('shared')
    expect((await h.get('/runners/1', { token: TOKENS.outsider })).body.maintenance_note).toBe(at(version, '18.0') ? null : 'shared')
  })

  it('include_projects=false leaves projects out from 18.6; before, the parameter is ignored', async () => {
    const h = harness({ gitlabVersion: version })
    const details = (await h.get('/runners/6', { token: TOKENS.admin, query: { include_projects: false } })).body
    expect('projects' in details).toBe(!at(version, '18.6'))
    expect(details.groups).toEqual([])
  })

  it('manage_runner tokens reach /runners/:id… from 17.1, never the lists', async () => {
    const h = harness({ gitlabVersion: version, fixture: fixture(withManageRunnerToken) })
    const show = await h.get('/runners/6', { token: MANAGE_RUNNER_TOKEN })
    const update = await h.put('/runners/6', { token: MANAGE_RUNNER_TOKEN, body: { description: 'managed' } })
    const jobs = await h.get('/runners/6/jobs', { token: MANAGE_RUNNER_TOKEN })
    const list = await h.get('/runners', { token: MANAGE_RUNNER_TOKEN })
    if (at(version, '17.1')) {
      expect([show.status, update.status, jobs.status]).toEqual([200, 200, 200])
    } else {
      expect(show.body).toEqual({ error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.', scope: 'api read_api' })
      expect(update.body.scope).toBe('api')
      expect(jobs.status).toBe(403)
    }
    expect(list.status).toBe(403)
    expect(list.body.scope).toBe('api read_api')
  })

  it('GET /runners: owned runners through 17.x, available runners (inherited from ancestor groups) in 18.x', async () => {
    const h = harness({
      gitlabVersion: version,
      fixture: fixture((f) => (f.groups!.find((g) => g.full_path === 'acme/backend')!.members = { erin: 'owner' })),
    })
    const ids = (await h.get('/runners', { token: TOKENS.outsider, query: { per_page: 100 } })).body.map((r: { id: number }) => r.id)
    expect(ids).toEqual(at(version, '18.0') ? [4, 5, 6, 7, 8, 9] : [5, 6, 7, 8, 9])
  })
})

describe('choosing the version', () => {
  it('defaults to 18.11; the fixture setting applies unless the option says otherwise', async () => {
    expect((await harness({ gitlabVersion: undefined }).get('/version', { token: TOKENS.admin })).body.version).toBe('18.11.0')
    const pinned = fixture((f) => (f.settings!.gitlab_version = '16.4'))
    expect((await harness({ gitlabVersion: undefined, fixture: pinned }).get('/version', { token: TOKENS.admin })).body.version).toBe('16.4.0')
    expect((await harness({ gitlabVersion: '17.2', fixture: pinned }).get('/version', { token: TOKENS.admin })).body.version).toBe('17.2.0')
  })

  it('refuses a version outside 15.11–18.11, naming the range (option and fixture)', () => {
    expect(() => harness({ gitlabVersion: '19.0' })).toThrow(/from 15\.11 through 18\.11/)
    expect(() => harness({ gitlabVersion: undefined, fixture: fixture((f) => (f.settings!.gitlab_version = '15.4')) })).toThrow(
      /\/settings\/gitlab_version: unsupported GitLab version "15.4"/,
    )
  })

  it('registration_enabled stays an alias: false switches registration tokens off whatever else is set', async () => {
    const h = harness({ gitlabVersion: '16.11', fixture: fixture((f) => (f.settings!.registration_enabled = false)) })
    expect((await h.get('/-/mock/settings')).body.allow_runner_registration_token).toBe(false)
    const on = harness({ gitlabVersion: '18.11', fixture: fixture((f) => (f.settings!.registration_enabled = true)) })
    expect((await on.post('/runners', { body: { token: REGISTRATION.instance } })).status).toBe(201)
  })
})
