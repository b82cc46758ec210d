/** @module Control routes for a world's fault rules and its GitLab-style throttle. */
import type { Hono } from 'hono'
import type { AppEnv } from '../http/env.js'
import { faultView } from './faults.js'
import { Throttle } from './rate-limit.js'
import { ControlInputError, jsonBody } from './routes.js'

export function faultRoutes(app: Hono<AppEnv>): void {
  app.get('/faults', (c) => c.json({ faults: c.var.hosted.faults.list().map(faultView) }))
  app.post('/faults', async (c) => c.json(faultView(c.var.hosted.faults.add(await jsonBody(c))), 201))
  app.delete('/faults', (c) => {
    c.var.hosted.faults.clear()
    return c.body(null, 204)
  })
  app.delete('/faults/:id', (c) => {
    const id = c.req.param('id')
    if (!/^\d+$/.test(id) || !c.var.hosted.faults.remove(Number(id))) return c.json({ message: `no fault rule ${id}` }, 404)
    return c.body(null, 204)
  })

  const view = (t: Throttle | null) => (t ? { enabled: true, limit: t.setting.limit, period_seconds: t.setting.periodSeconds } : { enabled: false })
  app.get('/rate-limit', (c) => c.json(view(c.var.hosted.throttle)))
  app.put('/rate-limit', async (c) => {
    const body = await jsonBody(c)
    const whole = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1
    if (!whole(body.limit) || !whole(body.period_seconds)) throw new ControlInputError('give "limit" (requests) and "period_seconds", whole numbers from 1')
    c.var.hosted.throttle = new Throttle({ limit: body.limit as number, periodSeconds: body.period_seconds as number })
    return c.json(view(c.var.hosted.throttle))
  })
  app.delete('/rate-limit', (c) => {
    c.var.hosted.throttle = null
    return c.body(null, 204)
  })
}
