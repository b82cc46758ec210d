/** @module Offset pagination as GitLab does it: page/per_page with Kaminari's defaults, X-* headers and a Link header with quoted rel values (gitlab-behaviour.md §6.1). */
import { reply } from './reply.js'
import type { Context } from 'hono'
import type { AppEnv } from './env.js'
import { parseParams, p, type RawParams } from './params.js'

export const DEFAULT_PER_PAGE = 20
export const MAX_PER_PAGE = 100
/** Above this many rows GitLab stops counting: X-Total, X-Total-Pages and rel="last" are left out. */
export const COUNT_LIMIT = 10_000

export interface Page<T> {
  items: T[]
  page: number
  perPage: number
  total: number
  totalPages: number
  nextPage: number | null
  prevPage: number | null
}

/** Pure: one page of `items`. Past the last page Kaminari reports neither a next nor a previous page. */
export function paginate<T>(items: readonly T[], page: number, perPage: number): Page<T> {
  const total = items.length
  const pages = Math.ceil(total / perPage)
  const start = (page - 1) * perPage
  return {
    items: items.slice(start, start + perPage),
    page,
    perPage,
    total,
    totalPages: Math.max(1, pages),
    nextPage: page < pages ? page + 1 : null,
    prevPage: page > 1 && page <= pages ? page - 1 : null,
  }
}

/** GitLab's `use :pagination` parameters, declared last on every list endpoint: validate them with the others. */
export const PAGE_SPECS = {
  page: p.int(),
  per_page: p.int({ check: (v) => (v === 0 ? 'has a value not allowed' : undefined) }),
}

/** page and per_page as Grape and Kaminari read them: per_page=0 refused, above 100 clamped, ≤0 page is page 1. */
export function pageParams(raw: RawParams): { page: number; perPage: number } {
  const { page, per_page } = parseParams(raw, PAGE_SPECS)
  // Stryker disable next-line EqualityOperator: per_page=0 was refused above
  const perPage = per_page === undefined || per_page < 0 ? DEFAULT_PER_PAGE : Math.min(per_page, MAX_PER_PAGE)
  // Stryker disable next-line EqualityOperator: page 1 is page 1 either way
  return { page: page === undefined || page < 1 ? 1 : page, perPage }
}

/** CGI.escape: like encodeURIComponent, but a space is `+` and `!'()*` are escaped too. */
const cgiEscape = (s: string) => {
  const escaped = encodeURIComponent(s)
  // Most keys and values need neither replacement: skip the two regex passes (3-4 links per page).
  // Stryker disable next-line ConditionalExpression,Regex: the replacements change nothing in such a string
  if (!/%20|[!'()*]/.test(escaped)) return escaped
  return escaped.replace(/%20/g, '+').replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Rails' `to_query`: keys sorted, arrays as `key[]=v`, nested hashes as `key[sub]=v`. */
export function toQuery(params: RawParams, prefix?: string): string {
  const parts: string[] = []
  for (const key of Object.keys(params).sort()) {
    const value = params[key]
    const name = prefix ? `${prefix}[${key}]` : key
    if (value === undefined) continue
    if (Array.isArray(value)) {
      // Stryker disable next-line StringLiteral: array items from a query string are strings, never null
      for (const item of value) parts.push(`${cgiEscape(`${name}[]`)}=${cgiEscape(String(item ?? ''))}`)
    } else if (value !== null && typeof value === 'object') {
      const nested = toQuery(value as RawParams, name)
      if (nested) parts.push(nested)
    } else {
      parts.push(`${cgiEscape(name)}=${cgiEscape(String(value ?? ''))}`)
    }
  }
  return parts.join('&')
}

/** Parameters never echoed into Link URLs: credentials. */
const SECRET_PARAMS = new Set(['private_token', 'access_token', 'job_token', 'token'])

/**
 * Send one page with GitLab's headers. `linkParams` are the request's parameters as GitLab echoes
 * them into Link (query, path params such as `id`, and defaults the endpoint declares).
 */
type PageOptions = { withoutCount?: boolean }

export function sendPage<T, R>(
  c: Context<AppEnv>,
  items: readonly T[],
  raw: RawParams,
  serialize: (item: T) => R,
  linkParams: RawParams = {},
  options: PageOptions = {},
): Response {
  const { items: page, headers } = pageOf(c, items, raw, linkParams, options)
  return reply(c, JSON.stringify(page.map(serialize)), 200, headers)
}

/** sendPage for items that serialize to ready JSON text (cached entities): the body is their texts in an array. */
export function sendPageText<T>(c: Context<AppEnv>, items: readonly T[], raw: RawParams, toText: (item: T) => string, linkParams: RawParams = {}, options: PageOptions = {}): Response {
  const { items: page, headers } = pageOf(c, items, raw, linkParams, options)
  let body = '['
  for (let i = 0; i < page.length; i++) body += (i === 0 ? '' : ',') + toText(page[i] as T)
  return reply(c, `${body}]`, 200, headers)
}

type PageHeaders = Readonly<Record<string, string>>

/**
 * A page's headers depend only on the URL (its query is the parameters), the Link parameters, the
 * item count and whether totals are left out: the last few hundred are kept, so a repeated list
 * request builds no Link text.
 */
const headerCache = new Map<string, PageHeaders>()
const HEADER_CACHE_SIZE = 256

/** The page's items and its headers (Content-Type and GitLab's pagination headers). */
function pageOf<T>(c: Context<AppEnv>, items: readonly T[], raw: RawParams, linkParams: RawParams, options: PageOptions): { items: T[]; headers: PageHeaders } {
  const { page, perPage } = pageParams(raw)
  const result = paginate(items, page, perPage)
  const withoutCount = options.withoutCount === true
  // Stryker disable next-line all: part of a cache key; the URL already names the path parameters it adds (a different part only rebuilds the same headers)
  const linkPart = Object.keys(linkParams).length === 0 ? '' : JSON.stringify(linkParams)
  // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: every list is a GET; skipping the cache rebuilds the same headers
  const cacheable = c.req.method === 'GET'
  const key = cacheable ? `${c.get('externalOrigin')}\n${c.req.path}\n${c.req.url}\n${linkPart}\n${result.total}\n${withoutCount}` : undefined
  // The cache's own checks: skipping or forcing a lookup, a store or the bound only rebuilds (or keeps) the same
  // headers, and every list is a GET; the key itself is tested (a wrong one serves another page's headers).
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a cache (see above)
  let headers = key === undefined ? undefined : headerCache.get(key)
  // Stryker disable next-line ConditionalExpression: a cache (see above)
  if (headers === undefined) {
    headers = pageHeaders(c, result, raw, linkParams, withoutCount)
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: a cache (see above)
    if (key !== undefined) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: the cache's bound, seen in no response
      if (headerCache.size >= HEADER_CACHE_SIZE) headerCache.clear()
      headerCache.set(key, headers)
    }
  }
  return { items: result.items, headers }
}

function pageHeaders<T>(c: Context<AppEnv>, result: Page<T>, raw: RawParams, linkParams: RawParams, withoutCount: boolean): PageHeaders {
  const { page, perPage } = result
  // `without_count` (or more rows than GitLab counts): no totals and no rel="last".
  const counted = !withoutCount && result.total <= COUNT_LIMIT
  // Stryker disable next-line LogicalOperator: the app always sets externalOrigin
  const base = `${c.get('externalOrigin') ?? new URL(c.req.url).origin}${c.req.path}`
  const query: RawParams = {}
  for (const [k, v] of Object.entries({ ...raw, ...linkParams })) if (!SECRET_PARAMS.has(k)) query[k] = v
  const link = (n: number) => `<${base}?${toQuery({ ...query, page: n, per_page: perPage })}>`
  const links: string[] = []
  if (result.prevPage !== null) links.push(`${link(result.prevPage)}; rel="prev"`)
  if (result.nextPage !== null) links.push(`${link(result.nextPage)}; rel="next"`)
  links.push(`${link(1)}; rel="first"`)
  if (counted) links.push(`${link(result.totalPages)}; rel="last"`)

  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Per-Page': String(perPage),
    'X-Page': String(page),
    'X-Next-Page': result.nextPage === null ? '' : String(result.nextPage),
    'X-Prev-Page': result.prevPage === null ? '' : String(result.prevPage),
  }
  if (counted) {
    headers['X-Total'] = String(result.total)
    headers['X-Total-Pages'] = String(result.totalPages)
  }
  headers.Link = links.join(', ')
  return Object.freeze(headers)
}
