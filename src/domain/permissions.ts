/** @module Who may do what to runners, projects and groups: one function per GitLab authorization helper, with GitLab 15.x's reasons (gitlab-behaviour.md §5). */
import { ForbiddenError, ForbiddenReason, NotFoundError } from './errors.js'
import type { Store } from './store.js'
import { AccessLevel, type Group, type Project, type Runner, type User } from './types.js'

/** The user a request acts as (after sudo), and whether it administers the instance. */
export interface Actor {
  user: User
  isAdmin: boolean
}

/**
 * A user owns a project runner through Maintainer+ on one of its projects (directly or through the
 * project's groups), and a group runner through Owner on its group or an ancestor. Nobody owns an
 * instance runner (User#ci_owned_runners).
 */
export function ownsRunner(store: Store, user: User, runner: Runner): boolean {
  if (runner.runnerType === 'project_type') {
    return runner.projectIds.some((id) => {
      const project = store.project(id)
      // Stryker disable next-line ConditionalExpression: a runner only links existing projects (invariants.ts)
      return project !== undefined && store.projectAccessLevel(user.id, project) >= AccessLevel.maintainer
    })
  }
  // Stryker disable next-line ConditionalExpression,LogicalOperator: only a group runner has a group (invariants.ts)
  if (runner.runnerType === 'group_type' && runner.groupId !== null) {
    return store.groupAccessLevel(user.id, runner.groupId) >= AccessLevel.owner
  }
  return false
}

/**
 * User#ci_available_runners (GET /runners in 18.x): the runners the user owns, plus group runners of the
 * ancestors of a group the user owns (runners the user's projects can use through group inheritance).
 */
export function runnerAvailableTo(store: Store, user: User, runner: Runner): boolean {
  if (ownsRunner(store, user, runner)) return true
  // Stryker disable next-line ConditionalExpression,LogicalOperator: only a group runner has a group (invariants.ts)
  if (runner.runnerType !== 'group_type' || runner.groupId === null) return false
  return store.groupSelfAndDescendantIds(runner.groupId).some((id) => store.groupAccessLevel(user.id, id) >= AccessLevel.owner)
}

/** GET /runners/:id: instance runners are readable by everyone signed in. */
export function authorizeReadRunner(store: Store, actor: Actor, runner: Runner): void {
  if (actor.isAdmin || runner.runnerType === 'instance_type') return
  if (!ownsRunner(store, actor.user, runner)) throw new ForbiddenError(ForbiddenReason.noAccess)
}

/** PUT /runners/:id and POST /runners/:id/reset_authentication_token. */
export function authorizeUpdateRunner(store: Store, actor: Actor, runner: Runner): void {
  if (actor.isAdmin) return
  // Nobody owns an instance runner: only admins update them.
  if (!ownsRunner(store, actor.user, runner)) throw new ForbiddenError(ForbiddenReason.noAccess)
}

/** Whether the actor may update the runner (18.x shows maintenance_note only then): admins, and owners (nobody owns an instance runner). */
export function mayUpdateRunner(store: Store, actor: Actor, runner: Runner): boolean {
  return actor.isAdmin || ownsRunner(store, actor.user, runner)
}

/** DELETE /runners/:id: the multi-project refusal comes before ownership. */
export function authorizeDeleteRunner(store: Store, actor: Actor, runner: Runner): void {
  if (actor.isAdmin) return
  if (runner.projectIds.length > 1) throw new ForbiddenError(ForbiddenReason.multipleProjects)
  if (!ownsRunner(store, actor.user, runner)) throw new ForbiddenError(ForbiddenReason.noAccess)
}

/** GET /runners/:id/jobs. */
export function authorizeReadRunnerJobs(store: Store, actor: Actor, runner: Runner): void {
  authorizeUpdateRunner(store, actor, runner)
}

/** POST /projects/:id/runners: group runners refused even to admins; then lock and ownership for others. */
export function authorizeEnableRunner(store: Store, actor: Actor, runner: Runner): void {
  if (runner.runnerType === 'group_type') throw new ForbiddenError(ForbiddenReason.groupRunner)
  if (actor.isAdmin) return
  if (runner.locked) throw new ForbiddenError(ForbiddenReason.locked)
  if (!ownsRunner(store, actor.user, runner)) throw new ForbiddenError(ForbiddenReason.noAccess)
}

// ---- visibility and roles on projects and groups ------------------------------------------------

export function canSeeProject(store: Store, actor: Actor | null, project: Project): boolean {
  if (project.visibility === 'public') return true
  if (!actor) return false
  if (actor.isAdmin || project.visibility === 'internal') return true
  return store.projectAccessLevel(actor.user.id, project) > 0
}

export function canSeeGroup(store: Store, actor: Actor | null, group: Group): boolean {
  if (group.visibility === 'public') return true
  if (!actor) return false
  if (actor.isAdmin || group.visibility === 'internal') return true
  return store.hasAnyMembershipUnderGroup(actor.user.id, group.id)
}

/** Find a project by numeric id or full path, as `find_project!` does: missing or invisible → 404 Project Not Found. */
export function findVisibleProject(store: Store, actor: Actor | null, ref: string): Project {
  const project = /^\d+$/.test(ref) ? store.project(Number(ref)) : store.projectByFullPath(ref)
  if (!project || !canSeeProject(store, actor, project)) throw new NotFoundError('Project')
  return project
}

/** Find a group by numeric id or full path, as `find_group!` does: missing or invisible → 404 Group Not Found. */
export function findVisibleGroup(store: Store, actor: Actor | null, ref: string): Group {
  const group = /^\d+$/.test(ref) ? store.group(Number(ref)) : store.groupByFullPath(ref)
  if (!group || !canSeeGroup(store, actor, group)) throw new NotFoundError('Group')
  return group
}

/** `authorize! :admin_project` style checks: Maintainer+ on the project, or admin; plain 403 otherwise. */
export function authorizeProjectMaintainer(store: Store, actor: Actor, project: Project): void {
  if (actor.isAdmin) return
  if (store.projectAccessLevel(actor.user.id, project) < AccessLevel.maintainer) throw new ForbiddenError()
}

/** Group runner endpoints in 15.x need Owner on the group (or an ancestor), or admin. */
export function authorizeGroupOwner(store: Store, actor: Actor, group: Group): void {
  if (actor.isAdmin) return
  if (store.groupAccessLevel(actor.user.id, group.id) < AccessLevel.owner) throw new ForbiddenError()
}

export function authorizeAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw new ForbiddenError()
}

/** The project of `/projects/:id/runners…` (numeric id or full path): visible to the caller (else 404), who must be Maintainer+ (else 403). */
export function findMaintainedProject(store: Store, actor: Actor, ref: string): Project {
  const project = findVisibleProject(store, actor, ref)
  authorizeProjectMaintainer(store, actor, project)
  return project
}

/** The group of `/groups/:id/runners…`: visible to the caller (else 404), who must own it or an ancestor (15.x; else 403). */
export function findOwnedGroup(store: Store, actor: Actor, ref: string): Group {
  const group = findVisibleGroup(store, actor, ref)
  authorizeGroupOwner(store, actor, group)
  return group
}

/**
 * The projects and group of a runner that its details show to `actor`: admins see every linked one,
 * others only those they are a member of (projects by id).
 */
export function runnerLinksVisibleTo(store: Store, actor: Actor | null, runner: Runner): { projects: Project[]; group: Group | undefined } {
  const admin = actor?.isAdmin === true
  // Stryker disable next-line ArrayDeclaration: a runner only links existing projects (invariants.ts)
  const linkedProjects = runner.projectIds.flatMap((id) => store.project(id) ?? [])
  const projects = linkedProjects
    .filter((p) => admin || (actor !== null && store.projectAccessLevel(actor.user.id, p) > 0))
    .sort((a, b) => a.id - b.id)
  // Stryker disable next-line ConditionalExpression: no group has a null id, so the lookup finds none either way
  const linked = runner.groupId === null ? undefined : store.group(runner.groupId)
  const group = linked && (admin || (actor !== null && store.groupAccessLevel(actor.user.id, linked.id) > 0)) ? linked : undefined
  return { projects, group }
}
