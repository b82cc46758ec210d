/** @module Real-client test: every Runners method of @gitbeaker/rest against the in-process server on a real port, including paging past one page and the one method that calls a route GitLab lacks. */
import { Gitlab } from '@gitbeaker/rest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startMockServer, type MockServer } from '../../src/server.js'
import { FIXED_NOW, REGISTRATION, RUNNER_TOKENS, TOKENS } from '../harness.js'

let server: MockServer
const client = (token: string) => new Gitlab({ host: server.url, token })
type Api = ReturnType<typeof client>
let admin: Api
let bob: Api

/** The status and description of a GitbeakerRequestError (or rethrow anything else). */
async function failure(promise: Promise<unknown>): Promise<{ status: number; description: string }> {
  try {
    await promise
  } catch (error) {
    const cause = (error as { cause?: { description?: string; response?: Response } }).cause
    if (!cause?.response) throw error
    return { status: cause.response.status, description: cause.description ?? '' }
  }
  throw new Error('expected the call to fail')
}

beforeAll(async () => {
  server = await startMockServer({ port: 0, clock: FIXED_NOW, gitlabVersion: '15.11' })
  admin = client(TOKENS.admin)
  bob = client(TOKENS.maintainer)
})

afterAll(async () => {
  await server?.close()
})

beforeEach(() => server.reset())

describe('@gitbeaker/rest Runners against the mock', () => {
  it('all() pages through every runner of /runners/all, following Link rel="next"', async () => {
    const direct = await fetch(`${server.url}/api/v4/runners/all?per_page=100`, { headers: { 'PRIVATE-TOKEN': TOKENS.admin } })
    const expected = ((await direct.json()) as Array<{ id: number }>).map((r) => r.id)
    expect(expected.length).toBeGreaterThan(5)
    const runners = await admin.Runners.all({ perPage: 5 })
    expect(runners.map((r) => r.id)).toEqual(expected)
    const expanded = await admin.Runners.all({ perPage: 5, maxPages: 2, showExpanded: true })
    expect(expanded.data).toHaveLength(10)
    expect(expanded.paginationInfo).toMatchObject({ perPage: 5, current: 2, next: 3, previous: 1, total: expected.length })
  })

  it('all() with filters, owned, projectId (full path) and groupId', async () => {
    const filtered = await admin.Runners.all({ type: 'project_type', status: 'online', paused: false, tagList: ['docker', 'linux'] })
    expect(filtered.map((r) => r.id)).toContain(6)
    for (const r of filtered) expect(r).toMatchObject({ runner_type: 'project_type', active: true })
    const owned = await bob.Runners.all({ owned: true, perPage: 2 })
    expect(owned.map((r) => r.id).slice(0, 5)).toEqual([6, 7, 8, 9, 11])
    const project = await bob.Runners.all({ projectId: 'acme/backend/api' })
    expect(project.map((r) => r.id)).toEqual(expect.arrayContaining([1, 2, 3, 4, 5, 6, 7, 8]))
    const group = await client(TOKENS.groupOwner).Runners.all({ groupId: 'acme/backend', type: 'group_type' })
    expect(group.map((r) => r.id)).toEqual(expect.arrayContaining([4, 5]))
  })

  it('show() and edit() (with sudo as a header)', async () => {
    const shown = await bob.Runners.show(6)
    expect(shown).toMatchObject({ id: 6, description: 'api-runner', tag_list: ['docker', 'linux'] })
    const edited = await bob.Runners.edit(6, { description: 'edited', paused: true, tagList: ['a', 'b'], maximumTimeout: 3600 })
    expect(edited).toMatchObject({ id: 6, description: 'edited', paused: true, active: false, tag_list: ['a', 'b'], maximum_timeout: 3600 })
    const asBob = await admin.Runners.show(6, { sudo: 'bob' })
    expect(asBob.description).toBe('edited')
    expect(await failure(admin.Runners.show(6, { sudo: 'carol' }))).toEqual({ status: 403, description: '403 Forbidden - No access granted' })
    expect(await failure(bob.Runners.edit(6, { maximumTimeout: 10 }))).toEqual({
      status: 400,
      description: '{"maximum_timeout":["needs to be at least 10 minutes"]}',
    })
  })

  it('allJobs() with status, orderBy and sort, paging with perPage', async () => {
    const jobs = await bob.Runners.allJobs(6, { orderBy: 'id', sort: 'asc', perPage: 2 })
    expect(jobs.map((j) => j.id)).toEqual([1, 2, 3, 4, 5])
    const desc = await bob.Runners.allJobs(6, { orderBy: 'id' })
    expect(desc.map((j) => j.id)).toEqual([5, 4, 3, 2, 1])
    const running = await bob.Runners.allJobs(6, { status: 'running' })
    expect(running.map((j) => j.id)).toEqual([3])
  })

  it('enable() and disable()', async () => {
    const enabled = await bob.Runners.enable('acme/backend/api', 9)
    expect(enabled).toMatchObject({ id: 9, runner_type: 'project_type' })
    expect((await admin.Runners.show(9)).projects.map((p: { id: number }) => p.id)).toEqual([100, 101])
    expect(await bob.Runners.disable(100, 9)).toBeNull()
    expect((await admin.Runners.show(9)).projects.map((p: { id: number }) => p.id)).toEqual([101])
    expect(await failure(bob.Runners.enable(100, 4))).toEqual({ status: 403, description: '403 Forbidden - Runner is a group runner' })
    expect(await failure(bob.Runners.disable(100, 6))).toEqual({
      status: 403,
      description: '403 Forbidden - Only one project associated with the runner. Please remove the runner instead',
    })
  })

  it('create()/register(), verify() and remove() by token and by id', async () => {
    const created = await admin.Runners.create(REGISTRATION.apiProject, { description: 'from gitbeaker', tagList: ['x'] })
    expect(Object.keys(created)).toEqual(['id', 'token', 'token_expires_at'])
    const registered = await admin.Runners.register(REGISTRATION.instance, { paused: true })
    expect((await admin.Runners.show(registered.id)).paused).toBe(true)
    const verified = await admin.Runners.verify({ token: created.token } as { systemId?: string })
    expect(verified).toMatchObject({ id: created.id })
    expect(await admin.Runners.remove({ token: created.token })).toBeNull()
    expect(await failure(admin.Runners.show(created.id))).toEqual({ status: 404, description: '404 Not found' })
    expect(await admin.Runners.remove({ runnerId: registered.id })).toBeNull()
    expect(await failure(admin.Runners.show(registered.id))).toEqual({ status: 404, description: '404 Not found' })
    expect(await failure(bob.Runners.remove({ runnerId: 7 }))).toEqual({
      status: 403,
      description: '403 Forbidden - Runner associated with more than one project',
    })
  })

  it('resetRegistrationToken({ token }) resets the instance registration token', async () => {
    const result = (await admin.Runners.resetRegistrationToken({ token: REGISTRATION.instance })) as unknown as { token: string }
    expect(Object.keys(result)).toEqual(['token'])
    expect(result.token).not.toBe(REGISTRATION.instance)
    expect(await failure(admin.Runners.register(REGISTRATION.instance))).toEqual({ status: 403, description: '403 Forbidden' })
    expect((await admin.Runners.register(result.token)).id).toBeGreaterThan(0)
    expect(await failure(bob.Runners.resetRegistrationToken({ token: 'x' }))).toEqual({ status: 403, description: '403 Forbidden' })
  })

  it('resetRegistrationToken({ runnerId }) calls a route GitLab lacks and gets GitLab\'s JSON 404', async () => {
    expect(await failure(admin.Runners.resetRegistrationToken({ runnerId: '6' }))).toEqual({ status: 404, description: '404 Not Found' })
    const raw = await fetch(`${server.url}/api/v4/runners/6/reset_registration_token`, {
      method: 'POST',
      headers: { 'PRIVATE-TOKEN': TOKENS.admin, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(raw.status).toBe(404)
    expect(raw.headers.get('content-type')).toBe('application/json')
    expect(await raw.text()).toBe('{"error":"404 Not Found"}')
    // The runner's authentication token is unchanged.
    const verify = await fetch(`${server.url}/api/v4/runners/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: RUNNER_TOKENS.api6 }),
    })
    expect(verify.status).toBe(200)
  })

  it('resetRegistrationToken() without an option fails client-side (synchronously), sending nothing', () => {
    expect(() => admin.Runners.resetRegistrationToken()).toThrow('Missing either runnerId or token parameters')
  })

  it('answers every JSON reply with exactly application/json', async () => {
    const shown = await admin.Runners.show(1, { showExpanded: true })
    expect(shown.headers['content-type']).toBe('application/json')
    const list = await admin.Runners.all({ perPage: 3, maxPages: 1, showExpanded: true })
    expect(list.data).toHaveLength(3)
  })
})
