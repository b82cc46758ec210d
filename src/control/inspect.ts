/**
 * @module Read-only views of the world for the inspector (/-/mock/ui): runners paged and filtered as
 * GET /runners/all filters them (plus a free-text search), one runner with its projects, jobs and
 * token, and the groups, projects and users with their runner counts and roles. Guarded by the control
 * token like the rest of the control API; they change nothing.
 */
import { Hono, type Context } from 'hono'
import { runnerMatcher, type RunnerFilter } from '../domain/runners.js'
import { STATUS_FILTERS, type StatusFilter } from '../domain/status.js'
import type { Store } from '../domain/store.js'
import { AccessLevel, RUNNER_TYPES, type Membership, type Runner, type RunnerType } from '../domain/types.js'
import { runnerEntity } from '../http/entities.js'
import type { AppEnv } from '../http/env.js'
import { splitTags } from '../http/params.js'
import { guard } from './routes.js'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
const ROLE_NAMES = Object.fromEntries(Object.entries(AccessLevel).map(([name, level]) => [level, name])) as Record<number, string>

export const INSPECT_PAGE_SIZES = [50, 100, 200] as const

class InspectInputError extends Error {}

function intParam(c: Context<AppEnv>, name: string, fallback: number, min: number, max: number): number {
  const text = c.req.query(name)
  if (text === undefined || text === '') return fallback
  const n = Number(text)
  if (!Number.isInteger(n) || n < min || n > max) throw new InspectInputError(`"${name}" must be a whole number from ${min} to ${max}`)
  return n
}

/** Where a runner belongs: project paths for project runners, the group path for group runners. */
function ownersOf(store: Store, runner: Runner): string[] {
  if (runner.runnerType === 'group_type') {
    const group = runner.groupId === null ? undefined : store.group(runner.groupId)
    return group ? [store.groupFullPath(group)] : []
  }
  if (runner.runnerType === 'project_type') {
    return runner.projectIds.flatMap((id) => {
      const project = store.project(id)
      return project ? [store.projectFullPath(project)] : []
    })
  }
  return []
}

function runnerRow(store: Store, runner: Runner, now: number) {
  const entity = runnerEntity(runner, { store, baseUrl: '', actor: null }, now)
  return {
    id: runner.id,
    description: runner.description,
    name: runner.name,
    runner_type: runner.runnerType,
    owners: ownersOf(store, runner),
    tag_list: [...runner.tagList],
    status: entity.status,
    paused: entity.paused,
    online: entity.online,
    locked: runner.locked,
    contacted_at: iso(runner.contactedAt),
    created_at: iso(runner.createdAt),
  }
}

function matchesText(store: Store, runner: Runner, text: string): boolean {
  const needle = text.toLowerCase()
  if (String(runner.id) === needle) return true
  const haystack = [runner.description, runner.name, runner.ipAddress, runner.version, ...runner.tagList, ...ownersOf(store, runner)]
  return haystack.some((value) => value !== null && value.toLowerCase().includes(needle))
}

export function inspectRoutes(options: { token?: string }) {
  const app = new Hono<AppEnv>()
  app.use('*', guard(options.token))
  app.onError((error, c) => {
    if (error instanceof InspectInputError) return c.json({ message: error.message }, 400)
    throw error
  })

  app.get('/inspect/runners', (c) => {
    const store = c.var.world.store
    const now = store.now()
    const type = c.req.query('type') || undefined
    if (type !== undefined && !RUNNER_TYPES.includes(type as RunnerType)) throw new InspectInputError(`"type" must be one of ${RUNNER_TYPES.join(', ')}`)
    const status = c.req.query('status') || undefined
    if (status !== undefined && !STATUS_FILTERS.includes(status as StatusFilter)) throw new InspectInputError(`"status" must be one of ${STATUS_FILTERS.join(', ')}`)
    const tags = splitTags(c.req.query('tag') ?? '')
    const text = (c.req.query('q') ?? '').trim()
    const perPage = intParam(c, 'per_page', 50, 1, 500)
    const page = intParam(c, 'page', 1, 1, Number.MAX_SAFE_INTEGER)
    const filter: RunnerFilter = { type: type as RunnerType | undefined, status: status as StatusFilter | undefined, tagList: tags.length > 0 ? tags : undefined }
    // GET /runners/all's filters (the same matcher), without its admin check: the control token guards this view.
    const match = runnerMatcher(filter, now, store.profile.staleAfter)
    const runners: Runner[] = []
    // In id order: the store walks its runners so.
    for (const runner of store.runners()) if (match(runner) && (text === '' || matchesText(store, runner, text))) runners.push(runner)
    const start = (page - 1) * perPage
    return c.json({
      now: iso(now),
      total: runners.length,
      page,
      per_page: perPage,
      total_pages: Math.max(1, Math.ceil(runners.length / perPage)),
      runners: runners.slice(start, start + perPage).map((r) => runnerRow(store, r, now)),
    })
  })

  app.get('/inspect/runners/:id{[0-9]+}', (c) => {
    const store = c.var.world.store
    const now = store.now()
    const runner = store.runner(Number(c.req.param('id')))
    if (!runner) return c.json({ message: `no runner ${c.req.param('id')}` }, 404)
    const jobs = store.jobsOfRunner(runner.id)
    return c.json({
      now: iso(now),
      runner: {
        ...runnerRow(store, runner, now),
        ip_address: runner.ipAddress,
        version: runner.version,
        revision: runner.revision,
        platform: runner.platform,
        architecture: runner.architecture,
        run_untagged: runner.runUntagged,
        access_level: runner.accessLevel,
        maximum_timeout: runner.maximumTimeout,
        maintenance_note: runner.maintenanceNote,
      },
      projects: runner.projectIds.flatMap((id) => {
        const project = store.project(id)
        return project ? [{ id, path_with_namespace: store.projectFullPath(project) }] : []
      }),
      group: (() => {
        const group = runner.groupId === null ? undefined : store.group(runner.groupId)
        return group ? { id: group.id, full_path: store.groupFullPath(group) } : null
      })(),
      jobs_total: jobs.length,
      jobs: jobs.slice(-20).reverse().map((job) => {
        const project = store.project(job.projectId)
        return { id: job.id, name: job.name, stage: job.stage, status: job.status, ref: job.ref, project: project ? store.projectFullPath(project) : null, created_at: iso(job.createdAt) }
      }),
      token: runner.token,
      token_expires_at: iso(runner.tokenExpiresAt),
    })
  })

  app.get('/inspect/world', (c) => {
    const store = c.var.world.store
    const { state } = store
    const groupRunners = new Map<number, number>()
    const projectRunners = new Map<number, number>()
    const byType = Object.fromEntries(RUNNER_TYPES.map((t) => [t, 0])) as Record<RunnerType, number>
    for (const runner of state.runners.values()) {
      if (runner.groupId !== null) groupRunners.set(runner.groupId, (groupRunners.get(runner.groupId) ?? 0) + 1)
      for (const id of runner.projectIds) projectRunners.set(id, (projectRunners.get(id) ?? 0) + 1)
      byType[runner.runnerType]++
    }
    const memberships = new Map<number, Membership[]>()
    for (const m of state.memberships) {
      const list = memberships.get(m.userId)
      if (list) list.push(m)
      else memberships.set(m.userId, [m])
    }
    const pathOf = (m: { source: 'group' | 'project'; sourceId: number }) => {
      if (m.source === 'group') {
        const group = store.group(m.sourceId)
        return group ? store.groupFullPath(group) : null
      }
      const project = store.project(m.sourceId)
      return project ? store.projectFullPath(project) : null
    }
    return c.json({
      now: iso(store.now()),
      seed: c.var.world.seed,
      gitlab_version: store.profile.release.version,
      runners: { total: state.runners.size, by_type: byType },
      groups: [...state.groups.values()].map((g) => ({
        id: g.id,
        full_path: store.groupFullPath(g),
        name: g.name,
        parent_id: g.parentId,
        visibility: g.visibility,
        runners: groupRunners.get(g.id) ?? 0,
      })),
      projects: [...state.projects.values()].map((p) => ({
        id: p.id,
        path_with_namespace: store.projectFullPath(p),
        name: p.name,
        group_id: p.namespace.kind === 'group' ? p.namespace.id : null,
        visibility: p.visibility,
        runners: projectRunners.get(p.id) ?? 0,
        shared_runners_enabled: p.sharedRunnersEnabled,
      })),
      users: [...state.users.values()].map((u) => ({
        id: u.id,
        username: u.username,
        name: u.name,
        admin: u.isAdmin,
        state: u.state,
        memberships: (memberships.get(u.id) ?? []).map((m) => ({ source: m.source, path: pathOf(m), role: ROLE_NAMES[m.accessLevel] ?? String(m.accessLevel) })),
      })),
    })
  })
  return app
}
