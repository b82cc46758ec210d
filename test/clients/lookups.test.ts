/**
 * @module Real clients resolving projects, groups and users before they manage runners: @gitbeaker/rest
 * and python-gitlab (Debian's python3-gitlab, skipped with a printed reason when it cannot be imported)
 * against startMockServer, including each visibility case (member, non-member, admin, anonymous).
 */
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { Gitlab } from '@gitbeaker/rest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMockServer, type MockServer } from '../../src/server.js'
import { TOKENS } from '../harness.js'

const PYTHON = '/usr/bin/python3'

let server: MockServer
beforeAll(async () => {
  server = await startMockServer({ clock: '2026-01-15T12:00:00.000Z', logLevel: 'silent', gitlabVersion: '15.11' })
})
afterAll(async () => {
  await server?.close()
})

const client = (token?: string) => new Gitlab(token ? { host: server.url, token } : { host: server.url })

/** The GitLab error a gitbeaker call failed with: status and the body's message. */
async function failure(promise: Promise<unknown>): Promise<{ status: number; description: string }> {
  try {
    await promise
  } catch (error) {
    const cause = (error as { cause?: { description: string; response: Response } }).cause
    if (cause?.response) return { status: cause.response.status, description: cause.description }
    throw error
  }
  throw new Error('the call succeeded')
}

describe('@gitbeaker/rest looks up projects, groups and users', () => {
  it('gets a project by id and by full path, then lists its runners from the object it got', async () => {
    const api = client(TOKENS.maintainer)
    const byId = await api.Projects.show(100)
    const byPath = await api.Projects.show('acme/backend/api')
    expect(byPath.id).toBe(byId.id)
    expect(byId).toMatchObject({
      path_with_namespace: 'acme/backend/api',
      namespace: { id: 11, full_path: 'acme/backend', kind: 'group', parent_id: 10 },
      web_url: `${server.url}/acme/backend/api`,
      runners_token: 'GR1348941ApiProjectRegToken01',
      permissions: { project_access: { access_level: 40, notification_level: 3 }, group_access: null },
    })
    const runners = (await api.Runners.all({ projectId: byPath.id })).map((r) => r.id)
    expect(runners).toEqual(expect.arrayContaining([6, 7, 8]))
    expect(runners).not.toContain(9) // the worker project's own runner
  })

  it('gets a group by id and by full path, then lists its runners and subgroups', async () => {
    const api = client(TOKENS.groupOwner)
    const byPath = await api.Groups.show('acme')
    const byId = await api.Groups.show(10)
    expect(byPath).toMatchObject({ id: 10, full_path: 'acme', parent_id: null, runners_token: 'GR1348941AcmeGroupRegToken001' })
    expect(byId.web_url).toBe(`${server.url}/groups/acme`)
    const sub = await api.Groups.show('acme/backend')
    expect(sub).toMatchObject({ id: 11, full_path: 'acme/backend', parent_id: 10 })
    const runners = await api.Runners.all({ groupId: byPath.id })
    expect(runners.map((r) => r.id)).toContain(4)
    const subgroups = await api.Groups.allSubgroups(byPath.id)
    expect(subgroups.map((g) => g.full_path)).toEqual(['acme/backend', 'acme/frontend'])
  })

  it('pages through every project and group an admin can see, following Link', async () => {
    const api = client(TOKENS.admin)
    const store = server.world.store
    const projects = await api.Projects.all({ perPage: 4 })
    const expected = [...store.state.projects.values()]
      .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)
      .map((p) => p.id)
    expect(projects.map((p) => p.id)).toEqual(expected)
    const groups = await api.Groups.all({ perPage: 2 })
    expect(groups.map((g) => g.id).sort((a, b) => a - b)).toEqual([...store.state.groups.keys()].sort((a, b) => a - b))
    const names = groups.map((g) => g.name)
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })))
  })

  it('reads a user by id and by username', async () => {
    const api = client(TOKENS.outsider)
    expect(await api.Users.show(2)).toMatchObject({ id: 2, username: 'alice', web_url: `${server.url}/alice` })
    const found = await api.Users.all({ username: 'bob' })
    expect(found).toEqual([expect.objectContaining({ id: 3, username: 'bob', state: 'active' })])
    expect(await failure(api.Users.show(424242))).toEqual({ status: 404, description: '404 User Not Found' })
  })

  it('shows a private project to a member and an admin, and answers 404 to a non-member as the runner endpoints do', async () => {
    expect((await client(TOKENS.developer).Projects.show('acme/backend/api')).permissions).toEqual({
      project_access: { access_level: 30, notification_level: 3 },
      group_access: null,
    })
    expect((await client(TOKENS.admin).Projects.show(100)).permissions).toEqual({ project_access: null, group_access: null })
    const outsider = client(TOKENS.outsider)
    const notFound = { status: 404, description: '404 Project Not Found' }
    expect(await failure(outsider.Projects.show(100))).toEqual(notFound)
    expect(await failure(outsider.Projects.show('acme/backend/api'))).toEqual(notFound)
    expect(await failure(outsider.Runners.all({ projectId: 100 }))).toEqual(notFound)
    expect(await failure(outsider.Groups.show('acme'))).toEqual({ status: 404, description: '404 Group Not Found' })
    expect((await outsider.Projects.all({ perPage: 100 })).map((p) => p.id)).not.toContain(100)
  })

  it('lets an anonymous caller see public records only', async () => {
    const anonymous = client()
    const publicProject = await anonymous.Projects.show('opensource/tool')
    expect(publicProject).toMatchObject({ id: 103, visibility: 'public' })
    expect(publicProject).not.toHaveProperty('permissions')
    expect(await failure(anonymous.Projects.show(100))).toEqual({ status: 404, description: '404 Project Not Found' })
    expect(await failure(anonymous.Groups.show(10))).toEqual({ status: 404, description: '404 Group Not Found' })
    const projects = await anonymous.Projects.all({ perPage: 2 })
    const publicIds = [...server.world.store.state.projects.values()].filter((p) => p.visibility === 'public').map((p) => p.id)
    expect(publicIds).toContain(103)
    expect(projects.map((p) => p.id).sort((a, b) => a - b)).toEqual(publicIds.sort((a, b) => a - b))
    expect(projects[0]).not.toHaveProperty('permissions') // BasicProjectDetails for anonymous callers
    const groups = await anonymous.Groups.all()
    expect(groups.map((g) => g.visibility)).toEqual(groups.map(() => 'public'))
    expect(groups.map((g) => g.full_path)).toContain('opensource')
  })
})

const pythonGitlab = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import gitlab'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()
if (!pythonGitlab) console.warn(`python-gitlab tests skipped: ${PYTHON} cannot import gitlab (apt-get install python3-gitlab)`)

const SCRIPT = `
import json, sys, gitlab
url, admin, outsider = sys.argv[1:4]
gl = gitlab.Gitlab(url, private_token=admin)
out = {}
p = gl.projects.get('acme/backend/api')
out['project'] = [p.id, p.path_with_namespace, p.namespace['full_path'], gl.projects.get(p.id).id]
out['project_runners'] = sorted(r.id for r in p.runners.list(all=True))
g = gl.groups.get('acme/backend')
out['group'] = [g.id, g.full_path, g.parent_id, gl.groups.get(g.id).full_path]
out['group_runners'] = sorted(r.id for r in g.runners.list(all=True))
out['projects'] = [x.id for x in gl.projects.list(all=True, per_page=3)]
out['groups'] = [x.id for x in gl.groups.list(all=True, per_page=2)]
out['user'] = gl.users.get(3).username
out['users'] = [u.id for u in gl.users.list(username='carol')]
def status(fn):
    try:
        fn()
        return 200
    except gitlab.exceptions.GitlabError as e:
        return [e.response_code, e.error_message]
out['outsider'] = status(lambda: gitlab.Gitlab(url, private_token=outsider).projects.get('acme/backend/api'))
anonymous = gitlab.Gitlab(url)
out['anonymous_private'] = status(lambda: anonymous.projects.get(100))
out['anonymous_public'] = anonymous.projects.get('opensource/tool').id
print(json.dumps(out))
`

describe.runIf(pythonGitlab)('python-gitlab looks up projects, groups and users', () => {
  it('gets, lists runners of, pages and reads records, and sees the visibility rules', async () => {
    const { stdout } = await promisify(execFile)(PYTHON, ['-c', SCRIPT, server.url, TOKENS.admin, TOKENS.outsider], {
      timeout: 20_000,
    })
    const out = JSON.parse(stdout)
    const store = server.world.store
    expect(out.project).toEqual([100, 'acme/backend/api', 'acme/backend', 100])
    expect(out.project_runners).toEqual(expect.arrayContaining([6, 7, 8]))
    expect(out.project_runners).not.toContain(9)
    expect(out.group).toEqual([11, 'acme/backend', 10, 'acme/backend'])
    expect(out.group_runners).toEqual(expect.arrayContaining([5]))
    expect(out.group_runners).not.toContain(13) // another group's runner
    expect([...out.projects].sort((a: number, b: number) => a - b)).toEqual([...store.state.projects.keys()].sort((a, b) => a - b))
    expect(out.groups).toHaveLength(store.state.groups.size)
    expect(out.user).toBe('bob')
    expect(out.users).toEqual([4])
    expect(out.outsider).toEqual([404, '404 Project Not Found'])
    expect(out.anonymous_private).toEqual([404, '404 Project Not Found'])
    expect(out.anonymous_public).toBe(103)
  })
})
