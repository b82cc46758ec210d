/** @module What clients call before any runner call: GET /api/v4/version and GET /api/v4/user. */
import { Hono } from 'hono'
import { requireUser } from '../auth.js'
import { baseUrlOf, requireActor } from '../context.js'
import { iso, userEntity } from '../entities.js'
import type { AppEnv } from '../env.js'

/** The GitLab release the mock imitates. */
export const GITLAB_VERSION = { version: '15.11.13', revision: 'a15ce5d1fbb' } as const

export const metaRoutes = new Hono<AppEnv>()

metaRoutes.get('/version', requireUser, (c) =>
  c.json({ ...GITLAB_VERSION, kas: { enabled: false, externalUrl: null, version: null }, enterprise: false }),
)

/** Entities::UserPublic for the token's user; UserWithAdmin adds is_admin and note for admins. */
metaRoutes.get('/user', requireUser, (c) => {
  const { user, isAdmin } = requireActor(c)
  const body = {
    ...userEntity(user, baseUrlOf(c)),
    local_time: null,
    last_sign_in_at: iso(user.createdAt),
    confirmed_at: iso(user.createdAt),
    last_activity_on: new Date(user.createdAt).toISOString().slice(0, 10),
    email: user.email,
    theme_id: 1,
    color_scheme_id: 1,
    projects_limit: 100000,
    current_sign_in_at: iso(user.createdAt),
    identities: [],
    can_create_group: true,
    can_create_project: true,
    two_factor_enabled: false,
    external: false,
    private_profile: false,
    commit_email: user.email,
    ...(isAdmin ? { is_admin: true, note: null } : {}),
  }
  return c.json(body)
})
