/** @module The library entry: createApp for in-process requests, startMockServer for a real port, the world and its types. No side effects at import. */
export { createApp, type AppOptions, type MockApp } from './app.js'
export type { LogFormat, LogLevel, LogSink } from './http/log-types.js'
export { startMockServer, type MockServer, type ServerOptions, type WorldHandle } from './server.js'
export {
  MockWorld,
  DEFAULT_FIXTURE,
  DEFAULT_SEED,
  type WellKnownTokens,
  type TokenInfo,
  type PersonalAccessTokenInfo,
  type RegistrationTokenInfo,
  type RunnerTokenInfo,
  type WorldOptions,
} from './world.js'
export { loadFixture } from './seed/load-fixture.js'
export { FixtureError, type Fixture, type FixtureProblem } from './seed/fixture-types.js'
export { CONTROL_PREFIX, CONTROL_TOKEN_HEADER } from './control/constants.js'
export { DEFAULT_GITLAB_VERSION, NEWEST_GITLAB_VERSION, OLDEST_GITLAB_VERSION, GitLabVersionError, type GitLabVersion } from './domain/gitlab-version.js'
export { profileFor, PROFILE_CHANGES, type VersionProfile } from './domain/profile.js'
export type { Runner, Job, Project, Group, User, WorldState } from './domain/types.js'
export {
  ControlClient,
  ControlApiError,
  DEFAULT_FIXTURE_NAMES,
  type ControlClientOptions,
  type DefaultFixtureTokens,
  type ClockReply,
  type WorldInfo,
  type WorldOptionsInput,
  type JournalEntry,
  type JournalReply,
  type JournalQuery,
  type VerifyInput,
  type VerifyReply,
  type FaultInput,
  type FaultReply,
  type RateLimitReply,
  type RecordsReply,
  type ContactInput,
  type JobInput,
} from './control/client.js'
export { WorldRegistry, HostedWorld, DEFAULT_WORLD } from './control/worlds.js'
export { parseRateLimit, type RateLimitSetting } from './control/rate-limit.js'
