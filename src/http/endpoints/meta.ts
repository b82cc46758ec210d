/** @module What clients call before any runner call: GET /api/v4/version (the emulated release, from the version profile) and GET /api/v4/user. */
import { USER_READ } from '../auth.js'
import { baseUrlOf, requireActor } from '../context.js'
import { defineEndpoint, type Endpoint } from '../endpoint.js'
import { currentUserEntity } from '../entities.js'

/** No response contract: only their error bodies are schema-checked. */
export const metaEndpoints: Endpoint[] = [
  defineEndpoint({
    method: 'GET',
    path: '/version',
    auth: USER_READ,
    handle: (c) => c.json({ ...c.get('world').profile.release, kas: { enabled: false, externalUrl: null, version: null }, enterprise: false }),
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
