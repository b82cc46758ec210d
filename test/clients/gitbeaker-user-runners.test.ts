/**
 * @module Real-client test of the 16+ workflow with @gitbeaker/rest on the newest emulated GitLab: Users.createCIRunner
 * for each runner type with the right and the wrong user, then what gitlab-runner does with the glrt- token
 * (verify with a system_id, unregister with DELETE /runners/managers). gitbeaker has no runner-managers
 * methods, so the managers list and the manager deletion go through fetch.
 */
import { Gitlab } from '@gitbeaker/rest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { NEWEST_GITLAB_VERSION } from '../../src/domain/gitlab-version.js'
import { startMockServer, type MockServer } from '../../src/server.js'
import { checkRouteResponse, formatVerdict } from '../../src/validation/routes.js'
import { FIXED_NOW, TOKENS } from '../harness.js'

let server: MockServer
const client = (token: string) => new Gitlab({ host: server.url, token })

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

/** A raw call, its body checked against the route's strict schema like every harness response. */
async function call(method: string, path: string, init: { token?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/api/v4${path}`, {
    method,
    headers: { ...(init.token ? { 'PRIVATE-TOKEN': init.token } : {}), ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  })
  const text = await res.text()
  const body = text === '' ? undefined : JSON.parse(text)
  const verdict = checkRouteResponse(method, path, res.status, body, 'strict', NEWEST_GITLAB_VERSION)
  if (!verdict.ok) throw new Error(formatVerdict(method, path, res.status, verdict).join('\n'))
  return { status: res.status, body }
}

beforeAll(async () => {
  server = await startMockServer({ port: 0, clock: FIXED_NOW, gitlabVersion: NEWEST_GITLAB_VERSION })
})

afterAll(async () => {
  await server?.close()
})

beforeEach(() => server.reset())

const CASES = [
  { type: 'instance_type', right: TOKENS.admin, wrong: TOKENS.groupOwner, options: {}, prefix: 'glrt-t1_' },
  { type: 'group_type', right: TOKENS.groupOwner, wrong: TOKENS.groupMaintainer, options: { groupId: 10 }, prefix: 'glrt-t2_' },
  { type: 'project_type', right: TOKENS.maintainer, wrong: TOKENS.developer, options: { projectId: 100 }, prefix: 'glrt-t3_' },
] as const

describe(`@gitbeaker/rest Users.createCIRunner against the mock (GitLab ${NEWEST_GITLAB_VERSION})`, () => {
  it.each(CASES)('$type: the wrong user gets 403, the right one a glrt- runner that gitlab-runner then verifies and unregisters', async ({ type, right, wrong, options, prefix }) => {
    const refused = await failure(client(wrong).Users.createCIRunner(type, { ...options, description: 'nope' }))
    expect(refused).toEqual({ status: 403, description: '403 Forbidden - Insufficient permissions' })

    const created = await client(right).Users.createCIRunner(type, {
      ...options,
      description: `gitbeaker-${type}`,
      tagList: ['docker', 'linux'],
      runUntagged: false,
      maximumTimeout: 3600,
      maintenanceNote: 'made by gitbeaker',
    })
    expect(Object.keys(created).sort()).toEqual(['id', 'token', 'token_expires_at'])
    expect(created.token.startsWith(prefix)).toBe(true)
    const shown = await client(right).Runners.show(created.id)
    expect(shown).toMatchObject({ id: created.id, runner_type: type, description: `gitbeaker-${type}`, status: 'never_contacted', tag_list: ['docker', 'linux'] })

    // gitlab-runner register --token glrt-…: only verify, with its system_id (gitbeaker sends systemId as system_id).
    const runnerClient = client(right)
    await runnerClient.Runners.verify({ systemId: 's_0123456789ab', token: created.token } as Parameters<typeof runnerClient.Runners.verify>[0])
    await runnerClient.Runners.verify({ systemId: 's_ba9876543210', token: created.token } as Parameters<typeof runnerClient.Runners.verify>[0])
    const managers = await call('GET', `/runners/${created.id}/managers`, { token: right })
    expect(managers.status).toBe(200)
    expect(managers.body.map((m: { system_id: string }) => m.system_id)).toEqual(['s_0123456789ab', 's_ba9876543210'])
    expect(managers.body[0]).toMatchObject({ status: 'online', job_execution_status: 'idle' })

    // gitlab-runner unregister on one host.
    expect((await call('DELETE', '/runners/managers', { body: { token: created.token, system_id: 's_0123456789ab' } })).status).toBe(204)
    const left = await call('GET', `/runners/${created.id}/managers`, { token: right })
    expect(left.body.map((m: { system_id: string }) => m.system_id)).toEqual(['s_ba9876543210'])

    // and the whole runner by token, as gitbeaker's Runners.remove does it.
    await client(right).Runners.remove({ token: created.token })
    expect((await failure(client(right).Runners.show(created.id))).status).toBe(404)
  })

  it('an unknown group is 400 Missing/invalid group, whoever asks', async () => {
    expect(await failure(client(TOKENS.outsider).Users.createCIRunner('group_type', { groupId: 9999 }))).toEqual({
      status: 400,
      description: '400 Bad request - Missing/invalid group',
    })
  })
})
