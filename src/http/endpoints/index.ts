/**
 * @module The endpoint table: every /api/v4 operation the mock serves, in registration order (static
 * paths before `:id` ones: the first match wins). Routes, the response contracts
 * (src/validation/routes.ts) and the README's endpoint list are all derived from it.
 */
import type { Endpoint } from '../endpoint.js'
import { groupRunnerEndpoints } from './group-runners.js'
import { lookupEndpoints } from './lookups.js'
import { metaEndpoints } from './meta.js'
import { projectRunnerEndpoints } from './project-runners.js'
import { runnerIdSubresourceEndpoints, runnerManagerEndpoints } from './runner-managers.js'
import { runnerTokenEndpoints } from './runner-tokens.js'
import { runnerEndpoints } from './runners.js'
import { userRunnerEndpoints } from './user-runners.js'

/** Mounted under this prefix. */
export const API_PREFIX = '/api/v4'

export const ENDPOINTS: readonly Endpoint[] = [
  ...metaEndpoints, // GET /version, /user
  ...runnerTokenEndpoints, // POST/DELETE /runners, /runners/verify, /runners/reset_authentication_token
  ...runnerManagerEndpoints, // DELETE /runners/managers (16.0+) before DELETE /runners/:id
  ...userRunnerEndpoints, // POST /user/runners
  ...runnerEndpoints, // static /runners/all and /runners/reset_registration_token before /runners/:id
  ...runnerIdSubresourceEndpoints, // GET /runners/:id/managers (17.1+), /runners/:id/projects (18.x)
  ...projectRunnerEndpoints,
  ...groupRunnerEndpoints,
  ...lookupEndpoints, // GET /projects, /groups, /users and single records
]
