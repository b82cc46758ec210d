/** @module createApp: the Hono application without a listener. Middleware order and the endpoint table and the other route groups mounted on one screen. */
import { Hono } from 'hono'
import { CONTROL_PREFIX, controlRoutes } from './control/routes.js'
import type { AppEnv } from './http/env.js'
import { errorHandler, notFoundHandler, type ErrorLogger } from './http/errors.js'
import { DEFAULT_BODY_LIMIT, limitBody } from './http/params.js'
import { requestLogger, type LogLevel, type LogSink } from './http/request-log.js'
import { mountEndpoints } from './http/endpoint.js'
import { API_PREFIX, ENDPOINTS } from './http/endpoints/index.js'
import { healthRoutes } from './http/health.js'
import { MockWorld, type WorldOptions } from './world.js'

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
  /** Where log lines go (default stderr). */
  log?: LogSink
}

export type MockApp = Hono<AppEnv> & { world: MockWorld }

/** Collapse the doubled leading slash gitbeaker sends for a base URL that ends in `/`. */
function getPath(request: Request): string {
  const url = request.url
  const start = url.indexOf('/', url.indexOf('://') + 3)
  const end = url.indexOf('?', start)
  const path = start === -1 ? '/' : end === -1 ? url.slice(start) : url.slice(start, end)
  return path.replace(/^\/{2,}/, '/')
}

/** `scheme://host[:port]` of an absolute URL, without parsing all of it. */
function originOf(url: string): string {
  const end = url.indexOf('/', url.indexOf('://') + 3)
  return end === -1 ? url : url.slice(0, end)
}

export function createApp(options: AppOptions = {}): MockApp {
  const world = options.world ?? new MockWorld(options)
  const external = options.externalUrl?.replace(/\/+$/, '')
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT
  const sink: LogSink = options.log ?? ((line) => process.stderr.write(`${line}\n`))
  const logError: ErrorLogger = (error, c) => {
    if (options.logLevel !== 'silent') sink(`[gitlab-runners-mock] 500 on ${c.req.method} ${c.req.path}: ${(error as Error)?.stack ?? String(error)}`)
  }

  const app = new Hono<AppEnv>({ getPath })
  const logging = options.logLevel !== undefined && options.logLevel !== 'silent'
  app.use('*', (c, next) => {
    c.set('world', world)
    c.set('actor', null)
    c.set('bodyLimit', bodyLimit)
    c.set('externalOrigin', external ?? originOf(c.req.url))
    // Oversized bodies are drained, then refused with 413, before any route runs (unless logging wraps it below).
    return logging ? next() : limitBody(c, next)
  })
  if (logging) {
    app.use('*', requestLogger(options.logLevel as Exclude<LogLevel, 'silent'>, sink))
    app.use('*', limitBody)
  }

  // Every /api/v4 route, in the endpoint table's order (src/http/endpoints/index.ts).
  mountEndpoints(app, API_PREFIX, ENDPOINTS)

  app.route('/', healthRoutes)
  if (options.control !== false) app.route(CONTROL_PREFIX, controlRoutes({ token: options.controlToken }))

  app.notFound(notFoundHandler)
  app.onError(errorHandler(logError))
  return Object.assign(app, { world })
}
