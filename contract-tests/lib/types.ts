/** @module The contract suite's vocabulary: targets, the world a target establishes, capabilities, scenarios. */
import type { GitLabVersion } from '../../src/domain/gitlab-version.js'
import type { SchemaMode } from '../../src/validation/schemas.js'
import type { ContractClient } from './http.js'

export type TargetName = 'fake' | 'docker' | 'gitlab'

/** A running server the suite can talk to (the shape contract-tests/targets/docker.ts returns). */
export interface TargetEndpoint {
  baseUrl: string
  /** Sent as X-Mock-Control-Token to the fake's control API. */
  controlToken?: string
  stop(): Promise<void>
}

/** A target either starts, or says why it cannot run here. */
export type TargetStart = TargetEndpoint | { skip: string }

/** Preconditions a target may be unable to establish; a scenario needing a missing one is skipped with the reason. */
export type Capability =
  | 'instanceRunner' // an instance registration token is known
  | 'destructive' // instance-wide changes (resetting the instance registration token) are allowed
  | 'seededJobs' // a runner with jobs of several statuses exists
  | 'readOnlyToken' // a read_api token of the maintainer
  | 'revokedToken' // a revoked token of the maintainer
  | 'expiredToken' // an expired token of the maintainer
  | 'instanceSettings' // the suite may switch allow_runner_registration_token (setRegistrationTokensAllowed)
  | 'clock' // the suite may move the target's clock (the fake's control API)
  | 'manageRunnerToken' // a token of the maintainer with only the manage_runner scope

/**
 * What every target establishes before the scenarios run. Roles: `maintainer` maintains `project` and
 * `otherProject`; `reporter` is a reporter of `group` (so of both projects); `groupOwner` owns `group`;
 * `outsider` belongs to nothing; `admin` is an administrator.
 */
export interface ContractWorld {
  target: TargetName
  /** strict for the fake, lenient for a real GitLab. */
  mode: SchemaMode
  /** The GitLab version the target reports from GET /version (set by the suite once the world is up). */
  gitlabVersion: GitLabVersion
  /** A unique id of this run: names, descriptions and tags of everything the suite creates carry it. */
  runId: string
  tokens: {
    admin: string
    maintainer: string
    reporter: string
    outsider: string
    groupOwner: string
    maintainerReadOnly?: string
    revoked?: string
    expired?: string
    /** Only the manage_runner scope (GitLab 17.1+ knows it). */
    maintainerManageRunner?: string
  }
  group: { id: number; path: string }
  project: { id: number; path: string }
  otherProject: { id: number; path: string }
  /** Registration tokens; scenarios that reset one store the new value here. */
  registration: { project: string; group: string; instance?: string }
  /** A runner of `project` with jobs (success, failed, running, pending), when `seededJobs`. */
  jobsRunnerId?: number
  capabilities: Set<Capability>
  /** Why each missing capability is missing (printed with the skip). */
  missing: Partial<Record<Capability, string>>
  /** Switch the instance setting allow_runner_registration_token, when `instanceSettings`. */
  setRegistrationTokensAllowed?(allowed: boolean): Promise<void>
  /** Move the target's clock forward by `seconds`; the returned function puts it back. When `clock`. */
  advanceClock?(seconds: number): Promise<() => Promise<void>>
  /** Remember a runner the suite created, for clean-up. */
  track(runnerId: number): void
  teardown(): Promise<void>
}

export interface ScenarioContext {
  api: ContractClient
  world: ContractWorld
}

export interface Scenario {
  /** Unique and stable: known-differences.ts and the report refer to it. */
  id: string
  /** The documented endpoint, e.g. `GET /runners/:id`. */
  endpoint: string
  /** A behaviour sentence. */
  title: string
  requires?: Capability[]
  /** The GitLab versions the scenario describes, `[since, until)`; a target reporting another version skips it. */
  since?: GitLabVersion
  until?: GitLabVersion
  run(ctx: ScenarioContext): Promise<void>
}
