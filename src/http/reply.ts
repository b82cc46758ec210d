/**
 * @module Answers from ready text: a Response made directly from a plain header object plus the request's
 * X-Request-Id, without Hono's header merging (on a Node server the adapter then writes the object as it is).
 * Everything else is made by Hono's context (c.json, c.body, …), which the world middleware makes add the id.
 */
import type { Context } from 'hono'
import type { AppEnv } from './env.js'

/**
 * The ready headers plus X-Request-Id, copied key by key. On Node 20 an object spread followed by a new key
 * (`{ ...headers, 'X-Request-Id': id }`) made objects that the young-generation collector moved to the old
 * generation, about 70 bytes a request, which then stayed until a full collection.
 */
function withRequestId(headers: Readonly<Record<string, string>>, id: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name in headers) out[name] = headers[name] as string
  out['X-Request-Id'] = id
  return out
}

export function reply(c: Context<AppEnv>, body: string, status: number, headers: Readonly<Record<string, string>>): Response {
  const id = c.get('requestId')
  const res = new Response(body, { status, headers: id === undefined ? headers : withRequestId(headers, id) })
  c.set('replied', { body, headers, res })
  return res
}
