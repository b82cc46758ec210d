/** @module Groups (parents from the full path), projects (namespace from the path) and their memberships. */
import { TokenFormat } from '../../domain/random.js'
import { AccessLevel, type Membership } from '../../domain/types.js'
import type { Fixture } from '../fixture-types.js'
import { stableToken, type BuildContext } from './context.js'

function addMembers(ctx: BuildContext, source: Membership['source'], sourceId: number, list: Record<string, string> | undefined, path: string): void {
  for (const [username, role] of Object.entries(list ?? {})) {
    const userId = ctx.userIdByName.get(username.toLowerCase())
    if (userId === undefined) ctx.problem(`${path}/members/${username}`, `unknown user ${username}`)
    else ctx.state.memberships.push({ source, sourceId, userId, accessLevel: AccessLevel[role as keyof typeof AccessLevel] })
  }
}

/** Groups: parents come from the full path, so order in the file does not matter. Needs the users. */
export function buildGroups(fixture: Fixture, ctx: BuildContext): void {
  const { state, groupIdByPath } = ctx
  fixture.groups?.forEach((g, i) => {
    const path = `/groups/${i}`
    const id = ctx.takeId('group', g.id, state.groups, path)
    const key = g.full_path.toLowerCase()
    if (groupIdByPath.has(key)) ctx.problem(`${path}/full_path`, `duplicate group ${g.full_path}`)
    if (ctx.userIdByName.has(key)) ctx.problem(`${path}/full_path`, `${g.full_path} is already a user's namespace`)
    groupIdByPath.set(key, id)
    const segments = g.full_path.split('/')
    const token = g.runners_token ?? stableToken(`group:${key}`, TokenFormat.namespaceRegistration)
    ctx.claimToken(token, `${path}/runners_token`)
    state.groups.set(id, {
      id,
      name: g.name ?? (segments.at(-1) as string),
      path: segments.at(-1) as string,
      parentId: null,
      description: g.description ?? '',
      visibility: g.visibility ?? 'private',
      sharedRunnersEnabled: g.shared_runners_enabled ?? true,
      runnersToken: token,
      runnerTokenExpirationInterval: g.runner_token_expiration_interval ?? null,
      createdAt: ctx.time(g.created_at, `${path}/created_at`, ctx.now),
    })
    addMembers(ctx, 'group', id, g.members, path)
  })
  fixture.groups?.forEach((g, i) => {
    const parentPath = g.full_path.split('/').slice(0, -1).join('/')
    if (!parentPath) return
    const parentId = groupIdByPath.get(parentPath.toLowerCase())
    const group = state.groups.get(groupIdByPath.get(g.full_path.toLowerCase()) as number)
    if (parentId === undefined) ctx.problem(`/groups/${i}/full_path`, `parent group ${parentPath} is not defined`)
    else if (group) group.parentId = parentId
  })
}

/** Projects in a group or a user's namespace. Needs the users and groups. */
export function buildProjects(fixture: Fixture, ctx: BuildContext): void {
  const { state, projectIdByPath } = ctx
  fixture.projects?.forEach((p, i) => {
    const path = `/projects/${i}`
    const id = ctx.takeId('project', p.id, state.projects, path)
    const key = p.path_with_namespace.toLowerCase()
    if (projectIdByPath.has(key)) ctx.problem(`${path}/path_with_namespace`, `duplicate project ${p.path_with_namespace}`)
    projectIdByPath.set(key, id)
    const segments = p.path_with_namespace.split('/')
    const nsPath = segments.slice(0, -1).join('/').toLowerCase()
    const groupId = ctx.groupIdByPath.get(nsPath)
    const userId = ctx.userIdByName.get(nsPath)
    if (segments.length < 2 || (groupId === undefined && userId === undefined))
      ctx.problem(`${path}/path_with_namespace`, `namespace ${segments.slice(0, -1).join('/') || '(none)'} is neither a group nor a user`)
    const token = p.runners_token ?? stableToken(`project:${key}`, TokenFormat.namespaceRegistration)
    ctx.claimToken(token, `${path}/runners_token`)
    const createdAt = ctx.time(p.created_at, `${path}/created_at`, ctx.now)
    state.projects.set(id, {
      id,
      name: p.name ?? (segments.at(-1) as string),
      path: segments.at(-1) as string,
      namespace: groupId !== undefined ? { kind: 'group', id: groupId } : { kind: 'user', id: userId ?? 0 },
      description: p.description ?? null,
      visibility: p.visibility ?? 'private',
      defaultBranch: p.default_branch ?? 'main',
      sharedRunnersEnabled: p.shared_runners_enabled ?? true,
      groupRunnersEnabled: p.group_runners_enabled ?? true,
      runnersToken: token,
      runnerTokenExpirationInterval: p.runner_token_expiration_interval ?? null,
      createdAt,
      lastActivityAt: ctx.time(p.last_activity_at, `${path}/last_activity_at`, createdAt),
    })
    addMembers(ctx, 'project', id, p.members, path)
  })
}
