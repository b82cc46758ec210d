/** @module createApp: the Hono application without a listener. Middleware order and the endpoint table and the other route groups mounted on one screen. */
import { Hono } from 'hono'
import { MemoRouter } from './http/memo-router.js'
import { inspectRoutes } from './control/inspect.js'
import { pageRoutes } from './control/pages.js'
import { CONTROL_PREFIX, controlRoutes } from './control/routes.js'
import type { AppEnv } from './http/env.js'
import { errorHandler, notFoundHandler, type ErrorLogger } from './http/errors.js'
import { DEFAULT_BODY_LIMIT, limitBody } from './http/params.js'
import { formatLogLine, type LogFormat, type LogLevel, type LogSink } from './http/log-types.js'
import { requestLogger } from './http/request-log.js'
import { requestPath, singleLeadingSlash } from './http/request-path.js'
import { mountEndpoints } from './http/endpoint.js'
import { API_PREFIX, ENDPOINTS } from './http/endpoints/index.js'
import { healthRoutes } from './http/health.js'
import { MockWorld, type WorldOptions } from './world.js'
import { worldServer } from './control/world-middleware.js'
import { WorldRegistry, worldOfPath } from './control/worlds.js'
import type { RateLimitSetting } from './control/rate-limit.js'

export interface AppOptions extends WorldOptions {
  /** An existing world to serve (its seed, fixture and clock options then come from it). */
  world?: MockWorld
  /** Origin (and optional path prefix) used in Link headers and web_url fields; default: the request's origin. */
  externalUrl?: string
  /** Require this token in X-Mock-Control-Token on the control API (health stays open). */
  controlToken?: string
  /** Serve the control API at /-/mock (default true). */
  control?: boolean
  /** Largest request body in bytes (default 1 MiB); larger ones get 413. */
  bodyLimit?: number
  /** Request logging: error, info or debug (secrets redacted); default none. An unexpected 500 is always written with its stack, unless 'silent'. */
  logLevel?: LogLevel
  /** `text` (default: `<ISO time> GET /path 200 1.2ms …`) or `json` (one object a line). */
  logFormat?: LogFormat
  /** Where log lines go (default stderr). */
  log?: LogSink
  /** Most named worlds (`/-/worlds/<name>`) kept at once (default 256); past it the least recently used idle one is dropped. */
  maxWorlds?: number
  /** Requests each world's journal keeps (default 1000; 0 turns the journal off). */
  journalSize?: number
  /** GitLab's authenticated-API throttle per user, e.g. `{ limit: 600, periodSeconds: 60 }`; default off. */
  rateLimit?: RateLimitSetting | null
}

/**
 * The app without a listener: answer a `Request` (msw, undici interceptors) with `fetch`, or a path
 * with `request` (like fetch, relative URLs allowed). A narrow view of the Hono app underneath, so
 * consumers' compilers never load Hono's declarations.
 */
export interface MockApp {
  fetch(request: Request, env?: unknown, executionContext?: unknown): Response | Promise<Response>
  request(input: string | URL | Request, init?: RequestInit): Response | Promise<Response>
  /** The world this app serves (the same object for every request). */
  readonly world: MockWorld
  /** Every world this app serves: the default and the named ones under `/-/worlds/<name>`. */
  readonly worlds: WorldRegistry
}

function getPath(request: Request): string {
  const path = requestPath(request.url)
  // `/-/worlds/<name>/rest` is routed as `/rest`; the world middleware picks the world from the URL.
  const world = path.startsWith('/-/worlds') ? worldOfPath(path) : undefined
  return typeof world === 'object' ? singleLeadingSlash(world.rest) : path
}

export function createApp(options: AppOptions = {}): MockApp {
  const world = options.world ?? new MockWorld(options)
  const external = options.externalUrl?.replace(/\/+$/, '')
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT
  const sink: LogSink = options.log ?? ((line) => process.stderr.write(`${line}\n`))
  const format = options.logFormat ?? 'text'
  const logError: ErrorLogger = (error, c) => {
    if (options.logLevel === 'silent') return
    const stack = (error as Error)?.stack ?? String(error)
    const requestId = c.get('requestId') as string | undefined
    sink(
      format === 'json'
        ? formatLogLine('json', { level: 'error', msg: 'unexpected error', method: c.req.method, path: c.req.path, status: 500, request_id: requestId, stack })
        : `${formatLogLine('text', { level: 'error', msg: `[gitlab-runners-mock] 500 on ${c.req.method} ${c.req.path}` })} request_id=${requestId}: ${stack}`,
    )
  }
  if (options.logLevel !== 'silent')
    for (const w of world.warnings) sink(formatLogLine(format, { level: 'warn', msg: `fixture warning: ${w.path}: ${w.message}`, path: format === 'json' ? w.path : undefined }))

  const worlds = new WorldRegistry(world, { maxWorlds: options.maxWorlds, journalSize: options.journalSize, rateLimit: options.rateLimit })
  const onError = errorHandler(logError)
  const app = new Hono<AppEnv>({ getPath, router: new MemoRouter() })
  const logging = options.logLevel !== undefined && options.logLevel !== 'silent'
  // Picks the world, applies its faults and throttle, journals the answer; applies the body limit unless logging does below.
  // Logged: in front of every request. Not logged: in front of the route groups below, while each /api/v4 route picks
  // its world itself (so Hono runs it as the only handler of its path, without a middleware chain).
  const server = worldServer({ registry: worlds, external, bodyLimit, logging, onError })
  if (logging) {
    app.use('*', server.middleware)
    app.use('*', requestLogger(options.logLevel as Exclude<LogLevel, 'silent'>, sink, format))
    app.use('*', limitBody)
  } else {
    app.use('/-/*', server.middleware)
    app.use('/', server.middleware)
  }

  // Every /api/v4 route, in the endpoint table's order (src/http/endpoints/index.ts).
  mountEndpoints(app, API_PREFIX, ENDPOINTS, server.wrap)

  app.route('/', healthRoutes)
  if (options.control !== false) {
    // The pages first: they hold no world data and stay open (the inspector asks for the control token).
    app.route(CONTROL_PREFIX, pageRoutes({ routes: () => app.routes }))
    app.get('/', (c) => c.redirect(`${c.var.hosted.prefix}${CONTROL_PREFIX}/ui`, 302)) // a world's root: its own inspector
    app.route(CONTROL_PREFIX, inspectRoutes({ token: options.controlToken }))
    app.route(CONTROL_PREFIX, controlRoutes({ token: options.controlToken, registry: worlds }))
  }

  // Unknown paths answer in their world too (journaled, faults applied), as the routes do.
  const notFound = server.wrap(notFoundHandler)
  app.notFound((c) => notFound(c, () => Promise.resolve()) as Response | Promise<Response>)
  app.onError(onError)
  return Object.assign(app, { world, worlds }) as MockApp
}
