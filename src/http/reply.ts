/**
 * @module Answers from ready text: a Response made directly from a plain header object plus the request's
 * X-Request-Id, without Hono's header merging (on a Node server the adapter then writes the object as it is).
 * Everything else is made by Hono's context (c.json, c.body, …), which the world middleware makes add the id.
 */
import type { Context } from 'hono'
import type { AppEnv } from './env.js'

export function reply(c: Context<AppEnv>, body: string, status: number, headers: Readonly<Record<string, string>>): Response {
  const id = c.get('requestId')
  const res = new Response(body, { status, headers: id === undefined ? headers : { ...headers, 'X-Request-Id': id } })
  c.set('replied', { body, headers, res })
  return res
}
