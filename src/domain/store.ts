/** @module The in-memory store: the world's state, its lookup indexes, and copies of it for reset and snapshots. */
import type { Clock } from './clock.js'
import { profileFor, type VersionProfile } from './profile.js'
import { randomSource, type RandomSource } from './random.js'
import { CowMap } from './cow-map.js'
import type { IdTable } from './id-table.js'
import type { Group, Job, Membership, PersonalAccessToken, Project, Runner, RunnerManager, RunnerType, User, WorldState } from './types.js'

/** What a registration token registers: an instance, group or project runner. */
export type RegistrationOwner = { kind: 'instance' } | { kind: 'group'; id: number } | { kind: 'project'; id: number }

/**
 * The world plus the indexes GitLab's finders would use. Mutations go through the methods below so
 * that indexes stay in step; rules live in the sibling modules, not here.
 */
/** How a fork starts: the runner indexes to copy, the template records and how far this store's times are from them. */
interface ForkFrom {
  structure: number
  runnerByToken: CowMap<string, number>
  base: IdTable<Runner>
  shiftMs: number
  /** How many of the fork's runners are still the base's records (read with the shift on first read). */
  framePending: number
  /** The managers index, shared when the fork shares the manager records (no moved times). */
  managersByRunner: CowMap<number, readonly RunnerManager[]> | undefined
}

/**
 * The world plus the indexes GitLab's finders would use. Mutations go through the methods below so
 * that indexes stay in step; rules live in the sibling modules, not here.
 *
 * Copy-on-write: runner records are immutable (frozen); every write installs a new record in place of
 * the old one ({@link Store.updateRunner}), so a record's identity is its version (serializers cache by
 * it). A store made by {@link Store.fork} shares its source's records and jobs (a read-only
 * {@link JobTable}); when the fork moved the world's times (reset under real time), a record is copied
 * with the moved times the first time it is read. Users, groups, projects, tokens and memberships are
 * few and are copied whole. A template ({@link Store.template}) refuses every write.
 */
export class Store {
  readonly random: RandomSource
  readonly #runnerByToken: CowMap<string, number>
  readonly #groupByPath = new Map<string, number>()
  readonly #projectByPath = new Map<string, number>()
  readonly #userByUsername = new Map<string, number>()
  readonly #groupMembers = new Map<number, Map<number, number>>()
  readonly #projectMembers = new Map<number, Map<number, number>>()
  readonly #groupChildren = new Map<number, number[]>()
  readonly #groupFullPath = new Map<number, string>()
  readonly #registrationOwners = new Map<string, RegistrationOwner>()
  /** The records this store's times are measured from (the template's runners), and by how much they are moved. */
  readonly #base: IdTable<Runner>
  readonly #shiftMs: number
  /**
   * How many runners still hold the base's record (moved times: each is copied in frame when first read). At 0
   * every walk reads the index directly, with no per-runner check.
   */
  #framePending = 0
  /** Records this store made or copied since its last fork: frozen when it is forked, so both can share them. */
  #unfrozen: Runner[] = []
  #sealed = false
  #structure: number
  /** runner id → its managers in ascending id order (creation order). Managers are this store's own copies (see copyState). */
  /** Each runner's managers; a list is replaced, never changed in place (forks share the lists). */
  readonly #managersByRunner: CowMap<number, readonly RunnerManager[]>

  constructor(
    readonly state: WorldState,
    readonly clock: Clock,
    /** The rules of the emulated GitLab version: rules ask it, never a version number. */
    readonly profile: VersionProfile = profileFor(),
    from?: ForkFrom,
  ) {
    this.random = randomSource(state)
    this.#structure = from ? from.structure : nextStructureStamp()
    if (from) {
      this.#runnerByToken = from.runnerByToken.fork()
      this.#base = from.base
      this.#shiftMs = from.shiftMs
      this.#framePending = from.framePending
    } else {
      for (const runner of state.runners.values()) if (!Object.isFrozen(runner)) this.#unfrozen.push(runner)
      this.#runnerByToken = tokenIndex(state.runners)
      this.#base = state.runners
      this.#shiftMs = 0
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
    if (from?.managersByRunner) this.#managersByRunner = from.managersByRunner.fork()
    else {
      this.#managersByRunner = new CowMap()
      for (const manager of state.runnerManagers.values()) this.#indexManager(manager)
    }
  }

  /**
   * A store that is never served: every record frozen, every write refused. Fresh stores come from it
   * with {@link Store.fork}, in time proportional to the number of runners' index entries, not records.
   */
  static template(state: WorldState, clock: Clock, profile?: VersionProfile): Store {
    const store = new Store(state, clock, profile)
    store.#freezeRecords()
    store.#sealed = true
    return store
  }

  /**
   * The one way to make a store from another (a template, a live world, a snapshot): a copy-on-write
   * view. `shiftMs` moves every time in the copy (reset under real time keeps the records' ages); it
   * is only allowed from a store whose own times are not moved (the template).
   */
  fork(options: { clock?: Clock; shiftMs?: number } = {}): Store {
    const shiftMs = options.shiftMs ?? 0
    if (shiftMs !== 0 && this.#shiftMs !== 0) throw new Error('a store with moved times cannot be forked with another shift')
    this.#freezeRecords()
    const from: ForkFrom =
      shiftMs === 0
        ? { structure: this.#structure, runnerByToken: this.#runnerByToken, base: this.#base, shiftMs: this.#shiftMs, framePending: this.#framePending, managersByRunner: this.#managersByRunner }
        : { structure: nextStructureStamp(), runnerByToken: this.#runnerByToken, base: this.#sealed ? this.state.runners : this.state.runners.fork(), shiftMs, framePending: this.state.runners.size, managersByRunner: undefined }
    return new Store(copyState(this.state, shiftMs), options.clock ?? this.clock, this.profile, from)
  }

  /**
   * A store over `state` (this store's state after direct additions: live records) that keeps this
   * store's time frame: records shared with the template are still read with this store's shift.
   * Its indexes are built from `state`; the structure stamp is new.
   */
  rebuiltWith(state: WorldState): Store {
    this.#freezeRecords()
    const from: ForkFrom = {
      structure: nextStructureStamp(),
      runnerByToken: tokenIndex(state.runners),
      base: this.#base,
      shiftMs: this.#shiftMs,
      framePending: this.#framePending === 0 ? 0 : countShared(state.runners, this.#base),
      managersByRunner: undefined,
    }
    const store = new Store(state, this.clock, this.profile, from)
    for (const runner of state.runners.values()) if (!Object.isFrozen(runner)) store.#unfrozen.push(runner)
    return store
  }

  /** Freeze this store's own runner records (and the job table) so that forks can share them. */
  #freezeRecords(): void {
    for (const runner of this.#unfrozen) freezeRunner(runner)
    this.#unfrozen = []
    this.state.jobs.freeze()
  }

  /**
   * Count a write. `runnerId`: the write changed that runner's record (or its managers or jobs) and nothing else a
   * runner list selects by; `COUNTERS_ONLY`: it changed only the id counters; nothing: its effect is not tracked
   * (every kept selection is walked again).
   */
  #writing(runnerId?: number): void {
    if (this.#sealed) throw new Error('a template store is read-only: fork it')
    this.#writes++
    if (runnerId === COUNTERS_ONLY) return
    if (runnerId === undefined) {
      this.#runnerLog = []
      this.#runnerLogFrom = this.#writes
      return
    }
    if (this.#runnerLog.length >= 2 * RUNNER_LOG_SIZE) {
      // Full: the older half goes (lists kept before its last write are walked again).
      this.#runnerLogFrom = this.#runnerLog[RUNNER_LOG_SIZE - 2] as number
      this.#runnerLog = this.#runnerLog.slice(RUNNER_LOG_SIZE)
    }
    this.#runnerLog.push(this.#writes, runnerId)
  }

  #writes = 0
  /** [write count, runner id] pairs of the runner writes after write #runnerLogFrom (see runnersWrittenSince). */
  #runnerLog: number[] = []
  #runnerLogFrom = 0

  /**
   * The runners written (changed, added or deleted; with repeats) since the store's write count was `writes`,
   * if every write since is known to have touched only them (or only the id counters); else undefined.
   */
  runnersWrittenSince(writes: number): number[] | undefined {
    if (writes < this.#runnerLogFrom) return undefined
    const log = this.#runnerLog
    const ids: number[] = []
    for (let i = log.length - 2; i >= 0 && (log[i] as number) > writes; i -= 2) ids.push(log[i + 1] as number)
    return ids
  }

  /** How many writes this store has taken: equal counts mean the same records (what kept lists are checked against). */
  get writeCount(): number {
    return this.#writes
  }

  /**
   * Names the version of the records around runners (users, groups, projects, memberships) and their
   * times: equal stamps mean equal records, across stores too. Every write to them takes a new stamp.
   */
  get structureStamp(): number {
    return this.#structure
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
    const runner = this.state.runners.get(id)
    return runner === undefined || this.#framePending === 0 ? runner : this.#inFrame(runner)
  }

  runnerByToken(token: string): Runner | undefined {
    const id = this.#runnerByToken.get(token)
    return id === undefined ? undefined : this.runner(id)
  }

  /** Every runner in ascending id order. */
  runners(): Iterable<Runner> {
    return this.#inFrameAll()
  }

  /**
   * The runners of one type in ascending id order. A walk over every runner, records of other types passed over
   * unread (a per-type index cost every write a second map update, and seeding 100k runners ~80 ms).
   */
  runnersOfType(type: RunnerType): Iterable<Runner> {
    return this.#inFrameAll(type)
  }

  /** The store's runners (of one type only, when given) as it sees them, in ascending id order. */
  #inFrameAll(type?: RunnerType): Iterable<Runner> {
    if (this.#framePending === 0 && type === undefined) return this.state.runners.values()
    const self = this
    return (function* () {
      for (const runner of self.state.runners.values())
        if (type === undefined || runner.runnerType === type) yield self.#framePending === 0 ? runner : self.#inFrame(runner)
    })()
  }

  /** The runner as this store sees it: a template record is copied with this store's times the first time it is read. */
  #inFrame(runner: Runner): Runner {
    if (this.#base.get(runner.id) !== runner) return runner
    // A walk over a table a write copied meanwhile may meet a record this store has since moved or deleted.
    const current = this.state.runners.get(runner.id)
    if (current !== runner) return current ?? freezeRunner(shiftedRunner(runner, this.#shiftMs))
    this.#framePending--
    return this.#install(freezeRunner(shiftedRunner(runner, this.#shiftMs)))
  }

  /** Put a new version of a runner in place of the old one (same id, same order in every index). */
  #install(runner: Runner): Runner {
    if (!Object.isFrozen(runner)) this.#unfrozen.push(runner)
    this.state.runners.set(runner.id, runner)
    return runner
  }

  /** The current record of this runner, copied to be changed (then frozen and installed by the caller). */
  #draft(id: number): Runner {
    const current = this.runner(id)
    if (current === undefined) throw new Error(`runner ${id} is not in the store`)
    return copyRunner(current)
  }

  /**
   * Change a runner's stored fields (not its id, type or token: see setRunnerToken) and return the new
   * record. Every runner write goes through here or the methods below; the old record stays as it was.
   */
  updateRunner(runner: Runner, changes: Partial<Omit<Runner, 'id' | 'runnerType' | 'token'>>): Runner {
    this.#writing(runner.id)
    const next = Object.assign(this.#draft(runner.id), changes)
    if (changes.tagList) next.tagList = keptList(changes.tagList)
    if (changes.projectIds) next.projectIds = keptList(changes.projectIds)
    return this.#install(freezeRunner(next))
  }

  /** A writable record of this runner, installed unfrozen: only for tests that corrupt state on purpose. */
  ownRunner(runner: Runner): Runner {
    this.#writing(runner.id)
    const own = this.#draft(runner.id)
    own.tagList = [...own.tagList]
    own.projectIds = [...own.projectIds]
    return this.#install(own)
  }

  /** Add a new runner; the record is frozen from now on. */
  insertRunner(runner: Runner): Runner {
    this.#writing(runner.id)
    this.#runnerByToken.set(runner.token, runner.id)
    return this.#install(freezeRunner(runner))
  }

  /** Replace a runner's authentication token; the old one stops working at once. Returns the new record. */
  setRunnerToken(runner: Runner, token: string, expiresAt: number | null): Runner {
    this.#writing(runner.id)
    const next = this.#draft(runner.id)
    this.#runnerByToken.delete(next.token)
    next.token = token
    next.tokenExpiresAt = expiresAt
    this.#runnerByToken.set(token, next.id)
    return this.#install(freezeRunner(next))
  }

  /** Delete a runner and its managers (GitLab's foreign key cascades to ci_runner_machines). */
  deleteRunner(runner: Runner): void {
    this.#writing(runner.id)
    const current = this.state.runners.get(runner.id)
    if (current === undefined) return
    if (this.#framePending > 0 && this.#base.get(current.id) === current) this.#framePending--
    this.state.runners.delete(current.id)
    this.#runnerByToken.delete(current.token)
    for (const manager of this.#managersByRunner.get(current.id) ?? []) this.state.runnerManagers.delete(manager.id)
    this.#managersByRunner.delete(current.id)
  }

  /**
   * A new version of the runner's record with the same fields: what a change to something its entities
   * show but it does not hold (its managers, from 17.0 its details' version fields; its running jobs)
   * does, so that texts cached by record version are rebuilt.
   */
  touchRunner(runnerId: number): void {
    this.#writing(runnerId)
    if (this.state.runners.has(runnerId)) this.#install(freezeRunner(this.#draft(runnerId)))
  }

  // ---- runner managers ---------------------------------------------------------------------

  #indexManager(manager: RunnerManager): void {
    const list = this.#managersByRunner.get(manager.runnerId)
    this.#managersByRunner.set(manager.runnerId, list ? [...list, manager] : [manager])
  }

  /** A runner's managers in id order (database order): empty when it has none. */
  managersOf(runnerId: number): readonly RunnerManager[] {
    return this.#managersByRunner.get(runnerId) ?? []
  }

  /** The manager of a runner with this system id (system ids are unique per runner). */
  managerBySystemId(runnerId: number, systemId: string): RunnerManager | undefined {
    return this.#managersByRunner.get(runnerId)?.find((m) => m.systemId === systemId)
  }

  /** Every manager write goes through here, insertManager or deleteManager: each makes a new version of the runner's record. */
  insertManager(manager: RunnerManager): void {
    this.#writing(manager.runnerId)
    this.state.runnerManagers.set(manager.id, manager)
    this.#indexManager(manager)
    this.touchRunner(manager.runnerId)
  }

  /**
   * Change a manager's fields and renew its runner's record. Returns the new record: the old one stays as it
   * was (stores forked without moved times share their managers' records).
   */
  updateManager(manager: RunnerManager, changes: Partial<Omit<RunnerManager, 'id' | 'runnerId' | 'systemId'>>): RunnerManager {
    this.#writing(manager.runnerId)
    const next: RunnerManager = { ...manager, ...changes }
    this.state.runnerManagers.set(next.id, next)
    const list = this.#managersByRunner.get(next.runnerId)
    if (list) this.#managersByRunner.set(next.runnerId, list.map((m) => (m.id === next.id ? next : m)))
    this.touchRunner(next.runnerId)
    return next
  }

  deleteManager(manager: RunnerManager): void {
    this.#writing(manager.runnerId)
    this.state.runnerManagers.delete(manager.id)
    const list = this.#managersByRunner.get(manager.runnerId)
    if (!list) return
    const rest = list.filter((m) => m !== manager)
    if (rest.length > 0) this.#managersByRunner.set(manager.runnerId, rest)
    else this.#managersByRunner.delete(manager.runnerId)
    this.touchRunner(manager.runnerId)
  }

  nextId(kind: keyof WorldState['counters']): number {
    this.#writing(COUNTERS_ONLY)
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
    this.#writing()
    this.#structure = nextStructureStamp()
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

  /**
   * Add a job to a live world (control API): it goes to this store's own part of the job table (a new
   * part when the current one is shared with a snapshot), and the runner's record is renewed (its
   * entities show whether it runs a job).
   */
  addJob(job: Job): void {
    this.#writing(job.runnerId)
    if (this.state.jobs.frozen) this.state.jobs = this.state.jobs.fork()
    this.state.jobs.set(job.id, job)
    this.touchRunner(job.runnerId)
  }

  /** Whether one of the runner's jobs has this status (no list built: runner entities ask it per item). */
  runnerHasJobWithStatus(runnerId: number, status: Job['status'], managerId?: number): boolean {
    return this.state.jobs.runnerHasStatus(runnerId, status, managerId)
  }

  /** The runner's jobs in ascending id order, with this store's times. */
  jobsOfRunner(runnerId: number): Job[] {
    const out: Job[] = []
    for (const id of this.state.jobs.idsOfRunner(runnerId)) {
      const job = this.state.jobs.get(id, this.#shiftMs)
      if (job) out.push(job)
    }
    return out
  }

  /** Every job with this store's times, in the order they were built. */
  jobs(): Iterable<Job> {
    return this.state.jobs.values(this.#shiftMs)
  }
}

/** A write that changed only the id counters (no runner id is negative). */
const COUNTERS_ONLY = -1
/** Runner writes the log keeps (an even number: entries are pairs); when full, the older half goes. */
const RUNNER_LOG_SIZE = 256

/** How many of `runners` are `base`'s own records. */
function countShared(runners: IdTable<Runner>, base: IdTable<Runner>): number {
  let shared = 0
  for (const runner of runners.values()) if (base.get(runner.id) === runner) shared++
  return shared
}

/** Each runner's token → its id (shared by forks until one writes). */
function tokenIndex(runners: IdTable<Runner>): CowMap<string, number> {
  const byToken = new Map<string, number>()
  for (const runner of runners.values()) byToken.set(runner.token, runner.id)
  return new CowMap(byToken, true)
}

let structureStamps = 0
const nextStructureStamp = () => ++structureStamps

const shiftOrNull = (v: number | null, shiftMs: number) => (v === null ? null : v + shiftMs)

function freezeRunner(runner: Runner): Runner {
  Object.freeze(runner.tagList)
  Object.freeze(runner.projectIds)
  return Object.freeze(runner)
}

const copyRunner = (runner: Runner): Runner => shiftedRunner(runner, 0)

/**
 * A list for a new record: a frozen one as it is (a write replaces a list, never changes one), a writable one copied
 * by spreading (its owner may still hold it; slice() of a frozen array takes V8's slow path, ~50× slower on Node 20).
 */
const keptList = <T>(list: T[]): T[] => (Object.isFrozen(list) ? list : [...list])

/**
 * A writable copy with every time moved by `shiftMs` (a literal, not a spread: several times faster on frozen records),
 * keeping the record's frozen lists (keptList).
 */
function shiftedRunner(r: Runner, shiftMs: number): Runner {
  const copy: Runner = {
    id: r.id,
    runnerType: r.runnerType,
    description: r.description,
    name: r.name,
    active: r.active,
    locked: r.locked,
    runUntagged: r.runUntagged,
    tagList: keptList(r.tagList),
    accessLevel: r.accessLevel,
    maximumTimeout: r.maximumTimeout,
    maintenanceNote: r.maintenanceNote,
    ipAddress: r.ipAddress,
    version: r.version,
    revision: r.revision,
    platform: r.platform,
    architecture: r.architecture,
    contactedAt: shiftOrNull(r.contactedAt, shiftMs),
    token: r.token,
    tokenExpiresAt: shiftOrNull(r.tokenExpiresAt, shiftMs),
    projectIds: keptList(r.projectIds),
    groupId: r.groupId,
    createdAt: r.createdAt + shiftMs,
    updatedAt: r.updatedAt + shiftMs,
    registrationType: r.registrationType,
  }
  // Set after, not spread into the literal: a spread there makes V8 build the object generically.
  if (r.creatorId !== undefined) copy.creatorId = r.creatorId
  return copy
}

/**
 * The state a fork starts from: users, tokens, groups, projects, memberships and settings copied whole
 * with every time moved by `shiftMs`; runners share their records (a fork of the table: the fork copies a record
 * when it reads it moved or writes it); jobs share the read-only table (times moved when read).
 */
export function copyState(state: WorldState, shiftMs = 0): WorldState {
  const t = (v: number) => v + shiftMs
  const tn = (v: number | null) => (v === null ? null : v + shiftMs)
  const mapOf = <T extends { id: number }>(src: Iterable<[number, T]>, copy: (v: T) => T) => {
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
    runners: state.runners.fork(),
    // Manager records are never changed in place (Store#updateManager replaces them): shared unless times move.
    runnerManagers:
      shiftMs === 0 ? state.runnerManagers.fork() : new CowMap(mapOf(state.runnerManagers, (m) => ({ ...m, contactedAt: tn(m.contactedAt), createdAt: t(m.createdAt) }))),
    jobs: state.jobs.fork(),
    counters: { ...state.counters },
    rngState: state.rngState,
  }
}
