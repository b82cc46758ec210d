/** @module Users and their personal access tokens. */
import type { Fixture } from '../fixture-types.js'
import type { BuildContext } from './context.js'

export function buildUsers(fixture: Fixture, ctx: BuildContext): void {
  const { state } = ctx
  fixture.users?.forEach((u, i) => {
    const path = `/users/${i}`
    const id = ctx.takeId('user', u.id, state.users, path)
    if (ctx.userIdByName.has(u.username.toLowerCase())) ctx.problem(`${path}/username`, `duplicate username ${u.username}`)
    ctx.userIdByName.set(u.username.toLowerCase(), id)
    state.users.set(id, {
      id,
      username: u.username,
      name: u.name ?? u.username,
      email: u.email ?? `${u.username}@example.com`,
      isAdmin: u.admin ?? false,
      state: u.state ?? 'active',
      bio: u.bio ?? '',
      location: u.location ?? '',
      publicEmail: u.public_email ?? '',
      organization: u.organization ?? '',
      jobTitle: u.job_title ?? '',
      createdAt: ctx.time(u.created_at, `${path}/created_at`, ctx.now),
    })
    u.tokens?.forEach((t, j) => {
      ctx.claimToken(t.token, `${path}/tokens/${j}/token`)
      state.tokens.set(t.token, {
        token: t.token,
        userId: id,
        name: t.name ?? `token-${j + 1}`,
        scopes: t.scopes ?? ['api'],
        expiresAt: ctx.nullableTime(t.expires_at, `${path}/tokens/${j}/expires_at`),
        revoked: t.revoked ?? false,
      })
    })
  })
}
