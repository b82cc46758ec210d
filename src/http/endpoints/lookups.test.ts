import { describe, expect, it } from 'vitest'
import common from '../../../schemas/common.schema.json' with { type: 'json' }
import groupDetail from '../../../schemas/group-detail.schema.json' with { type: 'json' }
import group from '../../../schemas/group.schema.json' with { type: 'json' }
import projectSimple from '../../../schemas/project-simple.schema.json' with { type: 'json' }
import project from '../../../schemas/project.schema.json' with { type: 'json' }
import userBasic from '../../../schemas/user-basic.schema.json' with { type: 'json' }
import user from '../../../schemas/user.schema.json' with { type: 'json' }
import { TOKENS, expectError, harness, type TestResponse } from '../../../test/harness.js'
import { createAjv } from '../../validation/ajv.js'

const ajv = createAjv()
for (const schema of [common, userBasic, user, projectSimple, project, group, groupDetail]) ajv.addSchema(schema)
type Schema = 'project' | 'project-simple' | 'group' | 'group-detail' | 'user' | 'user-basic'

/** The body matches the strict schema (every item of a list). */
function expectSchema(res: TestResponse, name: Schema, list = false): void {
  expect(res.status).toBe(200)
  const validate = ajv.getSchema(`https://gitlab-runners-mock.local/schemas/${name}.schema.json`)
  if (!validate) throw new Error(`no schema ${name}`)
  const items = list ? (res.body as unknown[]) : [res.body]
  if (list) expect(Array.isArray(res.body)).toBe(true)
  for (const item of items) {
    const ok = validate(item)
    expect(ok ? [] : validate.errors, `${name}: ${JSON.stringify(validate.errors)}`).toEqual([])
  }
}

const ids = (res: TestResponse) => (res.body as Array<{ id: number }>).map((x) => x.id)

describe('GET /projects/:id', () => {
  it('finds a project by numeric id and by URL-encoded full path with the same body', async () => {
    const h = harness()
    const byId = await h.get('/projects/100', { token: TOKENS.maintainer })
    const byPath = await h.get('/projects/acme%2Fbackend%2Fapi', { token: TOKENS.maintainer })
    expectSchema(byId, 'project')
    expect(byPath.body).toEqual(byId.body)
    expect(byId.body).toMatchObject({
      id: 100,
      name: 'API',
      path_with_namespace: 'acme/backend/api',
      visibility: 'private',
      web_url: 'http://gitlab.test/acme/backend/api',
      namespace: { id: 11, kind: 'group', full_path: 'acme/backend', parent_id: 10, web_url: 'http://gitlab.test/groups/acme/backend' },
      _links: { self: 'http://gitlab.test/api/v4/projects/100' },
      shared_runners_enabled: true,
      permissions: { project_access: { access_level: 40, notification_level: 3 }, group_access: null },
    })
  })

  it('shows runners_token to a maintainer and an admin only', async () => {
    const h = harness()
    expect((await h.get('/projects/100', { token: TOKENS.maintainer })).body.runners_token).toBe('GR1348941ApiProjectRegToken01')
    expect((await h.get('/projects/100', { token: TOKENS.admin })).body.runners_token).toBe('GR1348941ApiProjectRegToken01')
    const developer = await h.get('/projects/100', { token: TOKENS.developer })
    expectSchema(developer, 'project')
    expect(developer.body).not.toHaveProperty('runners_token')
    expect(developer.body.permissions.project_access).toEqual({ access_level: 30, notification_level: 3 })
  })

  it('reports inherited group access in permissions.group_access', async () => {
    const res = await harness().get('/projects/acme%2Flegacy', { token: TOKENS.groupOwner })
    expect(res.body.permissions).toEqual({ project_access: null, group_access: { access_level: 50, notification_level: 3 } })
  })

  it('gives a personal project an owner and a user namespace', async () => {
    const res = await harness().get('/projects/bob%2Fsandbox', { token: TOKENS.maintainer })
    expectSchema(res, 'project')
    expect(res.body.owner).toEqual({
      id: 3,
      username: 'bob',
      name: 'Bob Maintainer',
      state: 'active',
      avatar_url: expect.any(String),
      web_url: 'http://gitlab.test/bob',
    })
    expect(res.body.namespace).toMatchObject({ kind: 'user', full_path: 'bob', parent_id: null })
  })

  it('answers 404 Project Not Found to a non-member of a private project, exactly as its runner list does', async () => {
    const h = harness()
    for (const path of ['/projects/100', '/projects/acme%2Fbackend%2Fapi', '/projects/100/runners'])
      expectError(await h.get(path, { token: TOKENS.outsider }), 404, { message: '404 Project Not Found' })
    expectError(await h.get('/projects/99999', { token: TOKENS.admin }), 404, { message: '404 Project Not Found' })
    expectError(await h.get('/projects/no%2Fsuch', { token: TOKENS.admin }), 404, { message: '404 Project Not Found' })
  })

  it('shows every project to an admin, with empty permissions when not a member', async () => {
    const res = await harness().get('/projects/101', { token: TOKENS.admin })
    expectSchema(res, 'project')
    expect(res.body.permissions).toEqual({ project_access: null, group_access: null })
  })

  it('shows internal projects to any signed-in user but not to anonymous callers', async () => {
    const h = harness()
    expect((await h.get('/projects/102', { token: TOKENS.outsider })).status).toBe(200)
    expectError(await h.get('/projects/102'), 404, { message: '404 Project Not Found' })
  })

  it('serves a public project to an anonymous caller without permissions', async () => {
    const res = await harness().get('/projects/opensource%2Ftool')
    expectSchema(res, 'project')
    expect(res.body).toMatchObject({ id: 103, visibility: 'public', can_create_merge_request_in: false })
    expect(res.body).not.toHaveProperty('permissions')
  })

  it('still answers 401 for an unknown token rather than treating the caller as anonymous', async () => {
    expectError(await harness().get('/projects/103', { token: 'glpat-nope' }), 401, { message: '401 Unauthorized' })
  })

  it('keeps unknown routes below a project answering the JSON 404', async () => {
    expectError(await harness().get('/projects/103/nothing-here'), 404, { error: '404 Not Found' })
  })
})

describe('GET /projects', () => {
  it('lists what the caller can see, newest first, with pagination headers', async () => {
    const h = harness()
    const res = await h.get('/projects', { token: TOKENS.outsider, query: { per_page: 100 } })
    expectSchema(res, 'project', true)
    const listed = ids(res)
    expect(listed).not.toContain(100)
    expect(listed).toContain(102) // internal
    expect(listed).toContain(103) // public
    const created = (res.body as Array<{ created_at: string }>).map((p) => p.created_at)
    expect(created).toEqual([...created].sort().reverse())
    expect(res.headers.get('x-total')).toBe(String(listed.length))
    expect(res.headers.get('x-per-page')).toBe('100')
  })

  it('gives anonymous callers public projects as BasicProjectDetails', async () => {
    const h = harness()
    const res = await h.get('/projects', { query: { per_page: 100 } })
    expectSchema(res, 'project-simple', true)
    const store = h.app.world.store
    const publicIds = [...store.state.projects.values()].filter((p) => p.visibility === 'public').map((p) => p.id)
    expect(ids(res).sort((a, b) => a - b)).toEqual(publicIds.sort((a, b) => a - b))
  })

  it('serves BasicProjectDetails with simple=true', async () => {
    const res = await harness().get('/projects', { token: TOKENS.maintainer, query: { simple: true } })
    expectSchema(res, 'project-simple', true)
  })

  it('narrows to membership, min_access_level and owned projects', async () => {
    const h = harness()
    const membership = await h.get('/projects', { token: TOKENS.maintainer, query: { membership: true, order_by: 'id', sort: 'asc' } })
    expect(ids(membership)).toEqual([100, 101, 103, 104])
    const maintained = await h.get('/projects', { token: TOKENS.maintainer, query: { min_access_level: 40, order_by: 'id', sort: 'asc' } })
    expect(ids(maintained)).toEqual([100, 101, 104])
    const owned = await h.get('/projects', { token: TOKENS.maintainer, query: { owned: true } })
    expect(ids(owned)).toEqual([104])
    const groupOwner = await h.get('/projects', { token: TOKENS.groupOwner, query: { owned: true, order_by: 'id', sort: 'asc' } })
    expect(ids(groupOwner)).toEqual([100, 101, 102, 105])
  })

  it('searches name, path and description, and orders by name', async () => {
    const h = harness()
    const res = await h.get('/projects', { token: TOKENS.admin, query: { search: 'public api' } })
    expect(ids(res)).toEqual([100])
    const byName = await h.get('/projects', { token: TOKENS.maintainer, query: { membership: true, order_by: 'name', sort: 'asc' } })
    expect((byName.body as Array<{ name: string }>).map((p) => p.name)).toEqual(['API', 'Sandbox', 'Tool', 'Worker'])
  })

  it('pages with Link headers that echo the defaults', async () => {
    const res = await harness().get('/projects', { token: TOKENS.admin, query: { per_page: 2, page: 2 } })
    expect(res.body).toHaveLength(2)
    expect(res.headers.get('x-page')).toBe('2')
    expect(res.headers.get('x-prev-page')).toBe('1')
    const link = res.headers.get('link') ?? ''
    expect(link).toContain('rel="next"')
    expect(link).toContain('order_by=created_at')
    expect(link).toContain('sort=desc')
  })

  it('refuses bad parameters with Grape messages', async () => {
    const h = harness()
    expectError(await h.get('/projects', { token: TOKENS.admin, query: { min_access_level: 35 } }), 400, {
      error: 'min_access_level does not have a valid value',
    })
    expectError(await h.get('/projects', { token: TOKENS.admin, query: { order_by: 'stars', sort: 'up' } }), 400, {
      error: 'order_by does not have a valid value, sort does not have a valid value',
    })
    expectError(await h.get('/projects', { query: { owned: 'maybe' } }), 400, { error: 'owned is invalid' })
  })
})

describe('GET /groups', () => {
  it('gives anonymous callers the public groups only', async () => {
    const h = harness()
    const res = await h.get('/groups', { query: { per_page: 100 } })
    expectSchema(res, 'group', true)
    const store = h.app.world.store
    const publicIds = [...store.state.groups.values()].filter((g) => g.visibility === 'public').map((g) => g.id)
    expect(ids(res).sort((a, b) => a - b)).toEqual(publicIds.sort((a, b) => a - b))
  })

  it('gives a signed-in user the groups of their memberships, name ascending, and more with all_available', async () => {
    const h = harness()
    const mine = await h.get('/groups', { token: TOKENS.maintainer })
    expectSchema(mine, 'group', true)
    expect((mine.body as Array<{ full_path: string }>).map((g) => g.full_path)).toEqual(['acme', 'acme/backend', 'opensource'])
    const all = await h.get('/groups', { token: TOKENS.maintainer, query: { all_available: true, per_page: 100 } })
    expect(ids(all)).toContain(12) // internal acme/frontend
    const outsider = await h.get('/groups', { token: TOKENS.outsider, query: { per_page: 100 } })
    expect(ids(outsider)).toEqual([13])
  })

  it('gives an admin every group', async () => {
    const h = harness()
    const res = await h.get('/groups', { token: TOKENS.admin, query: { per_page: 100, order_by: 'id' } })
    expect(ids(res)).toEqual([...h.app.world.store.state.groups.keys()].sort((a, b) => a - b))
  })

  it('narrows to owned groups and to a minimum access level (with subgroups)', async () => {
    const h = harness()
    expect(ids(await h.get('/groups', { token: TOKENS.groupOwner, query: { owned: true } }))).toEqual([10])
    const maintainer = await h.get('/groups', { token: TOKENS.groupMaintainer, query: { min_access_level: 40, order_by: 'id' } })
    expect(ids(maintainer)).toEqual([10, 11, 12])
    expect(ids(await h.get('/groups', { token: TOKENS.groupMaintainer, query: { min_access_level: 50 } }))).toEqual([])
  })

  it('searches, skips groups, orders and sorts', async () => {
    const h = harness()
    expect(ids(await h.get('/groups', { token: TOKENS.admin, query: { search: 'backend' } }))).toEqual([11])
    const skipped = await h.get('/groups', { token: TOKENS.groupOwner, rawQuery: 'skip_groups[]=11&skip_groups[]=12&order_by=id' })
    expect(ids(skipped)).toEqual([10])
    const desc = await h.get('/groups', { token: TOKENS.groupOwner, query: { order_by: 'path', sort: 'desc' } })
    expect((desc.body as Array<{ path: string }>).map((g) => g.path)).toEqual(['frontend', 'backend', 'acme'])
    expectError(await h.get('/groups', { query: { order_by: 'created_at' } }), 400, { error: 'order_by does not have a valid value' })
  })
})

describe('GET /groups/:id and /groups/:id/subgroups', () => {
  it('finds a group by id and by full path, with runners_token for its owner', async () => {
    const h = harness()
    const byPath = await h.get('/groups/acme', { token: TOKENS.groupOwner })
    const byId = await h.get('/groups/10', { token: TOKENS.groupOwner })
    expectSchema(byPath, 'group-detail')
    expect(byId.body).toEqual(byPath.body)
    expect(byPath.body).toMatchObject({
      id: 10,
      full_path: 'acme',
      full_name: 'ACME',
      parent_id: null,
      web_url: 'http://gitlab.test/groups/acme',
      runners_token: 'GR1348941AcmeGroupRegToken001',
      prevent_sharing_groups_outside_hierarchy: false,
    })
    expect((byPath.body.projects as Array<{ id: number }>).map((p) => p.id)).toEqual([105])
  })

  it('hides runners_token from a group maintainer and omits projects with with_projects=false', async () => {
    const h = harness()
    const res = await h.get('/groups/acme%2Fbackend', { token: TOKENS.groupMaintainer, query: { with_projects: false } })
    expectSchema(res, 'group-detail')
    expect(res.body).toMatchObject({ id: 11, full_path: 'acme/backend', full_name: 'ACME / Backend', parent_id: 10 })
    expect(res.body).not.toHaveProperty('runners_token')
    expect(res.body).not.toHaveProperty('projects')
    expect(res.body).not.toHaveProperty('prevent_sharing_groups_outside_hierarchy')
  })

  it('answers 404 Group Not Found for a private group the caller cannot see, as its runner list does', async () => {
    const h = harness()
    for (const path of ['/groups/acme', '/groups/10', '/groups/10/subgroups', '/groups/10/runners'])
      expectError(await h.get(path, { token: TOKENS.outsider }), 404, { message: '404 Group Not Found' })
    expectError(await h.get('/groups/10'), 404, { message: '404 Group Not Found' })
    expectError(await h.get('/groups/nope', { token: TOKENS.admin }), 404, { message: '404 Group Not Found' })
  })

  it('serves a public group to an anonymous caller, without runners_token', async () => {
    const res = await harness().get('/groups/opensource')
    expectSchema(res, 'group-detail')
    expect(res.body).not.toHaveProperty('runners_token')
    expect((res.body.projects as Array<{ id: number }>).map((p) => p.id)).toEqual([103])
  })

  it('lists subgroups within the caller\'s reach, more with all_available', async () => {
    const h = harness()
    const owner = await h.get('/groups/10/subgroups', { token: TOKENS.groupOwner })
    expectSchema(owner, 'group', true)
    expect(ids(owner)).toEqual([11, 12])
    expect(owner.headers.get('link')).toContain('id=10')
    expect(ids(await h.get('/groups/acme/subgroups', { token: TOKENS.maintainer }))).toEqual([11])
    expect(ids(await h.get('/groups/acme/subgroups', { token: TOKENS.maintainer, query: { all_available: true } }))).toEqual([11, 12])
  })
})

describe('GET /users/:id and GET /users', () => {
  it('reads a user, to anyone', async () => {
    const h = harness()
    const anonymous = await h.get('/users/2')
    expectSchema(anonymous, 'user')
    expect(anonymous.body).toMatchObject({ id: 2, username: 'alice', name: 'Alice Owner', web_url: 'http://gitlab.test/alice' })
    expect(anonymous.body).not.toHaveProperty('is_followed')
    const signedIn = await h.get('/users/2', { token: TOKENS.outsider })
    expectSchema(signedIn, 'user')
    expect(signedIn.body.is_followed).toBe(false)
  })

  it('answers 404 User Not Found for an unknown id and 400 for a non-numeric one', async () => {
    const h = harness()
    expectError(await h.get('/users/4242', { token: TOKENS.admin }), 404, { message: '404 User Not Found' })
    expectError(await h.get('/users/alice'), 400, { error: 'id is invalid' })
  })

  it('finds users by username as a list of UserBasic', async () => {
    const h = harness()
    const res = await h.get('/users', { query: { username: 'Carol' } })
    expectSchema(res, 'user-basic', true)
    expect(ids(res)).toEqual([4])
    expect(ids(await h.get('/users', { token: TOKENS.admin, query: { username: 'nobody' } }))).toEqual([])
  })

  it('lists every user newest id first, paginated', async () => {
    const h = harness()
    const res = await h.get('/users', { token: TOKENS.admin, query: { per_page: 3 } })
    const all = [...h.app.world.store.state.users.keys()].sort((a, b) => b - a)
    expect(ids(res)).toEqual(all.slice(0, 3))
    expect(res.headers.get('x-total')).toBe(String(all.length))
  })
})
