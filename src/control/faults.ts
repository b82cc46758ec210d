/**
 * @module Fault rules of one world: which requests they match (method, path glob or endpoint, the
 * caller's token), what they do (a canned answer, a delay, GitLab's throttle answer, the front end's
 * 502/503, a held or reset connection), and how often (times, after, a seeded probability).
 */
import { randomSource, seedFrom, type RandomSource } from '../domain/random.js'
import { globToRegExp } from './journal.js'

export const FAULT_PRESETS = ['rate_limited', 'unavailable', 'timeout', 'reset'] as const
export type FaultPreset = (typeof FAULT_PRESETS)[number]

export interface FaultMatch {
  method?: string
  path?: string
  endpoint?: string
  token?: string
}

export type FaultEffect =
  | { kind: 'respond'; status: number; body: unknown; headers: Record<string, string> }
  | { kind: 'delay'; ms: number }
  | { kind: 'rate_limited'; retryAfter: number }
  | { kind: 'unavailable'; status: 502 | 503 }
  | { kind: 'timeout'; holdMs: number }
  | { kind: 'reset' }

export interface FaultRule {
  id: number
  match: FaultMatch
  effect: FaultEffect
  /** Matches to let through before firing. */
  after: number
  /** How many times it fires (null: unlimited). */
  times: number | null
  probability: number
  /** Requests it matched so far; how many times it fired. */
  matched: number
  fired: number
}

export class FaultInputError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string' || v === '') throw new FaultInputError(`"${key}" must be a non-empty string`)
  return v
}

function wholeNumber(body: Record<string, unknown>, key: string, fallback: number, min = 0): number {
  const v = body[key]
  if (v === undefined || v === null) return fallback
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 3_600_000) throw new FaultInputError(`"${key}" must be a whole number from ${min}`)
  return v
}

function parseEffect(body: Record<string, unknown>): FaultEffect {
  const given = ['respond', 'delay_ms', 'preset'].filter((k) => body[k] !== undefined)
  if (given.length !== 1) throw new FaultInputError('give exactly one effect: "respond" ({ status, body, headers }), "delay_ms" or "preset"')
  if (body.respond !== undefined) {
    const r = body.respond
    if (!isObject(r)) throw new FaultInputError('"respond" must be an object { status, body?, headers? }')
    const status = r.status
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) throw new FaultInputError('"respond.status" must be an HTTP status from 200 to 599')
    const headers: Record<string, string> = {}
    if (r.headers !== undefined) {
      if (!isObject(r.headers)) throw new FaultInputError('"respond.headers" must be an object of strings')
      for (const [k, v] of Object.entries(r.headers)) {
        if (typeof v !== 'string' && typeof v !== 'number') throw new FaultInputError(`"respond.headers.${k}" must be a string`)
        if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) || /[\r\n]/.test(String(v))) throw new FaultInputError(`"respond.headers.${k}" is not a valid header`)
        headers[k] = String(v)
      }
    }
    return { kind: 'respond', status, body: r.body, headers }
  }
  if (body.delay_ms !== undefined) return { kind: 'delay', ms: wholeNumber(body, 'delay_ms', 0) }
  switch (body.preset) {
    case 'rate_limited':
      return { kind: 'rate_limited', retryAfter: wholeNumber(body, 'retry_after', 1) }
    case 'unavailable': {
      const status = body.status ?? 502
      if (status !== 502 && status !== 503) throw new FaultInputError('"status" of the unavailable preset is 502 or 503')
      return { kind: 'unavailable', status }
    }
    case 'timeout':
      return { kind: 'timeout', holdMs: wholeNumber(body, 'hold_ms', 30_000) }
    case 'reset':
      return { kind: 'reset' }
    default:
      throw new FaultInputError(`"preset" must be one of ${FAULT_PRESETS.join(', ')}`)
  }
}

/** A rule from the control API's JSON (`match` fields may sit at the top level or under "match"). */
export function parseFaultRule(body: Record<string, unknown>, id: number): FaultRule {
  const source = isObject(body.match) ? body.match : body
  const match: FaultMatch = {}
  const method = optionalString(source, 'method')
  if (method !== undefined) match.method = method.toUpperCase()
  const path = optionalString(source, 'path')
  if (path !== undefined) match.path = path
  const endpoint = optionalString(source, 'endpoint')
  if (endpoint !== undefined) match.endpoint = endpoint
  const token = optionalString(source, 'token')
  if (token !== undefined) match.token = token
  if (match.path !== undefined && match.endpoint !== undefined) throw new FaultInputError('give "path" or "endpoint", not both')
  const times = body.times === undefined || body.times === null ? null : wholeNumber(body, 'times', 1, 1)
  const probability = body.probability ?? 1
  if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) throw new FaultInputError('"probability" must be a number from 0 to 1')
  return { id, match, effect: parseEffect(body), after: wholeNumber(body, 'after', 0), times, probability, matched: 0, fired: 0 }
}

/** A rule as the control API shows it. */
export function faultView(rule: FaultRule) {
  const { effect } = rule
  const shown: Record<string, unknown> = { id: rule.id, ...rule.match }
  if (effect.kind === 'respond') shown.respond = { status: effect.status, body: effect.body, headers: effect.headers }
  else if (effect.kind === 'delay') shown.delay_ms = effect.ms
  else {
    shown.preset = effect.kind
    if (effect.kind === 'rate_limited') shown.retry_after = effect.retryAfter
    if (effect.kind === 'unavailable') shown.status = effect.status
    if (effect.kind === 'timeout') shown.hold_ms = effect.holdMs
  }
  return { ...shown, times: rule.times, after: rule.after, probability: rule.probability, matched: rule.matched, fired: rule.fired, remaining: rule.times === null ? null : rule.times - rule.fired }
}

/** What a rule is matched against. */
export interface FaultRequest {
  method: string
  path: string
  endpoint: string | null
  /** The caller's credentials (read only when some rule names a token). */
  tokens: () => string[]
}

/** The rules of one world, in the order they were added; the first that fires wins. */
export class FaultSet {
  #rules: FaultRule[] = []
  #patterns = new Map<number, RegExp>()
  #nextId = 1
  #random: RandomSource
  readonly #seed: string

  constructor(seed: number | string) {
    this.#seed = String(seed)
    this.#random = randomSource({ rngState: seedFrom(`faults:${this.#seed}`) })
  }

  get size(): number {
    return this.#rules.length
  }

  get needsTokens(): boolean {
    return this.#rules.some((r) => r.match.token !== undefined)
  }

  add(body: Record<string, unknown>): FaultRule {
    const rule = parseFaultRule(body, this.#nextId)
    this.#nextId++
    const glob = rule.match.path ?? rule.match.endpoint
    if (glob !== undefined) this.#patterns.set(rule.id, globToRegExp(glob))
    this.#rules.push(rule)
    return rule
  }

  list(): FaultRule[] {
    return [...this.#rules]
  }

  remove(id: number): boolean {
    const before = this.#rules.length
    this.#rules = this.#rules.filter((r) => r.id !== id)
    this.#patterns.delete(id)
    return this.#rules.length < before
  }

  /** Remove every rule and restart the probability sequence (a reset does this). */
  clear(): void {
    this.#rules = []
    this.#patterns.clear()
    this.#random = randomSource({ rngState: seedFrom(`faults:${this.#seed}`) })
  }

  /** The rule that fires for this request, counting matches; undefined when none does. */
  take(request: FaultRequest): FaultRule | undefined {
    let tokens: string[] | undefined
    for (const rule of this.#rules) {
      const m = rule.match
      if (m.method !== undefined && m.method !== request.method) continue
      const pattern = this.#patterns.get(rule.id)
      if (pattern && m.path !== undefined && !pattern.test(request.path)) continue
      if (pattern && m.endpoint !== undefined && (request.endpoint === null || !pattern.test(request.endpoint))) continue
      if (m.token !== undefined && !(tokens ??= request.tokens()).includes(m.token)) continue
      if (rule.times !== null && rule.fired >= rule.times) continue
      rule.matched++
      if (rule.matched <= rule.after) continue
      if (rule.probability < 1 && this.#random.next() >= rule.probability) continue
      rule.fired++
      return rule
    }
    return undefined
  }
}

/** The page the front end (NGINX in front of Workhorse) serves while Rails is down, e.g. during an upgrade. */
export function unavailableResponse(status: 502 | 503): Response {
  // 502: NGINX's error_page for an unreachable Workhorse/Puma; 503: the deploy page an upgrade puts up.
  const title = status === 502 ? 'GitLab is not responding (502)' : 'Deploy in progress'
  const text = status === 502 ? 'Whoops, GitLab is taking too much time to respond.' : 'Deploy in progress. Please try again in a few minutes or contact your administrator.'
  const html = `<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>${title}</title>\n</head>\n<body>\n<h1>${status}</h1>\n<h3>${text}</h3>\n<hr>\n<p>Try refreshing the page, or going back and attempting the action again.</p>\n</body>\n</html>\n`
  return new Response(html, { status, headers: { 'Content-Type': 'text/html; charset=utf-8' } })
}

/** A `respond` effect's answer: objects and arrays as JSON, strings as they are. */
export function cannedResponse(effect: Extract<FaultEffect, { kind: 'respond' }>): Response {
  const headers = new Headers(effect.headers)
  let body: string | null = null
  if (typeof effect.body === 'string') {
    body = effect.body
    if (!headers.has('content-type')) headers.set('Content-Type', 'text/plain; charset=utf-8')
  } else if (effect.body !== undefined && effect.body !== null && effect.status !== 204) {
    body = JSON.stringify(effect.body)
    if (!headers.has('content-type')) headers.set('Content-Type', 'application/json')
  }
  return new Response(body, { status: effect.status, headers })
}
