/** @module Small accessors handlers share: the store, the acting user and the entity context. */
import type { Context } from 'hono'
import type { Store } from '../domain/store.js'
import type { Actor } from '../domain/permissions.js'
import type { EntityContext } from './entities.js'
import type { AppEnv } from './env.js'

export function storeOf(c: Context<AppEnv>): Store {
  return c.var.world.store
}

/** Base URL for web_url fields: external URL or the request's origin (no trailing slash). */
export function baseUrlOf(c: Context<AppEnv>): string {
  return c.var.externalOrigin
}

export function entityContext(c: Context<AppEnv>): EntityContext {
  return { store: storeOf(c), baseUrl: baseUrlOf(c), actor: c.var.actor ?? null }
}

export function requireActor(c: Context<AppEnv>): Actor {
  const actor = c.var.actor
  if (!actor) throw new Error('this route is mounted behind requireUser')
  return actor
}

/** `If-Unmodified-Since` as epoch ms, or undefined when absent or unparsable (Rails ignores those). */
export function ifUnmodifiedSince(c: Context<AppEnv>): number | undefined {
  const header = c.req.header('if-unmodified-since')
  if (!header) return undefined
  const t = Date.parse(header)
  return Number.isNaN(t) ? undefined : t
}

/** The client address as Rails' request.ip sees it: the first X-Forwarded-For entry, else the socket peer. */
export function clientIp(c: Context<AppEnv>): string | null {
  const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
  if (forwarded) return forwarded
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined
  const remote = env?.incoming?.socket?.remoteAddress ?? null
  return remote?.startsWith('::ffff:') ? remote.slice(7) : remote
}
