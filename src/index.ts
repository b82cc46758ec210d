/** @module The library entry: createApp for in-process requests, startMockServer for a real port, the world and its types. No side effects at import. */
export { createApp, type AppOptions, type MockApp } from './app.js'
export { startMockServer, type MockServer, type ServerOptions } from './server.js'
export { MockWorld, DEFAULT_FIXTURE, DEFAULT_SEED, type WellKnownTokens, type WorldOptions } from './world.js'
export { loadFixture } from './seed/load-fixture.js'
export { FixtureError, type Fixture, type FixtureProblem } from './seed/fixture-types.js'
export { CONTROL_PREFIX, CONTROL_TOKEN_HEADER } from './control/routes.js'
export { GITLAB_VERSION } from './http/endpoints/meta.js'
export type { Runner, Job, Project, Group, User, WorldState } from './domain/types.js'
