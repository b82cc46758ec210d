/**
 * @module Runner managers (GitLab's `ci_runner_machines`): one per host a runner runs on, keyed by the
 * `system_id` gitlab-runner sends. Created and touched by runner-authenticated calls (verify, token reset),
 * listed by GET /runners/:id/managers (17.1+), deleted by DELETE /runners/managers (16.0+); from 17.0 the
 * runner's version details come from its most recently contacted manager (gitlab-versions.md §2.2–2.4, §3.7).
 */
import { NotFoundError } from './errors.js'
import { authorizeReadRunner, type Actor } from './permissions.js'
import { checkUnmodifiedSince, findRunner } from './runners.js'
import { ONLINE_CONTACT_TIMEOUT_MS } from './status.js'
import type { Store } from './store.js'
import { LEGACY_SYSTEM_ID, type Runner, type RunnerManager } from './types.js'

/** Ci::RunnerManager::STALE_TIMEOUT: 7 days in every version (the runner's own window changed in 17.1, this one did not). */
export const MANAGER_STALE_MS = 7 * 24 * 3_600_000

/** Ci::RunnerManager's system_xid limit. */
export const MAX_SYSTEM_ID_LENGTH = 64

export type ManagerStatus = 'online' | 'offline' | 'never_contacted' | 'stale'

/** The manager's (non-deprecated) status: stale, never_contacted, online or offline; never `paused`. */
export function managerStatus(manager: RunnerManager, now: number): ManagerStatus {
  const deadline = now - MANAGER_STALE_MS
  if (manager.createdAt <= deadline && (manager.contactedAt === null || manager.contactedAt <= deadline)) return 'stale'
  if (manager.contactedAt === null) return 'never_contacted'
  return manager.contactedAt > now - ONLINE_CONTACT_TIMEOUT_MS ? 'online' : 'offline'
}

/** `active` while a job the manager picked is running, else `idle` (18.x). */
export function managerJobExecutionStatus(store: Store, manager: RunnerManager): 'active' | 'idle' {
  return store.runnerHasJobWithStatus(manager.runnerId, 'running', manager.id) ? 'active' : 'idle'
}

/** What a runner-authenticated request tells about the host: its address and, when sent, `info`. */
export interface ManagerContact {
  systemId?: string
  ipAddress: string | null
  info?: { version?: string; revision?: string; platform?: string; architecture?: string }
}

/** Ci::Runner#ensure_manager: the runner's manager for this system id, created (never contacted) when missing. */
export function ensureManager(store: Store, runner: Runner, systemId: string): RunnerManager {
  const existing = store.managerBySystemId(runner.id, systemId)
  if (existing) return existing
  const manager: RunnerManager = {
    id: store.nextId('runnerManager'),
    runnerId: runner.id,
    systemId,
    version: null,
    revision: null,
    platform: null,
    architecture: null,
    ipAddress: null,
    contactedAt: null,
    createdAt: store.now(),
  }
  store.insertManager(manager)
  return manager
}

/**
 * What every manager-ensuring runner call does (authenticate_runner!): the manager for the request's
 * `system_id` (`<legacy>` when none is sent) is created if missing, then takes the caller's address and
 * the version details of `info`; `contacted` also makes it contact (Ci::RunnerManager#heartbeat).
 */
export function touchManager(store: Store, runner: Runner, contact: ManagerContact, contacted: boolean): RunnerManager {
  const manager = ensureManager(store, runner, contact.systemId ?? LEGACY_SYSTEM_ID)
  const changes: Partial<RunnerManager> = { ipAddress: contact.ipAddress }
  const info = contact.info ?? {}
  if (info.version !== undefined) changes.version = info.version
  if (info.revision !== undefined) changes.revision = info.revision
  if (info.platform !== undefined) changes.platform = info.platform
  if (info.architecture !== undefined) changes.architecture = info.architecture
  if (contacted) changes.contactedAt = store.now()
  return store.updateManager(manager, changes)
}

/** The manager with the latest contacted_at (never-contacted ones last; ties go to the older manager), if any. */
export function latestManager(store: Store, runnerId: number): RunnerManager | undefined {
  let best: RunnerManager | undefined
  for (const m of store.managersOf(runnerId)) {
    if (!best || (m.contactedAt !== null && (best.contactedAt === null || m.contactedAt > best.contactedAt))) best = m
  }
  return best
}

export interface VersionDetails {
  version: string | null
  revision: string | null
  platform: string | null
  architecture: string | null
}

/** RunnerDetails' version, revision, platform and architecture: the runner's own until 16.x, its latest manager's from 17.0 (null without one). */
export function runnerVersionDetails(store: Store, runner: Runner): VersionDetails {
  const source = store.profile.versionFieldsFromManager ? latestManager(store, runner.id) : runner
  return {
    version: source?.version ?? null,
    revision: source?.revision ?? null,
    platform: source?.platform ?? null,
    architecture: source?.architecture ?? null,
  }
}

/** GET /runners/:id/managers: whoever may read the runner; every manager, in id order, unpaginated. */
export function listRunnerManagers(store: Store, actor: Actor, runnerId: number): readonly RunnerManager[] {
  const runner = findRunner(store, runnerId)
  authorizeReadRunner(store, actor, runner)
  return store.managersOf(runner.id)
}

/**
 * DELETE /runners/managers (after the runner token is checked): only that manager goes, the runner stays.
 * Unknown system id → `404 Runner manager not found Not Found`; If-Unmodified-Since is checked against the
 * manager. When the last manager goes, the runner's heartbeat is cleared (contacted_at null).
 */
export function deleteManagerOfRunner(store: Store, runner: Runner, systemId: string, ifUnmodifiedSince?: number): void {
  const manager = store.managerBySystemId(runner.id, systemId)
  if (!manager) throw new NotFoundError('Runner manager not found')
  checkUnmodifiedSince(manager.createdAt, ifUnmodifiedSince)
  store.deleteManager(manager)
  if (store.managersOf(runner.id).length === 0) store.updateRunner(runner, { contactedAt: null })
}

/**
 * `version_prefix` (Ci::RunnerManager.with_version_prefix): compared component-wise on the managers'
 * versions. `15` matches `15.x.y`, `15.1` and `15.1.` match `15.1.y`, `16.1.2` matches exactly that triple
 * at the start (`16.1.24` does not). A runner without managers never matches.
 */
export function versionPrefixMatcher(prefix: string): (version: string | null) => boolean {
  let pattern = /^\d+\.\d+\.\d+/
  let wanted = prefix
  if (!/\d+\.\d+\.\d+/.test(prefix)) {
    pattern = /\d+\.\d+\.?/.test(prefix) ? /^\d+\.\d+\./ : /^\d+\./
    if (!prefix.endsWith('.')) wanted = `${prefix}.`
  }
  return (version) => version !== null && pattern.exec(version)?.[0] === wanted
}

/** The runner has a manager whose version matches the prefix. */
export function runnerMatchesVersionPrefix(store: Store, runner: Runner, matches: (version: string | null) => boolean): boolean {
  return store.managersOf(runner.id).some((m) => matches(m.version))
}
