/** @module The in-memory store: the world's state, its lookup indexes, and copies of it for reset and snapshots. */
import type { Clock } from './clock.js'
import { profileFor, type VersionProfile } from './profile.js'
import { randomSource, type RandomSource } from './random.js'
import type { Group, Job, Membership, PersonalAccessToken, Project, Runner, RunnerManager, RunnerType, User, WorldState } from './types.js'

/** What a registration token registers: an instance, group or project runner. */
export type RegistrationOwner = { kind: 'instance' } | { kind: 'group'; id: number } | { kind: 'project'; id: number }

/**
 * The world plus the indexes GitLab's finders would use. Mutations go through the methods below so
 * that indexes stay in step; rules live in the sibling modules, not here.
 */
export class Store {
  readonly random: RandomSource
  readonly #runnerByToken = new Map<string, number>()
  readonly #groupByPath = new Map<string, number>()
  readonly #projectByPath = new Map<string, number>()
  readonly #userByUsername = new Map<string, number>()
  readonly #groupMembers = new Map<number, Map<number, number>>()
  readonly #projectMembers = new Map<number, Map<number, number>>()
  readonly #groupChildren = new Map<number, number[]>()
  readonly #groupFullPath = new Map<number, string>()
  readonly #registrationOwners = new Map<string, RegistrationOwner>()
  readonly #jobsByRunner = new Map<number, number[]>()
  /** runner_type → its runners in ascending id order (a runner's type never changes). */
  readonly #runnersByType = new Map<RunnerType, Map<number, Runner>>()
  /** runner id → its managers in ascending id order (creation order). */
  readonly #managersByRunner = new Map<number, RunnerManager[]>()

  constructor(
    readonly state: WorldState,
    readonly clock: Clock,
    /** The rules of the emulated GitLab version: rules ask it, never a version number. */
    readonly profile: VersionProfile = profileFor(),
  ) {
    this.random = randomSource(state)
    for (const runner of state.runners.values()) {
      this.#runnerByToken.set(runner.token, runner.id)
      this.#runnersOfType(runner.runnerType).set(runner.id, runner)
    }
    for (const user of state.users.values()) this.#userByUsername.set(user.username.toLowerCase(), user.id)
    for (const group of state.groups.values()) {
      if (group.parentId !== null) {
        const siblings = this.#groupChildren.get(group.parentId) ?? []
        siblings.push(group.id)
        this.#groupChildren.set(group.parentId, siblings)
      }
    }
    for (const group of state.groups.values()) this.#groupByPath.set(this.groupFullPath(group).toLowerCase(), group.id)
    for (const project of state.projects.values())
      this.#projectByPath.set(this.projectFullPath(project).toLowerCase(), project.id)
    for (const m of state.memberships) this.#indexMembership(m)
    this.#registrationOwners.set(state.settings.registrationToken, { kind: 'instance' })
    for (const group of state.groups.values()) this.#registrationOwners.set(group.runnersToken, { kind: 'group', id: group.id })
    for (const project of state.projects.values()) this.#registrationOwners.set(project.runnersToken, { kind: 'project', id: project.id })
    for (const manager of state.runnerManagers.values()) this.#indexManager(manager)
    for (const job of state.jobs.values()) {
      const ids = this.#jobsByRunner.get(job.runnerId) ?? []
      ids.push(job.id)
      this.#jobsByRunner.set(job.runnerId, ids)
    }
  }

  now(): number {
    return this.clock.now()
  }

  // ---- users and tokens -------------------------------------------------------------------

  user(id: number): User | undefined {
    return this.state.users.get(id)
  }

  userByUsername(username: string): User | undefined {
    const id = this.#userByUsername.get(username.toLowerCase())
    return id === undefined ? undefined : this.state.users.get(id)
  }

  personalAccessToken(token: string): PersonalAccessToken | undefined {
    return this.state.tokens.get(token)
  }

  // ---- groups ------------------------------------------------------------------------------

  group(id: number): Group | undefined {
    return this.state.groups.get(id)
  }

  groupByFullPath(path: string): Group | undefined {
    const id = this.#groupByPath.get(path.toLowerCase())
    return id === undefined ? undefined : this.state.groups.get(id)
  }

  groupFullPath(group: Group): string {
    const cached = this.#groupFullPath.get(group.id)
    if (cached !== undefined) return cached
    const parent = group.parentId === null ? undefined : this.state.groups.get(group.parentId)
    const full = parent ? `${this.groupFullPath(parent)}/${group.path}` : group.path
    this.#groupFullPath.set(group.id, full)
    return full
  }

  groupFullName(group: Group): string {
    const parent = group.parentId === null ? undefined : this.state.groups.get(group.parentId)
    return parent ? `${this.groupFullName(parent)} / ${group.name}` : group.name
  }

  /** The group and its ancestors, nearest first. */
  groupSelfAndAncestors(groupId: number): Group[] {
    const out: Group[] = []
    let current = this.state.groups.get(groupId)
    while (current) {
      out.push(current)
      current = current.parentId === null ? undefined : this.state.groups.get(current.parentId)
    }
    return out
  }

  /** The group and every subgroup below it. */
  groupSelfAndDescendantIds(groupId: number): number[] {
    const out = [groupId]
    for (let i = 0; i < out.length; i++) out.push(...(this.#groupChildren.get(out[i] as number) ?? []))
    return out
  }

  childGroupIds(groupId: number): number[] {
    return this.#groupChildren.get(groupId) ?? []
  }

  // ---- projects ----------------------------------------------------------------------------

  project(id: number): Project | undefined {
    return this.state.projects.get(id)
  }

  projectByFullPath(path: string): Project | undefined {
    const id = this.#projectByPath.get(path.toLowerCase())
    return id === undefined ? undefined : this.state.projects.get(id)
  }

  namespaceFullPath(project: Project): string {
    if (project.namespace.kind === 'user') return this.state.users.get(project.namespace.id)?.username ?? ''
    const group = this.state.groups.get(project.namespace.id)
    return group ? this.groupFullPath(group) : ''
  }

  namespaceFullName(project: Project): string {
    if (project.namespace.kind === 'user') return this.state.users.get(project.namespace.id)?.name ?? ''
    const group = this.state.groups.get(project.namespace.id)
    return group ? this.groupFullName(group) : ''
  }

  projectFullPath(project: Project): string {
    return `${this.namespaceFullPath(project)}/${project.path}`
  }

  projectFullName(project: Project): string {
    return `${this.namespaceFullName(project)} / ${project.name}`
  }

  // ---- memberships -------------------------------------------------------------------------

  #indexMembership(m: Membership): void {
    const index = m.source === 'group' ? this.#groupMembers : this.#projectMembers
    const members = index.get(m.sourceId) ?? new Map<number, number>()
    members.set(m.userId, Math.max(members.get(m.userId) ?? 0, m.accessLevel))
    index.set(m.sourceId, members)
  }

  /** The user's own membership of a group or project (not inherited), or 0. */
  directAccessLevel(source: Membership['source'], sourceId: number, userId: number): number {
    return (source === 'group' ? this.#groupMembers : this.#projectMembers).get(sourceId)?.get(userId) ?? 0
  }

  /** Effective access in a group: the highest of its own and its ancestors' memberships. */
  groupAccessLevel(userId: number, groupId: number): number {
    let level = 0
    for (const group of this.groupSelfAndAncestors(groupId))
      level = Math.max(level, this.#groupMembers.get(group.id)?.get(userId) ?? 0)
    return level
  }

  /** Effective access in a project: direct membership, inherited group membership, or owner of the user namespace. */
  projectAccessLevel(userId: number, project: Project): number {
    let level = this.#projectMembers.get(project.id)?.get(userId) ?? 0
    if (project.namespace.kind === 'user') {
      if (project.namespace.id === userId) level = Math.max(level, 50)
    } else {
      level = Math.max(level, this.groupAccessLevel(userId, project.namespace.id))
    }
    return level
  }

  /** True when the user is a member of the group, one of its ancestors, subgroups, or their projects. */
  hasAnyMembershipUnderGroup(userId: number, groupId: number): boolean {
    if (this.groupAccessLevel(userId, groupId) > 0) return true
    const below = new Set(this.groupSelfAndDescendantIds(groupId))
    for (const id of below) if (this.#groupMembers.get(id)?.has(userId)) return true
    for (const [projectId, members] of this.#projectMembers) {
      if (!members.has(userId)) continue
      const project = this.state.projects.get(projectId)
      if (project?.namespace.kind === 'group' && below.has(project.namespace.id)) return true
    }
    return false
  }

  // ---- runners -----------------------------------------------------------------------------

  runner(id: number): Runner | undefined {
    return this.state.runners.get(id)
  }

  runnerByToken(token: string): Runner | undefined {
    const id = this.#runnerByToken.get(token)
    return id === undefined ? undefined : this.state.runners.get(id)
  }

  #runnersOfType(type: RunnerType): Map<number, Runner> {
    let runners = this.#runnersByType.get(type)
    if (!runners) this.#runnersByType.set(type, (runners = new Map()))
    return runners
  }

  /** The runners of one type in ascending id order: what a type filter walks instead of every runner. */
  runnersOfType(type: RunnerType): Iterable<Runner> {
    return this.#runnersByType.get(type)?.values() ?? []
  }

  insertRunner(runner: Runner): void {
    this.state.runners.set(runner.id, runner)
    this.#runnerByToken.set(runner.token, runner.id)
    this.#runnersOfType(runner.runnerType).set(runner.id, runner)
  }

  /** Replace a runner's authentication token; the old one stops working at once. */
  setRunnerToken(runner: Runner, token: string, expiresAt: number | null): void {
    this.#runnerByToken.delete(runner.token)
    runner.token = token
    runner.tokenExpiresAt = expiresAt
    this.#runnerByToken.set(token, runner.id)
  }

  /** Delete a runner and its managers (GitLab's foreign key cascades to ci_runner_machines). */
  deleteRunner(runner: Runner): void {
    this.state.runners.delete(runner.id)
    this.#runnerByToken.delete(runner.token)
    this.#runnersByType.get(runner.runnerType)?.delete(runner.id)
    for (const manager of this.#managersByRunner.get(runner.id) ?? []) this.state.runnerManagers.delete(manager.id)
    this.#managersByRunner.delete(runner.id)
  }

  // ---- runner managers ---------------------------------------------------------------------

  #indexManager(manager: RunnerManager): void {
    const list = this.#managersByRunner.get(manager.runnerId)
    if (list) list.push(manager)
    else this.#managersByRunner.set(manager.runnerId, [manager])
  }

  /** A runner's managers in id order (database order): empty when it has none. */
  managersOf(runnerId: number): readonly RunnerManager[] {
    return this.#managersByRunner.get(runnerId) ?? []
  }

  /** The manager of a runner with this system id (system ids are unique per runner). */
  managerBySystemId(runnerId: number, systemId: string): RunnerManager | undefined {
    return this.#managersByRunner.get(runnerId)?.find((m) => m.systemId === systemId)
  }

  insertManager(manager: RunnerManager): void {
    this.state.runnerManagers.set(manager.id, manager)
    this.#indexManager(manager)
  }

  deleteManager(manager: RunnerManager): void {
    this.state.runnerManagers.delete(manager.id)
    const list = this.#managersByRunner.get(manager.runnerId)
    if (!list) return
    const rest = list.filter((m) => m !== manager)
    if (rest.length > 0) this.#managersByRunner.set(manager.runnerId, rest)
    else this.#managersByRunner.delete(manager.runnerId)
  }

  nextId(kind: keyof WorldState['counters']): number {
    return this.state.counters[kind]++
  }

  /** Who a registration token registers runners for, if anyone. */
  registrationOwner(token: string): RegistrationOwner | undefined {
    return this.#registrationOwners.get(token)
  }

  /** Replace the registration token of the instance, a group or a project; the old one stops working at once. */
  setRegistrationToken(owner: RegistrationOwner, token: string): void {
    const { settings } = this.state
    const record = owner.kind === 'group' ? this.state.groups.get(owner.id) : owner.kind === 'project' ? this.state.projects.get(owner.id) : undefined
    if (owner.kind !== 'instance' && !record) return
    this.#registrationOwners.delete(record ? record.runnersToken : settings.registrationToken)
    if (record) record.runnersToken = token
    else settings.registrationToken = token
    this.#registrationOwners.set(token, owner)
  }

  /** Every token the world holds, for uniqueness checks. */
  tokenInUse(token: string): boolean {
    return (
      this.#runnerByToken.has(token) ||
      this.state.tokens.has(token) ||
      this.registrationOwner(token) !== undefined
    )
  }

  /** The runner's jobs in ascending id order. */
  /** Whether one of the runner's jobs has this status (no list built: runner entities ask it per item). */
  runnerHasJobWithStatus(runnerId: number, status: Job['status']): boolean {
    const ids = this.#jobsByRunner.get(runnerId)
    if (ids === undefined) return false
    for (const id of ids) if (this.state.jobs.get(id)?.status === status) return true
    return false
  }

  jobsOfRunner(runnerId: number): Job[] {
    const out: Job[] = []
    for (const id of this.#jobsByRunner.get(runnerId) ?? []) {
      const job = this.state.jobs.get(id)
      if (job) out.push(job)
    }
    return out.sort((a, b) => a.id - b.id)
  }
}

/** A deep copy of the state with every timestamp moved by `shiftMs` (0 for an exact copy, which shares the read-only jobs). */
export function copyState(state: WorldState, shiftMs = 0): WorldState {
  const t = (v: number) => v + shiftMs
  const tn = (v: number | null) => (v === null ? null : v + shiftMs)
  const mapOf = <T extends { id: number }>(src: Map<number, T>, copy: (v: T) => T) => {
    const out = new Map<number, T>()
    for (const [k, v] of src) out.set(k, copy(v))
    return out
  }
  const tokens = new Map<string, PersonalAccessToken>()
  for (const [k, v] of state.tokens) tokens.set(k, { ...v, scopes: [...v.scopes], expiresAt: tn(v.expiresAt) })
  return {
    settings: { ...state.settings, allowedRegistrars: [...state.settings.allowedRegistrars] },
    users: mapOf(state.users, (u) => ({ ...u, createdAt: t(u.createdAt) })),
    tokens,
    groups: mapOf(state.groups, (g) => ({ ...g, createdAt: t(g.createdAt) })),
    projects: mapOf(state.projects, (p) => ({
      ...p,
      namespace: { ...p.namespace },
      createdAt: t(p.createdAt),
      lastActivityAt: t(p.lastActivityAt),
    })),
    memberships: state.memberships.map((m) => ({ ...m })),
    runners: mapOf(state.runners, (r) => ({
      ...r,
      tagList: [...r.tagList],
      projectIds: [...r.projectIds],
      contactedAt: tn(r.contactedAt),
      tokenExpiresAt: tn(r.tokenExpiresAt),
      createdAt: t(r.createdAt),
      updatedAt: t(r.updatedAt),
    })),
    runnerManagers: mapOf(state.runnerManagers, (m) => ({ ...m, contactedAt: tn(m.contactedAt), createdAt: t(m.createdAt) })),
    // Jobs never change once the world is built (the API only reads them), so an exact copy (snapshot, restore,
    // the first store) shares them: at 100k runners that saves ~150 MB and most of the copy time per copy.
    jobs: shiftMs === 0 ? new Map(state.jobs) : mapOf(state.jobs, (j) => ({
      ...j,
      createdAt: t(j.createdAt),
      queuedAt: tn(j.queuedAt),
      startedAt: tn(j.startedAt),
      finishedAt: tn(j.finishedAt),
      erasedAt: tn(j.erasedAt),
      commit: j.commit ? { ...j.commit, parentIds: [...j.commit.parentIds], createdAt: t(j.commit.createdAt) } : null,
      pipeline: { ...j.pipeline, createdAt: t(j.pipeline.createdAt), updatedAt: t(j.pipeline.updatedAt) },
    })),
    counters: { ...state.counters },
    rngState: state.rngState,
  }
}
