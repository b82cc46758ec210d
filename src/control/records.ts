/**
 * @module Live records: add a partial fixture to a running world (all or nothing, every problem
 * listed), record a runner's heartbeat, put a job on a runner. Additions are built by the fixture
 * builder itself: the new records first, then stand-ins for the existing records they reference, so
 * every fixture rule (references, duplicates, defaults, relative times) applies unchanged.
 */
import { isOnline, runnerStatus } from '../domain/status.js'
import { copyState } from '../domain/store.js'
import { JOB_STATUSES, type Job, type JobStatus, type Runner, type WorldState } from '../domain/types.js'
import { buildWorld, resolveTime } from '../seed/build-world.js'
import { FixtureError, type Fixture, type FixtureProblem } from '../seed/fixture-types.js'
import { generateFiller } from '../seed/generate.js'
import { fixtureProblems } from '../seed/fixture-validator.js'
import { touchManager } from '../domain/managers.js'
import type { MockWorld } from '../world.js'

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
type Item = Record<string, unknown>
const items = (v: unknown): Item[] => (Array.isArray(v) ? v.filter(isObject) : [])

/** Existing records named by id where the fixture names them by path: `projects: [100]`, `group: 10`, job `project: 100`. */
function idsToPaths(body: Item, fullPath: { group: (id: number) => string | undefined; project: (id: number) => string | undefined }, problems: FixtureProblem[]): Item {
  const out = { ...body }
  out.runners = items(body.runners).map((r, i) => {
    const copy = { ...r }
    if (Array.isArray(r.projects))
      copy.projects = r.projects.map((p, j) => {
        if (typeof p !== 'number') return p
        const path = fullPath.project(p)
        if (path === undefined) problems.push({ path: `/runners/${i}/projects/${j}`, message: `unknown project ${p}` })
        return path ?? String(p)
      })
    if (typeof r.group === 'number') {
      const path = fullPath.group(r.group)
      if (path === undefined) problems.push({ path: `/runners/${i}/group`, message: `unknown group ${r.group}` })
      copy.group = path ?? String(r.group)
    }
    return copy
  })
  out.jobs = items(body.jobs).map((j, i) => {
    if (typeof j.project !== 'number') return j
    const path = fullPath.project(j.project)
    if (path === undefined) problems.push({ path: `/jobs/${i}/project`, message: `unknown project ${j.project}` })
    return { ...j, project: path ?? String(j.project) }
  })
  for (const key of ['runners', 'jobs'] as const) if (!Array.isArray(body[key])) out[key] = body[key]
  return out
}

export interface AddedRecords {
  users: Array<{ id: number; username: string; tokens: string[] }>
  groups: Array<{ id: number; full_path: string; runners_token: string }>
  projects: Array<{ id: number; path_with_namespace: string; runners_token: string }>
  runners: Array<{ id: number; token: string }>
  jobs: Array<{ id: number; runner_id: number }>
}

/** Add the records to the live world, or throw a FixtureError listing every problem (nothing changes then). */
export function addRecords(world: MockWorld, body: unknown): AddedRecords {
  if (!isObject(body)) throw new FixtureError([{ path: '', message: 'must be an object in the fixture format (users, groups, projects, runners, jobs, generate)' }])
  const unknownKeys = Object.keys(body).filter((k) => !['users', 'groups', 'projects', 'runners', 'jobs', 'generate'].includes(k))
  if (unknownKeys.length > 0) throw new FixtureError(unknownKeys.map((k) => ({ path: `/${k}`, message: 'cannot be added to a live world' })))
  const store = world.store
  const live = store.state
  const problems: FixtureProblem[] = []
  const partial = idsToPaths(
    body,
    {
      group: (id) => {
        const g = store.group(id)
        return g && store.groupFullPath(g)
      },
      project: (id) => {
        const p = store.project(id)
        return p && store.projectFullPath(p)
      },
    },
    problems,
  )
  problems.push(...fixtureProblems(partial))
  if (problems.length > 0) throw new FixtureError(problems)
  const fixture = partial as Fixture

  // New records take the next free ids (or their own); stand-ins carry the existing ids and paths.
  const next = { ...live.counters }
  const newUsers = (fixture.users ?? []).map((u) => ({ ...u, id: u.id ?? next.user++ }))
  const newGroups = (fixture.groups ?? []).map((g) => ({ ...g, id: g.id ?? next.group++ }))
  const newProjects = (fixture.projects ?? []).map((p) => ({ ...p, id: p.id ?? next.project++ }))
  const newRunners = (fixture.runners ?? []).map((r) => ({ ...r, id: r.id ?? next.runner++ }))
  // A running or finished job has started (and a finished one ended): now, unless the record says when.
  const newJobs = (fixture.jobs ?? []).map((j) => ({
    ...j,
    id: j.id ?? next.job++,
    started_at: j.started_at ?? (j.status === 'running' || FINISHED.includes(j.status) ? 'now' : undefined),
    finished_at: j.finished_at ?? (FINISHED.includes(j.status) ? 'now' : undefined),
  }))
  const referenced = new Set(newJobs.map((j) => j.runner))
  const combined: Fixture = {
    settings: { registration_token: live.settings.registrationToken },
    users: [...newUsers, ...[...live.users.values()].map((u) => ({ id: u.id, username: u.username }))],
    groups: [...newGroups, ...[...live.groups.values()].map((g) => ({ id: g.id, full_path: store.groupFullPath(g), runners_token: g.runnersToken }))],
    projects: [...newProjects, ...[...live.projects.values()].map((p) => ({ id: p.id, path_with_namespace: store.projectFullPath(p), runners_token: p.runnersToken }))],
    runners: [...newRunners, ...[...live.runners.values()].filter((r) => referenced.has(r.id)).map((r) => ({ id: r.id, runner_type: 'instance_type' as const, token: r.token }))],
    jobs: newJobs,
  }
  const now = world.clock.now()
  const built = buildWorld({ fixture: combined, seed: world.seed, now }) // throws FixtureError with every problem

  const taken: FixtureProblem[] = []
  // An id of the record's own must be free: a stand-in for an existing runner or job is built only when a new job
  // names it, so an id already in the world would otherwise replace that record.
  ;(fixture.runners ?? []).forEach((r, i) => {
    if (r.id !== undefined && live.runners.has(r.id)) taken.push({ path: `/runners/${i}/id`, message: `duplicate id ${r.id} (a runner already in the world)` })
  })
  ;(fixture.jobs ?? []).forEach((j, i) => {
    if (j.id !== undefined && live.jobs.has(j.id)) taken.push({ path: `/jobs/${i}/id`, message: `duplicate id ${j.id} (a job already in the world)` })
  })
  const claim = (token: string, path: string) => {
    if (store.tokenInUse(token)) taken.push({ path, message: 'duplicate token (already in the world)' })
  }
  newUsers.forEach((u, i) => u.tokens?.forEach((t, j) => claim(t.token, `/users/${i}/tokens/${j}/token`)))
  newGroups.forEach((g, i) => g.runners_token && claim(g.runners_token, `/groups/${i}/runners_token`))
  newProjects.forEach((p, i) => p.runners_token && claim(p.runners_token, `/projects/${i}/runners_token`))
  newRunners.forEach((r, i) => r.token && claim(r.token, `/runners/${i}/token`))
  if (taken.length > 0) throw new FixtureError(taken)

  const state = copyState(live)
  const added: AddedRecords = { users: [], groups: [], projects: [], runners: [], jobs: [] }
  for (const { id } of newUsers) {
    const user = built.users.get(id)!
    state.users.set(id, user)
    const tokens = [...built.tokens.values()].filter((t) => t.userId === id)
    for (const t of tokens) state.tokens.set(t.token, t)
    added.users.push({ id, username: user.username, tokens: tokens.map((t) => t.token) })
  }
  const isNew = (source: 'group' | 'project', id: number) => (source === 'group' ? newGroups : newProjects).some((r) => r.id === id)
  state.memberships.push(...built.memberships.filter((m) => isNew(m.source, m.sourceId)))
  for (const { id, full_path } of newGroups) {
    const group = built.groups.get(id)!
    state.groups.set(id, group)
    added.groups.push({ id, full_path, runners_token: group.runnersToken })
  }
  for (const { id, path_with_namespace } of newProjects) {
    const project = built.projects.get(id)!
    state.projects.set(id, project)
    added.projects.push({ id, path_with_namespace, runners_token: project.runnersToken })
  }
  for (const { id } of newRunners) {
    const runner = built.runners.get(id)!
    state.runners.set(id, runner)
    added.runners.push({ id, token: runner.token })
  }
  // The new runners' managers (fixture `runners[].managers[]`) come along with them.
  const newManagerIds: number[] = []
  for (const manager of built.runnerManagers.values())
    if (newRunners.some((r) => r.id === manager.runnerId)) {
      state.runnerManagers.set(manager.id, manager)
      newManagerIds.push(manager.id)
    }
  for (const { id } of newJobs) {
    const job = built.jobs.get(id)!
    state.jobs.set(id, job)
    added.jobs.push({ id, runner_id: job.runnerId })
  }
  const after = (kind: keyof WorldState['counters'], ids: number[]) => Math.max(state.counters[kind], ...ids.map((id) => id + 1))
  state.counters = {
    user: after('user', newUsers.map((r) => r.id)),
    group: after('group', newGroups.map((r) => r.id)),
    project: after('project', newProjects.map((r) => r.id)),
    runner: after('runner', newRunners.map((r) => r.id)),
    job: after('job', newJobs.map((r) => r.id)),
    runnerManager: after('runnerManager', newManagerIds),
  }
  if (fixture.generate) {
    const before = { runners: state.counters.runner, users: state.counters.user, groups: state.counters.group, projects: state.counters.project, jobs: state.counters.job }
    // Seeded by the world's seed and where the counters stand, so a second batch gets other tokens.
    generateFiller(state, fixture.generate, { seed: `${world.seed}:records:${JSON.stringify(state.counters)}`, now })
    for (let id = before.users; id < state.counters.user; id++) {
      const user = state.users.get(id)
      if (user) added.users.push({ id, username: user.username, tokens: [...state.tokens.values()].filter((t) => t.userId === id).map((t) => t.token) })
    }
    for (let id = before.groups; id < state.counters.group; id++) {
      const g = state.groups.get(id)
      if (g) added.groups.push({ id, full_path: g.path, runners_token: g.runnersToken })
    }
    for (let id = before.projects; id < state.counters.project; id++) {
      const p = state.projects.get(id)
      if (p) added.projects.push({ id, path_with_namespace: p.path, runners_token: p.runnersToken })
    }
    for (let id = before.runners; id < state.counters.runner; id++) {
      const r = state.runners.get(id)
      if (r) added.runners.push({ id, token: r.token })
    }
    for (let id = before.jobs; id < state.counters.job; id++) {
      const j = state.jobs.get(id)
      if (j) added.jobs.push({ id, runner_id: j.runnerId })
    }
  }
  world.replaceState(state)
  // Runners that got jobs show it in their entities (job_execution_status): renew their records so cached texts are rebuilt.
  for (const runnerId of new Set(added.jobs.map((j) => j.runner_id))) world.store.touchRunner(runnerId)
  if (fixture.generate) {
    // Generated groups and projects: report their full paths now that the store can compute them.
    for (const g of added.groups) g.full_path = world.store.groupFullPath(world.store.group(g.id)!)
    for (const p of added.projects) p.path_with_namespace = world.store.projectFullPath(world.store.project(p.id)!)
  }
  return added
}

export class RecordInputError extends Error {}

export interface ContactInput {
  at?: unknown
  version?: unknown
  revision?: unknown
  platform?: unknown
  architecture?: unknown
  ip_address?: unknown
  system_id?: unknown
}

/** What a runner's heartbeat changes: contacted_at (now or `at`) and what it reports. Answers its derived status. */
export function contactRunner(world: MockWorld, id: number, input: ContactInput) {
  const runner = world.store.runner(id)
  if (!runner) return undefined
  const now = world.clock.now()
  let at = now
  if (input.at !== undefined) {
    const t = typeof input.at === 'string' ? resolveTime(input.at, now) : undefined
    if (t === undefined) throw new RecordInputError('"at" must be an ISO instant or an offset such as "-3h"')
    at = t
  }
  const strings = ['version', 'revision', 'platform', 'architecture', 'ip_address', 'system_id'] as const
  for (const key of strings)
    if (input[key] !== undefined && typeof input[key] !== 'string') throw new RecordInputError(`"${key}" must be a string`)
  // Ci::Runner#heartbeat writes the columns directly: updated_at does not move. Records are immutable: through the store.
  const changes: Partial<Runner> = { contactedAt: at }
  if (typeof input.version === 'string') changes.version = input.version
  if (typeof input.revision === 'string') changes.revision = input.revision
  if (typeof input.platform === 'string') changes.platform = input.platform
  if (typeof input.architecture === 'string') changes.architecture = input.architecture
  if (typeof input.ip_address === 'string') changes.ipAddress = input.ip_address
  const contacted = world.store.updateRunner(runner, changes)
  // The heartbeat also reaches the manager of its system_id (`<legacy>` when none is sent), as verify does.
  const manager = touchManager(world.store, contacted, {
    systemId: input.system_id as string | undefined,
    ipAddress: (input.ip_address as string | undefined) ?? contacted.ipAddress,
    info: { version: input.version as string | undefined, revision: input.revision as string | undefined, platform: input.platform as string | undefined, architecture: input.architecture as string | undefined },
  }, false)
  world.store.updateManager(manager, { contactedAt: at })
  const current = world.store.runner(id) as Runner
  return { id, contacted_at: new Date(at).toISOString(), status: runnerStatus(current, now, world.profile.staleAfter), online: isOnline(current, now) }
}

export interface JobInput {
  status?: unknown
  project?: unknown
  ref?: unknown
  name?: unknown
  stage?: unknown
}

const FINISHED: readonly JobStatus[] = ['success', 'failed', 'canceled', 'skipped']

/** A job on the runner. A running job means the runner picked it up: that is contact, so it is online now. */
export function addRunnerJob(world: MockWorld, runnerId: number, input: JobInput) {
  const store = world.store
  const runner = store.runner(runnerId)
  if (!runner) return undefined
  const status = (input.status ?? 'running') as JobStatus
  if (!JOB_STATUSES.includes(status)) throw new RecordInputError(`"status" must be one of ${JOB_STATUSES.join(', ')}`)
  for (const key of ['ref', 'name', 'stage'] as const)
    if (input[key] !== undefined && (typeof input[key] !== 'string' || input[key] === '')) throw new RecordInputError(`"${key}" must be a non-empty string`)
  let project
  if (input.project === undefined) {
    const groupProject = runner.groupId === null ? undefined : [...store.state.projects.values()].find((p) => p.namespace.kind === 'group' && store.groupSelfAndAncestors(p.namespace.id).some((g) => g.id === runner.groupId))
    project = store.project(runner.projectIds[0] ?? -1) ?? groupProject ?? store.state.projects.values().next().value
  } else if (typeof input.project === 'number') project = store.project(input.project)
  else if (typeof input.project === 'string') project = store.projectByFullPath(input.project)
  else throw new RecordInputError('"project" must be a project id or full path')
  if (!project) throw new RecordInputError(`no project ${String(input.project ?? '')}`.trim())
  const now = world.clock.now()
  const id = store.nextId('job')
  const ref = (input.ref as string | undefined) ?? project.defaultBranch
  const sha = Array.from({ length: 40 }, () => '0123456789abcdef'[store.random.int(16)]).join('')
  const started = status === 'running' || FINISHED.includes(status) ? (FINISHED.includes(status) ? now - 60_000 : now) : null
  const job: Job = {
    id,
    runnerId,
    runnerManagerId: null,
    projectId: project.id,
    userId: null,
    status,
    stage: (input.stage as string | undefined) ?? 'test',
    name: (input.name as string | undefined) ?? 'test',
    ref,
    tag: false,
    coverage: null,
    allowFailure: false,
    createdAt: started ?? now,
    queuedAt: started ?? now,
    startedAt: started,
    finishedAt: FINISHED.includes(status) ? now : null,
    erasedAt: null,
    failureReason: status === 'failed' ? 'script_failure' : null,
    commit: { id: sha, shortId: sha.slice(0, 8), title: 'Update .gitlab-ci.yml', message: 'Update .gitlab-ci.yml\n', authorName: 'Administrator', authorEmail: 'admin@example.com', createdAt: now - 60_000, parentIds: [] },
    pipeline: { id, iid: id, sha, ref, status, source: 'push', createdAt: started ?? now, updatedAt: now },
  }
  store.addJob(job) // indexes it under the runner and renews the runner's record
  if (status === 'running') store.updateRunner(runner, { contactedAt: now })
  return { id, runner_id: runnerId, project_id: project.id, status, ref, started_at: started === null ? null : new Date(started).toISOString() }
}
