/** @module The lookups around the Runners API: which projects, groups and users a caller may list or read, filtered and ordered as GitLab 15.11's finders do (ProjectsFinder, GroupsFinder, UsersFinder). */
import { NotFoundError } from './errors.js'
import { canSeeGroup, canSeeProject, type Actor } from './permissions.js'
import type { Store } from './store.js'
import { AccessLevel, type Group, type Project, type User, type Visibility } from './types.js'

export type SortDirection = 'asc' | 'desc'

export const PROJECT_ORDER_BY = [
  'id',
  'name',
  'path',
  'created_at',
  'updated_at',
  'last_activity_at',
  'similarity',
  'repository_size',
  'storage_size',
  'packages_size',
  'wiki_size',
] as const
export type ProjectOrderBy = (typeof PROJECT_ORDER_BY)[number]
/** Ordering by a statistic is an admin privilege; others silently get created_at (verify_statistics_order_by_projects!). */
const STATISTICS_ORDER_BY: readonly string[] = ['repository_size', 'storage_size', 'packages_size', 'wiki_size']

export const GROUP_ORDER_BY = ['name', 'path', 'id', 'similarity'] as const
export type GroupOrderBy = (typeof GROUP_ORDER_BY)[number]

export const USER_ORDER_BY = ['id', 'name', 'username', 'created_at', 'updated_at'] as const
export type UserOrderBy = (typeof USER_ORDER_BY)[number]

/** Gitlab::Access.all_values: the values min_access_level accepts. */
export const ACCESS_LEVEL_VALUES: readonly number[] = Object.values(AccessLevel)

export interface ProjectFilter {
  search?: string
  owned?: boolean
  membership?: boolean
  minAccessLevel?: number
  visibility?: Visibility
  archived?: boolean
  starred?: boolean
  idAfter?: number
  idBefore?: number
  orderBy?: ProjectOrderBy
  sort?: SortDirection
}

export interface GroupFilter {
  search?: string
  owned?: boolean
  minAccessLevel?: number
  allAvailable?: boolean
  skipGroups?: number[]
  topLevelOnly?: boolean
  visibility?: Visibility
  orderBy?: GroupOrderBy
  sort?: SortDirection
}

export interface UserFilter {
  username?: string
  search?: string
  active?: boolean
  blocked?: boolean
  orderBy?: UserOrderBy
  sort?: SortDirection
}

// ---- memberships as the entities report them ---------------------------------------------------

/** The user's own membership of the project (not inherited), or 0. */
export function directProjectAccess(store: Store, userId: number, project: Project): number {
  return store.directAccessLevel('project', project.id, userId)
}

/** `can?(user, :admin_project)`: Maintainer+ or admin. Decides runners_token and the import fields. */
export function canAdminProject(store: Store, actor: Actor | null, project: Project): boolean {
  if (!actor) return false
  return actor.isAdmin || store.projectAccessLevel(actor.user.id, project) >= AccessLevel.maintainer
}

/** `can?(user, :admin_group)`: Owner (directly or through an ancestor) or admin. Decides the group's runners_token. */
export function canAdminGroup(store: Store, actor: Actor | null, group: Group): boolean {
  if (!actor) return false
  return actor.isAdmin || store.groupAccessLevel(actor.user.id, group.id) >= AccessLevel.owner
}

// ---- search and ordering -----------------------------------------------------------------------

/**
 * Gitlab::SQL::Pattern's fuzzy search: a term of three or more characters matches anywhere in any
 * of the columns, a shorter one only a whole column (case-insensitive).
 */
export function fuzzyMatches(term: string, columns: ReadonlyArray<string | null>): boolean {
  const q = term.trim().toLowerCase()
  if (q === '') return true
  return columns.some((column) => {
    if (column === null) return false
    const value = column.toLowerCase()
    return q.length >= 3 ? value.includes(q) : value === q
  })
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return String(a).localeCompare(String(b), 'en', { sensitivity: 'base' }) || (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0)
}

/** Sort by a key, then by id in the same direction (GitLab's tie breaker). */
function orderBy<T extends { id: number }>(items: T[], key: (item: T) => string | number, sort: SortDirection): T[] {
  const sign = sort === 'asc' ? 1 : -1
  return items.sort((a, b) => sign * (compare(key(a), key(b)) || a.id - b.id))
}

// ---- projects ------------------------------------------------------------------------------------

/** User#owned_projects: the user's personal projects and those where the user's (possibly inherited) access is Owner. */
function ownsProject(store: Store, user: User, project: Project): boolean {
  return store.projectAccessLevel(user.id, project) >= AccessLevel.owner
}

/**
 * GET /projects: every project the caller can see (anonymous: public only), narrowed by `owned`,
 * `membership` or `min_access_level`, searched, then ordered (default created_at desc, id as tie breaker).
 */
export function listProjects(store: Store, actor: Actor | null, filter: ProjectFilter): Project[] {
  const user = actor?.user
  const level = (p: Project) => (user ? store.projectAccessLevel(user.id, p) : 0)
  let projects = [...store.state.projects.values()].filter((p) => canSeeProject(store, actor, p))
  if (user && filter.owned) projects = projects.filter((p) => ownsProject(store, user, p))
  if (user && filter.membership) projects = projects.filter((p) => level(p) > 0)
  if (user && filter.minAccessLevel !== undefined) projects = projects.filter((p) => level(p) >= (filter.minAccessLevel as number))
  if (filter.visibility) projects = projects.filter((p) => p.visibility === filter.visibility)
  if (filter.archived === true || filter.starred === true) projects = [] // the mock has no archived or starred projects
  if (filter.idAfter !== undefined) projects = projects.filter((p) => p.id > (filter.idAfter as number))
  if (filter.idBefore !== undefined) projects = projects.filter((p) => p.id < (filter.idBefore as number))
  if (filter.search) projects = projects.filter((p) => fuzzyMatches(filter.search as string, [p.path, p.name, p.description]))

  let key = filter.orderBy ?? 'created_at'
  if (STATISTICS_ORDER_BY.includes(key) && !actor?.isAdmin) key = 'created_at'
  const sort = filter.sort ?? 'desc'
  switch (key) {
    case 'id':
      return orderBy(projects, (p) => p.id, sort)
    case 'name':
      return orderBy(projects, (p) => p.name, sort)
    case 'path':
      return orderBy(projects, (p) => p.path, sort)
    case 'updated_at':
    case 'last_activity_at':
      return orderBy(projects, (p) => p.lastActivityAt, sort)
    case 'repository_size':
    case 'storage_size':
    case 'packages_size':
    case 'wiki_size':
      return orderBy(projects, () => 0, sort) // every repository of the mock is empty
    default:
      return orderBy(projects, (p) => p.createdAt, sort)
  }
}

/** The projects directly in a group that the caller can see, newest id first (GroupDetail#projects, limit 100). */
export function groupProjects(store: Store, actor: Actor | null, group: Group): Project[] {
  return [...store.state.projects.values()]
    .filter((p) => p.namespace.kind === 'group' && p.namespace.id === group.id && canSeeProject(store, actor, p))
    .sort((a, b) => b.id - a.id)
    .slice(0, 100)
}

// ---- groups ----------------------------------------------------------------------------------------

/**
 * GET /groups and GET /groups/:id/subgroups (GroupsFinder): `owned` (direct Owner membership), else
 * `min_access_level` (that level or more, with subgroups), else the caller's group hierarchy plus —
 * when `all_available` — every public (and, signed in, internal) group. `all_available` defaults to
 * true for admins (who then see everything) and false for other signed-in users; anonymous callers
 * see public groups only. Ordered by name asc by default, id asc as tie breaker.
 */
export function listGroups(store: Store, actor: Actor | null, filter: GroupFilter, parent?: Group): Group[] {
  const user = actor?.user
  const allAvailable = filter.allAvailable ?? actor?.isAdmin === true
  const inHierarchy = (g: Group) => user !== undefined && store.hasAnyMembershipUnderGroup(user.id, g.id)
  const publicToCaller = (g: Group) => g.visibility === 'public' || (user !== undefined && g.visibility === 'internal')

  let groups = [...store.state.groups.values()]
  if (user && filter.owned) {
    groups = groups.filter((g) => store.directAccessLevel('group', g.id, user.id) >= AccessLevel.owner)
  } else if (user && filter.minAccessLevel !== undefined) {
    groups = groups.filter((g) => store.groupAccessLevel(user.id, g.id) >= (filter.minAccessLevel as number))
  } else if (!(actor?.isAdmin && allAvailable)) {
    const includePublic = !user || allAvailable
    groups = groups.filter((g) => inHierarchy(g) || (includePublic && publicToCaller(g)))
  }
  groups = groups.filter((g) => canSeeGroup(store, actor, g))
  if (parent) groups = groups.filter((g) => g.parentId === parent.id)
  if (filter.topLevelOnly) groups = groups.filter((g) => g.parentId === null)
  if (filter.visibility) groups = groups.filter((g) => g.visibility === filter.visibility)
  if (filter.skipGroups?.length) groups = groups.filter((g) => !filter.skipGroups?.includes(g.id))
  if (filter.search)
    groups = groups.filter((g) => fuzzyMatches(filter.search as string, [g.name, g.path, store.groupFullPath(g)]))

  const sort = filter.sort ?? 'asc'
  switch (filter.orderBy ?? 'name') {
    case 'id':
      return orderBy(groups, (g) => g.id, sort)
    case 'path':
      return orderBy(groups, (g) => g.path, sort)
    default:
      return orderBy(groups, (g) => g.name, sort)
  }
}

// ---- users -------------------------------------------------------------------------------------------

/** GET /users/:id: an unknown id answers `404 User Not Found`. */
export function findUser(store: Store, id: number): User {
  const user = store.user(id)
  if (!user) throw new NotFoundError('User')
  return user
}

/** GET /users (UsersFinder): `username` is an exact, case-insensitive match; default order id desc. */
export function listUsers(store: Store, actor: Actor | null, filter: UserFilter): User[] {
  let users: User[]
  if (filter.username !== undefined) {
    const user = store.userByUsername(filter.username)
    users = user ? [user] : []
  } else {
    users = [...store.state.users.values()]
  }
  if (filter.search) {
    const admin = actor?.isAdmin === true
    users = users.filter((u) => fuzzyMatches(filter.search as string, [u.name, u.username, admin ? u.email : u.publicEmail || null]))
  }
  if (filter.active) users = users.filter((u) => u.state === 'active')
  if (filter.blocked) users = users.filter((u) => u.state === 'blocked')
  const sort = filter.sort ?? 'desc'
  switch (filter.orderBy ?? 'id') {
    case 'name':
      return orderBy(users, (u) => u.name, sort)
    case 'username':
      return orderBy(users, (u) => u.username, sort)
    case 'created_at':
    case 'updated_at':
      return orderBy(users, (u) => u.createdAt, sort)
    default:
      return orderBy(users, (u) => u.id, sort)
  }
}
