import type { CowMap } from './cow-map.js'
import type { IdTable } from './id-table.js'
import type { JobTable } from './job-table.js'

/** @module The stored facts of the fake GitLab world. Derived fields (paused, online, status, full paths) are computed elsewhere. Times are epoch milliseconds. */

/** GitLab's member access levels. */
export const AccessLevel = {
  guest: 10,
  reporter: 20,
  developer: 30,
  maintainer: 40,
  owner: 50,
} as const
export type AccessLevelName = keyof typeof AccessLevel
export type AccessLevelValue = (typeof AccessLevel)[AccessLevelName]

export type Visibility = 'private' | 'internal' | 'public'
export type RunnerType = 'instance_type' | 'group_type' | 'project_type'
export const RUNNER_TYPES: readonly RunnerType[] = ['instance_type', 'group_type', 'project_type']
export type RunnerAccessLevel = 'not_protected' | 'ref_protected'
export const RUNNER_ACCESS_LEVELS: readonly RunnerAccessLevel[] = ['not_protected', 'ref_protected']

/**
 * One frozen empty list for every record's empty tag or project list: records are frozen and a write replaces a
 * list, so they can share it (100k generated runners, or every registered instance runner, keep no list each).
 * Typed as a writable list to fit the records' types; like every record's list it throws on a write in place.
 */
export const EMPTY_LIST: never[] = Object.freeze([]) as unknown as never[]

/** Job statuses GitLab 15.x knows (app/models/concerns/ci/has_status.rb). */
export const JOB_STATUSES = [
  'created',
  'waiting_for_resource',
  'preparing',
  'pending',
  'running',
  'success',
  'failed',
  'canceled',
  'skipped',
  'manual',
  'scheduled',
] as const
export type JobStatus = (typeof JOB_STATUSES)[number]

export interface User {
  id: number
  username: string
  name: string
  email: string
  isAdmin: boolean
  state: 'active' | 'blocked'
  bio: string
  location: string
  publicEmail: string
  organization: string
  jobTitle: string
  createdAt: number
}

/** A personal access token. Only its digest matters in GitLab; the fake keeps the plain value. */
export interface PersonalAccessToken {
  token: string
  userId: number
  name: string
  scopes: string[]
  expiresAt: number | null
  revoked: boolean
}

export interface Group {
  id: number
  name: string
  path: string
  parentId: number | null
  description: string
  visibility: Visibility
  sharedRunnersEnabled: boolean
  runnersToken: string
  /** Seconds; the group's "runner token expiration interval" setting, null when unset. */
  runnerTokenExpirationInterval: number | null
  createdAt: number
}

export type Namespace = { kind: 'group'; id: number } | { kind: 'user'; id: number }

export interface Project {
  id: number
  name: string
  path: string
  namespace: Namespace
  description: string | null
  visibility: Visibility
  defaultBranch: string
  sharedRunnersEnabled: boolean
  groupRunnersEnabled: boolean
  runnersToken: string
  runnerTokenExpirationInterval: number | null
  createdAt: number
  lastActivityAt: number
}

export interface Membership {
  source: 'group' | 'project'
  sourceId: number
  userId: number
  accessLevel: AccessLevelValue
}

export interface Runner {
  id: number
  runnerType: RunnerType
  description: string | null
  name: string | null
  active: boolean
  locked: boolean
  runUntagged: boolean
  tagList: string[]
  accessLevel: RunnerAccessLevel
  maximumTimeout: number | null
  maintenanceNote: string | null
  /** The user who created the runner (POST /user/runners); null or absent for runners registered with a registration token. */
  creatorId?: number | null
  ipAddress: string | null
  version: string | null
  revision: string | null
  platform: string | null
  architecture: string | null
  contactedAt: number | null
  token: string
  tokenExpiresAt: number | null
  /** Linked projects in link order; the first is the one it was registered for. */
  projectIds: number[]
  groupId: number | null
  createdAt: number
  updatedAt: number
  /** How it came to be: registered with a registration token, or created by a user (POST /user/runners; `glrt-` tokens). */
  registrationType: RunnerRegistrationType
}

export type RunnerRegistrationType = 'registration_token' | 'authenticated_user'

/**
 * One host (runner manager, GitLab's `ci_runner_machines`) a runner runs on, keyed by the `system_id` the
 * runner sends; the runner's version details live here from 17.0 on. Heartbeats do not move `updated_at`
 * (GitLab writes them with update_columns), so the creation time is also the manager's last update.
 */
export interface RunnerManager {
  id: number
  runnerId: number
  /** `system_xid`: `s_` + 12 hex digits from gitlab-runner, `<legacy>` for runners that send none; at most 64 characters. */
  systemId: string
  version: string | null
  revision: string | null
  platform: string | null
  architecture: string | null
  ipAddress: string | null
  contactedAt: number | null
  createdAt: number
}

/** The system id GitLab gives the manager of a runner that sends no `system_id` (API::Ci::Helpers::Runner::LEGACY_SYSTEM_XID). */
export const LEGACY_SYSTEM_ID = '<legacy>'

export interface Commit {
  id: string
  shortId: string
  title: string
  message: string
  authorName: string
  authorEmail: string
  createdAt: number
  parentIds: string[]
}

export interface Pipeline {
  id: number
  iid: number
  sha: string
  ref: string
  status: JobStatus
  source: string
  createdAt: number
  updatedAt: number
}

export interface Job {
  id: number
  runnerId: number
  projectId: number
  userId: number | null
  status: JobStatus
  stage: string
  name: string
  ref: string
  tag: boolean
  coverage: number | null
  allowFailure: boolean
  createdAt: number
  queuedAt: number | null
  startedAt: number | null
  finishedAt: number | null
  erasedAt: number | null
  failureReason: string | null
  commit: Commit | null
  pipeline: Pipeline
  /** The runner manager (host) that ran it, if known (ci_runner_machine_builds). */
  runnerManagerId: number | null
}

export interface InstanceSettings {
  registrationToken: string
  /** Seconds, or null: the instance-wide runner token expiration interval. */
  runnerTokenExpirationInterval: number | null
  /** Plan limit ci_registered_project_runners (0 = unlimited). */
  projectRunnerLimit: number
  /** Plan limit ci_registered_group_runners (0 = unlimited). */
  groupRunnerLimit: number
  /** Which registration tokens may register runners ("valid_runner_registrars"). */
  allowedRegistrars: Array<'project' | 'group'>
  /**
   * The instance setting allow_runner_registration_token: false answers POST /runners with 410 (and, from
   * 17.0, the reset_registration_token endpoints with 403). Default per version: true before 17.0.
   */
  allowRunnerRegistrationToken: boolean
}

/** Id counters: the next id handed out for each kind of record. */
export interface Counters {
  user: number
  group: number
  project: number
  runner: number
  job: number
  runnerManager: number
}

/** The whole mutable world. Everything the API can read or change lives here. */
export interface WorldState {
  settings: InstanceSettings
  users: Map<number, User>
  tokens: Map<string, PersonalAccessToken>
  groups: Map<number, Group>
  projects: Map<number, Project>
  memberships: Membership[]
  /** By id, walked in ascending id order; shared with forks until written (see Store.fork). */
  runners: IdTable<Runner>
  /** Runner managers by id (ids only grow, so Map order is id order); copied whole by a fork (managers are written in place). */
  runnerManagers: CowMap<number, RunnerManager>
  /** Template jobs are read-only and shared by every fork; jobs added to a live world go to the fork's own part (see JobTable#fork). */
  jobs: JobTable
  counters: Counters
  /** State of the small seeded generator used on the request path (new tokens). */
  rngState: number
}
