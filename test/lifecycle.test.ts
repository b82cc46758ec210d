/**
 * @module The runner life cycle end to end, through the public API only: register with each kind of
 * registration token, find the runner in the management endpoints, verify, reset its token, delete it
 * by token; and registration-token resets.
 */
import { describe, expect, it } from 'vitest'
import { REGISTRATION, TOKENS, expectError, harness, type Harness } from './harness.js'

const FORBIDDEN = { message: '403 Forbidden' }

/** The ids a list endpoint returns (one page of 100 holds the default world). */
async function idsOf(h: Harness, path: string, token: string, query: Record<string, string> = {}): Promise<number[]> {
  const res = await h.get(path, { token, query: { per_page: 100, ...query } })
  expect(res.status).toBe(200)
  expect(Number(res.headers.get('x-total-pages'))).toBe(1)
  return (res.body as Array<{ id: number }>).map((r) => r.id)
}

interface Case {
  kind: string
  registrationToken: string
  runnerType: string
  /** Details as the admin sees them. */
  owner: { projects: number[]; groups: number[] }
  /** List endpoints (path, caller) that must show the runner, and those that must not. */
  listedIn: Array<[string, string]>
  notListedIn: Array<[string, string]>
}

const CASES: Case[] = [
  {
    kind: 'the instance registration token',
    registrationToken: REGISTRATION.instance,
    runnerType: 'instance_type',
    owner: { projects: [], groups: [] },
    listedIn: [
      ['/runners/all', TOKENS.admin],
      ['/projects/100/runners', TOKENS.maintainer],
      ['/groups/10/runners', TOKENS.groupOwner],
    ],
    // Instance runners are owned by nobody; opensource/tool has shared runners off.
    notListedIn: [
      ['/runners', TOKENS.admin],
      ['/projects/103/runners', TOKENS.admin],
    ],
  },
  {
    kind: "the acme group's registration token",
    registrationToken: REGISTRATION.acmeGroup,
    runnerType: 'group_type',
    owner: { projects: [], groups: [10] },
    listedIn: [
      ['/runners/all', TOKENS.admin],
      ['/runners', TOKENS.groupOwner],
      ['/groups/10/runners', TOKENS.groupOwner],
      ['/projects/100/runners', TOKENS.maintainer],
    ],
    // acme/legacy does not take group runners; opensource is another group.
    notListedIn: [
      ['/projects/105/runners', TOKENS.admin],
      ['/groups/13/runners', TOKENS.admin],
      ['/runners', TOKENS.maintainer],
    ],
  },
  {
    kind: "the acme/backend/api project's registration token",
    registrationToken: REGISTRATION.apiProject,
    runnerType: 'project_type',
    owner: { projects: [100], groups: [] },
    listedIn: [
      ['/runners/all', TOKENS.admin],
      ['/runners', TOKENS.maintainer],
      ['/projects/100/runners', TOKENS.maintainer],
    ],
    notListedIn: [
      ['/projects/101/runners', TOKENS.maintainer],
      ['/groups/10/runners', TOKENS.groupOwner],
      ['/runners', TOKENS.developer],
    ],
  },
]

describe('runner life cycle', () => {
  it.each(CASES)('register with $kind → listed with its type and owner → verify → reset → delete → gone', async (c) => {
    const h = harness()
    // Register.
    const reg = await h.post('/runners', {
      body: { token: c.registrationToken, description: 'lifecycle', info: { name: 'gitlab-runner', version: '15.11.0' }, tag_list: 'x,y' },
    })
    expect(reg.status).toBe(201)
    const { id, token } = reg.body as { id: number; token: string }

    // It appears with the right type and owner.
    const shown = await h.get(`/runners/${id}`, { token: TOKENS.admin })
    expect(shown.body).toMatchObject({ id, runner_type: c.runnerType, is_shared: c.runnerType === 'instance_type', status: 'never_contacted', online: null })
    expect(shown.body.projects.map((p: { id: number }) => p.id)).toEqual(c.owner.projects)
    expect(shown.body.groups.map((g: { id: number }) => g.id)).toEqual(c.owner.groups)
    for (const [path, caller] of c.listedIn) expect(await idsOf(h, path, caller), `${path} lists it`).toContain(id)
    for (const [path, caller] of c.notListedIn) expect(await idsOf(h, path, caller), `${path} does not list it`).not.toContain(id)
    const listed = (await h.get('/runners/all', { token: TOKENS.admin, query: { per_page: 100 } })).body.find((r: { id: number }) => r.id === id)
    expect(listed).toEqual({
      id,
      description: 'lifecycle',
      ip_address: null,
      active: true,
      paused: false,
      is_shared: c.runnerType === 'instance_type',
      runner_type: c.runnerType,
      name: 'gitlab-runner',
      online: null,
      status: 'never_contacted',
    })

    // Verify: it comes online.
    expect((await h.post('/runners/verify', { body: { token } })).status).toBe(200)
    expect((await h.get(`/runners/${id}`, { token: TOKENS.admin })).body).toMatchObject({ online: true, status: 'online' })
    expect(await idsOf(h, '/runners/all', TOKENS.admin, { status: 'online' })).toContain(id)

    // Reset its token: the old one is refused, the new one works.
    const reset = await h.post('/runners/reset_authentication_token', { body: { token } })
    expect(reset.status).toBe(201)
    const fresh = reset.body.token as string
    expect(fresh).not.toBe(token)
    expectError(await h.post('/runners/verify', { body: { token } }), 403, FORBIDDEN)
    expect((await h.post('/runners/verify', { body: { token: fresh } })).body).toEqual({ id, token: fresh, token_expires_at: null })

    // Delete by token (the old token cannot), then it is gone from everywhere.
    expectError(await h.del('/runners', { body: { token } }), 403, FORBIDDEN)
    const deleted = await h.del('/runners', { body: { token: fresh } })
    expect(deleted.status).toBe(204)
    expectError(await h.get(`/runners/${id}`, { token: TOKENS.admin }), 404, { message: '404 Not found' })
    for (const [path, caller] of [...c.listedIn, ...c.notListedIn]) expect(await idsOf(h, path, caller), `${path} after delete`).not.toContain(id)
    expectError(await h.post('/runners/verify', { body: { token: fresh } }), 403, FORBIDDEN)
  })

  it('a user-token reset by id refuses the old runner token at once', async () => {
    const h = harness()
    const { id, token } = (await h.post('/runners', { body: { token: REGISTRATION.apiProject } })).body
    const reset = await h.post(`/runners/${id}/reset_authentication_token`, { token: TOKENS.maintainer })
    expect(reset.status).toBe(201)
    expectError(await h.post('/runners/verify', { body: { token } }), 403, FORBIDDEN)
    expect((await h.post('/runners/verify', { body: { token: reset.body.token } })).status).toBe(200)
  })
})

describe('registration-token resets', () => {
  const RESETS = [
    { kind: 'instance (admin)', path: '/runners/reset_registration_token', caller: TOKENS.admin, old: REGISTRATION.instance, runnerType: 'instance_type' },
    { kind: 'project (maintainer)', path: '/projects/100/runners/reset_registration_token', caller: TOKENS.maintainer, old: REGISTRATION.apiProject, runnerType: 'project_type' },
    { kind: 'project by path', path: '/projects/acme%2Fbackend%2Fapi/runners/reset_registration_token', caller: TOKENS.admin, old: REGISTRATION.apiProject, runnerType: 'project_type' },
    { kind: 'group (owner)', path: '/groups/10/runners/reset_registration_token', caller: TOKENS.groupOwner, old: REGISTRATION.acmeGroup, runnerType: 'group_type' },
  ]

  it.each(RESETS)('$kind: the old registration token gets 403, the new one registers', async ({ path, caller, old, runnerType }) => {
    const h = harness()
    const res = await h.post(path, { token: caller })
    expect(res.status).toBe(201)
    expect(Object.keys(res.body)).toEqual(['token'])
    expect(res.body.token).not.toBe(old)
    expectError(await h.post('/runners', { body: { token: old } }), 403, FORBIDDEN)
    const reg = await h.post('/runners', { body: { token: res.body.token } })
    expect(reg.status).toBe(201)
    expect((await h.get(`/runners/${reg.body.id}`, { token: TOKENS.admin })).body.runner_type).toBe(runnerType)
  })

  it('keeps runners registered with the old registration token working', async () => {
    const h = harness()
    const { token } = (await h.post('/runners', { body: { token: REGISTRATION.acmeGroup } })).body
    await h.post('/groups/10/runners/reset_registration_token', { token: TOKENS.groupOwner })
    expect((await h.post('/runners/verify', { body: { token } })).status).toBe(200)
  })

  it('leaves the other registration tokens alone', async () => {
    const h = harness()
    await h.post('/projects/100/runners/reset_registration_token', { token: TOKENS.maintainer })
    expect((await h.post('/runners', { body: { token: REGISTRATION.instance } })).status).toBe(201)
    expect((await h.post('/runners', { body: { token: REGISTRATION.acmeGroup } })).status).toBe(201)
  })

  it('refuses registration-token resets to callers below the required role', async () => {
    const h = harness()
    expectError(await h.post('/runners/reset_registration_token', { token: TOKENS.maintainer }), 403, FORBIDDEN)
    expectError(await h.post('/projects/100/runners/reset_registration_token', { token: TOKENS.developer }), 403, FORBIDDEN)
    expectError(await h.post('/groups/10/runners/reset_registration_token', { token: TOKENS.groupMaintainer }), 403, FORBIDDEN)
    // Nothing changed.
    expect((await h.post('/runners', { body: { token: REGISTRATION.instance } })).status).toBe(201)
  })
})
