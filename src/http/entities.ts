/**
 * @module Serializers that mirror GitLab's API entities (lib/api/entities/ci/*): field names, order, nulls, and
 * the derived fields paused, is_shared, online and status. Fields that differ by GitLab version ask the
 * store's profile (gitlab-versions.md §4).
 */
import { managerJobExecutionStatus, managerStatus, runnerVersionDetails } from '../domain/managers.js'
import { mayUpdateRunner, runnerLinksVisibleTo, type Actor } from '../domain/permissions.js'
import { isOnline, runnerStatus } from '../domain/status.js'
import type { Store } from '../domain/store.js'
import type { Group, Job, Project, Runner, RunnerManager, User } from '../domain/types.js'

/** Where links in entities point: the mock's own origin (or the configured external URL). */
export interface EntityContext {
  store: Store
  baseUrl: string
  actor: Actor | null
}

// toISOString costs about a microsecond; the same instants (created_at, last_activity_at) are served again and again.
const isoCache = new Map<number, string>()
export const iso = (ms: number): string => {
  let text = isoCache.get(ms)
  if (text === undefined) {
    text = new Date(ms).toISOString()
    if (isoCache.size >= 50_000) isoCache.clear()
    isoCache.set(ms, text)
  }
  return text
}
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms))

/** Entities::UserBasic (GET /users items, a personal project's owner, a runner's created_by). */
export function userBasicEntity(user: User, baseUrl: string) {
  const full = userEntity(user, baseUrl)
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    state: user.state,
    avatar_url: full.avatar_url,
    web_url: full.web_url,
  }
}

/** job_execution_status (18.x): `active` while one of the runner's jobs is running, else `idle`. */
function jobExecutionStatus(runner: Runner, store: Store): 'active' | 'idle' {
  return store.runnerHasJobWithStatus(runner.id, 'running') ? 'active' : 'idle'
}

/**
 * Entities::Ci::Runner (list item; also the reply of POST /projects/:id/runners), in the emulated version's
 * field order: `ip_address` null from 17.0; from 18.0 `created_by` (only when the runner has a creator the
 * caller may see; omitted otherwise), `created_at` before `status`, and `job_execution_status` after it.
 */
export function runnerEntity(runner: Runner, ctx: EntityContext, now: number = ctx.store.now()) {
  const { profile } = ctx.store
  const ipAddress = profile.runnerIpAddress ? runner.ipAddress : null
  if (!profile.runnerAuditFields) {
    return {
      id: runner.id,
      description: runner.description,
      ip_address: ipAddress,
      active: runner.active,
      paused: !runner.active,
      is_shared: runner.runnerType === 'instance_type',
      runner_type: runner.runnerType,
      name: runner.name,
      online: isOnline(runner, now),
      status: runnerStatus(runner, now, profile.staleAfter),
    }
  }
  const entity = {
    id: runner.id,
    description: runner.description,
    ip_address: ipAddress,
    active: runner.active,
    paused: !runner.active,
    is_shared: runner.runnerType === 'instance_type',
    runner_type: runner.runnerType,
    name: runner.name,
    online: isOnline(runner, now),
  }
  const tail = {
    created_at: iso(runner.createdAt),
    status: runnerStatus(runner, now, profile.staleAfter),
    job_execution_status: jobExecutionStatus(runner, ctx.store),
  }
  // Object.assign keeps insertion order: created_by (when shown) sits between online and created_at, as GitLab exposes it.
  const creator = runner.creatorId == null || ctx.actor === null ? undefined : ctx.store.user(runner.creatorId)
  return creator ? Object.assign(entity, { created_by: userBasicEntity(creator, ctx.baseUrl) }, tail) : Object.assign(entity, tail)
}

let lastHost = { baseUrl: '', host: 'localhost' } // new URL('') throws: 'localhost', as below

function hostOf(baseUrl: string): string {
  if (baseUrl === lastHost.baseUrl) return lastHost.host
  let host: string
  try {
    host = new URL(baseUrl).host
  } catch {
    host = 'localhost'
  }
  lastHost = { baseUrl, host }
  return host
}

/** Entities::NamespaceBasic, as nested in project entities. */
export function namespaceEntity(project: Project, ctx: EntityContext) {
  const { store, baseUrl } = ctx
  if (project.namespace.kind === 'user') {
    const user = store.user(project.namespace.id)
    return {
      id: project.namespace.id,
      name: user?.name ?? '',
      path: user?.username ?? '',
      kind: 'user',
      full_path: user?.username ?? '',
      parent_id: null,
      avatar_url: null,
      web_url: `${baseUrl}/${user?.username ?? ''}`,
    }
  }
  const group = store.group(project.namespace.id) as Group
  return {
    id: group.id,
    name: group.name,
    path: group.path,
    kind: 'group',
    full_path: store.groupFullPath(group),
    parent_id: group.parentId,
    avatar_url: null,
    web_url: `${baseUrl}/groups/${store.groupFullPath(group)}`,
  }
}

/** Entities::ProjectIdentity (the `project` of a runner's job; the first fields of BasicProjectDetails). */
export function projectIdentityEntity(project: Project, store: Store) {
  return {
    id: project.id,
    description: project.description,
    name: project.name,
    name_with_namespace: store.projectFullName(project),
    path: project.path,
    path_with_namespace: store.projectFullPath(project),
    created_at: iso(project.createdAt),
  }
}

/** Entities::BasicProjectDetails (RunnerDetails#projects, GET /projects?simple=true): ProjectIdentity and more. */
export function basicProjectEntity(project: Project, ctx: EntityContext) {
  const { store, baseUrl } = ctx
  const identity = projectIdentityEntity(project, store)
  const fullPath = identity.path_with_namespace
  return Object.assign(identity, {
    default_branch: project.defaultBranch,
    tag_list: [] as string[],
    topics: [] as string[],
    ssh_url_to_repo: `git@${hostOf(baseUrl).split(':')[0]}:${fullPath}.git`,
    http_url_to_repo: `${baseUrl}/${fullPath}.git`,
    web_url: `${baseUrl}/${fullPath}`,
    readme_url: null,
    forks_count: 0,
    avatar_url: null,
    star_count: 0,
    last_activity_at: iso(project.lastActivityAt),
    namespace: namespaceEntity(project, ctx),
  })
}

/**
 * Entities::Ci::RunnerDetails up to its links: the fields a write to the runner's own record changes
 * (what runnerDetailsText serializes per record; the links are shared between records).
 */
export function runnerDetailsHead(runner: Runner, ctx: EntityContext) {
  const { store, actor } = ctx
  // The runner's own until 16.x, its most recently contacted manager's from 17.0.
  const { version, revision, platform, architecture } = runnerVersionDetails(store, runner)
  // Object.assign, not `{ ...runnerEntity(), more }`: on Node 20's V8 that spread-then-add form costs ~50 µs a call.
  const details = Object.assign(runnerEntity(runner, ctx, store.now()), {
    tag_list: [...runner.tagList],
    run_untagged: runner.runUntagged,
    locked: runner.locked,
    maximum_timeout: runner.maximumTimeout,
    access_level: runner.accessLevel,
    version,
    revision,
    platform,
    architecture,
    contacted_at: isoOrNull(runner.contactedAt),
  })
  const { profile } = store
  // maintenance_note (16.10+) sits between contacted_at and projects; 18.x shows it only to callers who may update the runner.
  if (profile.maintenanceNote)
    Object.assign(details, {
      maintenance_note: !profile.maintenanceNoteOnlyForUpdaters || (actor !== null && mayUpdateRunner(store, actor, runner)) ? runner.maintenanceNote : null,
    })
  return details
}

/**
 * The last fields of RunnerDetails: the linked `projects` and `groups` the viewer may see (runnerLinksVisibleTo).
 * They depend on the runner's links, not on its other fields.
 */
export function runnerDetailsLinks(runner: Runner, ctx: EntityContext, options: { includeProjects?: boolean } = {}) {
  const { store, actor, baseUrl } = ctx
  const { projects, group } = runnerLinksVisibleTo(store, actor, runner)
  const groups = group ? [{ id: group.id, web_url: `${baseUrl}/groups/${store.groupFullPath(group)}`, name: group.name }] : []
  // 18.6+: GET /runners/:id?include_projects=false omits `projects` (the parameter does not exist before).
  return options.includeProjects !== false ? { projects: projects.map((p) => basicProjectEntity(p, ctx)), groups } : { groups }
}

/** Entities::Ci::RunnerDetails: its head, then its links. */
export function runnerDetailsEntity(runner: Runner, ctx: EntityContext, options: { includeProjects?: boolean } = {}) {
  return Object.assign(runnerDetailsHead(runner, ctx), runnerDetailsLinks(runner, ctx, options))
}

/** Entities::User, as embedded in a job (profile fields GitLab shows for a public profile). */
export function userEntity(user: User, baseUrl: string) {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    state: user.state,
    avatar_url: `https://www.gravatar.com/avatar/${user.id.toString(16).padStart(32, '0')}?s=80&d=identicon`,
    web_url: `${baseUrl}/${user.username}`,
    created_at: iso(user.createdAt),
    bio: user.bio,
    location: user.location,
    public_email: user.publicEmail,
    skype: '',
    linkedin: '',
    twitter: '',
    website_url: '',
    organization: user.organization,
    job_title: user.jobTitle,
    pronouns: null,
    bot: false,
    work_information: null,
    followers: 0,
    following: 0,
  }
}

/** Entities::UserPublic for the current user (GET /user); UserWithAdmin adds is_admin and note for admins. */
export function currentUserEntity(user: User, isAdmin: boolean, baseUrl: string) {
  const body = Object.assign(userEntity(user, baseUrl), {
    local_time: null,
    last_sign_in_at: iso(user.createdAt),
    confirmed_at: iso(user.createdAt),
    last_activity_on: iso(user.createdAt).slice(0, 10),
    email: user.email,
    theme_id: 1,
    color_scheme_id: 1,
    projects_limit: 100000,
    current_sign_in_at: iso(user.createdAt),
    identities: [] as unknown[],
    can_create_group: true,
    can_create_project: true,
    two_factor_enabled: false,
    external: false,
    private_profile: false,
    commit_email: user.email,
  })
  return isAdmin ? Object.assign(body, { is_admin: true, note: null }) : body
}

/** Entities::Ci::JobBasicWithProject (GET /runners/:id/jobs). `failure_reason` only on failed jobs. */
export function jobEntity(job: Job, ctx: EntityContext) {
  const { store, baseUrl } = ctx
  const project = store.project(job.projectId)
  const projectPath = project ? store.projectFullPath(project) : ''
  const user = job.userId === null ? undefined : store.user(job.userId)
  const seconds = (from: number | null, to: number | null) => (from === null || to === null ? null : (to - from) / 1000)
  const now = store.now()
  return {
    id: job.id,
    status: job.status,
    stage: job.stage,
    name: job.name,
    ref: job.ref,
    tag: job.tag,
    coverage: job.coverage,
    allow_failure: job.allowFailure,
    created_at: iso(job.createdAt),
    started_at: isoOrNull(job.startedAt),
    finished_at: isoOrNull(job.finishedAt),
    erased_at: isoOrNull(job.erasedAt),
    duration: job.startedAt === null ? null : seconds(job.startedAt, job.finishedAt ?? now),
    queued_duration: seconds(job.queuedAt, job.startedAt ?? (job.status === 'pending' ? now : null)),
    user: user ? userEntity(user, baseUrl) : null,
    commit: job.commit
      ? {
          id: job.commit.id,
          short_id: job.commit.shortId,
          created_at: iso(job.commit.createdAt),
          parent_ids: [...job.commit.parentIds],
          title: job.commit.title,
          message: job.commit.message,
          author_name: job.commit.authorName,
          author_email: job.commit.authorEmail,
          authored_date: iso(job.commit.createdAt),
          committer_name: job.commit.authorName,
          committer_email: job.commit.authorEmail,
          committed_date: iso(job.commit.createdAt),
          trailers: {},
          web_url: `${baseUrl}/${projectPath}/-/commit/${job.commit.id}`,
        }
      : null,
    pipeline: {
      id: job.pipeline.id,
      iid: job.pipeline.iid,
      project_id: job.projectId,
      sha: job.pipeline.sha,
      ref: job.pipeline.ref,
      status: job.pipeline.status,
      source: job.pipeline.source,
      created_at: iso(job.pipeline.createdAt),
      updated_at: iso(job.pipeline.updatedAt),
      web_url: `${baseUrl}/${projectPath}/-/pipelines/${job.pipeline.id}`,
    },
    ...(job.status === 'failed' ? { failure_reason: job.failureReason ?? 'unknown_failure' } : {}),
    web_url: `${baseUrl}/${projectPath}/-/jobs/${job.id}`,
    project: project ? projectIdentityEntity(project, store) : null,
  }
}

/** RunnerRegistrationDetails: the reply of POST /runners and POST /runners/verify. */
export function registrationEntity(runner: Runner) {
  return { id: runner.id, token: runner.token, token_expires_at: isoOrNull(runner.tokenExpiresAt) }
}

/** ResetTokenResult for runner authentication tokens (expiry key always present). */
export function resetAuthTokenEntity(runner: Runner) {
  return { token: runner.token, token_expires_at: isoOrNull(runner.tokenExpiresAt) }
}

/**
 * Entities::Ci::RunnerManager (GET /runners/:id/managers, 17.1+): the host's own version details, address
 * and contact, its status (never `paused`), and from 18.x job_execution_status.
 */
export function runnerManagerEntity(manager: RunnerManager, store: Store) {
  const body = {
    id: manager.id,
    system_id: manager.systemId,
    version: manager.version,
    revision: manager.revision,
    platform: manager.platform,
    architecture: manager.architecture,
    created_at: iso(manager.createdAt),
    contacted_at: isoOrNull(manager.contactedAt),
    ip_address: manager.ipAddress,
    status: managerStatus(manager, store.now()),
  }
  return store.profile.runnerAuditFields ? Object.assign(body, { job_execution_status: managerJobExecutionStatus(store, manager) }) : body
}
