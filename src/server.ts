/** @module startMockServer: the app on a real port, for other projects' test setup. Resolves once listening; close() finishes in-flight requests and stops promptly. */
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { createApp, type AppOptions, type MockApp } from './app.js'
import type { Fixture } from './seed/fixture-types.js'
import { loadFixture } from './seed/load-fixture.js'
import { MockWorld, type WellKnownTokens } from './world.js'
import { ControlClient } from './control/client.js'
import { DEFAULT_WORLD, type WorldRegistry } from './control/worlds.js'

export interface ServerOptions extends Omit<AppOptions, 'fixture'> {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number
  /** Interface to bind (default 127.0.0.1). */
  host?: string
  /** A fixture file path or object; validated, every problem listed. */
  fixture?: string | Fixture
}

/** One world of a running server: its base URL (give it to any GitLab client), tokens and control client. */
export interface WorldHandle {
  name: string
  /** e.g. http://127.0.0.1:41234/-/worlds/<name> (clients add /api/v4). */
  url: string
  /** The world itself, in-process. */
  world: MockWorld
  /** Its well-known tokens, as they are now. */
  readonly tokens: WellKnownTokens
  control: ControlClient
}

export interface MockServer {
  /** Base URL, e.g. http://127.0.0.1:41234 (clients add /api/v4). */
  url: string
  port: number
  app: MockApp
  /**
   * The default world; called with a name, the handle of that world (created on first use):
   * `server.world('w1').url`. Both at once, so `server.world.store` keeps working.
   */
  world: MockWorld & ((name: string) => WorldHandle)
  /** Every world the server hosts. */
  worlds: WorldRegistry
  /** The control API of the default world (the same client a container or a world handle gives). */
  control: ControlClient
  /** The well-known tokens of the fixture's named records (as they are now). */
  tokens: WellKnownTokens
  reset(): void
  snapshot(name?: string): void
  restore(name?: string): void
  /** Stop accepting, let in-flight requests finish, close idle connections; resolves when closed. */
  close(): Promise<void>
}

/**
 * Stop a node server: in-flight requests finish, idle keep-alive connections close now (and each
 * connection as soon as its last response is sent: Node keeps those alive otherwise), stragglers after `graceMs`.
 */
export function closeServer(server: Server, graceMs = 2000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs)
    timer.unref()
    const sweep = setInterval(() => server.closeIdleConnections(), 20)
    sweep.unref()
    server.close((error) => {
      clearTimeout(timer)
      clearInterval(sweep)
      if (error && (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(error)
      else resolve()
    })
    server.closeIdleConnections()
  })
}

/** The default world that is also a function of a name (members are the world's, bound to it). */
function callableWorld(world: MockWorld, handle: (name: string) => WorldHandle): MockWorld & ((name: string) => WorldHandle) {
  return new Proxy(handle, {
    get(_target, key) {
      const value = Reflect.get(world, key, world) as unknown
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(world) : value
    },
    has: (_target, key) => key in world,
    getPrototypeOf: () => MockWorld.prototype,
  }) as MockWorld & ((name: string) => WorldHandle)
}

export async function startMockServer(options: ServerOptions = {}): Promise<MockServer> {
  const fixture = typeof options.fixture === 'string' || options.fixture ? await loadFixture(options.fixture) : undefined
  const world = options.world ?? new MockWorld({ seed: options.seed, fixture, clock: options.clock, gitlabVersion: options.gitlabVersion })
  const app = createApp({ ...options, fixture: undefined, world })
  const host = options.host ?? '127.0.0.1'
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }) as Server
    s.once('listening', () => resolve(s))
    s.once('error', reject)
  })
  server.keepAliveTimeout = 5000
  const port = (server.address() as AddressInfo).port
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host
  const url = `http://${shownHost}:${port}`
  const control = new ControlClient({ baseUrl: url, controlToken: options.controlToken })
  const handle = (name: string): WorldHandle => {
    const hosted = app.worlds.get(name)
    return {
      name,
      url: `${url}${hosted.prefix}`,
      world: hosted.world,
      get tokens() {
        return hosted.world.wellKnownTokens()
      },
      control: name === DEFAULT_WORLD ? control : control.world(name),
    }
  }
  return {
    url,
    port,
    app,
    world: callableWorld(world, handle),
    worlds: app.worlds,
    control,
    get tokens() {
      return world.wellKnownTokens()
    },
    reset: () => app.worlds.default.reset(),
    snapshot: (name) => world.snapshot(name),
    restore: (name = 'default') => {
      if (!world.restore(name)) throw new Error(`no snapshot named ${name}`)
    },
    close: () => closeServer(server),
  }
}
