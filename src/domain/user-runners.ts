/**
 * @module POST /user/runners: a signed-in user creates a runner the 16+ way and gets its `glrt-` token once
 * (Ci::Runners::CreateRunnerService and its per-type strategies; gitlab-versions.md §2.1). The runner exists
 * at once, never contacted and without a manager; gitlab-runner then only verifies it.
 */
import { BadRequestError, ForbiddenError, ValidationError } from './errors.js'
import type { Actor } from './permissions.js'
import { expiryFor, newRunnerToken, registrationLimitErrors } from './runner-tokens.js'
import { normalizeTags, validateRunner } from './runners.js'
import type { Store } from './store.js'
import { AccessLevel, EMPTY_LIST, type Group, type Project, type Runner, type RunnerAccessLevel, type RunnerType } from './types.js'

export interface CreateRunnerInput {
  runnerType: RunnerType
  /** group_type only (required there; the route checks presence). */
  groupId?: number
  /** project_type only. */
  projectId?: number
  description?: string
  maintenanceNote?: string
  paused?: boolean
  locked?: boolean
  accessLevel?: RunnerAccessLevel
  runUntagged?: boolean
  tagList?: string[]
  maximumTimeout?: number
}

/** The refusal of every strategy: `403 Forbidden - Insufficient permissions`. */
export const INSUFFICIENT_PERMISSIONS = 'Insufficient permissions'

type Scope = { kind: 'instance' } | { kind: 'group'; group: Group } | { kind: 'project'; project: Project }

/**
 * The strategy's scope, looked up by id without any visibility check (find_by_id): a missing or unknown
 * id is the strategy's `400 Bad request - Missing/invalid group` (or `project`), never a 404.
 */
function scopeOf(store: Store, input: CreateRunnerInput): Scope {
  if (input.runnerType === 'group_type') {
    const group = input.groupId === undefined ? undefined : store.group(input.groupId)
    if (!group) throw new BadRequestError('400 Bad request - Missing/invalid group')
    return { kind: 'group', group }
  }
  if (input.runnerType === 'project_type') {
    const project = input.projectId === undefined ? undefined : store.project(input.projectId)
    if (!project) throw new BadRequestError('400 Bad request - Missing/invalid project')
    return { kind: 'project', project }
  }
  return { kind: 'instance' }
}

/**
 * create_instance_runner (admins), create_runners on the group (Owner) or on the project (Maintainer or
 * above, as GitLab's policy checks; the docs say Owner). Non-admins are also refused when the instance's
 * valid_runner_registrars leaves out that kind. Until 16.0 the creation feature flags are off by default,
 * and the policy refuses everyone (profile.userRunnerCreation).
 */
function mayCreate(store: Store, actor: Actor, scope: Scope): boolean {
  if (!store.profile.userRunnerCreation) return false
  if (actor.isAdmin) return true
  const registrars = store.state.settings.allowedRegistrars
  if (scope.kind === 'group')
    return registrars.includes('group') && store.groupAccessLevel(actor.user.id, scope.group.id) >= AccessLevel.owner
  if (scope.kind === 'project')
    return registrars.includes('project') && store.projectAccessLevel(actor.user.id, scope.project) >= AccessLevel.maintainer
  return false
}

/** Rails' `humanize` of an error key: `tags_list` → `Tags list`, `runner_projects.base` → `Runner projects base`. */
function humanize(key: string): string {
  const text = key.replace(/\./g, ' ').replace(/_/g, ' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** Array#to_sentence: `a`, `a and b`, `a, b, and c`. */
function toSentence(items: string[]): string {
  if (items.length <= 2) return items.join(' and ')
  return `${items.slice(0, -1).join(', ')}, and ${items.at(-1)}`
}

/** The service's save errors as the endpoint answers them: `400 Bad request - <full messages as a sentence>`. */
function saveErrors(errors: Record<string, string[]>): BadRequestError {
  const messages = Object.entries(errors).flatMap(([key, list]) => list.map((m) => `${humanize(key)} ${m}`))
  return new BadRequestError(`400 Bad request - ${toSentence(messages)}`)
}

/** POST /user/runners, after parameter validation: scope lookup (400), permission (403), the model's validations (400), then the runner. */
export function createUserRunner(store: Store, actor: Actor, input: CreateRunnerInput): Runner {
  const scope = scopeOf(store, input)
  if (!mayCreate(store, actor, scope)) throw new ForbiddenError(INSUFFICIENT_PERMISSIONS)
  const now = store.now()
  const runner: Runner = {
    id: 0,
    runnerType: input.runnerType,
    description: input.description ?? null,
    name: null,
    active: !(input.paused ?? false),
    locked: input.locked ?? false,
    runUntagged: input.runUntagged ?? true,
    tagList: normalizeTags(input.tagList ?? []),
    accessLevel: input.accessLevel ?? 'not_protected',
    maximumTimeout: input.maximumTimeout ?? null,
    maintenanceNote: input.maintenanceNote ?? null,
    ipAddress: null,
    version: null,
    revision: null,
    platform: null,
    architecture: null,
    contactedAt: null,
    token: '',
    tokenExpiresAt: null,
    projectIds: scope.kind === 'project' ? [scope.project.id] : EMPTY_LIST,
    groupId: scope.kind === 'group' ? scope.group.id : null,
    createdAt: now,
    updatedAt: now,
    registrationType: 'authenticated_user',
    creatorId: actor.user.id,
  }
  const errors: Record<string, string[]> =
    scope.kind === 'instance' ? {} : registrationLimitErrors(store, scope.kind === 'group' ? { kind: 'group', id: scope.group.id } : { kind: 'project', id: scope.project.id })
  try {
    validateRunner(runner, true)
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error
    for (const [key, messages] of Object.entries(error.errors)) (errors[key] ??= []).push(...messages)
  }
  if (Object.keys(errors).length > 0) throw saveErrors(errors)
  runner.id = store.nextId('runner')
  runner.token = newRunnerToken(store, runner)
  runner.tokenExpiresAt = expiryFor(store, runner)
  store.insertRunner(runner)
  return runner
}
