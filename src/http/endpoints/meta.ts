/** @module What clients call before any runner call: GET /api/v4/version and GET /api/v4/user. */
import { USER_READ } from '../auth.js'
import { baseUrlOf, requireActor } from '../context.js'
import { defineEndpoint, type Endpoint } from '../endpoint.js'
import { currentUserEntity } from '../entities.js'

/** The GitLab release the mock imitates. */
export const GITLAB_VERSION = { version: '15.11.13', revision: 'a15ce5d1fbb' } as const

/** No response contract: only their error bodies are schema-checked. */
export const metaEndpoints: Endpoint[] = [
  defineEndpoint({
    method: 'GET',
    path: '/version',
    auth: USER_READ,
    handle: (c) => c.json({ ...GITLAB_VERSION, kas: { enabled: false, externalUrl: null, version: null }, enterprise: false }),
  }),
  /** The token's user (after sudo) as GitLab presents the current user. */
  defineEndpoint({
    method: 'GET',
    path: '/user',
    auth: USER_READ,
    handle: (c) => {
      const { user, isAdmin } = requireActor(c)
      return c.json(currentUserEntity(user, isAdmin, baseUrlOf(c)))
    },
  }),
]
