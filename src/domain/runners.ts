/** @module Runner rules: the lists and their filters, update, delete, enable/disable in a project, and the runner's jobs (gitlab-behaviour.md §1, §3). */
import { filterIsTimed, keptSelection } from './kept-selections.js'
import { BadRequestError, ForbiddenError, ForbiddenReason, NotFoundError, PreconditionFailedError, ValidationError } from './errors.js'
import {
  authorizeAdmin,
  canSeeProject,
  authorizeDeleteRunner,
  authorizeEnableRunner,
  authorizeReadRunner,
  authorizeReadRunnerJobs,
  authorizeUpdateRunner,
  ownsRunner,
  runnerAvailableTo,
  type Actor,
} from './permissions.js'
import { runnerMatchesVersionPrefix, versionPrefixMatcher } from './managers.js'
import { STATUS_FILTERS, matchesStatus, staleDeadline, type StaleWindow, type StatusFilter } from './status.js'
import type { Store } from './store.js'
import { TagLists } from './tag-lists.js'
import { AccessLevel, RUNNER_TYPES, type Group, type Job, type JobStatus, type Project, type Runner, type RunnerAccessLevel, type RunnerType } from './types.js'

/** Every value the deprecated `scope` knows; which of them a list accepts at runtime differs by endpoint. */
export const ALL_SCOPES = ['specific', 'shared', 'instance_type', 'group_type', 'project_type', 'active', 'paused', 'online', 'offline', 'never_contacted', 'stale'] as const
export type Scope = (typeof ALL_SCOPES)[number]
/** The scopes GET /runners allows at runtime (the status-like ones). */
export const OWNED_SCOPES: readonly Scope[] = ['active', 'paused', 'online', 'offline', 'never_contacted', 'stale']

export interface RunnerFilter {
  scope?: Scope
  type?: RunnerType
  status?: StatusFilter
  paused?: boolean
  tagList?: string[]
  /** Runners with a manager whose version starts so (16.6+; the route declares it only where the profile has it). */
  versionPrefix?: string
}

function matchesScope(runner: Runner, scope: Scope, now: number, window: StaleWindow): boolean {
  switch (scope) {
    case 'specific':
      return runner.runnerType !== 'instance_type'
    case 'shared':
      return runner.runnerType === 'instance_type'
    case 'instance_type':
    case 'group_type':
    case 'project_type':
      return runner.runnerType === scope
    default:
      return matchesStatus(runner, scope, now, window)
  }
}

/** The parsed value as the constant itself: V8 then compares it with each runner's by pointer, not by content (100k runners). */
function constantOf<T extends string>(values: readonly T[], value: T | undefined): T | undefined {
  // Stryker disable next-line all: an equal string either way; only the comparison speed differs
  return value === undefined ? undefined : (values.find((v) => v === value) ?? value)
}

/** Filters are ANDed in GitLab's order: scope, type, status, paused, version_prefix (needs the store), tag_list (all tags, case-sensitive). `stale` uses the profile's window. */
export function runnerMatcher(filter: RunnerFilter, now: number, window: StaleWindow, store?: Store): (runner: Runner) => boolean {
  const scope = constantOf(ALL_SCOPES, filter.scope)
  const type = constantOf(RUNNER_TYPES, filter.type)
  const status = constantOf(STATUS_FILTERS, filter.status)
  const { paused, tagList } = filter
  // Stryker disable next-line ConditionalExpression,EqualityOperator: an empty tag list matches every runner either way
  const tags = tagList && tagList.length > 0 ? tagList : undefined
  const version = filter.versionPrefix !== undefined && store ? versionPrefixMatcher(filter.versionPrefix) : undefined
  return (runner) =>
    (scope === undefined || matchesScope(runner, scope, now, window)) &&
    // Stryker disable next-line ConditionalExpression: the lists walk only the runners of that type (selectRunners)
    (type === undefined || runner.runnerType === type) &&
    (status === undefined || matchesStatus(runner, status, now, window)) &&
    (paused === undefined || runner.active === !paused) &&
    (version === undefined || runnerMatchesVersionPrefix(store as Store, runner, version)) &&
    (tags === undefined || tags.every((t) => runner.tagList.includes(t)))
}

/** Runtime scope check: a known scope the endpoint does not allow → `{"message":"Scope contains invalid value"}`. */
export function checkScope(scope: Scope | undefined, allowed: readonly Scope[]): void {
  if (scope !== undefined && !allowed.includes(scope)) throw new BadRequestError('Scope contains invalid value')
}

/**
 * Runners in ascending id order that pass `keep` (the store's runners table walks in id order). With a `type` filter
 * only that type's runners are walked (`keep` must still check everything else). The array is the store's kept
 * list (every list below returns one): read it, and only before the store's next write, which may mend it in place.
 */
function selectRunners(store: Store, keep: (runner: Runner) => boolean, filter: RunnerFilter, key: string): Runner[] {
  // Kept between requests (src/domain/kept-selections.ts): `key` names the list and the filter; statuses and scopes change with time.
  return keptSelection(store, `${key}\n${JSON.stringify(filter)}`, filterIsTimed(filter), filter.type, keep)
}

/** GET /runners: the runners the user owns, or (18.x) the runners available to them (admins are not special here). */
export function listOwnedRunners(store: Store, actor: Actor, filter: RunnerFilter): Runner[] {
  checkScope(filter.scope, OWNED_SCOPES)
  const match = runnerMatcher(filter, store.now(), store.profile.staleAfter, store)
  const mine = store.profile.userRunnerList === 'available' ? runnerAvailableTo : ownsRunner
  const list = `user ${actor.user.id}` // each user's list is kept apart
  // Stryker disable next-line ConditionalExpression,StringLiteral: a fast path; nobody owns or is offered an instance runner (permissions.ts)
  return selectRunners(store, (r) => r.runnerType !== 'instance_type' && match(r) && mine(store, actor.user, r), filter, list)
}

/** GET /runners/all (admin only; the route checks it). */
export function listAllRunners(store: Store, actor: Actor, filter: RunnerFilter): Runner[] {
  authorizeAdmin(actor) // after the parameters: GitLab's admin check is in the endpoint body
  // Stryker disable next-line StringLiteral: the list's name only has to differ from the others' ('user 1', 'project 1', …)
  return selectRunners(store, runnerMatcher(filter, store.now(), store.profile.staleAfter, store), filter, 'all')
}

/** GET /projects/:id/runners: its own runners, its groups' runners (if allowed) and instance runners (if enabled). */
export function listProjectRunners(store: Store, project: Project, filter: RunnerFilter): Runner[] {
  const match = runnerMatcher(filter, store.now(), store.profile.staleAfter, store)
  const groupIds = new Set<number>()
  if (project.namespace.kind === 'group' && project.groupRunnersEnabled) for (const g of store.groupSelfAndAncestors(project.namespace.id)) groupIds.add(g.id)
  return selectRunners(store, (r) => {
    // Only a project runner links projects and only a group runner has a group (invariants.ts).
    const available =
      r.projectIds.includes(project.id) ||
      // Stryker disable next-line ConditionalExpression: `has` never finds a null group
      (r.groupId !== null && groupIds.has(r.groupId)) ||
      (r.runnerType === 'instance_type' && project.sharedRunnersEnabled)
    return available && match(r)
  }, filter, `project ${project.id}`)
}

/** GET /groups/:id/runners: runners of the group and its ancestors, plus instance runners if enabled. */
export function listGroupRunners(store: Store, group: Group, filter: RunnerFilter): Runner[] {
  const match = runnerMatcher(filter, store.now(), store.profile.staleAfter, store)
  const groupIds = new Set(store.groupSelfAndAncestors(group.id).map((g) => g.id))
  return selectRunners(store, (r) => {
    // Only a group runner has a group (invariants.ts).
    const available =
      // Stryker disable next-line ConditionalExpression: `has` never finds a null group
      (r.groupId !== null && groupIds.has(r.groupId)) ||
      (r.runnerType === 'instance_type' && group.sharedRunnersEnabled)
    return available && match(r)
  }, filter, `group ${group.id}`)
}

/** The raising finder: an unknown id (or none: a blank Integer parameter is nil) is `404 Not found`. */
export function findRunner(store: Store, id: number | undefined): Runner {
  // Stryker disable next-line ConditionalExpression: no runner has an undefined id, so the lookup finds none either way
  const runner = id === undefined ? undefined : store.runner(id)
  if (!runner) throw new NotFoundError()
  return runner
}

export function showRunner(store: Store, actor: Actor, id: number): Runner {
  const runner = findRunner(store, id)
  authorizeReadRunner(store, actor, runner)
  return runner
}

/** GitLab's `paused` parameter is the negation of `active` (the two are mutually exclusive; `paused` wins if both reach here). */
export function activeFrom(active: boolean | undefined, paused: boolean | undefined): boolean | undefined {
  return paused !== undefined ? !paused : active
}

export interface RunnerChanges {
  description?: string
  active?: boolean
  tagList?: string[]
  runUntagged?: boolean
  locked?: boolean
  accessLevel?: RunnerAccessLevel
  maximumTimeout?: number | null
  maintenanceNote?: string | null
}

export const MAX_TAGS = 50
export const MAX_MAINTENANCE_NOTE = 1024

/** What Ci::Runner's model validations read of a runner. */
export type ValidatedFields = Pick<Runner, 'tagList' | 'runUntagged' | 'maximumTimeout' | 'maintenanceNote'>

/** Ci::Runner's model validations, run over the runner as it would be after the change. */
export function validateRunner(candidate: ValidatedFields, changedTags: boolean): void {
  const errors: Record<string, string[]> = {}
  const add = (key: string, message: string) => (errors[key] ??= []).push(message)
  // 16.x/17.x spec: a change that does not touch tags succeeds even if stored tags break the limit.
  if (changedTags && candidate.tagList.length > MAX_TAGS)
    add('tags_list', `Too many tags specified. Please limit the number of tags to ${MAX_TAGS}`)
  if (candidate.tagList.length === 0 && !candidate.runUntagged)
    add('tags_list', 'can not be empty when runner is not allowed to pick untagged jobs')
  if (candidate.maximumTimeout !== null && candidate.maximumTimeout < 600)
    add('maximum_timeout', 'needs to be at least 10 minutes')
  if (candidate.maintenanceNote !== null && candidate.maintenanceNote.length > MAX_MAINTENANCE_NOTE)
    add('maintenance_note', `is too long (maximum is ${MAX_MAINTENANCE_NOTE} characters)`)
  if (Object.keys(errors).length > 0) throw new ValidationError(errors)
}

/**
 * Tags as acts-as-taggable stores them: trimmed, blanks dropped, duplicates removed, case kept. The list is
 * frozen and shared by every record with the same tags.
 */
export function normalizeTags(tags: string[]): string[] {
  const out: string[] = []
  for (const raw of tags) {
    const tag = raw.trim()
    if (tag !== '' && !out.includes(tag)) out.push(tag)
  }
  return keptTagLists.of(out)
}

/** How many distinct tag lists written through the API are kept for sharing (tags come from clients: bounded). */
export const TAG_LIST_POOL_SIZE = 1024
const keptTagLists = new TagLists(TAG_LIST_POOL_SIZE)

/** PUT /runners/:id: only the given fields change; validated as a whole, applied all at once or not at all. */
export function updateRunner(store: Store, actor: Actor, id: number, changes: RunnerChanges): Runner {
  const runner = findRunner(store, id)
  authorizeUpdateRunner(store, actor, runner)
  // The given changes (a plain loop and small literals: spreads of a frozen record are slow on Node 20's V8).
  const defined: RunnerChanges & { updatedAt?: number } = {}
  for (const key in changes) {
    const value = changes[key as keyof RunnerChanges]
    if (value !== undefined) (defined as Record<string, unknown>)[key] = value
  }
  const tagList = defined.tagList === undefined ? runner.tagList : (defined.tagList = normalizeTags(defined.tagList))
  validateRunner(
    {
      tagList,
      runUntagged: defined.runUntagged ?? runner.runUntagged,
      // Stryker disable next-line ConditionalExpression: a stored timeout is valid (fixture schema, validated writes), so checking it again finds nothing
      maximumTimeout: defined.maximumTimeout === undefined ? runner.maximumTimeout : defined.maximumTimeout,
      maintenanceNote: defined.maintenanceNote === undefined ? runner.maintenanceNote : defined.maintenanceNote,
    },
    defined.tagList !== undefined,
  )
  defined.updatedAt = store.now()
  return store.updateRunner(runner, defined)
}

/** GitLab's check_unmodified_since!: 412 when the resource changed after the header's instant (sub-second changes count). */
export function checkUnmodifiedSince(resourceUpdatedAt: number, ifUnmodifiedSince: number | undefined): void {
  // check_unmodified_since! compares updated_at (sub-second precision) with the whole-second HTTP date: strictly later → 412.
  // Stryker disable next-line ConditionalExpression: a number is never greater than undefined
  if (ifUnmodifiedSince !== undefined && resourceUpdatedAt > ifUnmodifiedSince)
    throw new PreconditionFailedError()
}

/** DELETE /runners/:id. */
export function deleteRunner(store: Store, actor: Actor, id: number, ifUnmodifiedSince?: number): void {
  const runner = findRunner(store, id)
  authorizeDeleteRunner(store, actor, runner)
  checkUnmodifiedSince(runner.updatedAt, ifUnmodifiedSince)
  store.deleteRunner(runner)
}

export interface JobQuery {
  /** Only the jobs run by this runner manager (16.8+; an unknown system id lists none). */
  systemId?: string
  status?: JobStatus
  orderBy?: 'id'
  sort?: 'asc' | 'desc'
}

/** GET /runners/:id/jobs: owners and admins; non-admins see only jobs of projects where they are Reporter+. */
export function listRunnerJobs(store: Store, actor: Actor, id: number, query: JobQuery): Job[] {
  const runner = findRunner(store, id)
  authorizeReadRunnerJobs(store, actor, runner)
  const readable = new Map<number, boolean>()
  const canRead = (projectId: number) => {
    if (actor.isAdmin) return true
    let ok = readable.get(projectId)
    // Stryker disable next-line ConditionalExpression: skipping the cache only asks again
    if (ok === undefined) {
      const project = store.project(projectId)
      // Stryker disable next-line ConditionalExpression: a job's project exists (invariants.ts)
      ok = project !== undefined && store.projectAccessLevel(actor.user.id, project) >= AccessLevel.reporter
      readable.set(projectId, ok)
    }
    return ok
  }
  const managerId = query.systemId === undefined ? undefined : (store.managerBySystemId(runner.id, query.systemId)?.id ?? null)
  const jobs = store
    .jobsOfRunner(runner.id)
    .filter(
      (job) =>
        (managerId === undefined || (managerId !== null && job.runnerManagerId === managerId)) &&
        (query.status === undefined || job.status === query.status) &&
        canRead(job.projectId),
    )
  // Without order_by the paginator orders by id ascending; with order_by=id, sort applies (default desc).
  if (query.orderBy === 'id' && (query.sort ?? 'desc') === 'desc') jobs.reverse()
  return jobs
}

/** POST /projects/:id/runners: link a project runner to one more project (Ci::Runner#assign_to). */
export function enableRunnerInProject(store: Store, actor: Actor, project: Project, runnerId: number | undefined): Runner {
  const runner = findRunner(store, runnerId)
  authorizeEnableRunner(store, actor, runner)
  // Only admins get here with an instance runner. 15.11 answers 500 (assign_to raises and nothing
  // catches it); the model's own refusal is the faithful non-500 answer.
  if (runner.runnerType === 'instance_type')
    throw new ValidationError({ assign_to: ['Transitioning an instance runner to a project runner is not supported'] })
  // The failed save leaves the association's error on the runner and assign_to adds the exception's text.
  if (runner.projectIds.includes(project.id))
    throw new ValidationError({
      'runner_projects.runner_id': ['has already been taken'],
      assign_to: ['Validation failed: Runner projects runner has already been taken'],
    })
  const limit = store.state.settings.projectRunnerLimit
  if (limit > 0 && countRecentRunners(store, { kind: 'project', id: project.id }) >= limit) {
    const message = `Maximum number of ci registered project runners (${limit}) exceeded`
    throw new ValidationError({ 'runner_projects.base': [message], assign_to: [`Validation failed: Runner projects base ${message}`] })
  }
  return store.updateRunner(runner, { projectIds: [...runner.projectIds, project.id], updatedAt: store.now() })
}

/** DELETE /projects/:id/runners/:runner_id: unlink, unless it is the runner's only project (checked before If-Unmodified-Since). */
export function disableRunnerInProject(store: Store, project: Project, runnerId: number, ifUnmodifiedSince?: number): void {
  const runner = store.runner(runnerId)
  if (!runner || !runner.projectIds.includes(project.id)) throw new NotFoundError('Runner')
  if (runner.projectIds.length === 1) throw new ForbiddenError(ForbiddenReason.onlyOneProject)
  checkUnmodifiedSince(runner.updatedAt, ifUnmodifiedSince)
  store.updateRunner(runner, { projectIds: runner.projectIds.filter((id) => id !== project.id), updatedAt: store.now() })
}

/**
 * Runners of a project (project_type, linked) or group (group_type) created or contacted within the
 * stale window (Ci::Runner.recent): what the plan limits ci_registered_project_runners and
 * ci_registered_group_runners count.
 */
export function countRecentRunners(store: Store, owner: { kind: 'project' | 'group'; id: number }): number {
  const deadline = staleDeadline(store.now(), store.profile.staleAfter)
  let count = 0
  for (const r of store.runners()) {
    // Only a project runner links projects and only a group runner has a group (invariants.ts).
    const belongs = owner.kind === 'project' ? r.projectIds.includes(owner.id) : r.groupId === owner.id
    // Ci::Runner.recent: created or contacted at or after the deadline.
    if (belongs && Math.max(r.createdAt, r.contactedAt ?? 0) >= deadline) count++
  }
  return count
}

/**
 * GET /runners/:id/projects (18.x): whoever may read the runner; its projects the caller can see
 * (ProjectsFinder: public, internal to the signed-in, private to members, all to admins), newest id first.
 */
export function listRunnerProjects(store: Store, actor: Actor, id: number): Project[] {
  const runner = findRunner(store, id)
  authorizeReadRunner(store, actor, runner)
  // Stryker disable next-line ArrayDeclaration: a runner only links existing projects (invariants.ts)
  const projects = runner.projectIds.flatMap((pid) => store.project(pid) ?? [])
  return projects
    .filter((p) => canSeeProject(store, actor, p))
    .sort((a, b) => b.id - a.id)
}
