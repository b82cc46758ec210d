/** @module The fixture file format (schemas/fixture.schema.json) as TypeScript types. */
import type { AccessLevelName, JobStatus, RunnerAccessLevel, RunnerType, Visibility } from '../domain/types.js'

/** An ISO instant, `now`, or an offset such as `-5m`, `-2h`, `-30d`, `-4mo` from the moment the world is built. */
export type FixtureTime = string

export interface FixtureToken {
  token: string
  name?: string
  scopes?: string[]
  expires_at?: FixtureTime | null
  revoked?: boolean
}

export interface FixtureUser {
  id?: number
  username: string
  name?: string
  email?: string
  admin?: boolean
  state?: 'active' | 'blocked'
  bio?: string
  location?: string
  organization?: string
  job_title?: string
  public_email?: string
  created_at?: FixtureTime
  tokens?: FixtureToken[]
}

export type FixtureMembers = Record<string, AccessLevelName>

export interface FixtureGroup {
  id?: number
  full_path: string
  name?: string
  description?: string
  visibility?: Visibility
  shared_runners_enabled?: boolean
  runners_token?: string
  runner_token_expiration_interval?: number | null
  created_at?: FixtureTime
  members?: FixtureMembers
}

export interface FixtureProject {
  id?: number
  path_with_namespace: string
  name?: string
  description?: string | null
  visibility?: Visibility
  default_branch?: string
  shared_runners_enabled?: boolean
  group_runners_enabled?: boolean
  runners_token?: string
  runner_token_expiration_interval?: number | null
  created_at?: FixtureTime
  last_activity_at?: FixtureTime
  members?: FixtureMembers
}

export interface FixtureRunner {
  id?: number
  runner_type: RunnerType
  description?: string | null
  name?: string | null
  paused?: boolean
  locked?: boolean
  run_untagged?: boolean
  tag_list?: string[]
  access_level?: RunnerAccessLevel
  maximum_timeout?: number | null
  maintenance_note?: string | null
  /** Username of the runner's creator (18.x `created_by`); runners registered with a registration token have none. */
  created_by?: string
  ip_address?: string | null
  version?: string | null
  revision?: string | null
  platform?: string | null
  architecture?: string | null
  contacted_at?: FixtureTime | null
  created_at?: FixtureTime
  token?: string
  token_expires_at?: FixtureTime | null
  projects?: string[]
  group?: string
  /** The hosts it runs on (runner managers; shown from 17.1, and the source of its version details from 17.0). */
  managers?: FixtureRunnerManager[]
}

export interface FixtureRunnerManager {
  /** What gitlab-runner sends as `system_id` (`s_` + 12 hex digits); unique per runner, at most 64 characters. */
  system_id: string
  version?: string | null
  revision?: string | null
  platform?: string | null
  architecture?: string | null
  ip_address?: string | null
  contacted_at?: FixtureTime | null
  /** Default: the runner's created_at. */
  created_at?: FixtureTime
}

export interface FixtureJob {
  id?: number
  runner: number
  project: string
  user?: string | null
  status: JobStatus
  stage?: string
  name?: string
  ref?: string
  tag?: boolean
  coverage?: number | null
  allow_failure?: boolean
  failure_reason?: string | null
  created_at?: FixtureTime
  started_at?: FixtureTime | null
  finished_at?: FixtureTime | null
  sha?: string
  commit_title?: string
  /** The runner manager (by system_id, one of the runner's `managers`) that ran it. */
  system_id?: string
}

export interface FixtureGenerate {
  users?: number
  groups?: number
  projects?: number
  runners?: number
  jobs?: number
  jobs_per_runner?: number
}

export interface Fixture {
  $schema?: string
  description?: string
  settings?: {
    registration_token?: string
    runner_token_expiration_interval?: number | null
    project_runner_limit?: number
    group_runner_limit?: number
    allowed_registrars?: Array<'project' | 'group'>
    /** The instance setting; default per GitLab version (true before 17.0, false from 17.0). */
    allow_runner_registration_token?: boolean
    /** Deprecated alias of allow_runner_registration_token. */
    registration_enabled?: boolean
    /** The GitLab version to emulate (`X.Y`, 15.11–18.11) unless the gitlabVersion option or --gitlab-version says otherwise. */
    gitlab_version?: string
  }
  users?: FixtureUser[]
  groups?: FixtureGroup[]
  projects?: FixtureProject[]
  runners?: FixtureRunner[]
  jobs?: FixtureJob[]
  generate?: FixtureGenerate
}

/** One problem in a fixture: where (a JSON pointer) and why. */
export interface FixtureProblem {
  path: string
  message: string
}

/** A fixture that cannot be loaded; lists every problem found, and nothing is loaded. */
export class FixtureError extends Error {
  constructor(readonly problems: FixtureProblem[]) {
    super(`invalid fixture (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p.path || '/'}: ${p.message}`).join('\n')}`)
    this.name = 'FixtureError'
  }
}
