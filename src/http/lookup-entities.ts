/** @module Serializers for the lookups around the Runners API, mirroring GitLab 15.11's Entities::Project/ProjectWithAccess, Group/GroupDetail and User/UserBasic; fields the mock cannot know carry GitLab's defaults for a new record. */
import { canAdminGroup, canAdminProject, directProjectAccess, groupProjects } from '../domain/lookups.js'
import { AccessLevel, type Group, type Project, type User } from '../domain/types.js'
import { basicProjectEntity, iso, userBasicEntity, userEntity, type EntityContext } from './entities.js'

export { userBasicEntity }

/** NotificationSetting level "global", what every membership starts with. */
const NOTIFICATION_GLOBAL = 3

/** Entities::User (GET /users/:id): the public profile; `is_followed` only for a signed-in caller. */
export function userProfileEntity(user: User, ctx: EntityContext) {
  return {
    ...userEntity(user, ctx.baseUrl),
    ...(ctx.actor ? { is_followed: false } : {}),
    local_time: null,
  }
}

/** Entities::Project: BasicProjectDetails plus settings; runners_token and friends only for a caller who administers the project. */
export function projectEntity(project: Project, ctx: EntityContext, options: { adminFields?: boolean } = {}) {
  const { store, baseUrl, actor } = ctx
  const basic = basicProjectEntity(project, ctx)
  const api = `${baseUrl}/api/v4/projects/${project.id}`
  const canAdmin = canAdminProject(store, actor, project)
  const level = actor ? store.projectAccessLevel(actor.user.id, project) : 0
  const owner = project.namespace.kind === 'user' ? store.user(project.namespace.id) : undefined
  const showAdminFields = options.adminFields === true && canAdmin
  return {
    ...basic,
    _links: {
      self: api,
      issues: `${api}/issues`,
      merge_requests: `${api}/merge_requests`,
      repo_branches: `${api}/repository/branches`,
      labels: `${api}/labels`,
      events: `${api}/events`,
      members: `${api}/members`,
      cluster_agents: `${api}/cluster_agents`,
    },
    packages_enabled: true,
    empty_repo: false,
    archived: false,
    visibility: project.visibility,
    ...(owner ? { owner: userBasicEntity(owner, baseUrl) } : {}),
    resolve_outdated_diff_discussions: false,
    container_expiration_policy: {
      cadence: '1d',
      enabled: false,
      keep_n: 10,
      older_than: '90d',
      name_regex: '.*',
      name_regex_keep: null,
      next_run_at: iso(project.createdAt + 24 * 3600 * 1000),
    },
    issues_enabled: true,
    merge_requests_enabled: true,
    wiki_enabled: true,
    jobs_enabled: true,
    snippets_enabled: true,
    container_registry_enabled: true,
    service_desk_enabled: false,
    ...(actor && (actor.isAdmin || level >= AccessLevel.reporter) ? { service_desk_address: null } : {}),
    can_create_merge_request_in: actor !== null && (actor.isAdmin || level >= AccessLevel.developer),
    issues_access_level: 'enabled',
    repository_access_level: 'enabled',
    merge_requests_access_level: 'enabled',
    forking_access_level: 'enabled',
    wiki_access_level: 'enabled',
    builds_access_level: 'enabled',
    snippets_access_level: 'enabled',
    pages_access_level: project.visibility === 'public' ? 'enabled' : 'private',
    analytics_access_level: 'enabled',
    container_registry_access_level: 'enabled',
    security_and_compliance_access_level: 'private',
    releases_access_level: 'enabled',
    environments_access_level: 'enabled',
    feature_flags_access_level: 'enabled',
    infrastructure_access_level: 'enabled',
    monitor_access_level: 'enabled',
    emails_disabled: false,
    shared_runners_enabled: project.sharedRunnersEnabled,
    group_runners_enabled: project.groupRunnersEnabled,
    lfs_enabled: true,
    creator_id: owner ? owner.id : null,
    ...(canAdmin ? { import_url: null, import_type: null } : {}),
    import_status: 'none',
    ...(showAdminFields ? { import_error: null } : {}),
    open_issues_count: 0,
    ...(showAdminFields ? { runners_token: project.runnersToken } : {}),
    ci_default_git_depth: 20,
    ci_forward_deployment_enabled: true,
    ci_job_token_scope_enabled: false,
    ci_separated_caches: true,
    ci_opt_in_jwt: false,
    ci_allow_fork_pipelines_to_run_in_parent_project: true,
    public_jobs: true,
    ...(showAdminFields ? { build_git_strategy: 'fetch' } : {}),
    build_timeout: 3600,
    auto_cancel_pending_pipelines: 'enabled',
    ci_config_path: null,
    shared_with_groups: [] as unknown[],
    only_allow_merge_if_pipeline_succeeds: false,
    allow_merge_on_skipped_pipeline: null,
    restrict_user_defined_variables: false,
    request_access_enabled: true,
    only_allow_merge_if_all_discussions_are_resolved: false,
    remove_source_branch_after_merge: true,
    printing_merge_request_link_enabled: true,
    merge_method: 'merge',
    squash_option: 'default_off',
    enforce_auth_checks_on_uploads: true,
    suggestion_commit_message: null,
    merge_commit_template: null,
    squash_commit_template: null,
    issue_branch_template: null,
    auto_devops_enabled: true,
    auto_devops_deploy_strategy: 'continuous',
    autoclose_referenced_issues: true,
    ...(actor?.isAdmin ? { repository_storage: 'default' } : {}),
    keep_latest_artifact: true,
    runner_token_expiration_interval: project.runnerTokenExpirationInterval,
  }
}

/** Entities::ProjectWithAccess: the project plus the caller's own project membership and highest group membership. */
export function projectWithAccessEntity(project: Project, ctx: EntityContext, options: { adminFields?: boolean } = {}) {
  const { store, actor } = ctx
  const access = (level: number) => (level > 0 ? { access_level: level, notification_level: NOTIFICATION_GLOBAL } : null)
  const projectLevel = actor ? directProjectAccess(store, actor.user.id, project) : 0
  const groupLevel =
    actor && project.namespace.kind === 'group' ? store.groupAccessLevel(actor.user.id, project.namespace.id) : 0
  return {
    ...projectEntity(project, ctx, options),
    permissions: { project_access: access(projectLevel), group_access: access(groupLevel) },
  }
}

/** Entities::Group (GET /groups, GET /groups/:id/subgroups): BasicGroupDetails then the group settings. */
export function groupEntity(group: Group, ctx: EntityContext) {
  const { store, baseUrl } = ctx
  const fullPath = store.groupFullPath(group)
  return {
    id: group.id,
    web_url: `${baseUrl}/groups/${fullPath}`,
    name: group.name,
    path: group.path,
    description: group.description,
    visibility: group.visibility,
    share_with_group_lock: false,
    require_two_factor_authentication: false,
    two_factor_grace_period: 48,
    project_creation_level: 'developer',
    auto_devops_enabled: null,
    subgroup_creation_level: 'maintainer',
    emails_disabled: null,
    mentions_disabled: null,
    lfs_enabled: true,
    default_branch_protection: 2,
    avatar_url: null,
    request_access_enabled: true,
    full_name: store.groupFullName(group),
    full_path: fullPath,
    created_at: iso(group.createdAt),
    parent_id: group.parentId,
  }
}

/**
 * Entities::GroupDetail (GET /groups/:id): runners_token for owners and admins, the group's own
 * visible projects (full Project entities, newest first, at most 100) unless `with_projects=false`.
 */
export function groupDetailEntity(group: Group, ctx: EntityContext, options: { withProjects?: boolean } = {}) {
  const { store, actor } = ctx
  return {
    ...groupEntity(group, ctx),
    shared_with_groups: [] as unknown[],
    ...(canAdminGroup(store, actor, group) ? { runners_token: group.runnersToken } : {}),
    ...(group.parentId === null ? { prevent_sharing_groups_outside_hierarchy: false } : {}),
    ...(options.withProjects === false
      ? {}
      : { projects: groupProjects(store, actor, group).map((p) => projectEntity(p, ctx)), shared_projects: [] as unknown[] }),
  }
}
