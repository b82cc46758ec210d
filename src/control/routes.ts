/**
 * @module The control API under /-/mock (outside /api/v4; GitLab reserves `/-/`, so no project or
 * group path can collide): reset, reseed, snapshots, state dump, clock, instance settings, well-known tokens, health.
 * Mutations are POST/PUT/DELETE only. An optional token guards everything but health.
 */
import { timingSafeEqual } from 'node:crypto'
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import type { AppEnv } from '../http/env.js'
import { FixtureError } from '../seed/fixture-types.js'
import { loadFixture } from '../seed/load-fixture.js'
import { resolveTime } from '../seed/build-world.js'
import { FaultInputError } from './faults.js'
import { journalRoutes } from './routes-journal.js'
import { faultRoutes } from './routes-faults.js'
import { recordRoutes } from './routes-records.js'
import { worldRoutes } from './routes-worlds.js'
import type { WorldRegistry } from './worlds.js'

import { CONTROL_PREFIX, CONTROL_TOKEN_HEADER } from './constants.js'

export { CONTROL_PREFIX, CONTROL_TOKEN_HEADER }

/** Constant-time comparison of the control token. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '')
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Health and readiness stay open when the control API is guarded. */
const OPEN_PATHS = new Set([`${CONTROL_PREFIX}/health`, `${CONTROL_PREFIX}/ready`])

export function guard(token: string | undefined): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // Exact paths: a snapshot named "health" must not slip past the guard.
    const open = OPEN_PATHS.has(c.req.path)
    if (token && !open && !sameSecret(c.req.header(CONTROL_TOKEN_HEADER), token))
      return c.json({ message: '401 Unauthorized', hint: `send the control token in ${CONTROL_TOKEN_HEADER}` }, 401)
    await next()
  }
}

export async function jsonBody(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const text = await c.req.text()
  if (text.trim() === '') return {}
  try {
    const body = JSON.parse(text) as unknown
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {}
  } catch {
    throw new ControlInputError('body is not valid JSON')
  }
}

export class ControlInputError extends Error {}

function clockView(c: Context<AppEnv>) {
  const { clock } = c.var.world
  return { now: new Date(clock.now()).toISOString(), frozen: clock.frozen }
}

/**
 * Milliseconds from `{ "seconds": n }` or `{ "duration": "2h" }` (the fixture's offset syntax, sign
 * optional). Months and years are calendar months counted from `now`, as Rails' `3.months.from_now`.
 */
function durationMs(body: Record<string, unknown>, now: number): number {
  if (typeof body.seconds === 'number' && Number.isFinite(body.seconds)) return body.seconds * 1000
  if (typeof body.duration === 'string') {
    const text = /^[+-]/.test(body.duration) ? body.duration : `+${body.duration}`
    const t = resolveTime(text, now)
    if (t !== undefined && /^[+-]\d/.test(text)) return t - now
  }
  throw new ControlInputError('give "seconds" (a number) or "duration" (such as "2h", "3d", "4mo")')
}

/** The clock stays between 1970 and 9999 (four-digit ISO years, as clients parse them); beyond, every time field would break. */
function withinClockRange(instant: number): void {
  if (!(instant >= 0 && instant <= Date.UTC(9999, 11, 31, 23, 59, 59, 999)))
    throw new ControlInputError('the clock must stay between 1970-01-01 and 9999-12-31')
}

export function controlRoutes(options: { token?: string; registry: WorldRegistry }) {
  const app = new Hono<AppEnv>()
  app.use('*', guard(options.token))
  app.onError((error, c) => {
    if (error instanceof ControlInputError || error instanceof FaultInputError) return c.json({ message: error.message }, 400)
    if (error instanceof FixtureError) return c.json({ message: 'invalid fixture', problems: error.problems }, 400)
    throw error
  })

  app.get('/health', (c) => c.json({ status: 'ok' }))
  app.get('/ready', (c) => c.json({ status: 'ok', runners: c.var.world.store.state.runners.size }))

  app.post('/reset', (c) => {
    c.var.hosted.reset() // fault rules go too
    return c.json({ status: 'reset', seed: c.var.world.seed, clock: clockView(c) })
  })

  app.post('/reseed', async (c) => {
    const body = await jsonBody(c)
    const seed = body.seed
    if (seed !== undefined && typeof seed !== 'number' && typeof seed !== 'string') throw new ControlInputError('"seed" must be a number or a string')
    const fixtureSource = body.fixture ?? (typeof body.fixture_path === 'string' ? body.fixture_path : undefined)
    const fixture = fixtureSource === undefined ? undefined : await loadFixture(fixtureSource)
    c.var.world.reseed({ seed: seed as number | string | undefined, fixture })
    return c.json({ status: 'reseeded', seed: c.var.world.seed, runners: c.var.world.store.state.runners.size })
  })

  app.get('/snapshots', (c) => c.json({ snapshots: c.var.world.snapshotNames() }))
  app.post('/snapshots', async (c) => {
    const body = await jsonBody(c)
    const name = typeof body.name === 'string' && body.name !== '' ? body.name : 'default'
    c.var.world.snapshot(name)
    return c.json({ name }, 201)
  })
  app.post('/snapshots/:name/restore', (c) => {
    const name = c.req.param('name')
    if (!c.var.world.restore(name)) return c.json({ message: `no snapshot named ${name}` }, 404)
    return c.json({ restored: name })
  })
  app.delete('/snapshots/:name', (c) => {
    const name = c.req.param('name')
    if (!c.var.world.deleteSnapshot(name)) return c.json({ message: `no snapshot named ${name}` }, 404)
    return c.body(null, 204)
  })

  app.get('/state', (c) => c.json(c.var.world.dump()))
  app.get('/tokens', (c) => c.json(c.var.world.wellKnownTokens()))

  // Instance settings an admin changes at run time in GitLab; reset restores the fixture's values.
  const settingsView = (c: Context<AppEnv>) => ({
    gitlab_version: c.var.world.profile.version,
    allow_runner_registration_token: c.var.world.store.state.settings.allowRunnerRegistrationToken,
  })
  app.get('/settings', (c) => c.json(settingsView(c)))
  app.put('/settings', async (c) => {
    const body = await jsonBody(c)
    const known = ['allow_runner_registration_token']
    const unknown = Object.keys(body).filter((k) => !known.includes(k))
    if (unknown.length > 0) throw new ControlInputError(`unknown setting ${unknown.join(', ')}: the settings that can change at run time are ${known.join(', ')} (the GitLab version is chosen at start)`)
    const allow = body.allow_runner_registration_token
    if (allow !== undefined && typeof allow !== 'boolean') throw new ControlInputError('"allow_runner_registration_token" must be true or false')
    if (allow !== undefined) c.var.world.store.state.settings.allowRunnerRegistrationToken = allow
    return c.json(settingsView(c))
  })

  app.get('/clock', (c) => c.json(clockView(c)))
  app.put('/clock', async (c) => {
    const body = await jsonBody(c)
    const now = typeof body.now === 'number' ? body.now : typeof body.now === 'string' ? Date.parse(body.now) : Number.NaN
    if (!Number.isFinite(now)) throw new ControlInputError('"now" must be an ISO instant or epoch milliseconds')
    withinClockRange(now)
    c.var.world.clock.set(now, body.frozen !== false)
    return c.json(clockView(c))
  })
  app.post('/clock/advance', async (c) => {
    const ms = durationMs(await jsonBody(c), c.var.world.clock.now())
    withinClockRange(c.var.world.clock.now() + ms)
    c.var.world.clock.advance(ms)
    return c.json(clockView(c))
  })
  app.post('/clock/real', (c) => {
    c.var.world.clock.useRealTime()
    return c.json(clockView(c))
  })

  worldRoutes(app, options.registry)
  journalRoutes(app)
  faultRoutes(app)
  recordRoutes(app)

  // Discoverability: GET /-/mock lists the control routes, and so does the 404 for any other path under it.
  const index = () => app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${CONTROL_PREFIX}${r.path === '/' ? '' : r.path}`)
  app.get('/', (c) => c.json({ routes: index() }))
  app.all('*', (c) => c.json({ message: `404 Not Found: no control route ${c.req.method} ${c.req.path}`, routes: index() }, 404))
  return app
}
