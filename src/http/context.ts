/** @module Small accessors handlers share: the store, the acting user and the entity context. */
import { isIP } from 'node:net'
import type { Context } from 'hono'
import type { Store } from '../domain/store.js'
import type { Actor } from '../domain/permissions.js'
import type { EntityContext } from './entities.js'
import type { AppEnv } from './env.js'

// c.get, not c.var: Hono builds a fresh object from its Map on every c.var access (a hot path here).
export function storeOf(c: Context<AppEnv>): Store {
  return c.get('world').store
}

/** Base URL for web_url fields: external URL or the request's origin (no trailing slash). */
export function baseUrlOf(c: Context<AppEnv>): string {
  return c.get('externalOrigin')
}

export function entityContext(c: Context<AppEnv>): EntityContext {
  return { store: storeOf(c), baseUrl: baseUrlOf(c), actor: c.get('actor') ?? null }
}

export function requireActor(c: Context<AppEnv>): Actor {
  const actor = c.get('actor')
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

/** GitLab's trusted proxies (config/initializers/trusted_proxies.rb) when gitlab.yml adds none. */
const TRUSTED_PROXIES = new Set(['127.0.0.1', '::1'])

/**
 * The client address as GitLab's `ip_address` (ActionDispatch::RemoteIp) sees it: the valid
 * X-Forwarded-For entries read right to left, then the socket peer; the first that is not a trusted
 * proxy wins, else the leftmost forwarded entry, else the peer. A single `X-Forwarded-For: <ip>` gives <ip>.
 */
export function clientIp(c: Context<AppEnv>): string | null {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined
  const peer = env?.incoming?.socket?.remoteAddress ?? null
  const remote = peer?.startsWith('::ffff:') ? peer.slice(7) : peer
  const header = c.req.header('x-forwarded-for')
  // Nothing forwarded: the peer, whether or not it is a trusted proxy (what the walk below gives too).
  if (header === undefined) return remote
  const forwarded = header
    .split(',')
    .map((s) => s.trim())
    .filter((s) => isIP(s) !== 0)
    .reverse()
  const candidates = remote ? [...forwarded, remote] : forwarded
  return candidates.find((ip) => !TRUSTED_PROXIES.has(ip)) ?? forwarded.at(-1) ?? remote
}
