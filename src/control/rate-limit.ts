/**
 * @module GitLab's rate limiting as Rack::Attack answers it (lib/gitlab/rack_attack.rb): the throttled
 * response (429, plain text `Retry later`, RateLimit-* and Retry-After headers) and a fixed-window
 * throttle per user, as GitLab's authenticated-API throttle counts (wall-clock windows of `period` seconds).
 */

/** GitLab's defaults for the authenticated API throttle (7200 requests per 3600 s). */
export const GITLAB_API_LIMIT = { limit: 7200, periodSeconds: 3600 } as const
export const THROTTLE_NAME = 'throttle_authenticated_api'
/** Gitlab::Throttle.rate_limiting_response_text by default. */
export const RATE_LIMIT_BODY = 'Retry later\n'

export interface ThrottleMatch {
  name: string
  limit: number
  periodSeconds: number
  /** Requests counted in the window, this one included. */
  observed: number
  /** Whole seconds until the window resets. */
  retryAfter: number
  /** Epoch seconds now. */
  now: number
}

/**
 * Rack::Attack's throttled responder: RateLimit-Limit is the limit scaled to 60 s and rounded up,
 * Remaining what is left (0 once over), Reset the Unix time of the window's end, ResetTime the same as
 * an HTTP date, Retry-After the seconds until then.
 */
export function throttledResponse(m: ThrottleMatch): Response {
  const reset = m.now + m.retryAfter
  const headers = {
    'Content-Type': 'text/plain',
    'RateLimit-Name': m.name,
    'RateLimit-Limit': String(Math.ceil((m.limit * 60) / m.periodSeconds)),
    'RateLimit-Observed': String(m.observed),
    'RateLimit-Remaining': String(m.limit > m.observed ? m.limit - m.observed : 0),
    'RateLimit-Reset': String(reset),
    'RateLimit-ResetTime': new Date(reset * 1000).toUTCString(),
    'Retry-After': String(m.retryAfter),
  }
  return new Response(RATE_LIMIT_BODY, { status: 429, headers })
}

/** The `rate_limited` preset: GitLab's throttle answer with a chosen Retry-After (GitLab's own is the rest of its period). */
export function presetRateLimited(retryAfter: number, nowMs: number): Response {
  const { limit, periodSeconds } = GITLAB_API_LIMIT
  return throttledResponse({ name: THROTTLE_NAME, limit, periodSeconds, observed: limit + 1, retryAfter, now: Math.floor(nowMs / 1000) })
}

export interface RateLimitSetting {
  limit: number
  periodSeconds: number
}

/** `600/60s`, `600/1m`, `7200/1h` or `600/60` (seconds). */
export function parseRateLimit(text: string): RateLimitSetting | undefined {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*(s|m|h)?\s*$/.exec(text)
  if (!m) return undefined
  const limit = Number(m[1])
  const periodSeconds = Number(m[2]) * (m[3] === 'h' ? 3600 : m[3] === 'm' ? 60 : 1)
  return limit >= 1 && periodSeconds >= 1 ? { limit, periodSeconds } : undefined
}

/** Fixed windows per discriminator (a user), as Rack::Attack's cache counts them. */
export class Throttle {
  readonly #windows = new Map<string, { window: number; count: number }>()

  constructor(readonly setting: RateLimitSetting) {}

  /** Count a request; the throttled answer once the count passes the limit, else undefined. */
  hit(discriminator: string, nowMs: number): ThrottleMatch | undefined {
    const now = Math.floor(nowMs / 1000)
    const { limit, periodSeconds } = this.setting
    const window = Math.floor(now / periodSeconds)
    let entry = this.#windows.get(discriminator)
    if (!entry || entry.window !== window) {
      if (this.#windows.size > 10_000) this.#windows.clear()
      entry = { window, count: 0 }
      this.#windows.set(discriminator, entry)
    }
    entry.count++
    if (entry.count <= limit) return undefined
    return { name: THROTTLE_NAME, limit, periodSeconds, observed: entry.count, retryAfter: periodSeconds - (now % periodSeconds), now }
  }
}
