/** @module The neighbours of the Runners API that runner tools look up first: GET /projects(/:id), /groups(/:id)(/subgroups), /users(/:id). Anonymous callers are allowed and see public records only. */
import { Hono, type Context } from 'hono'
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
  type GroupOrderBy,
  type ProjectOrderBy,
  type SortDirection,
  type UserOrderBy,
} from '../../domain/lookups.js'
import { findVisibleGroup, findVisibleProject } from '../../domain/permissions.js'
import type { Group, Visibility } from '../../domain/types.js'
import { optionalUser } from '../auth.js'
import { baseUrlOf, entityContext, storeOf } from '../context.js'
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
import { p, parseParams, pathInt, readParams, type RawParams } from '../params.js'

const SORT = ['asc', 'desc'] as const
const VISIBILITY = ['public', 'internal', 'private'] as const

/** `skip_groups` as Grape's Array[Integer]: `skip_groups[]=1&skip_groups[]=2` or a single value. */
const intArray = p.tagList({
  check: (values) => (values.every((v) => /^[+-]?\d+$/.test(v)) ? undefined : 'is invalid'),
})

export const lookupRoutes = new Hono<AppEnv>()

lookupRoutes.get('/projects', optionalUser, async (c) => {
  const raw = await readParams(c)
  const q = parseParams(raw, {
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
  })
  const projects = listProjects(storeOf(c), c.var.actor, {
    search: q.search,
    owned: q.owned,
    membership: q.membership,
    minAccessLevel: q.min_access_level,
    visibility: q.visibility as Visibility | undefined,
    archived: q.archived,
    starred: q.starred,
    idAfter: q.id_after,
    idBefore: q.id_before,
    orderBy: q.order_by as ProjectOrderBy | undefined,
    sort: q.sort as SortDirection | undefined,
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
})

lookupRoutes.get('/projects/:id', optionalUser, (c) => {
  const ctx = entityContext(c)
  const project = findVisibleProject(ctx.store, ctx.actor, c.req.param('id'))
  const serialize = ctx.actor ? projectWithAccessEntity : projectEntity
  return c.json(serialize(project, ctx, { adminFields: true }))
})

/** The GET /groups and /groups/:id/subgroups parameters (lib/api/groups.rb `group_list_params`). */
function parseGroupFilter(raw: RawParams): GroupFilter {
  const q = parseParams(raw, {
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
  })
  return {
    search: q.search,
    owned: q.owned,
    minAccessLevel: q.min_access_level,
    allAvailable: q.all_available,
    skipGroups: q.skip_groups?.map(Number),
    topLevelOnly: q.top_level_only,
    visibility: q.visibility as Visibility | undefined,
    orderBy: q.order_by as GroupOrderBy | undefined,
    sort: q.sort as SortDirection | undefined,
  }
}

async function sendGroups(c: Context<AppEnv>, parent?: Group) {
  const raw = await readParams(c)
  const filter = parseGroupFilter(raw)
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

lookupRoutes.get('/groups', optionalUser, (c) => sendGroups(c))

lookupRoutes.get('/groups/:id/subgroups', optionalUser, (c) => {
  const parent = findVisibleGroup(storeOf(c), c.var.actor, c.req.param('id'))
  return sendGroups(c, parent)
})

lookupRoutes.get('/groups/:id', optionalUser, async (c) => {
  const ctx = entityContext(c)
  const group = findVisibleGroup(ctx.store, ctx.actor, c.req.param('id'))
  const { with_projects } = parseParams(await readParams(c), { with_projects: p.bool() })
  return c.json(groupDetailEntity(group, ctx, { withProjects: with_projects }))
})

lookupRoutes.get('/users', optionalUser, async (c) => {
  const raw = await readParams(c)
  const q = parseParams(raw, {
    username: p.string(),
    search: p.string(),
    active: p.bool(),
    blocked: p.bool(),
    order_by: p.string({ values: USER_ORDER_BY }),
    sort: p.string({ values: SORT }),
  })
  const users = listUsers(storeOf(c), c.var.actor, {
    username: q.username,
    search: q.search,
    active: q.active,
    blocked: q.blocked,
    orderBy: q.order_by as UserOrderBy | undefined,
    sort: q.sort as SortDirection | undefined,
  })
  const baseUrl = baseUrlOf(c)
  return sendPage(c, users, raw, (user) => userBasicEntity(user, baseUrl), {
    order_by: q.order_by ?? 'id',
    sort: q.sort ?? 'desc',
  })
})

lookupRoutes.get('/users/:id', optionalUser, (c) => {
  const user = findUser(storeOf(c), pathInt(c, 'id'))
  return c.json(userProfileEntity(user, entityContext(c)))
})
