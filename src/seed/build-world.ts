/** @module Builds a WorldState from a fixture's named records: resolves references and relative times, fills defaults, and lists every problem instead of stopping at the first. */
import { monthsBefore } from '../domain/status.js'
import { TokenFormat, randomSource, seedFrom } from '../domain/random.js'
import { AccessLevel, type Job, type Membership, type Runner, type WorldState } from '../domain/types.js'
import { CowMap } from '../domain/cow-map.js'
import { JobTable } from '../domain/job-table.js'
import { FixtureError, type Fixture, type FixtureProblem, type FixtureTime } from './fixture-types.js'
import { generateFiller } from './generate.js'

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** Resolve `now`, `-5m`, `-4mo`, `+1d` or an ISO instant against the build instant. */
export function resolveTime(value: FixtureTime, base: number): number | undefined {
  if (value === 'now') return base
  const rel = /^([+-])(\d+(?:\.\d+)?)(s|m|h|d|w|mo|y)$/.exec(value)
  if (rel) {
    const sign = rel[1] === '-' ? -1 : 1
    const amount = Number(rel[2])
    const unit = rel[3] as string
    if (unit === 'mo' || unit === 'y') {
      const months = unit === 'y' ? amount * 12 : amount
      return monthsBefore(base, -sign * months)
    }
    return base + sign * amount * (UNIT_MS[unit] as number)
  }
  const t = Date.parse(value)
  return Number.isNaN(t) ? undefined : t
}

/** A stable token for a named record that has none: derived from the record's identity, not from the seed. */
function stableToken(identity: string, make: (r: ReturnType<typeof randomSource>) => string): string {
  return make(randomSource({ rngState: seedFrom(identity) }))
}

export interface BuildOptions {
  fixture: Fixture
  seed: number | string
  /** The build instant: relative fixture times are resolved against it. */
  now: number
}

/** Build the world, or throw a FixtureError listing every problem. */
export function buildWorld({ fixture, seed, now }: BuildOptions): WorldState {
  const problems: FixtureProblem[] = []
  const problem = (path: string, message: string) => problems.push({ path, message })
  const time = (value: FixtureTime | undefined, path: string, fallback: number): number => {
    if (value === undefined) return fallback
    const t = resolveTime(value, now)
    if (t === undefined) problem(path, `is not a time: ${JSON.stringify(value)}`)
    return t ?? fallback
  }
  const nullableTime = (value: FixtureTime | null | undefined, path: string): number | null =>
    value === null || value === undefined ? null : time(value, path, now)

  const s = fixture.settings ?? {}
  const state: WorldState = {
    settings: {
      registrationToken: s.registration_token ?? stableToken('instance', TokenFormat.instanceRegistration),
      runnerTokenExpirationInterval: s.runner_token_expiration_interval ?? null,
      projectRunnerLimit: s.project_runner_limit ?? 1000,
      groupRunnerLimit: s.group_runner_limit ?? 1000,
      allowedRegistrars: s.allowed_registrars ?? ['project', 'group'],
      registrationEnabled: s.registration_enabled ?? true,
    },
    users: new Map(),
    tokens: new Map(),
    groups: new Map(),
    projects: new Map(),
    memberships: [],
    runners: new CowMap(),
    jobs: new JobTable(),
    counters: { user: 1, group: 1, project: 1, runner: 1, job: 1 },
    rngState: seedFrom(`requests:${seed}`),
  }

  // Explicit ids first, so records without one never take an id named later in the file.
  const explicit = (items: Array<{ id?: number }> | undefined) => Math.max(0, ...(items ?? []).map((i) => i.id ?? 0))
  const next = {
    user: explicit(fixture.users) + 1,
    group: explicit(fixture.groups) + 1,
    project: explicit(fixture.projects) + 1,
    runner: explicit(fixture.runners) + 1,
    job: explicit(fixture.jobs) + 1,
  }
  const takeId = (kind: keyof typeof next, id: number | undefined, taken: { has(id: number): boolean }, path: string) => {
    const value = id ?? next[kind]++
    if (taken.has(value)) problem(`${path}/id`, `duplicate id ${value}`)
    return value
  }
  const allTokens = new Set<string>()
  const claimToken = (token: string, path: string) => {
    if (allTokens.has(token)) problem(path, 'duplicate token')
    allTokens.add(token)
  }
  claimToken(state.settings.registrationToken, '/settings/registration_token')

  // ---- users
  const userIdByName = new Map<string, number>()
  fixture.users?.forEach((u, i) => {
    const path = `/users/${i}`
    const id = takeId('user', u.id, state.users, path)
    if (userIdByName.has(u.username.toLowerCase())) problem(`${path}/username`, `duplicate username ${u.username}`)
    userIdByName.set(u.username.toLowerCase(), id)
    state.users.set(id, {
      id,
      username: u.username,
      name: u.name ?? u.username,
      email: u.email ?? `${u.username}@example.com`,
      isAdmin: u.admin ?? false,
      state: u.state ?? 'active',
      bio: u.bio ?? '',
      location: u.location ?? '',
      publicEmail: u.public_email ?? '',
      organization: u.organization ?? '',
      jobTitle: u.job_title ?? '',
      createdAt: time(u.created_at, `${path}/created_at`, now),
    })
    u.tokens?.forEach((t, j) => {
      claimToken(t.token, `${path}/tokens/${j}/token`)
      state.tokens.set(t.token, {
        token: t.token,
        userId: id,
        name: t.name ?? `token-${j + 1}`,
        scopes: t.scopes ?? ['api'],
        expiresAt: nullableTime(t.expires_at, `${path}/tokens/${j}/expires_at`),
        revoked: t.revoked ?? false,
      })
    })
  })

  const members = (source: Membership['source'], sourceId: number, list: Record<string, string> | undefined, path: string) => {
    for (const [username, role] of Object.entries(list ?? {})) {
      const userId = userIdByName.get(username.toLowerCase())
      if (userId === undefined) problem(`${path}/members/${username}`, `unknown user ${username}`)
      else state.memberships.push({ source, sourceId, userId, accessLevel: AccessLevel[role as keyof typeof AccessLevel] })
    }
  }

  // ---- groups: parents come from the full path, so order in the file does not matter.
  const groupIdByPath = new Map<string, number>()
  const groupPaths = new Map<number, string>()
  fixture.groups?.forEach((g, i) => {
    const path = `/groups/${i}`
    const id = takeId('group', g.id, state.groups, path)
    const key = g.full_path.toLowerCase()
    if (groupIdByPath.has(key)) problem(`${path}/full_path`, `duplicate group ${g.full_path}`)
    if (userIdByName.has(key)) problem(`${path}/full_path`, `${g.full_path} is already a user's namespace`)
    groupIdByPath.set(key, id)
    groupPaths.set(id, g.full_path)
    const segments = g.full_path.split('/')
    const token = g.runners_token ?? stableToken(`group:${key}`, TokenFormat.namespaceRegistration)
    claimToken(token, `${path}/runners_token`)
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
      createdAt: time(g.created_at, `${path}/created_at`, now),
    })
    members('group', id, g.members, path)
  })
  fixture.groups?.forEach((g, i) => {
    const parentPath = g.full_path.split('/').slice(0, -1).join('/')
    if (!parentPath) return
    const parentId = groupIdByPath.get(parentPath.toLowerCase())
    const group = state.groups.get(groupIdByPath.get(g.full_path.toLowerCase()) as number)
    if (parentId === undefined) problem(`/groups/${i}/full_path`, `parent group ${parentPath} is not defined`)
    else if (group) group.parentId = parentId
  })

  // ---- projects
  const projectIdByPath = new Map<string, number>()
  fixture.projects?.forEach((p, i) => {
    const path = `/projects/${i}`
    const id = takeId('project', p.id, state.projects, path)
    const key = p.path_with_namespace.toLowerCase()
    if (projectIdByPath.has(key)) problem(`${path}/path_with_namespace`, `duplicate project ${p.path_with_namespace}`)
    projectIdByPath.set(key, id)
    const segments = p.path_with_namespace.split('/')
    const nsPath = segments.slice(0, -1).join('/').toLowerCase()
    const groupId = groupIdByPath.get(nsPath)
    const userId = userIdByName.get(nsPath)
    if (segments.length < 2 || (groupId === undefined && userId === undefined))
      problem(`${path}/path_with_namespace`, `namespace ${segments.slice(0, -1).join('/') || '(none)'} is neither a group nor a user`)
    const token = p.runners_token ?? stableToken(`project:${key}`, TokenFormat.namespaceRegistration)
    claimToken(token, `${path}/runners_token`)
    const createdAt = time(p.created_at, `${path}/created_at`, now)
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
      lastActivityAt: time(p.last_activity_at, `${path}/last_activity_at`, createdAt),
    })
    members('project', id, p.members, path)
  })

  // ---- runners
  fixture.runners?.forEach((r, i) => {
    const path = `/runners/${i}`
    const id = takeId('runner', r.id, state.runners, path)
    const projectIds: number[] = []
    r.projects?.forEach((ref, j) => {
      const pid = projectIdByPath.get(ref.toLowerCase())
      if (pid === undefined) problem(`${path}/projects/${j}`, `unknown project ${ref}`)
      else projectIds.push(pid)
    })
    const groupId = r.group === undefined ? null : (groupIdByPath.get(r.group.toLowerCase()) ?? null)
    if (r.group !== undefined && groupId === null) problem(`${path}/group`, `unknown group ${r.group}`)
    if (r.runner_type !== 'project_type' && r.projects?.length) problem(`${path}/projects`, `only a project_type runner has projects`)
    if (r.runner_type !== 'group_type' && r.group !== undefined) problem(`${path}/group`, `only a group_type runner has a group`)
    if (r.runner_type === 'group_type' && r.group === undefined) problem(`${path}/group`, 'a group_type runner needs its group')
    const token = r.token ?? stableToken(`runner:${id}`, TokenFormat.runnerAuthentication)
    claimToken(token, `${path}/token`)
    const createdAt = time(r.created_at, `${path}/created_at`, now)
    const runner: Runner = {
      id,
      runnerType: r.runner_type,
      description: r.description ?? null,
      name: r.name ?? null,
      active: !(r.paused ?? false),
      locked: r.locked ?? false,
      runUntagged: r.run_untagged ?? true,
      tagList: r.tag_list ?? [],
      accessLevel: r.access_level ?? 'not_protected',
      maximumTimeout: r.maximum_timeout ?? null,
      maintenanceNote: r.maintenance_note ?? null,
      ipAddress: r.ip_address ?? null,
      version: r.version ?? null,
      revision: r.revision ?? null,
      platform: r.platform ?? null,
      architecture: r.architecture ?? null,
      contactedAt: nullableTime(r.contacted_at, `${path}/contacted_at`),
      token,
      tokenExpiresAt: nullableTime(r.token_expires_at, `${path}/token_expires_at`),
      projectIds,
      groupId,
      createdAt,
      updatedAt: createdAt,
    }
    if (runner.tagList.length === 0 && !runner.runUntagged)
      problem(`${path}/tag_list`, 'can not be empty when runner is not allowed to pick untagged jobs')
    state.runners.set(id, runner)
  })

  // ---- jobs
  fixture.jobs?.forEach((j, i) => {
    const path = `/jobs/${i}`
    const id = takeId('job', j.id, state.jobs, path)
    if (!state.runners.has(j.runner)) problem(`${path}/runner`, `unknown runner ${j.runner}`)
    const projectId = projectIdByPath.get(j.project.toLowerCase())
    if (projectId === undefined) problem(`${path}/project`, `unknown project ${j.project}`)
    const userId = j.user ? userIdByName.get(j.user.toLowerCase()) : undefined
    if (j.user && userId === undefined) problem(`${path}/user`, `unknown user ${j.user}`)
    const createdAt = time(j.created_at, `${path}/created_at`, now)
    const startedAt = nullableTime(j.started_at, `${path}/started_at`)
    const finishedAt = nullableTime(j.finished_at, `${path}/finished_at`)
    const sha = j.sha ?? stableToken(`sha:${id}`, (r) => Array.from({ length: 40 }, () => '0123456789abcdef'[r.int(16)]).join(''))
    const job: Job = {
      id,
      runnerId: j.runner,
      projectId: projectId ?? 0,
      userId: userId ?? null,
      status: j.status,
      stage: j.stage ?? 'test',
      name: j.name ?? 'test',
      ref: j.ref ?? 'main',
      tag: j.tag ?? false,
      coverage: j.coverage ?? null,
      allowFailure: j.allow_failure ?? false,
      createdAt,
      queuedAt: createdAt,
      startedAt,
      finishedAt,
      erasedAt: null,
      failureReason: j.status === 'failed' ? (j.failure_reason ?? 'script_failure') : null,
      commit: {
        id: sha,
        shortId: sha.slice(0, 8),
        title: j.commit_title ?? 'Update .gitlab-ci.yml',
        message: `${j.commit_title ?? 'Update .gitlab-ci.yml'}\n`,
        authorName: 'Administrator',
        authorEmail: 'admin@example.com',
        createdAt: createdAt - 60_000,
        parentIds: [],
      },
      pipeline: { id, iid: id, sha, ref: j.ref ?? 'main', status: j.status, source: 'push', createdAt, updatedAt: finishedAt ?? startedAt ?? createdAt },
    }
    state.jobs.set(id, job)
  })

  if (problems.length > 0) throw new FixtureError(problems)
  state.counters = { ...next }
  if (fixture.generate) generateFiller(state, fixture.generate, { seed, now })
  return state
}
