/** @module Runner-side rules: registration with a registration token, verify, delete and reset by authentication token, registration-token resets, and token expiry (gitlab-behaviour.md §1.2). */
import { ForbiddenError, GoneError, ValidationError } from './errors.js'
import { authorizeUpdateRunner, type Actor } from './permissions.js'
import { TokenFormat } from './random.js'
import { countGroupRunners, countProjectRunners, findRunner, normalizeTags, validateRunner } from './runners.js'
import type { Store } from './store.js'
import type { Group, Project, Runner, RunnerAccessLevel } from './types.js'

export interface RegistrationInput {
  token: string
  description?: string
  info?: { name?: string; version?: string; revision?: string; platform?: string; architecture?: string }
  active?: boolean
  locked?: boolean
  runUntagged?: boolean
  tagList?: string[]
  accessLevel?: RunnerAccessLevel
  maximumTimeout?: number
  maintenanceNote?: string
  ipAddress: string | null
}

/** A token no record holds yet, from the world's seeded generator. */
function uniqueToken(store: Store, make: typeof TokenFormat.runnerAuthentication): string {
  for (;;) {
    const token = make(store.random)
    if (!store.tokenInUse(token)) return token
  }
}

/**
 * The runner-token expiration interval that applies: the instance's, those of the runner's group and
 * its ancestors (or of its projects' groups), and those of its projects; the shortest wins.
 */
export function tokenExpirationInterval(store: Store, runner: Pick<Runner, 'runnerType' | 'groupId' | 'projectIds'>): number | null {
  const intervals: Array<number | null> = [store.state.settings.runnerTokenExpirationInterval]
  const addGroupChain = (groupId: number) => {
    for (const g of store.groupSelfAndAncestors(groupId)) intervals.push(g.runnerTokenExpirationInterval)
  }
  if (runner.runnerType === 'group_type' && runner.groupId !== null) addGroupChain(runner.groupId)
  if (runner.runnerType === 'project_type') {
    for (const id of runner.projectIds) {
      const project = store.project(id)
      if (!project) continue
      intervals.push(project.runnerTokenExpirationInterval)
      if (project.namespace.kind === 'group') addGroupChain(project.namespace.id)
    }
  }
  const set = intervals.filter((v): v is number => v !== null && v > 0)
  return set.length === 0 ? null : Math.min(...set)
}

function expiryFor(store: Store, runner: Pick<Runner, 'runnerType' | 'groupId' | 'projectIds'>): number | null {
  const interval = tokenExpirationInterval(store, runner)
  return interval === null ? null : store.now() + interval * 1000
}

/** POST /runners: the registration token decides the runner's type and owner. */
export function registerRunner(store: Store, input: RegistrationInput): Runner {
  const { settings } = store.state
  const owner = store.registrationOwner(input.token)
  if (!owner) throw new ForbiddenError()
  if (owner.kind !== 'instance' && !settings.allowedRegistrars.includes(owner.kind)) throw new ForbiddenError()
  if (!settings.registrationEnabled) throw new GoneError('runner registration disallowed')
  const now = store.now()
  const info = input.info ?? {}
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
    contactedAt: null,
    token: '',
    tokenExpiresAt: null,
    projectIds: owner.kind === 'project' ? [owner.id] : [],
    groupId: owner.kind === 'group' ? owner.id : null,
    createdAt: now,
    updatedAt: now,
  }
  validateRunner(runner, true)
  checkRegistrationLimit(store, owner)
  runner.id = store.nextId('runner')
  runner.token = uniqueToken(store, TokenFormat.runnerAuthentication)
  runner.tokenExpiresAt = expiryFor(store, runner)
  store.insertRunner(runner)
  return runner
}

function checkRegistrationLimit(store: Store, owner: NonNullable<ReturnType<Store['registrationOwner']>>): void {
  const { projectRunnerLimit, groupRunnerLimit } = store.state.settings
  if (owner.kind === 'project' && projectRunnerLimit > 0 && countProjectRunners(store, owner.id) >= projectRunnerLimit)
    throw new ValidationError({
      'runner_projects.base': [`Maximum number of ci registered project runners (${projectRunnerLimit}) exceeded`],
    })
  if (owner.kind === 'group' && groupRunnerLimit > 0 && countGroupRunners(store, owner.id) >= groupRunnerLimit)
    throw new ValidationError({
      'runner_namespaces.base': [`Maximum number of ci registered group runners (${groupRunnerLimit}) exceeded`],
    })
}

/** The runner an authentication token belongs to; unknown or expired tokens are refused with a bare 403. */
export function authenticateRunner(store: Store, token: string): Runner {
  const runner = store.runnerByToken(token)
  if (!runner || (runner.tokenExpiresAt !== null && runner.tokenExpiresAt <= store.now())) throw new ForbiddenError()
  return runner
}

/** A runner-authenticated call counts as contact (heartbeat): contacted_at becomes now. */
function heartbeat(store: Store, runner: Runner, ipAddress: string | null): void {
  runner.contactedAt = store.now()
  if (ipAddress) runner.ipAddress = ipAddress
}

/** POST /runners/verify. */
export function verifyRunner(store: Store, token: string, ipAddress: string | null): Runner {
  const runner = authenticateRunner(store, token)
  heartbeat(store, runner, ipAddress)
  return runner
}

/** DELETE /runners (by authentication token). */
export function deleteRunnerByToken(store: Store, token: string): void {
  store.deleteRunner(authenticateRunner(store, token))
}

function rotate(store: Store, runner: Runner): Runner {
  store.setRunnerToken(runner, uniqueToken(store, TokenFormat.runnerAuthentication), expiryFor(store, runner))
  return runner
}

/** POST /runners/reset_authentication_token (with the current token). */
export function resetAuthenticationTokenByToken(store: Store, token: string, ipAddress: string | null): Runner {
  const runner = authenticateRunner(store, token)
  heartbeat(store, runner, ipAddress)
  return rotate(store, runner)
}

/** POST /runners/:id/reset_authentication_token (with a user token). */
export function resetAuthenticationTokenById(store: Store, actor: Actor, id: number): Runner {
  const runner = findRunner(store, id)
  authorizeUpdateRunner(store, actor, runner)
  return rotate(store, runner)
}

/** POST /runners/reset_registration_token (the route checks admin). */
export function resetInstanceRegistrationToken(store: Store): string {
  store.state.settings.registrationToken = uniqueToken(store, TokenFormat.instanceRegistration)
  return store.state.settings.registrationToken
}

export function resetProjectRegistrationToken(store: Store, project: Project): string {
  project.runnersToken = uniqueToken(store, TokenFormat.namespaceRegistration)
  return project.runnersToken
}

export function resetGroupRegistrationToken(store: Store, group: Group): string {
  group.runnersToken = uniqueToken(store, TokenFormat.namespaceRegistration)
  return group.runnersToken
}
