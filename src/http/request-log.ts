/** @module Request logging with secrets redacted: token headers, token parameters and `token` fields never reach a log line. */
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from './env.js'
import { DEFAULT_WORLD, formatLogLine, type LogFormat, type LogLevel, type LogSink } from './log-types.js'

export type { LogFormat, LogLevel, LogSink } from './log-types.js'

const SECRET_HEADERS = ['private-token', 'authorization', 'job-token', 'runner-token', 'x-mock-control-token', 'sudo', 'cookie', 'proxy-authorization']

/** True for a header whose value is a credential. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.includes(name.toLowerCase())
}

/** True for a parameter or field name that holds a token (after percent-decoding). */
export function isSecretKey(name: string): boolean {
  return SECRET_KEY.test(decodeKey(name))
}
/** Any parameter whose decoded name mentions a token: private_token, access_token, job_token, token, token[], info[token]… */
const SECRET_KEY = /token/i
export const REDACTED = '[REDACTED]'
const PROBES = new Set(['/-/health', '/-/readiness', '/-/liveness', '/-/mock/health', '/-/mock/ready'])

function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '))
  } catch {
    return key
  }
}

/** The URL with the values of secret query parameters replaced (names matched after percent-decoding; `&` and Rack's `;` both separate). */
export function redactUrl(url: string): string {
  const q = url.indexOf('?')
  if (q === -1) return url
  const query = url.slice(q).replace(/([?&;])([^=&;]*)=([^&;]*)/g, (pair, sep: string, key: string) =>
    SECRET_KEY.test(decodeKey(key)) ? `${sep}${key}=${REDACTED}` : pair,
  )
  return url.slice(0, q) + query
}

/** Headers as a log line would show them, secrets replaced. */
export function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  headers.forEach((value, key) => {
    out[key] = SECRET_HEADERS.includes(key.toLowerCase()) ? REDACTED : value
  })
  return out
}

/** A JSON body with every `token`-like field replaced, at any depth. */
export function redactBody(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(redactBody)
  if (body !== null && typeof body === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(body)) out[k] = /token/i.test(k) ? REDACTED : redactBody(v)
    return out
  }
  return body
}

/**
 * One line a request: text `<time> GET /path?query 200 1.2ms request_id=…`, or with `json` one object
 * (time, level, method, path, status, duration_ms, world, request_id; at debug headers and params).
 * Paths, headers and parameters are redacted before they reach the line.
 */
export function requestLogger(level: Exclude<LogLevel, 'silent'>, sink: LogSink, format: LogFormat = 'text'): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now()
    await next()
    const status = c.res.status
    if (level === 'error' && status < 500) return
    // Health probes (Docker HEALTHCHECK every 2 s) would drown the log: only their failures are logged below debug.
    if (level === 'info' && status < 400 && PROBES.has(c.req.path)) return
    const ms = performance.now() - started
    const path = redactUrl(c.req.path + (new URL(c.req.url).search ?? ''))
    const debug = level === 'debug'
    // The parameters as the route read them (query merged with the body), token fields redacted.
    const params = debug ? (c.get('params') as unknown) : undefined
    const requestId = c.get('requestId')
    if (format === 'json') {
      sink(
        formatLogLine('json', {
          level: status >= 500 ? 'error' : 'info',
          msg: 'request',
          method: c.req.method,
          path,
          status,
          duration_ms: Math.round(ms * 10) / 10,
          world: DEFAULT_WORLD,
          request_id: requestId,
          headers: debug ? redactHeaders(c.req.raw.headers) : undefined,
          params: params === undefined ? undefined : redactBody(params),
        }),
      )
      return
    }
    let line = `${formatLogLine('text', { level: 'info', msg: `${c.req.method} ${path} ${status} ${ms.toFixed(1)}ms` })} request_id=${requestId}`
    if (debug) {
      line += ` headers=${JSON.stringify(redactHeaders(c.req.raw.headers))}`
      if (params !== undefined) line += ` params=${JSON.stringify(redactBody(params))}`
    }
    sink(line)
  }
}
