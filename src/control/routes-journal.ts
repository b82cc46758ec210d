/** @module Control routes for a world's request journal: read it (filtered), clear it, verify what was sent. */
import type { Hono } from 'hono'
import type { AppEnv } from '../http/env.js'
import { recordFilter, verify, type JournalFilter } from './journal.js'
import { journalEntryView } from './journal-view.js'
import { ControlInputError, jsonBody } from './routes.js'

function wholeNumber(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text === '') return undefined
  if (!/^\d+$/.test(text)) throw new ControlInputError(`"${name}" must be a whole number`)
  return Number(text)
}

function countField(body: Record<string, unknown>, name: string): number | undefined {
  const v = body[name]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ControlInputError(`"${name}" must be a whole number`)
  return v
}

function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string' || v === '') throw new ControlInputError(`"${name}" must be a non-empty string`)
  return v
}

export function journalRoutes(app: Hono<AppEnv>): void {
  app.get('/requests', (c) => {
    const q = c.req.query()
    const filter: JournalFilter = {
      method: q.method || undefined,
      path: q.path || undefined,
      endpoint: q.endpoint || undefined,
      status: wholeNumber(q.status, 'status'),
      since: wholeNumber(q.since, 'since'),
      unmatched: q.unmatched === 'true' || q.unmatched === '1',
    }
    const { journal } = c.var.hosted
    const requests = journal.records().filter(recordFilter(filter)).map(journalEntryView)
    return c.json({ requests, dropped: journal.dropped, enabled: journal.enabled })
  })

  app.delete('/requests', (c) => {
    c.var.hosted.journal.clear()
    return c.body(null, 204)
  })

  app.post('/requests/verify', async (c) => {
    const body = await jsonBody(c)
    const pattern = {
      method: stringField(body, 'method'),
      path: stringField(body, 'path'),
      endpoint: stringField(body, 'endpoint'),
      bodyContains: stringField(body, 'body_contains'),
      count: countField(body, 'count'),
      atLeast: countField(body, 'at_least'),
      atMost: countField(body, 'at_most'),
    }
    if ((pattern.path === undefined) === (pattern.endpoint === undefined)) throw new ControlInputError('give "path" (a glob) or "endpoint" (such as "GET /api/v4/runners/:id"), one of them')
    if (pattern.count !== undefined && (pattern.atLeast !== undefined || pattern.atMost !== undefined))
      throw new ControlInputError('give "count", or "at_least" and/or "at_most", not both')
    const result = verify(c.var.hosted.journal.records(), pattern)
    if (result.ok) return c.json({ ok: true, count: result.count })
    return c.json({ ok: false, count: result.count, expected: result.expected, near_misses: result.nearMisses.map(journalEntryView) }, 409)
  })
}
