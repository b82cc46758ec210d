/** @module Runner-side rules: registration with a registration token, verify, delete and reset by authentication token, registration-token resets, and token expiry (gitlab-behaviour.md §1.2, §4). */
import { ForbiddenError, GoneError, ValidationError } from './errors.js'
import { MAX_SYSTEM_ID_LENGTH, deleteManagerOfRunner, touchManager } from './managers.js'
import { authorizeAdmin, authorizeUpdateRunner, type Actor } from './permissions.js'
import { TokenFormat, type RandomSource } from './random.js'
import { checkUnmodifiedSince, countRecentRunners, findRunner, normalizeTags, validateRunner } from './runners.js'
import type { RegistrationOwner, Store } from './store.js'
import { EMPTY_LIST, type Group, type Project, type Runner, type RunnerAccessLevel, type RunnerType } from './types.js'

/** What a runner reports about itself in `info` (registration, and any runner-authenticated call). */
export interface RunnerInfo {
  name?: string
  version?: string
  revision?: string
  platform?: string
  architecture?: string
}

export interface RegistrationInput {
  token: string
  description?: string
  info?: RunnerInfo
  active?: boolean
  locked?: boolean
  runUntagged?: boolean
  tagList?: string[]
  accessLevel?: RunnerAccessLevel
  maximumTimeout?: number
  maintenanceNote?: string
  ipAddress: string | null
}

/** What a runner-authenticated call tells the server about the runner (Ci::Runner#heartbeat) and the host it runs on. */
export interface Contact {
  ipAddress: string | null
  info?: RunnerInfo
  /** The host's `system_id`; managers are keyed by it (none: GitLab's `<legacy>` manager). */
  systemId?: string
}

/** A token no record holds yet, from the world's seeded generator (GitLab retries until unique, too). */
export function uniqueToken(store: Store, make: (random: RandomSource) => string): string {
  for (;;) {
    const token = make(store.random)
    // Stryker disable next-line ConditionalExpression: a fresh seeded token never collides in a test-sized world
    if (!store.tokenInUse(token)) return token
  }
}

/** The runner_type enum GitLab writes in hex into partitioned tokens (`t1_` instance, `t2_` group, `t3_` project). */
const RUNNER_TYPE_ENUM: Record<RunnerType, number> = { instance_type: 1, group_type: 2, project_type: 3 }

/** Each runner type's token partition (`t1_`, `t2_`, `t3_`). */
const PARTITIONS = Object.fromEntries(Object.entries(RUNNER_TYPE_ENUM).map(([type, n]) => [type, `t${n.toString(16)}_`])) as Record<RunnerType, string>

/** Tokens of runners created with POST /user/runners start so; POST /runners/verify treats them apart (≤17.x). */
export const CREATED_RUNNER_TOKEN_PREFIX = 'glrt-'

/**
 * A new authentication token in the shape of the emulated version (gitlab-versions.md §3.9): created runners
 * `glrt-` (17.5+: `glrt-t<N>_`), registered runners 20 plain characters (17.5–17.10: `t<N>_`, 17.11+: `glrtr-`).
 */
export function newRunnerToken(store: Store, runner: Pick<Runner, 'runnerType' | 'registrationType'>): string {
  const partition = PARTITIONS[runner.runnerType]
  const { createdTokenFormat, registeredTokenFormat } = store.profile
  let prefix: string
  if (runner.registrationType === 'authenticated_user')
    prefix = createdTokenFormat === 'glrt-partitioned' ? `${CREATED_RUNNER_TOKEN_PREFIX}${partition}` : CREATED_RUNNER_TOKEN_PREFIX
  else if (registeredTokenFormat === 'plain') return uniqueToken(store, TokenFormat.runnerAuthentication)
  else prefix = registeredTokenFormat === 'partitioned' ? partition : 'glrtr-'
  return uniqueToken(store, (r) => TokenFormat.prefixedRunnerAuthentication(r, prefix))
}

type ExpiryScope = Pick<Runner, 'runnerType' | 'groupId' | 'projectIds'>

/**
 * The runner-token expiration interval (seconds) that applies, or null (Ci::Runner#compute_token_expiration).
 * Instance runners: the instance's interval. Group runners: the instance's, and those of the group and
 * its ancestors. Project runners: for each of its projects, the instance's, the project's, and those of
 * its group and ancestors. The shortest wins. Each fixture interval stands for all of GitLab's settings
 * at its level (instance: runner_/group_runner_/project_runner_token_expiration_interval; group: its own,
 * subgroup_ and project_ intervals).
 */
export function tokenExpirationInterval(store: Store, runner: ExpiryScope): number | null {
  // The shortest set interval so far (null: none set yet), taken level by level: no list of levels is made.
  let shortest: number | null = null
  const consider = (interval: number | null) => {
    // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: an interval is null or at least 1 s (fixture schema)
    if (interval !== null && interval > 0 && (shortest === null || interval < shortest)) shortest = interval
  }
  const considerGroupChain = (groupId: number) => {
    for (const g of store.groupSelfAndAncestors(groupId)) consider(g.runnerTokenExpirationInterval)
  }
  consider(store.state.settings.runnerTokenExpirationInterval)
  // Only a group runner has a group and only a project runner links projects (invariants.ts).
  // Stryker disable next-line ConditionalExpression: no group has a null id
  if (runner.groupId !== null) considerGroupChain(runner.groupId)
  for (const id of runner.projectIds) {
    const project = store.project(id)
    // Stryker disable next-line ConditionalExpression: a runner only links existing projects (invariants.ts)
    if (!project) continue
    consider(project.runnerTokenExpirationInterval)
    if (project.namespace.kind === 'group') considerGroupChain(project.namespace.id)
  }
  return shortest
}

/** token_expires_at for a token issued now: issue time + interval, else null. */
export function expiryFor(store: Store, runner: ExpiryScope): number | null {
  const interval = tokenExpirationInterval(store, runner)
  return interval === null ? null : store.now() + interval * 1000
}

const FORBIDDEN_PREFIX = '403 Forbidden - '

/** POST /runners's 403 for a token that registers nothing: `403 Forbidden` (15.11) or `… - invalid token supplied` (16.2+). */
function invalidRegistrationToken(store: Store): ForbiddenError {
  const message = store.profile.invalidRegistrationTokenMessage
  return message.startsWith(FORBIDDEN_PREFIX) ? new ForbiddenError(message.slice(FORBIDDEN_PREFIX.length)) : new ForbiddenError()
}

/**
 * Which runner a registration token registers, or a refusal: registration switched off answers 410 for
 * any non-blank token (GitLab 16+, whose service answers 410 before it looks at unknown tokens); an
 * unknown token, or a group/project token whose kind is not an allowed registrar, answers 403.
 */
function registrationOwnerOf(store: Store, token: string): RegistrationOwner {
  const { settings } = store.state
  if (!settings.allowRunnerRegistrationToken && token !== '') throw new GoneError('runner registration disallowed')
  // Stryker disable next-line ConditionalExpression,StringLiteral: no registration token is blank (fixture schema)
  const owner = token === '' ? undefined : store.registrationOwner(token)
  if (!owner || (owner.kind !== 'instance' && !settings.allowedRegistrars.includes(owner.kind))) throw invalidRegistrationToken(store)

  return owner
}

/** POST /runners: the registration token decides the runner's type and owner. */
export function registerRunner(store: Store, input: RegistrationInput): Runner {
  const owner = registrationOwnerOf(store, input.token)
  const now = store.now()
  // 17.1+ keeps only the name: version data then comes from the runner's managers.
  const info: RunnerInfo = store.profile.registrationInfo === 'all' ? (input.info ?? {}) : { name: input.info?.name }
  const runner: Runner = {
    id: 0,
    runnerType: owner.kind === 'instance' ? 'instance_type' : owner.kind === 'group' ? 'group_type' : 'project_type',
    description: input.description ?? null,
    name: info.name ?? null,
    active: input.active ?? true,
    locked: input.locked ?? false,
    runUntagged: input.runUntagged ?? true,
    tagList: normalizeTags(input.tagList ?? []),
    accessLevel: input.accessLevel ?? 'not_protected',
    maximumTimeout: input.maximumTimeout ?? null,
    maintenanceNote: input.maintenanceNote ?? null,
    ipAddress: input.ipAddress,
    version: info.version ?? null,
    revision: info.revision ?? null,
    platform: info.platform ?? null,
    architecture: info.architecture ?? null,
    // Registration is not contact: a new runner is never_contacted with `online: null`.
    contactedAt: null,
    // Stryker disable next-line StringLiteral: a placeholder, replaced once the runner is valid
    token: '',
    tokenExpiresAt: null,
    projectIds: owner.kind === 'project' ? [owner.id] : EMPTY_LIST,
    groupId: owner.kind === 'group' ? owner.id : null,
    createdAt: now,
    updatedAt: now,
    // Stryker disable next-line StringLiteral: only 'authenticated_user' is told apart (newRunnerToken); no entity shows the field
    registrationType: 'registration_token',
    creatorId: null,
  }
  validateRegistration(store, owner, runner)
  runner.id = store.nextId('runner')
  runner.token = newRunnerToken(store, runner)
  runner.tokenExpiresAt = expiryFor(store, runner)
  store.insertRunner(runner)
  return runner
}

/**
 * The save's validations, reported together as Rails does: the plan limit on the owner's link (the
 * association's errors come first) and the runner's own rules.
 */
function validateRegistration(store: Store, owner: RegistrationOwner, runner: Runner): void {
  const errors: Record<string, string[]> = { ...registrationLimitErrors(store, owner) }
  try {
    validateRunner(runner, true)
  } catch (error) {
    // Stryker disable next-line ConditionalExpression: validateRunner throws nothing else
    if (!(error instanceof ValidationError)) throw error
    for (const [key, messages] of Object.entries(error.errors)) (errors[key] ??= []).push(...messages)
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors)
}

/** Plan limits ci_registered_project_runners / ci_registered_group_runners (0 = unlimited), over recent runners. */
export function registrationLimitErrors(store: Store, owner: RegistrationOwner): Record<string, string[]> {
  // Stryker disable next-line ConditionalExpression,StringLiteral: an instance owner has no runners to count against a limit
  if (owner.kind === 'instance') return {}
  const { projectRunnerLimit, groupRunnerLimit } = store.state.settings
  const limit = owner.kind === 'project' ? projectRunnerLimit : groupRunnerLimit
  if (limit <= 0) return {}
  const count = countRecentRunners(store, owner)
  if (count < limit) return {}
  return owner.kind === 'project'
    ? { 'runner_projects.base': [`Maximum number of ci registered project runners (${limit}) exceeded`] }
    : { 'runner_namespaces.base': [`Maximum number of ci registered group runners (${limit}) exceeded`] }
}

/** The runner an authentication token belongs to. Unknown tokens and expired ones (token_expires_at in the past) get a bare 403. */
export function authenticateRunner(store: Store, token: string): Runner {
  // Stryker disable next-line ConditionalExpression,StringLiteral: no runner token is blank (fixture schema)
  const runner = token === '' ? undefined : store.runnerByToken(token)
  if (!runner || (runner.tokenExpiresAt !== null && runner.tokenExpiresAt < store.now())) throw new ForbiddenError()
  return runner
}

/**
 * A runner-authenticated call counts as contact (Ci::Runner#heartbeat): contacted_at becomes now, the
 * address is the caller's, and reported version/revision/platform/architecture are kept (not the name).
 * Heartbeats write columns directly, so updated_at does not move.
 */
function heartbeat(store: Store, runner: Runner, contact: Contact): Runner {
  const changes: Partial<Runner> = { contactedAt: store.now() }
  // Stryker disable next-line ConditionalExpression: only an in-process request has no address (GitLab always has one)
  if (contact.ipAddress) changes.ipAddress = contact.ipAddress
  const info = contact.info ?? {}
  if (info.version !== undefined) changes.version = info.version
  if (info.revision !== undefined) changes.revision = info.revision
  if (info.platform !== undefined) changes.platform = info.platform
  if (info.architecture !== undefined) changes.architecture = info.architecture
  return store.updateRunner(runner, changes)
}

/** Authenticate, then record the contact: what every runner-side call after registration starts with. */
function authenticateAndHeartbeat(store: Store, token: string, contact: Contact): Runner {
  return heartbeat(store, authenticateRunner(store, token), contact)
}

/** A manager's system id as GitLab stores it: at most 64 characters (a longer one fails the model's validation). */
function checkSystemId(contact: Contact): void {
  if (contact.systemId !== undefined && contact.systemId.length > MAX_SYSTEM_ID_LENGTH)
    throw new ValidationError({ system_xid: [`is too long (maximum is ${MAX_SYSTEM_ID_LENGTH} characters)`] })
}

/**
 * POST /runners/verify: the runner's manager for `system_id` is created or touched. Before 18.x a runner
 * created with POST /user/runners (`glrt-` token) is not contacted by verify, only by polling for jobs, so
 * it and its manager stay never_contacted; other runners, and every runner from 18.x, are contacted.
 */
export function verifyRunner(store: Store, token: string, contact: Contact): Runner {
  checkSystemId(contact)
  const runner = authenticateRunner(store, token)
  const contacted = store.profile.verifyContactsCreatedRunners || !token.startsWith(CREATED_RUNNER_TOKEN_PREFIX)
  if (contacted) heartbeat(store, runner, contact)
  touchManager(store, runner, contact, contacted)
  // Records are immutable: the heartbeat and the manager's touch each installed a newer one.
  return store.runner(runner.id) as Runner
}

/** DELETE /runners (by authentication token); honours If-Unmodified-Since like every GitLab DELETE. */
export function deleteRunnerByToken(store: Store, token: string, contact: Contact, ifUnmodifiedSince?: number): void {
  const runner = authenticateAndHeartbeat(store, token, contact)
  checkUnmodifiedSince(runner.updatedAt, ifUnmodifiedSince)
  store.deleteRunner(runner)
}

/** A new authentication token (same family: created runners keep `glrt-`) with a fresh expiry; the old token stops working at once. */
function rotate(store: Store, runner: Runner): Runner {
  const rotated = store.setRunnerToken(runner, newRunnerToken(store, runner), expiryFor(store, runner))
  return store.updateRunner(rotated, { updatedAt: store.now() })
}

/** POST /runners/reset_authentication_token (with the current token): a contact that also creates or touches the manager. */
export function resetAuthenticationTokenByToken(store: Store, token: string, contact: Contact): Runner {
  checkSystemId(contact)
  const runner = authenticateAndHeartbeat(store, token, contact)
  touchManager(store, runner, contact, true)
  return rotate(store, runner)
}

/** DELETE /runners/managers: the runner's token, then its manager for `system_id` (see deleteManagerOfRunner). */
export function deleteManagerByToken(store: Store, token: string, systemId: string, ifUnmodifiedSince?: number): void {
  deleteManagerOfRunner(store, authenticateRunner(store, token), systemId, ifUnmodifiedSince)
}

/** POST /runners/:id/reset_authentication_token (with a user token). */
export function resetAuthenticationTokenById(store: Store, actor: Actor, id: number): Runner {
  const runner = findRunner(store, id)
  authorizeUpdateRunner(store, actor, runner)
  return rotate(store, runner)
}

/** 17.0+: registration tokens cannot be reset while they are disallowed (policy update_runners_registration_token). */
function checkRegistrationTokensAllowed(store: Store): void {
  if (store.profile.registrationTokenResetNeedsAllowedTokens && !store.state.settings.allowRunnerRegistrationToken) throw new ForbiddenError()
}

/** POST /runners/reset_registration_token: admins only. */
export function resetInstanceRegistrationToken(store: Store, actor: Actor): string {
  authorizeAdmin(actor)
  checkRegistrationTokensAllowed(store)
  const token = uniqueToken(store, TokenFormat.instanceRegistration)
  store.setRegistrationToken({ kind: 'instance' }, token)
  return token
}

/** POST /projects/:id/runners/reset_registration_token (the caller was found Maintainer+ by findMaintainedProject). */
export function resetProjectRegistrationToken(store: Store, project: Project): string {
  checkRegistrationTokensAllowed(store)
  const token = uniqueToken(store, TokenFormat.namespaceRegistration)
  store.setRegistrationToken({ kind: 'project', id: project.id }, token)
  return token
}

/** POST /groups/:id/runners/reset_registration_token (the caller was found Owner by findOwnedGroup). */
export function resetGroupRegistrationToken(store: Store, group: Group): string {
  checkRegistrationTokensAllowed(store)
  const token = uniqueToken(store, TokenFormat.namespaceRegistration)
  store.setRegistrationToken({ kind: 'group', id: group.id }, token)
  return token
}
