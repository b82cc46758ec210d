/** @module GitLab's own health probes: /-/health (plain text), /-/readiness and /-/liveness (JSON). */
import { Hono } from 'hono'
import type { AppEnv } from './env.js'

export const healthRoutes = new Hono<AppEnv>()

healthRoutes.get('/-/health', (c) => c.text('GitLab OK'))
healthRoutes.get('/-/liveness', (c) => c.json({ status: 'ok' }))
healthRoutes.get('/-/readiness', (c) => {
  const checks = c.req.query('all') ? { db_check: [{ status: 'ok' }], redis_check: [{ status: 'ok' }] } : {}
  return c.json({ status: 'ok', master_check: [{ status: 'ok' }], ...checks })
})
