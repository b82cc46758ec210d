/** @module Control routes for the worlds a server hosts: list, create (optionally from another seed, fixture, clock or GitLab version), drop. */
import type { Hono } from 'hono'
import { GitLabVersionError } from '../domain/gitlab-version.js'
import type { AppEnv } from '../http/env.js'
import { loadFixture } from '../seed/load-fixture.js'
import { parseInstant } from '../world.js'
import { ControlInputError, jsonBody } from './routes.js'
import { DEFAULT_WORLD, WORLD_NAME, WORLD_NAME_RULE, WorldLimitError, type HostedWorld, type WorldRegistry } from './worlds.js'

export function worldView(w: HostedWorld) {
  return {
    name: w.name,
    path: w.prefix || '/',
    created: new Date(w.createdAt).toISOString(),
    runners: w.world.store.state.runners.size,
    requests: w.requests,
    seed: w.world.seed,
    gitlab_version: w.world.profile.version,
  }
}

export function worldRoutes(app: Hono<AppEnv>, registry: WorldRegistry): void {
  app.get('/worlds', (c) => c.json({ worlds: registry.list().map(worldView), max_worlds: registry.maxWorlds }))

  app.post('/worlds', async (c) => {
    const body = await jsonBody(c)
    const name = body.name
    if (typeof name !== 'string' || !WORLD_NAME.test(name)) throw new ControlInputError(`"name" is required: ${WORLD_NAME_RULE}`)
    if (registry.has(name)) return c.json({ message: `a world named ${name} exists; DELETE /-/mock/worlds/${name} first` }, 409)
    const seed = body.seed
    if (seed !== undefined && typeof seed !== 'number' && typeof seed !== 'string') throw new ControlInputError('"seed" must be a number or a string')
    if (body.gitlab_version !== undefined && typeof body.gitlab_version !== 'string') throw new ControlInputError('"gitlab_version" must be a string such as "17.0"')
    let clock: number | null | undefined
    if (body.clock !== undefined && body.clock !== null) {
      if (typeof body.clock !== 'string' && typeof body.clock !== 'number') throw new ControlInputError('"clock" must be an ISO instant, epoch milliseconds or null')
      try {
        clock = parseInstant(body.clock)
      } catch {
        throw new ControlInputError('"clock" must be an ISO instant, epoch milliseconds or null')
      }
    } else if (body.clock === null) clock = null
    // An object only: a path would let any caller of the control API read the server's files.
    if (body.fixture !== undefined && (body.fixture === null || typeof body.fixture !== 'object')) throw new ControlInputError('"fixture" must be a fixture object')
    const fixture = body.fixture === undefined ? undefined : await loadFixture(body.fixture)
    try {
      const hosted = registry.create(name, { seed: seed as number | string | undefined, fixture, clock, gitlabVersion: body.gitlab_version as string | undefined })
      return c.json(worldView(hosted), 201)
    } catch (error) {
      if (error instanceof GitLabVersionError) throw new ControlInputError(error.message)
      if (error instanceof WorldLimitError) return c.json({ message: error.message }, 503)
      throw error
    }
  })

  app.delete('/worlds/:name', (c) => {
    const name = c.req.param('name')
    if (name === DEFAULT_WORLD) throw new ControlInputError('the default world cannot be dropped (reset it instead)')
    if (!registry.delete(name)) return c.json({ message: `no world named ${name}` }, 404)
    return c.body(null, 204)
  })
}
