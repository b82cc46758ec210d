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

type PageHeaders = Readonly<Record<string, string>>

/**
 * What a page's headers are made from besides its counts: the page, its size and its Link URLs (one per page
 * number, `before + n + after`). All three depend only on the URL (its query is the parameters), the Link
 * parameters and whether totals are left out, so they are kept by those for the last few hundred list URLs.
 * A write that changes a list's count then makes only the count headers again (no Link text is built), and a
 * repeated count reuses the headers made last.
 */
export interface PageForm {
  readonly page: number
  readonly perPage: number
  /** A Link URL is `<${before}${n}${after}>` for page n. */
  readonly before: string
  readonly after: string
  readonly withoutCount: boolean
  /** The headers made last, for this many items. */
  lastTotal: number
  lastHeaders: PageHeaders | undefined
}

const forms = new Map<string, PageForm>()
const FORM_CACHE_SIZE = 256

/** The page's items and its headers (Content-Type and GitLab's pagination headers). */
function pageOf<T>(c: Context<AppEnv>, items: readonly T[], raw: RawParams, linkParams: RawParams, options: PageOptions): { items: T[]; headers: PageHeaders } {
  const form = pageFormOf(c, raw, linkParams, options)
  const result = paginate(items, form.page, form.perPage)
  return { items: result.items, headers: pageHeadersOf(form, result) }
}

/** The form of this request's page (kept per URL and Link parameters; see PageForm). */
export function pageFormOf(c: Context<AppEnv>, raw: RawParams, linkParams: RawParams = {}, options: PageOptions = {}): PageForm {
  const withoutCount = options.withoutCount === true
  // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: every list is a GET; skipping the cache makes the same form
  const cacheable = c.req.method === 'GET'
  // Stryker disable next-line all: part of a cache key; the URL already names the path parameters it adds (a different part only makes the same form)
  const linkPart = Object.keys(linkParams).length === 0 ? '' : JSON.stringify(linkParams)
  const key = cacheable ? `${c.get('externalOrigin')}\n${c.req.path}\n${c.req.url}\n${linkPart}\n${withoutCount}` : undefined
  // The cache's own checks: skipping or forcing a lookup, a store or the bound only makes (or keeps) the same
  // form, and every list is a GET; the key itself is tested (a wrong one serves another page's headers).
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a cache (see above)
  let form = key === undefined ? undefined : forms.get(key)
  // Stryker disable next-line ConditionalExpression: a cache (see above)
  if (form === undefined) {
    form = pageForm(c, raw, linkParams, withoutCount)
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: a cache (see above)
    if (key !== undefined) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: the cache's bound, seen in no response
      if (forms.size >= FORM_CACHE_SIZE) forms.clear()
      forms.set(key, form)
    }
  }
  return form
}

/** The headers of a page of this form over `counts.total` items (the last count's are kept with the form). */
export function pageHeadersOf(form: PageForm, counts: PageCounts): PageHeaders {
  let headers = form.lastHeaders
  if (headers === undefined || form.lastTotal !== counts.total) {
    headers = pageHeaders(form, counts)
    form.lastTotal = counts.total
    form.lastHeaders = headers
  }
  return headers
}

/** The form of a page: its page and size, and its Link URL cut around the page number. */
function pageForm(c: Context<AppEnv>, raw: RawParams, linkParams: RawParams, withoutCount: boolean): PageForm {
  const { page, perPage } = pageParams(raw)
  // Stryker disable next-line LogicalOperator: the app always sets externalOrigin
  const base = `${c.get('externalOrigin') ?? new URL(c.req.url).origin}${c.req.path}`
  const query: RawParams = {}
  for (const [k, v] of Object.entries({ ...raw, ...linkParams })) if (!SECRET_PARAMS.has(k)) query[k] = v
  // Page 1's and page 2's URLs differ in that one digit only (to_query sorts the keys; a digit is never escaped).
  const one = `${base}?${toQuery({ ...query, page: 1, per_page: perPage })}`
  const two = `${base}?${toQuery({ ...query, page: 2, per_page: perPage })}`
  let at = 0
  while (one.charCodeAt(at) === two.charCodeAt(at)) at++
  return { page, perPage, before: one.slice(0, at), after: one.slice(at + 1), withoutCount, lastTotal: -1, lastHeaders: undefined }
}

/** What a page's headers count: the items, the pages, and the pages before and after it. */
type PageCounts = Pick<Page<unknown>, 'total' | 'totalPages' | 'nextPage' | 'prevPage'>

function pageHeaders(form: PageForm, result: PageCounts): PageHeaders {
  const { page, perPage, before, after } = form
  // `without_count` (or more rows than GitLab counts): no totals and no rel="last".
  const counted = !form.withoutCount && result.total <= COUNT_LIMIT
  const link = (n: number) => `<${before}${n}${after}>`
  let links = ''
  if (result.prevPage !== null) links += `${link(result.prevPage)}; rel="prev", `
  if (result.nextPage !== null) links += `${link(result.nextPage)}; rel="next", `
  links += `${link(1)}; rel="first"`
  if (counted) links += `, ${link(result.totalPages)}; rel="last"`

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
  headers.Link = links
  return Object.freeze(headers)
}
