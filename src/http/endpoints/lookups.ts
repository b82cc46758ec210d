/** @module The neighbours of the Runners API that runner tools look up first: GET /projects(/:id), /groups(/:id)(/subgroups), /users(/:id). Anonymous callers are allowed and see public records only. */
import type { Context } from 'hono'
import {
  ACCESS_LEVEL_VALUES,
  GROUP_ORDER_BY,
  PROJECT_ORDER_BY,
  USER_ORDER_BY,
  findUser,
  listGroups,
  listProjects,
  listUsers,
  type GroupFilter,
} from '../../domain/lookups.js'
import { findVisibleGroup, findVisibleProject } from '../../domain/permissions.js'
import type { Group } from '../../domain/types.js'
import { ANYONE_READ } from '../auth.js'
import { baseUrlOf, entityContext, storeOf } from '../context.js'
import { defineEndpoint, type Endpoint } from '../endpoint.js'
import { basicProjectEntity } from '../entities.js'
import type { AppEnv } from '../env.js'
import {
  groupDetailEntity,
  groupEntity,
  projectWithAccessEntity,
  projectEntity,
  userBasicEntity,
  userProfileEntity,
} from '../lookup-entities.js'
import { sendPage } from '../pagination.js'
import { p, type Parsed, type RawParams } from '../params.js'
import { USER_ERRORS } from './contracts.js'

const SORT = ['asc', 'desc'] as const
const VISIBILITY = ['public', 'internal', 'private'] as const

/** `skip_groups` as Grape's Array[Integer]: `skip_groups[]=1&skip_groups[]=2` or a single value. */
const intArray = p.tagList({
  check: (values) => (values.every((v) => /^[+-]?\d+$/.test(v)) ? undefined : 'is invalid'),
})

/** The GET /groups and /groups/:id/subgroups parameters (lib/api/groups.rb `group_list_params`). */
const GROUP_LIST_SPECS = {
  statistics: p.bool(),
  all_available: p.bool(),
  skip_groups: intArray,
  search: p.string(),
  owned: p.bool(),
  order_by: p.string({ values: GROUP_ORDER_BY }),
  sort: p.string({ values: SORT }),
  min_access_level: p.int({ values: ACCESS_LEVEL_VALUES }),
  top_level_only: p.bool(),
  visibility: p.string({ values: VISIBILITY }),
}

function groupFilterOf(q: Parsed<typeof GROUP_LIST_SPECS>): GroupFilter {
  return {
    search: q.search,
    owned: q.owned,
    minAccessLevel: q.min_access_level,
    allAvailable: q.all_available,
    skipGroups: q.skip_groups?.map(Number),
    topLevelOnly: q.top_level_only,
    visibility: q.visibility,
    orderBy: q.order_by,
    sort: q.sort,
  }
}

function sendGroups(c: Context<AppEnv>, q: Parsed<typeof GROUP_LIST_SPECS>, raw: RawParams, parent?: Group) {
  const filter = groupFilterOf(q)
  const ctx = entityContext(c)
  const groups = listGroups(ctx.store, ctx.actor, filter, parent)
  const defaults: RawParams = {
    order_by: filter.orderBy ?? 'name',
    sort: filter.sort ?? 'asc',
    owned: filter.owned ?? false,
    statistics: raw.statistics ?? false,
  }
  if (parent) defaults.id = c.req.param('id')
  return sendPage(c, groups, raw, (group) => groupEntity(group, ctx), defaults)
}

/** Anonymous callers are allowed on every one of these and see public records only. */
export const lookupEndpoints: Endpoint[] = [
  defineEndpoint({
    method: 'GET',
    path: '/projects',
    auth: ANYONE_READ,
    params: {
      order_by: p.string({ values: PROJECT_ORDER_BY }),
      sort: p.string({ values: SORT }),
      archived: p.bool(),
      visibility: p.string({ values: VISIBILITY }),
      search: p.string(),
      simple: p.bool(),
      owned: p.bool(),
      membership: p.bool(),
      starred: p.bool(),
      min_access_level: p.int({ values: ACCESS_LEVEL_VALUES }),
      id_after: p.int(),
      id_before: p.int(),
    },
    success: { status: 200, schema: 'project', array: true, anonymousOrSimple: 'project-simple' },
    errors: USER_ERRORS,
    handle: (c, { params: q, raw }) => {
      const projects = listProjects(storeOf(c), c.get('actor'), {
        search: q.search,
        owned: q.owned,
        membership: q.membership,
        minAccessLevel: q.min_access_level,
        visibility: q.visibility,
        archived: q.archived,
        starred: q.starred,
        idAfter: q.id_after,
        idBefore: q.id_before,
        orderBy: q.order_by,
        sort: q.sort,
      })
      const ctx = entityContext(c)
      // Anonymous callers and `simple=true` get BasicProjectDetails; signed-in callers ProjectWithAccess.
      const serialize = q.simple || !ctx.actor ? basicProjectEntity : projectWithAccessEntity
      return sendPage(c, projects, raw, (project) => serialize(project, ctx), {
        order_by: q.order_by ?? 'created_at',
        sort: q.sort ?? 'desc',
        owned: q.owned ?? false,
        membership: q.membership ?? false,
        simple: q.simple ?? false,
        starred: q.starred ?? false,
      })
    },
  }),
  defineEndpoint({
    method: 'GET',
    path: '/projects/:id',
    auth: ANYONE_READ,
    success: { status: 200, schema: 'project' },
    errors: USER_ERRORS,
    handle: (c) => {
      const ctx = entityContext(c)
      const project = findVisibleProject(ctx.store, ctx.actor, c.req.param('id') ?? '')
      const serialize = ctx.actor ? projectWithAccessEntity : projectEntity
      return c.json(serialize(project, ctx, { adminFields: true }))
    },
  }),
  defineEndpoint({
    method: 'GET',
    path: '/groups/:id/subgroups',
    auth: ANYONE_READ,
    before: (c) => findVisibleGroup(storeOf(c), c.get('actor'), c.req.param('id') ?? ''),
    params: GROUP_LIST_SPECS,
    success: { status: 200, schema: 'group', array: true },
    errors: USER_ERRORS,
    handle: (c, { params, raw, before: parent }) => sendGroups(c, params, raw, parent),
  }),
  defineEndpoint({
    method: 'GET',
    path: '/groups/:id',
    auth: ANYONE_READ,
    before: (c) => findVisibleGroup(storeOf(c), c.get('actor'), c.req.param('id') ?? ''),
    params: { with_projects: p.bool() },
    success: { status: 200, schema: 'group-detail' },
    errors: USER_ERRORS,
    handle: (c, { params, before: group }) => c.json(groupDetailEntity(group, entityContext(c), { withProjects: params.with_projects })),
  }),
  defineEndpoint({
    method: 'GET',
    path: '/groups',
    auth: ANYONE_READ,
    params: GROUP_LIST_SPECS,
    success: { status: 200, schema: 'group', array: true },
    errors: USER_ERRORS,
    handle: (c, { params, raw }) => sendGroups(c, params, raw),
  }),
  defineEndpoint({
    method: 'GET',
    path: '/users/:id',
    auth: ANYONE_READ,
    params: { id: p.int({ in: 'path' }) },
    success: { status: 200, schema: 'user' },
    errors: USER_ERRORS,
    handle: (c, { params }) => c.json(userProfileEntity(findUser(storeOf(c), params.id), entityContext(c))),
  }),
  defineEndpoint({
    method: 'GET',
    path: '/users',
    auth: ANYONE_READ,
    params: {
      username: p.string(),
      search: p.string(),
      active: p.bool(),
      blocked: p.bool(),
      order_by: p.string({ values: USER_ORDER_BY }),
      sort: p.string({ values: SORT }),
    },
    success: { status: 200, schema: 'user-basic', array: true },
    errors: USER_ERRORS,
    handle: (c, { params: q, raw }) => {
      const users = listUsers(storeOf(c), c.get('actor'), {
        username: q.username,
        search: q.search,
        active: q.active,
        blocked: q.blocked,
        orderBy: q.order_by,
        sort: q.sort,
      })
      const baseUrl = baseUrlOf(c)
      return sendPage(c, users, raw, (user) => userBasicEntity(user, baseUrl), { order_by: q.order_by ?? 'id', sort: q.sort ?? 'desc' })
    },
  }),
]
