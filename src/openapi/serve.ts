/** @module The document a running server serves: its GitLab version's operations and the control API, for the routes it registers. Loaded on the first request for it. */
import { CONTROL_OPERATIONS, CONTROL_TAG, HEALTH_TAG, PAGES_TAG } from '../control/operations.js'
import type { VersionProfile } from '../domain/profile.js'
import { apiOperations, LOOKUPS_TAG, META_TAG, RUNNERS_TAG } from './api-operations.js'
import { buildOpenApiDocument, registeredRoutes } from './document.js'
import type { Json } from './operation.js'

export const TAGS = [
  { name: RUNNERS_TAG, description: "GitLab's Runners API: runner lists, details, updates, jobs, registration and tokens" },
  { name: LOOKUPS_TAG, description: 'The neighbours clients call to find ids and paths' },
  { name: META_TAG, description: 'What clients call first' },
  { name: HEALTH_TAG, description: "GitLab's health probes" },
  {
    name: CONTROL_TAG,
    description:
      "The mock's own API under /-/mock (GitLab reserves /-/, so no project or group path collides): reset between tests, snapshots, the clock, the well-known tokens. When the server has a control token, send it in X-Mock-Control-Token.",
  },
  { name: PAGES_TAG, description: 'This description, the docs page and the inspector' },
]

export function serverDocument(profile: VersionProfile, routes: ReadonlyArray<{ method: string; path: string; handler: unknown }>): Json {
  return buildOpenApiDocument({
    gitlabVersion: profile.release.version,
    profileVersion: profile.version,
    api: apiOperations(profile.version),
    other: CONTROL_OPERATIONS,
    registered: registeredRoutes(routes),
    tags: TAGS,
  })
}
